"""Layouts met in the sixth sweep: values the page wrapped, sections and pairs on one
line, sums written bare, cells holding a person a line, a signature block under the form,
and pictures of the form pasted into the mail itself."""

from __future__ import annotations

import base64
import io
from decimal import Decimal

import pytest

from mailbot.catalog import Catalog
from mailbot.understanding import understand
from mailbot.understanding.documents.html import html_to_text
from mailbot.understanding.form_reader import read_rows, text_rows
from mailbot.understanding.labels import Field
from mailbot.understanding.mime import parse_mail
from mailbot.understanding.model import Decision, Kind
from tests.factories import forms
from tests.factories.mails import mail
from tests.unit.test_understanding_body_variants import HEAD, PEOPLE, SIGNED


def document(text: str):  # type: ignore[no-untyped-def]
    """The text of a typed document (a PDF's text layer), read as the form reader does."""
    return read_rows(text_rows(text), prefix_labels=True)


@pytest.mark.parametrize(
    ("lines", "signatory"),
    [
        (
            [
                "Par (nom du signataire) : Pour le Directeur général et par délégation, la Déléguée",
                "départementale, Florence AUGÉ",
            ],
            "Pour le Directeur général et par délégation, la Déléguée départementale, Florence AUGÉ",
        ),
        (
            [
                "Par (nom du signataire) : Pour la Présidente, la Directrice de l'Autonomie, Hélène",
                "CASTAGNÉ",
            ],
            "Pour la Présidente, la Directrice de l'Autonomie, Hélène CASTAGNÉ",
        ),
        (
            ["Par (nom du signataire) : Le Directeur adjoint Solidarités,", "Loïc PENNEC"],
            "Le Directeur adjoint Solidarités, Loïc PENNEC",
        ),
        # A heading under the value is not the rest of it.
        (["Par (nom du signataire) : Anne ROUX", "Signature et cachet"], "Anne ROUX"),
    ],
)
def test_a_value_the_page_wrapped_is_joined(lines: list[str], signatory: str) -> None:
    form = document("Fait à : Pau\nLe : 14/10/2026\n" + "\n".join(lines))
    assert form.values[Field.SIGNATORY] == signatory


def test_a_mail_line_in_lower_case_is_not_taken_for_the_rest_of_a_value() -> None:
    form = read_rows(text_rows("Par (nom du signataire) : Anne ROUX\nmerci d'avance"))
    assert form.values[Field.SIGNATORY] == "Anne ROUX"


def test_typographic_apostrophes_are_kept_as_written() -> None:
    """Values are what the form says: Word's "d’accueil" is not retyped "d'accueil"."""
    form = read_rows([("Dénomination", "Foyer d’accueil médicalisé")])
    assert form.values[Field.ORG_NAME] == "Foyer d’accueil médicalisé"


@pytest.mark.parametrize(
    ("phone", "plausible"),
    [("02 41 87 66 03 (poste 210)", True), ("02 41 87 66 03 / 06 71 22 48 93", True),
     ("02.41.87.66.03 (standard) / 06.71.22.48.93 (portable)", True),
     ("0262 90 86 86 ou 0692 45 12 78", True), ("02 41 87 66 / 06 71 22 48 93", False),
     ("02 41 87 66 03 / Fax : 02 41 87 66 04", False),
     # Two lines apart with a dash, the second named before its number; a foreign one.
     ("0269 61 22 33 – portable 0639 21 45 78", True), ("04 78 60 12 12 - 06 07 08 09 10", True),
     ("+32 10 23 45 67", True), ("+352 26 12 34 56", True), ("+33 (0)2 41 87 66 03", True),
     ("+33 2 41 87 66", False), ("02 41 87 66 03 – poste 312", True)],
)  # fmt: skip
def test_an_extension_or_a_second_line_is_a_plausible_phone(
    catalog: Catalog, phone: str, plausible: bool
) -> None:
    body = HEAD.replace("02 41 87 66 03", phone) + PEOPLE + SIGNED
    u = understand(mail(body), catalog)
    assert u.manager is not None and u.manager.phone == phone
    assert u.decision is (Decision.AUTO if plausible else Decision.REVIEW), u.reasons


@pytest.mark.parametrize(
    ("written", "count"),
    [("8 (huit)", 8), ("8 (neuf)", None), (" 25 (vingt-cinq) ", 25), ("21 (vingt et un)", 21),
     ("25 (vingt-six)", None), ("16 (seize)", 16), ("15 (seize)", None)],
)  # fmt: skip
def test_a_count_in_figures_and_words(written: str, count: int | None) -> None:
    form = read_rows(text_rows(
        f"Montant net total = nombre de participants ({written}) x 625 Euros = 5 000,00 €"
    ))  # fmt: skip
    assert form.declared_count == count


