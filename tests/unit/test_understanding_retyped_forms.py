"""A form retyped in Word its own way: values after dotted lines, the manager on one
line, "Fait à …, le …" left blank."""

from __future__ import annotations

import io

import docx
import pytest

from mailbot.catalog import Catalog
from mailbot.understanding import understand
from mailbot.understanding.form_reader import read_rows, text_rows
from mailbot.understanding.labels import Field
from mailbot.understanding.model import Decision
from tests.factories.forms import FormData, Participant, build_odt, replace, sample_form
from tests.factories.mails import BODY_FORM, mail

FORM = sample_form()


def _values(text: str) -> dict[Field, str]:
    return read_rows(text_rows(text), prefix_labels=True).values


def test_a_value_typed_after_the_dotted_line_is_the_value_alone() -> None:
    values = _values(
        "Dénomination ……………… ADMR de la Gironde\n"
        "Adresse e-mail ........ l.leger@admr33.org\n"
        "Téléphone ____ 05 56 00 11 22"
    )
    assert values[Field.ORG_NAME] == "ADMR de la Gironde"
    assert values[Field.MANAGER_EMAIL] == "l.leger@admr33.org"
    assert values[Field.PHONE] == "05 56 00 11 22"


def test_direction_after_the_dotted_line_is_the_service_not_a_label_alone() -> None:
    # "Service / Direction" is a label too: read alone, "Service … Direction" would
    # have made the form look like one saved as text, a label per line.
    values = _values(
        "Organisme-client\nDénomination ……… ADMR\nAdresse postale ……… 1 rue X, 33000 Bordeaux\n"
        "Gestionnaire de l'inscription\nPrénom et NOM ……… Anne ROUX\n"
        "Adresse e-mail ……… a.roux@admr33.org\nService ……… Direction\nTéléphone ……… 0556001122"
    )
    assert values[Field.SERVICE] == "Direction"
    assert values[Field.PHONE] == "0556001122"


@pytest.mark.parametrize("line", ["Fait à , le ", "Fait à ……, le ……", "Fait à :   le :"])
def test_a_blank_place_and_date_leave_both_empty(line: str) -> None:
    values = _values(line)
    assert Field.PLACE not in values and Field.SIGNED_DATE not in values


@pytest.mark.parametrize(
    ("line", "service", "phone"),
    [
        (
            "Gestionnaire de l'inscription : Anne ROUX – a.roux@x.fr – Direction – Tél. 05 56 00 11 22",
            "Direction",
            "05 56 00 11 22",
        ),
        (
            "Gestionnaire : Anne ROUX, a.roux@x.fr, Service RH, 05 56 00 11 22",
            "Service RH",
            "05 56 00 11 22",
        ),
        (
            "Gestionnaire : Anne ROUX - a.roux@x.fr - Fédération - service qualité",
            "Fédération - service qualité",
            None,
        ),
        ("Gestionnaire de l'inscription : Anne ROUX (a.roux@x.fr)", None, None),
    ],
)
def test_the_manager_written_on_one_line(line: str, service: str | None, phone: str | None) -> None:
    values = _values(line)
    assert values[Field.MANAGER_NAME] == "Anne ROUX"
    assert values[Field.MANAGER_EMAIL] == "a.roux@x.fr"
    assert values.get(Field.SERVICE) == service
    assert values.get(Field.PHONE) == phone


def test_a_dotted_word_form_is_confirmed_with_its_values(catalog: Catalog) -> None:
    document = docx.Document()
    document.add_paragraph(f"Web-séminaire « {FORM.webinar_title} »")
    for label, ticked in FORM.sessions:
        document.add_paragraph(f"{'☒' if ticked else '☐'} {label}")
    for label, value in [
        ("Organisme-client", ""),
        ("Dénomination", FORM.organisation_name),
        ("Adresse postale", ", ".join(FORM.address_lines)),
        ("Gestionnaire de l'inscription", ""),
        ("Prénom et NOM", FORM.manager_name),
        ("Adresse e-mail", FORM.manager_email),
        ("Service", "Direction"),
        ("Téléphone", FORM.manager_phone),
    ]:
        document.add_paragraph(f"{label} ……………… {value}" if value else label)
    table = document.add_table(rows=1, cols=4)
    for cell, title in zip(
        table.rows[0].cells, ("Civilité", "Prénom", "NOM", "Courriel"), strict=True
    ):
        cell.text = title
    for p in FORM.participants:
        for cell, text in zip(
            table.add_row().cells, (p.civility, p.first_name, p.last_name, p.email), strict=True
        ):
            cell.text = text
    document.add_paragraph(FORM.amount_line())
    document.add_paragraph(f"Fait à {FORM.signed_place}, le {FORM.signed_date}")
    document.add_paragraph(f"Par (nom du signataire) : {FORM.signatory}")
    out = io.BytesIO()
    document.save(out)
    word = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    raw = mail(
        "Bonjour,\n\nci-joint notre bulletin.\n\nCordialement",
        attachments=[("bulletin.docx", word, out.getvalue())],
        date="Wed, 14 Oct 2026 10:31:50 +0200",
    )
    u = understand(raw, catalog)
    assert u.decision is Decision.AUTO, u.reasons
    assert u.organisation is not None and u.organisation.name == FORM.organisation_name
    assert u.manager is not None
    assert (u.manager.email, u.manager.service) == (FORM.manager_email, "Direction")


def test_a_dash_instead_of_a_colon_after_a_label_written_exactly() -> None:
    values = _values(
        "Organisme - ADMR de la Gironde\nAdresse e-mail - a.roux@admr33.org\n"
        "Téléphone – 05 56 00 11 22\nAnne ROUX - Direction"
    )
    assert values[Field.ORG_NAME] == "ADMR de la Gironde"
    assert values[Field.MANAGER_EMAIL] == "a.roux@admr33.org"
    assert values[Field.PHONE] == "05 56 00 11 22"
    assert Field.MANAGER_NAME not in values  # "Anne ROUX" is no label


def test_a_body_form_with_dashes_is_a_registration(catalog: Catalog) -> None:
    lines = [
        "Bonjour,",
        "Nous souhaitons inscrire 2 personnes au web-séminaire « Mettre en place un CPOM "
        "dans le secteur de l'aide à domicile » du jeudi 18 mars 2027.",
        f"Organisme - {FORM.organisation_name}",
        f"Adresse postale - {', '.join(FORM.address_lines)}",
        f"Gestionnaire de l'inscription - {FORM.manager_name}",
        f"Adresse e-mail - {FORM.manager_email}",
        "Participants :",
        *(
            f"{i}) {p.civility} {p.first_name} {p.last_name} ({p.email})"
            for i, p in enumerate(FORM.participants, 1)
        ),
        f"Nombre de participants - {len(FORM.participants)}",
        f"Par : {FORM.signatory}",
        "Cordialement",
    ]
    u = understand(mail("\n".join(lines), date="Wed, 14 Oct 2026 10:31:50 +0200"), catalog)
    assert u.decision is Decision.AUTO, u.reasons
    assert u.manager is not None and u.manager.email == FORM.manager_email
    assert [p.last_name for p in u.participants] == ["GARNIER", "DUBOIS"]


# Printed to PDF, a long line wraps where the page ends, not where the writer stopped.
@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("Adresse postale : 1 esplanade Charles de Gaulle, CS 71223, 33074\nBordeaux Cedex",
         "1 esplanade Charles de Gaulle, CS 71223, 33074 Bordeaux Cedex"),
        ("Adresse postale : 103 bis rue Belleville, CS 91704, 33063 Bordeaux\nCedex",
         "103 bis rue Belleville, CS 91704, 33063 Bordeaux Cedex"),
        ("Adresse postale : 1 esplanade Charles de Gaulle, CS 71223,\n33074 Bordeaux Cedex",
         "1 esplanade Charles de Gaulle, CS 71223, 33074 Bordeaux Cedex"),
        ("Adresse postale : 46 boulevard du Président Wilson, 33000\nBordeaux",
         "46 boulevard du Président Wilson, 33000 Bordeaux"),
        # A mail box's number is no postcode: the next line is a line of its own.
        ("Adresse postale : 1 esplanade Charles de Gaulle\nCS 71223\n33074 Bordeaux Cedex",
         "1 esplanade Charles de Gaulle, CS 71223, 33074 Bordeaux Cedex"),
    ],
)  # fmt: skip
def test_an_address_wrapped_by_the_page_is_joined_where_it_was_cut(text: str, address: str) -> None:
    assert _values(text)[Field.ADDRESS] == address