@pytest.mark.parametrize(
    ("line", "count", "total"),
    [
        ("3 x 635 = 1905 euros", 3, Decimal("1905")),
        ("3 x 635 = 1900 euros", None, None),  # a wrong sum is no formula of the form
        ("2 x 3 = 6", None, None),
    ],
)
def test_a_bare_sum_in_euros_that_is_right(
    line: str, count: int | None, total: Decimal | None
) -> None:
    form = read_rows(text_rows(line))
    assert (form.declared_count, form.declared_total) == (count, total)


def test_a_signature_block_under_the_form_adds_no_participant(catalog: Catalog) -> None:
    body = (HEAD + "\nParticipants\nParticipant 1\n  Civilité : Mme\n  Prénom : Laure\n"
            "  NOM : PICARD\n  Adresse e-mail de connexion : l.picard@fondation-saintaubin.org\n"
            + SIGNED + "\nCédric JOUBERT | Directeur\naccueil@fondation-saintaubin.org | "
            "www.fondation-saintaubin.org\n")  # fmt: skip
    u = understand(mail(body.replace("(2)", "(1)").replace("1 270", "635")), catalog)
    assert [p.last_name for p in u.participants] == ["PICARD"]


def test_sections_and_pairs_on_one_line(catalog: Catalog) -> None:
    body = (
        "Bonjour,\nInscription au web-séminaire « Les CPOM des établissements et services de "
        "l'ASE » du jeudi 26 novembre 2026.\n\n"
        "Organisme-client - Dénomination : Conseil départemental de Tarn-et-Garonne - "
        "Adresse postale : 100 boulevard Hubert Gouze, BP 783, 82013 Montauban Cedex\n\n"
        "Gestionnaire de l'inscription - Prénom et NOM : Isabelle DELPECH - Adresse e-mail : "
        "i.delpech@tarnetgaronne.fr - Service : Tarification - Téléphone : 05 63 91 82 00\n\n"
        "Participant 1 : Civilité : Mme - Prénom : Marie - NOM : LAFFONT - Adresse e-mail de "
        "connexion : m.laffont@tarnetgaronne.fr\n\n"
        "Montant net total des frais d'inscription = nombre de participants (1) x 635 euros "
        "= 635,00 euros\n\n"
        "Fait à : Montauban - Le : 15 septembre 2026 - Par (nom du signataire) : La "
        "Directrice, Isabelle DELPECH\n"
    )
    u = understand(mail(body), catalog)
    assert u.decision is Decision.AUTO, u.reasons
    assert u.organisation is not None
    assert u.organisation.name == "Conseil départemental de Tarn-et-Garonne"
    assert [(p.civility, p.first_name, p.last_name) for p in u.participants] == [
        ("Mme", "Marie", "LAFFONT")
    ]
    assert (u.signed_place, u.signatory) == ("Montauban", "La Directrice, Isabelle DELPECH")


def test_a_manager_row_with_a_labelled_phone() -> None:
    form = read_rows(text_rows("Gestionnaire :\tYann KERVELLA\ty.k@mecs.fr\tTél 02 40 73 19 55"))
    assert form.values[Field.PHONE] == "02 40 73 19 55"
    assert form.values[Field.MANAGER_NAME] == "Yann KERVELLA"


def test_one_row_holding_a_person_a_line() -> None:
    html = (
        "<table><tr><th>Civilité</th><th>Prénom</th><th>NOM</th><th>Adresse e-mail</th></tr>"
        "<tr><td>Mme<br>M.<br>Mme</td><td>Claire<br>Paul<br>Lise</td>"
        "<td>LEFORT<br>DEVAUX<br>MAQUET</td>"
        "<td>c.lefort@esat.fr<br>p.devaux@esat.fr<br>l.maquet@esat.fr</td></tr></table>"
    )
    form = read_rows(text_rows("Participants\n" + html_to_text(html)))
    assert [(p.civility, p.first_name, p.last_name, p.email) for p in form.participants] == [
        ("Mme", "Claire", "LEFORT", "c.lefort@esat.fr"),
        ("M.", "Paul", "DEVAUX", "p.devaux@esat.fr"),
        ("Mme", "Lise", "MAQUET", "l.maquet@esat.fr"),
    ]


def _screenshot() -> bytes:
    """The filled Word form as a screen shows it (96 dpi), copied and pasted."""
    form = forms.sample_form()
    page = forms.render_page(forms.build_text_pdf(form, with_signature=True), dpi=96)
    out = io.BytesIO()
    page.save(out, "PNG")  # type: ignore[attr-defined]
    return out.getvalue()