def test_a_name_wrapped_before_its_last_words_keeps_them() -> None:
    values = _values("Dénomination : APF France handicap - Délégation\ndes Landes")
    assert values[Field.ORG_NAME] == "APF France handicap - Délégation des Landes"


@pytest.mark.parametrize(
    "text",
    [
        "Gestionnaire de l'inscription : Anne ROUX –\na.roux@x.fr – Direction administrative et\n"
        "financière – Tél. 05 56 00 11 22",
        "Gestionnaire de l'inscription : Anne ROUX – a.roux@x.fr – Direction administrative et "
        "financière – Tél.\n05 56 00 11 22",
        "Gestionnaire de l'inscription : Anne ROUX – a.roux@x.fr – Direction administrative et "
        "financière – Tél. 05 56 00\n11 22",
    ],
)
def test_a_manager_line_wrapped_by_the_page_is_read_whole(text: str) -> None:
    values = _values(text + "\nParticipants")
    assert values[Field.MANAGER_NAME] == "Anne ROUX"
    assert values[Field.MANAGER_EMAIL] == "a.roux@x.fr"
    assert values[Field.SERVICE] == "Direction administrative et financière"
    assert values[Field.PHONE] == "05 56 00 11 22"


def test_a_phone_cut_short_is_doubted(catalog: Catalog) -> None:
    body = (
        "Bonjour,\nVoici notre inscription au web-séminaire « Mettre en place un CPOM dans le "
        "secteur de l'aide à domicile » du jeudi 18 mars 2027.\n"
        f"Organisme : {FORM.organisation_name}\nAdresse postale : {', '.join(FORM.address_lines)}\n"
        f"Gestionnaire de l'inscription : {FORM.manager_name}\nAdresse e-mail : {FORM.manager_email}\n"
        "Téléphone : 05 56 17 11\n"
        "Participants :\n"
        + "".join(
            f"- {p.civility} {p.first_name} {p.last_name} : {p.email}\n" for p in FORM.participants
        )
        + f"Par : {FORM.signatory}\nCordialement"
    )
    u = understand(mail(body, date="Wed, 14 Oct 2026 10:31:50 +0200"), catalog)
    assert "manager.phone" in u.uncertain_fields
    assert u.decision is Decision.REVIEW


@pytest.mark.parametrize(
    ("text", "doubted"),
    [
        ("Dénomination : Association des familles\nhandicapées de Pau", {Field.ORG_NAME}),
        ("Adresse postale : Hôtel de Ville\nQuartier Saint-Michel", {Field.ADDRESS}),
        # Whole values and headings under them are no cut.
        ("Adresse postale : 12 rue des Lilas, 33000 Bordeaux\nContact administratif", set()),
        ("Dénomination : CCAS de Pau\nContact administratif", set()),
        ("Prénom et NOM : Anne ROUX\nService", set()),
    ],
)
def test_a_line_left_unread_under_a_value_that_may_go_on_doubts_it(
    text: str, doubted: set[Field]
) -> None:
    assert read_rows(text_rows(text), prefix_labels=True).trailed == doubted


def test_a_doubted_value_sends_the_form_to_a_person(catalog: Catalog) -> None:
    body = (
        "Bonjour,\nVoici notre inscription au web-séminaire « Mettre en place un CPOM dans le "
        "secteur de l'aide à domicile » du jeudi 18 mars 2027.\n"
        "Organisme : Association des familles\nhandicapées de Saint-Médard\n"
        f"Adresse postale : {', '.join(FORM.address_lines)}\n"
        f"Gestionnaire de l'inscription : {FORM.manager_name}\nAdresse e-mail : {FORM.manager_email}\n"
        "Participants :\n"
        + "".join(
            f"- {p.civility} {p.first_name} {p.last_name} : {p.email}\n" for p in FORM.participants
        )
        + f"Par : {FORM.signatory}\nCordialement"
    )
    u = understand(mail(body, date="Wed, 14 Oct 2026 10:31:50 +0200"), catalog)
    assert u.uncertain_fields == ("organisation.name",)
    assert u.decision is Decision.REVIEW


ODT = "application/vnd.oasis.opendocument.text"
PROMPT = "Cliquez ou appuyez ici pour entrer du texte."