def test_a_picture_pasted_into_the_html_is_read(catalog: Catalog) -> None:
    picture = base64.b64encode(_screenshot()).decode()
    html = f'<p>Bonjour,</p><p><img src="data:image/png;base64,{picture}"></p>'
    view = parse_mail(mail(html=html))
    assert [a.content_type for a in view.attachments] == ["image/png"]
    u = understand(mail(html=html, date="Mon, 12 Oct 2026 10:31:50 +0200"), catalog)
    assert u.kind is Kind.REGISTRATION
    assert u.organisation is not None
    assert u.organisation.name == "Mairie de Saint-Médard-en-Jalles"
    assert sorted(p.last_name or "" for p in u.participants) == ["DUBOIS", "GARNIER"]


def test_an_address_alone_in_its_cell_is_kept_as_written(catalog: Catalog) -> None:
    table = ("Participants\nCivilité\tPrénom\tNOM\tAdresse e-mail\n"
             "Mme\tLaure\tPICARD\tl.picard@fondation-saintaubin.org\n"
             "M.\tHervé\tCOSTE\th.coste@fondation-saintaubin.org.\n")  # fmt: skip
    u = understand(mail(HEAD + table + SIGNED), catalog)
    assert u.participants[1].email == "h.coste@fondation-saintaubin.org."
    assert "invalid_email:participants[1].email" in u.reasons


def test_a_label_in_the_signatory_cell_is_no_signatory(catalog: Catalog) -> None:
    form = read_rows(
        text_rows("Fait à : Pau\nLe : 12/10/2026\nPar (nom du signataire) : Signature :")
    )
    assert Field.SIGNATORY not in form.values


def test_the_formula_cut_in_spreadsheet_rows() -> None:
    rows = [("Montant net total des frais d'inscription",), ("nombre de participants", "", "3"),
            ("x 635 euros =", "", "1905")]  # fmt: skip
    form = read_rows(rows)
    assert (form.declared_count, form.declared_total) == (3, Decimal("1905"))


def test_a_town_without_its_street_is_doubted(catalog: Catalog) -> None:
    body = HEAD.replace("48 rue de la Mairie, 49100 Angers", "49100 Angers") + PEOPLE + SIGNED
    u = understand(mail(body), catalog)
    assert "uncertain:organisation.address" in u.reasons


def _attached_text(text: str) -> tuple[str, str, bytes]:
    return ("inscription.txt", "text/plain", text.encode("utf-8"))


def test_a_note_on_the_attached_form_asks_as_much_as_one_in_the_mail(catalog: Catalog) -> None:
    form = HEAD + PEOPLE + SIGNED
    plain = understand(
        mail("Ci-joint notre inscription.", attachments=[_attached_text(form)]), catalog
    )
    assert plain.decision is Decision.AUTO, plain.reasons
    noted = (
        form
        + "\nMerci de facturer au siège :\nAssociation Saint-Aubin, 2 rue Neuve, 49000 Angers\n"
    )
    u = understand(
        mail("Ci-joint notre inscription.", attachments=[_attached_text(noted)]), catalog
    )
    assert u.decision is Decision.REVIEW and "question_in_mail" in u.reasons


def test_ipp_s_own_brochure_beside_the_form_is_no_second_form(catalog: Catalog) -> None:
    brochure = ("Les CPOM des établissements et services de l'ASE - jeudi 26 novembre 2026\n"
                "Bulletin d'inscription à retourner à ipp@ipp.fr\nDénomination :\nAdresse postale :\n"
                "Prénom et NOM :\nAdresse e-mail :\nParticipants\nMme Anne EXEMPLE - ipp@ipp.fr\n"
                "Fait à :\nLe :\nPar (nom du signataire) :\nMontant total :\n")  # fmt: skip
    attachments = [
        _attached_text(HEAD + PEOPLE + SIGNED),
        ("plaquette.txt", "text/plain", brochure.encode()),
    ]
    u = understand(
        mail("Ci-joint notre inscription et la plaquette.", attachments=attachments), catalog
    )
    assert u.decision is Decision.AUTO, u.reasons


def test_a_newsletter_with_a_catalogue_attached_is_ignored(catalog: Catalog) -> None:
    catalogue = ("plaquette.pdf", "application/pdf", b"%PDF-1.4 broken")
    raw = mail("Découvrez nos formations CPOM : bulletin d'inscription ci-joint.",
               subject="Nos formations 2027", headers={"List-Unsubscribe": "<mailto:stop@x.fr>"},
               attachments=[catalogue])  # fmt: skip
    u = understand(raw, catalog)
    assert (u.kind, u.decision) == (Kind.OTHER, Decision.IGNORE)