def _odt_mail(form: FormData) -> bytes:
    return mail("Bonjour,\nci-joint notre bulletin.\nCordialement",
                attachments=[("bulletin.odt", ODT, build_odt(form))])  # fmt: skip


def test_word_s_prompts_left_in_the_rows_are_blank_rows(catalog: Catalog) -> None:
    # A Word form with content controls, saved by LibreOffice: the rows nobody filled
    # still print Word's prompt as text.
    blank = Participant(PROMPT, PROMPT, PROMPT, PROMPT)
    form = replace(FORM, participants=(*FORM.participants, blank, blank))
    u = understand(_odt_mail(form), catalog)
    assert [p.last_name for p in u.participants] == [p.last_name for p in FORM.participants]
    assert u.decision is Decision.AUTO, u.reasons


def test_a_town_run_into_its_street_leaves_the_address_doubted(catalog: Catalog) -> None:
    # "12 rue Gambetta32000 Auch": a lost line break, a comma or a space for the invoice.
    form = replace(FORM, address_lines=("Place de la République33160 Saint-Médard",))
    u = understand(_odt_mail(form), catalog)
    assert u.decision is Decision.REVIEW
    assert "uncertain:organisation.address" in u.reasons


def test_a_heading_over_lines_that_open_with_their_labels() -> None:
    # A nested table flattened by a conversion: "Dénomination" and its value on one line
    # under the heading, no envelope-like block to label.
    values = _values(
        "Organisme-client\n"
        "Dénomination Département de la Nièvre\n"
        "Adresse postale Hôtel du Département, 58039 Nevers Cedex\n"
    )
    assert values[Field.ORG_NAME] == "Département de la Nièvre"
    assert values[Field.ADDRESS] == "Hôtel du Département, 58039 Nevers Cedex"


def test_a_heading_that_names_the_field_over_its_labelled_line() -> None:
    # Values set under their labels elsewhere: "Organisme-client" waits for the name, and
    # the line under it opens with "Dénomination", the name's label, not its value.
    values = _values(
        "Organisme-client\n"
        "Dénomination Département de la Nièvre\n"
        "Adresse postale\n    Hôtel du Département\n    58039 Nevers Cedex\n"
        "Service\n    Direction des solidarités\n"
        "Téléphone\n    03 86 60 67 00\n"
    )
    assert values[Field.ORG_NAME] == "Département de la Nièvre"
    assert values[Field.SERVICE] == "Direction des solidarités"


@pytest.mark.parametrize(
    ("below", "address"),
    [
        # A PDF's two columns: the town's line wrapped under the address, beside the phone.
        ("13015 Marseille", "Résidence Les Platanes, 145 chemin de la Madrague, 13015 Marseille"),
        # Not a town's line: left alone, and the address without its town is doubted later.
        ("poste 214", "Résidence Les Platanes, 145 chemin de la Madrague"),
    ],
)
def test_the_towns_line_under_an_address_beside_the_phone(below: str, address: str) -> None:
    values = _values(
        "Dénomination\tFondation Méditerranée Enfance\tPrénom et NOM\tKarima HADJ-SAÏD\n"
        "Adresse postale\tRésidence Les Platanes, 145 chemin de la Madrague\tTéléphone\t"
        f"04 91 58 23 07\n{below}\nAdresse e-mail\tk.hadjsaid@fme13.org\n"
    )
    assert values[Field.ADDRESS] == address
    assert values[Field.PHONE].startswith("04 91 58 23 07")


@pytest.mark.parametrize(
    ("last", "address"),
    [
        ("Polynésie française", "BP 2570, 98713 Papeete, Polynésie française"),
        ("Nouvelle-Calédonie", "BP 2570, 98713 Papeete, Nouvelle-Calédonie"),
    ],
)
def test_an_overseas_territory_under_the_town(last: str, address: str) -> None:
    values = _values(
        f"Adresse postale : BP 2570\n98713 Papeete\n{last}\nGestionnaire de l'inscription\n"
    )
    assert values[Field.ADDRESS] == address


def test_a_country_left_unread_under_the_address_is_doubted(catalog: Catalog) -> None:
    body = BODY_FORM.replace("33074 Bordeaux Cedex\n", "33074 Bordeaux Cedex\nSénégal\n")
    u = understand(mail(body), catalog)
    assert u.decision is Decision.REVIEW and "uncertain:organisation.address" in u.reasons


def test_a_participant_row_opening_on_its_own_label() -> None:
    # One cell more than the heading: "Participant 1" heads the row, it names no one.
    form = read_rows(text_rows(
        "PARTICIPANTS\nCivilité\tPrénom\tNOM\tE-mail de connexion\n"
        "Participant 1\tMme\tMaëlle\tBRETON\tbreton.maelle@adapei53.org\n"
        "Participant 2\tM.\tSolène\tFONTAINE\tsolenefontaine@adapei53.org\n"
        "Nombre de participants :\t2\tx 635 € = Montant net total :\t1270 €\n"
    ), prefix_labels=True)  # fmt: skip
    assert [(p.civility, p.first_name, p.last_name) for p in form.participants] == [
        ("Mme", "Maëlle", "BRETON"), ("M.", "Solène", "FONTAINE")
    ]  # fmt: skip
    # The count before "x 635 €", the total after its own label behind the "=".
    assert (form.declared_count, str(form.declared_total)) == (2, "1270.00")


def test_the_managers_labels_in_a_row_over_their_values() -> None:
    values = _values(
        "Gestionnaire de l'inscription\nPRÉNOM ET NOM\tSERVICE\n"
        "Benoît KERGUELEN\tDirection de l'enfance et de la famille\n"
        "TÉLÉPHONE\tADRESSE E-MAIL\n04 32 76 43 95\tbenoit.kerguelen@cd17.fr\n"
    )
    assert values[Field.MANAGER_NAME] == "Benoît KERGUELEN"
    assert values[Field.SERVICE] == "Direction de l'enfance et de la famille"
    assert (values[Field.PHONE], values[Field.MANAGER_EMAIL]) == (
        "04 32 76 43 95",
        "benoit.kerguelen@cd17.fr",
    )
    # Under "Participants", the same shape is a list's header over a person: not the manager.
    listed = read_rows(text_rows(
        "Participants\nNom et prénom\tCourriel\nAnne ROUX\ta.roux@x.fr\n"
    ), prefix_labels=True)  # fmt: skip
    assert Field.MANAGER_NAME not in listed.values
    assert [p.email for p in listed.participants] == ["a.roux@x.fr"]


def test_an_online_forms_question_per_detail_of_each_person() -> None:
    # Google Forms prints "Participant 2 — Prénom *" over the answer.
    lines = "".join(
        f"Participant {n} — {label} *\n{value}\n"
        for n, person in ((1, ("Mme", "Béatrice", "MARCHAL", "b.marchal@x.fr")),
                          (2, ("M.", "Nicolas", "TRAORÉ", "n.traore@x.fr")))
        for label, value in zip(("Civilité", "Prénom", "NOM", "Adresse e-mail de connexion"),
                                person, strict=True)
    )  # fmt: skip
    form = read_rows(text_rows("Participants\n" + lines), prefix_labels=True)
    assert [(p.civility, p.first_name, p.last_name, p.email) for p in form.participants] == [
        ("Mme", "Béatrice", "MARCHAL", "b.marchal@x.fr"), ("M.", "Nicolas", "TRAORÉ", "n.traore@x.fr")
    ]  # fmt: skip


def test_a_session_row_whose_empty_box_cell_sits_before_its_date(catalog: Catalog) -> None:
    # "Session (cocher une case) | | jeudi 18 mars 2027" over " | X | vendredi 8 octobre
    # 2027": the March row is the form's own choice, not a session asked for in prose.
    body = BODY_FORM.replace(
        "Web-séminaire : Les CPOM des établissements et services de l'ASE\n"
        "Date : jeudi 26 novembre 2026 de 9h30 à 17h00\n",
        "Web-séminaire : Mettre en place un CPOM dans le secteur de l'aide à domicile\n"
        "Session (cocher une case)\t\tjeudi 18 mars 2027\n\tX\tvendredi 8 octobre 2027\n",
    ).replace("1 270,00 €", "1 250,00 €")
    u = understand(mail(body, date="Thu, 02 Sep 2027 11:46:33 +0200"), catalog)
    assert u.session is not None and u.session.date.isoformat() == "2027-10-08"
    assert u.decision is Decision.AUTO, u.reasons