HEADED_PAIRS = (
    "Organisme-client\tDénomination\tUnion des Services à Domicile de la Manche\n"
    "\tAdresse postale\t110 rue de la Liberté, 50000 Saint-Lô\n"
    "Gestionnaire de l’inscription\tAdresse e-mail\tv.lecouflet@usd50.fr\n"
    "\tPrénom et NOM\tValérie LECOUFLET\n"
)


def test_a_section_heading_cell_beside_label_value_pairs_is_no_value() -> None:
    # The heading cell spans its section's rows: only its first row carries it.
    form = document(HEADED_PAIRS)
    assert form.values[Field.ORG_NAME] == "Union des Services à Domicile de la Manche"
    assert form.values[Field.MANAGER_EMAIL] == "v.lecouflet@usd50.fr"
    assert form.values[Field.MANAGER_NAME] == "Valérie LECOUFLET"


def test_a_cell_spanning_rows_leaves_an_empty_cell_in_the_rows_below() -> None:
    cell = "<td>{}</td>"
    rows = "".join(
        "<tr>" + (f"<td rowspan=2><b>{head}</b></td>" if head else "")
        + cell.format(label) + cell.format(value) + "</tr>"
        for head, label, value in (
            ("Organisme-client", "Dénomination", "USD 50"),
            ("", "Adresse postale", "110 rue de la Liberté, 50000 Saint-Lô"),
        )
    )  # fmt: skip
    text = html_to_text(f"<table>{rows}</table>")
    assert text.split("\n") == [
        "Organisme-client\tDénomination\tUSD 50",
        "\tAdresse postale\t110 rue de la Liberté, 50000 Saint-Lô",
    ]
    form = document(text)
    assert form.values[Field.ORG_NAME] == "USD 50"
    assert form.values[Field.ADDRESS] == "110 rue de la Liberté, 50000 Saint-Lô"


def test_a_participants_column_spanning_two_rows_keeps_the_columns_aligned() -> None:
    html = (
        "<table><tr><th>Établissement</th><th>Civilité</th><th>Prénom</th><th>NOM</th>"
        "<th>Adresse e-mail de connexion</th></tr>"
        "<tr><td rowspan=2>MECS Les Pins</td><td>Mme</td><td>Laure</td><td>GIRAUDO</td>"
        "<td>l.giraudo@tamaris.fr</td></tr>"
        "<tr><td>M.</td><td>Yanis</td><td>AÏT-SAÏD</td><td>y.aitsaid@tamaris.fr</td></tr>"
        "</table>"
    )
    people = document(html_to_text(html)).participants
    assert [(p.civility, p.first_name, p.last_name) for p in people] == [
        ("Mme", "Laure", "GIRAUDO"), ("M.", "Yanis", "AÏT-SAÏD"),
    ]  # fmt: skip


def test_a_participants_table_aligned_with_tabs_is_read_by_its_filled_cells() -> None:
    # WordPad: tabs set the columns, so rows and heading leave empty cells in other places.
    text = (
        "Participants\n"
        "Civilité\tPrénom\t\tNOM\t\tAdresse e-mail de connexion\n"
        "Mme\t\tCorinne\t\tLE GALL\t\tcorinne.legall@ecureuils56.fr\n"
        "M.\t\tYannick\t\tPÉRON\t\ty.peron@ecureuils56.fr\n"
    )
    people = read_rows(text_rows(text)).participants
    assert [(p.civility, p.first_name, p.last_name, p.email) for p in people] == [
        ("Mme", "Corinne", "LE GALL", "corinne.legall@ecureuils56.fr"),
        ("M.", "Yannick", "PÉRON", "y.peron@ecureuils56.fr"),
    ]


def test_the_page_footer_under_the_participants_is_no_participant() -> None:
    text = (
        "Civilité\tPrénom\tNOM\tAdresse e-mail de connexion\n"
        "Mme\tSarah\tHUMBERT\tsarah.humbert@meuse-cd55.fr\n"
        "IPP - Institut de la Performance Publique - ipp@ipp.fr 1/2\n"
        "Mme\tÉmilie\tJACQUOT\temilie.jacquot@meuse-cd55.fr\n"
    )
    people = read_rows(text_rows(text)).participants
    assert [p.last_name for p in people] == ["HUMBERT", "JACQUOT"]


def test_a_stamp_repeating_a_label_under_the_signature_adds_nothing_to_its_value() -> None:
    # The stamp reads "Service d'aide / à domicile": its second line is no more of the
    # manager's service than its first.
    form = document(
        "Service\tService d'aide et d'accompagnement à domicile\n"
        "Téléphone\t03.20.69.47.15\n"
        "Par (nom du signataire) : Delphine VERMEERSCH\nSignature et cachet\n"
        "Service d'aide\nà domicile\n"
    )
    assert form.values[Field.SERVICE] == "Service d'aide et d'accompagnement à domicile"


def test_an_identifier_typed_in_the_address_cell_is_not_where_the_invoice_goes(
    catalog: Catalog,
) -> None:
    body = (
        HEAD.replace(
            "48 rue de la Mairie, 49100 Angers",
            "48 rue de la Mairie, 49100 Angers, SIRET : 775 612 403 00045",
        )
        + PEOPLE
        + SIGNED
    )
    u = understand(mail(body), catalog)
    assert u.organisation is not None and "SIRET" not in (u.organisation.address or "")
    assert u.buyer.siret == "77561240300045"  # still printed on the invoice


def test_an_institution_named_by_its_own_label() -> None:
    form = document("Institution\nNom de l'institution\tFondation genevoise (FGASD)\n"
                    "Adresse\tRoute des Acacias 45, Case postale 12, 1211 Genève 4\n")  # fmt: skip
    assert form.values[Field.ORG_NAME] == "Fondation genevoise (FGASD)"


def test_an_address_opening_with_its_estate_and_building_is_read_whole() -> None:
    form = document(
        "Adresse postale\tParc d'activités de Courtine\nImmeuble Le Mistral\n"
        "215 rue Paul Langevin\n84000 Avignon\nGestionnaire de l'inscription\n"
    )
    assert form.values[Field.ADDRESS] == (
        "Parc d'activités de Courtine, Immeuble Le Mistral, 215 rue Paul Langevin, 84000 Avignon"
    )


def test_the_signing_block_ends_the_participants_table() -> None:
    # A signature scribbled over the "Signature et cachet" cell, read as "Sr" beside it.
    form = document(
        "Participants\nCivilité\tPrénom\tNOM\tAdresse e-mail de connexion\n"
        "Mme\tCarole\tHUBER\tc.huber@smad.fr\nM.\tThomas\tKIENTZ\tt.kientz@smad.fr\n"
        "Montant net total des frais d'inscription = nombre de participants (2) x 625 euros\n"
        "Fait à : Sainte-Marie-aux-Mines\nLe : 02/12/2026\n"
        "Par (nom du signataire) : Régine SCHWEITZER\nSignature et cachet\tSr\n"
    )
    assert [p.last_name for p in form.participants] == ["HUBER", "KIENTZ"]


BROCHURE = """Les CPOM des établissements et services de l'ASE
Journée d'étude en webinaire
Les participants
Les organismes gestionnaires d'établissements et services Enfance-Jeunesse.
L'horaire
Le matin : de 9h30 à 12h45.
L'après-midi : de 13h45 à 17h00.
Les modalités pédagogiques
Un dossier documentaire sera adressé
par courriel avant le début de la session.
"""
FORM_END = """Organisme-client
Dénomination\tAssociation Jeunesse et Avenir
Montant net total des frais d'inscription = nombre de participants (2) x 635 euros = 1270 euros
Fait à\tReims
Le\t03/11/2026
Par (nom du signataire)\tMélanie HURAULT pour le directeur
"""


def test_the_brochure_sent_with_the_form_gives_no_signature_value() -> None:
    # The whole brochure filled in on its last page: its programme's hours and its
    # sentences starting "par …" are no date and no signer.
    values = read_rows(text_rows(BROCHURE + FORM_END), prefix_labels=True).values
    assert values[Field.SIGNED_DATE] == "03/11/2026"
    assert values[Field.SIGNATORY] == "Mélanie HURAULT pour le directeur"
    # A date misread by OCR is still the date's place: a person must look at it.
    misread = read_rows(text_rows("Fait à Reims\nLe 2B/11/2O26\n"), prefix_labels=True).values
    assert misread[Field.SIGNED_DATE] == "2B/11/2O26"


@pytest.mark.parametrize(
    ("line", "count"),
    [
        ("Nb : 2 (deux)", 2),
        ("Nb : 2", 2),
        ("NB : 3 (deux)", None),
        ("NB : merci de nous rappeler", None),
    ],
)
def test_a_count_under_the_shortest_label(line: str, count: int | None) -> None:
    # "NB" opens a note as often as a count: only a number after it is one.
    form = read_rows(text_rows(f"{line}\nTotal : 1270,00 €"))
    assert form.declared_count == count
