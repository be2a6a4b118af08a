"""Forms typed in a mail body in the writer's own words: pairs side by side, lists in
one sentence, headings that carry the name, and a swap answering our confirmation."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import docx
import pytest

from mailbot.catalog import Catalog
from mailbot.understanding import understand
from mailbot.understanding.classify import side_question
from mailbot.understanding.documents.tables import render_table
from mailbot.understanding.form_reader import parse_person_line, read_rows, text_rows
from mailbot.understanding.labels import Field
from mailbot.understanding.model import Decision, Kind, SessionRef
from tests.factories.forms import build_docx, sample_form, signature_png
from tests.factories.mails import BODY_FORM, mail

HEAD = """Bonjour,

Voici notre inscription au webinaire du jeudi 26 novembre 2026 (CPOM ASE).

Organisme : Fondation Saint-Aubin
Adresse : 48 rue de la Mairie, 49100 Angers
Gestionnaire de l'inscription : Cédric JOUBERT
Courriel : c.joubert@fondation-saintaubin.org
Service : Direction du pôle enfance
Tél. : 02 41 87 66 03
"""
PEOPLE = """
Participants :
Mme Laure PICARD – l.picard@fondation-saintaubin.org
M. Hervé COSTE – h.coste@fondation-saintaubin.org
"""
SIGNED = """
Fait à Angers le 16/11/2026
Par : Cédric JOUBERT
"""


@pytest.mark.parametrize(
    "amounts",
    [
        "Soit 2 participants x 635 € = 1 270 €",
        "Soit 2 x 635 € = 1 270 €",
        "Montant total : 2 x 635 = 1 270 euros",
        "Nombre de participants : 2 – Montant : 1 270 €",
        "Nombre : 2 ; Total : 1 270,00 euros",
        "Nombre de participants : 2\nMontant total : mille deux cent soixante-dix euros",
        "Nombre de participants : 2\nMontant total : 1 270,- €",
        "Nous inscrivons deux agents du pôle, soit 2 personnes pour 1 270 €.",
        "Soit deux participants pour un montant de 1 270 euros.",
        "Soit 2 participants, 1270 €.",
    ],
)
def test_the_count_and_total_written_in_a_sentence_are_read(catalog: Catalog, amounts: str) -> None:
    u = understand(mail(HEAD + PEOPLE + "\n" + amounts + "\n" + SIGNED), catalog)
    assert (u.declared_count, u.declared_total_eur) == (2, 1270)
    assert u.decision is Decision.AUTO, u.reasons


def test_a_town_and_date_after_amounts_told_in_a_sentence(catalog: Catalog) -> None:
    # No label anywhere: the amounts' sentence opens the signing, as "Montant total" would.
    signed = "\nSoit 2 participants, 1270 €.\nAngers, le 16.11.26\nPar : Cédric JOUBERT\n"
    u = understand(mail(HEAD + PEOPLE + signed), catalog)
    assert (u.signed_place, u.signed_date) == ("Angers", dt.date(2026, 11, 16))
    assert u.decision is Decision.AUTO, u.reasons


@pytest.mark.parametrize("label", ["Inscrit", "Inscrite", "Inscrit(e)", "Personne inscrite"])
def test_the_one_person_registered_under_a_singular_heading(catalog: Catalog, label: str) -> None:
    person = f"\n{label} : Monsieur Loïc GUÉRIN, loic.guerin@fondation-saintaubin.org\n"
    u = understand(mail(HEAD + person + "\nNombre d'inscrits : 1\n" + SIGNED), catalog)
    assert [(p.civility, p.first_name, p.email) for p in u.participants] == [
        ("M.", "Loïc", "loic.guerin@fondation-saintaubin.org")
    ]
    assert u.decision is Decision.AUTO, u.reasons


def test_a_wrong_total_in_a_sentence_is_caught(catalog: Catalog) -> None:
    u = understand(mail(HEAD + PEOPLE + "\nSoit 2 x 635 € = 1 250 €\n" + SIGNED), catalog)
    assert u.decision is Decision.REVIEW and "total_mismatch" in u.reasons


@pytest.mark.parametrize(
    ("amounts", "right"),
    [
        ("Montant total : 635 € par personne", True),
        ("Montant total : 2 x 635 €", True),
        ("Montant : 635,00 euros / participant", True),
        ("Montant total : 625 € par personne", False),  # the SAAD price on the ASE form
        ("Montant total : 3 x 635 €", False),  # three paid for, two named
    ],
)
def test_a_price_per_head_where_the_total_goes_is_no_total(
    catalog: Catalog, amounts: str, right: bool
) -> None:
    u = understand(mail(HEAD + PEOPLE + "\n" + amounts + "\n" + SIGNED), catalog)
    assert u.declared_total_eur is None  # nothing written is the sum to invoice
    assert (u.decision is Decision.AUTO) is right, u.reasons


def test_a_bare_multiplication_is_no_total() -> None:
    form = read_rows(text_rows("Salle 2 x 3 = 6 places"))
    assert form.declared_count is None and form.declared_total is None


@pytest.mark.parametrize(
    ("people", "names"),
    [
        ("\nParticipants : Mme Laure PICARD (l.picard@fondation-saintaubin.org), M. Hervé "
         "COSTE (h.coste@fondation-saintaubin.org) et Mme Manon GILBERT "
         "(m.gilbert@fondation-saintaubin.org).\n", ["PICARD", "COSTE", "GILBERT"]),
        # People enrolled in a sentence of prose, their function after them.
        ("Merci d'inscrire Mme Laure PICARD (l.picard@fondation-saintaubin.org) et "
         "M. Hervé COSTE (h.coste@fondation-saintaubin.org), éducateurs, à cette journée.\n",
         ["PICARD", "COSTE"]),
    ],
)  # fmt: skip
def test_participants_listed_in_one_sentence_are_all_read(
    catalog: Catalog, people: str, names: list[str]
) -> None:
    u = understand(mail(HEAD + people + SIGNED), catalog)
    assert [p.last_name for p in u.participants] == names
    assert [(p.civility, p.first_name) for p in u.participants][:2] == [
        ("Mme", "Laure"),
        ("M.", "Hervé"),
    ]
    assert u.decision is Decision.AUTO, u.reasons


def test_a_sentence_with_a_person_lacking_an_address_is_not_a_list() -> None:
    form = read_rows(text_rows("Participants : Mme Laure PICARD, directrice, et M. Hervé COSTE"))
    assert form.participants == []


def test_a_single_participant_after_its_label_is_read() -> None:
    form = read_rows(text_rows("Participant : Mme Samia BOUZID – samia.bouzid@presence-sud.fr"))
    assert [(p.first_name, p.last_name) for p in form.participants] == [("Samia", "BOUZID")]


def test_a_slash_between_name_and_address_is_no_part_of_the_name() -> None:
    form = read_rows(text_rows("Participants :\nMme Laetitia ROSSI / l.rossi@saad.fr"))
    assert [(p.last_name, p.email) for p in form.participants] == [("ROSSI", "l.rossi@saad.fr")]


@pytest.mark.parametrize(
    ("line", "name", "address", "service", "phone"),
    [
        # The labels of its pieces are dropped.
        ("Gestionnaire : Cédric JOUBERT – mail : c.joubert@x.org – service : Direction – "
         "tél. 02 41 87 66 03", "Cédric JOUBERT", "c.joubert@x.org", "Direction", "02 41 87 66 03"),
        # The contact details in brackets are pieces of their own.
        ("Gestionnaire de l'inscription : Franck LEBON, service budget et tarification "
         "(franck.lebon@deux-sevres.fr – 05 49 06 79 79)", "Franck LEBON",
         "franck.lebon@deux-sevres.fr", "service budget et tarification", "05 49 06 79 79"),
        # The service in brackets after the name.
        ("Gestionnaire : Yann LE DANTEC (Direction) – secretariat@mecs.fr – 02 98 44 10 10",
         "Yann LE DANTEC", "secretariat@mecs.fr", "Direction", "02 98 44 10 10"),
    ],
)  # fmt: skip
def test_the_manager_on_one_line(
    line: str, name: str, address: str, service: str, phone: str
) -> None:
    values = read_rows(text_rows(line)).values
    assert (values[Field.MANAGER_NAME], values[Field.MANAGER_EMAIL]) == (name, address)
    assert (values[Field.SERVICE], values[Field.PHONE]) == (service, phone)


def test_a_name_under_a_section_heading_names_that_section() -> None:
    form = read_rows(
        text_rows(
            "ORGANISME\nNom : Département de la Haute-Vienne\nAdresse : 11 rue X, 87000 Limoges\n\n"
            "INTERLOCUTEUR\nPrénom : Jean-Pierre\nNom : LAMBERT\nMél. : jp.lambert@x.fr\n\n"
            "Établissement : Foyer Les Glycines"
        )
    )
    assert form.values[Field.ORG_NAME] == "Département de la Haute-Vienne"
    assert form.values[Field.MANAGER_NAME] == "Jean-Pierre LAMBERT"


def test_an_establishment_heading_with_a_value_is_the_organisation() -> None:
    form = read_rows(text_rows("Établissement : Foyer Les Glycines\nContact : Jérôme CARIOU"))
    assert form.values[Field.ORG_NAME] == "Foyer Les Glycines"
    assert form.values[Field.MANAGER_NAME] == "Jérôme CARIOU"


@pytest.mark.parametrize(
    "line", ["Par (nom du signataire) Sabine KLEIN", "Signé : Sabine KLEIN, directrice"]
)
def test_the_signatory_without_the_label_colon_or_as_signe(line: str) -> None:
    form = read_rows(text_rows(f"Fait à Lyon\nLe 12/10/2026\n{line}"))
    assert form.values[Field.SIGNATORY].startswith("Sabine KLEIN")


def test_le_signataire_names_the_signatory() -> None:
    form = read_rows(text_rows("Fait à Caen, le 28 septembre 2026\nLe signataire : Isabelle MARIE"))
    assert form.values[Field.SIGNATORY] == "Isabelle MARIE"


def test_interlocuteur_names_the_manager() -> None:
    form = read_rows(text_rows("Interlocuteur : Patrick OLLIVIER\nCourriel : p.o@x.org"))
    assert form.values[Field.MANAGER_NAME] == "Patrick OLLIVIER"


@pytest.mark.parametrize(
    "heading", ["Responsable du suivi", "Personne référente", "Correspondante", "Référent"]
)
def test_a_manager_heading_of_the_organisation_own_template(heading: str) -> None:
    # "Nom" under the manager's heading is the manager's name, not a participant's.
    rows = text_rows(f"{heading}\nNom\tAnne-Laure BOSSARD\nMél.\tal.bossard@avef85.fr\n")
    form = read_rows(rows, prefix_labels=True)
    assert form.values[Field.MANAGER_NAME] == "Anne-Laure BOSSARD"


# A reply to our confirmation: the request names the people, our quoted mail the session.
SWAP = (
    "Bonjour,\n\nUn changement de participant : M. Grégory PASCAL remplacera Mme Nathalie "
    "BLANCHARD.\nSon adresse : gregory.pascal@aidadom.fr\n\nCordialement,\nFabienne ORSINI\n\n"
)
OUR_CONFIRMATION = (
    "> Madame,\n> Nous vous confirmons l'inscription de vos participantes au webinaire « Mettre "
    "en place un CPOM dans le secteur de l'aide à domicile », session du vendredi 8 octobre "
    "2027.\n>\n"
)
OLDER_FORM = ">> Session : [ ] jeudi 18 mars 2027 [X] vendredi 8 octobre 2027\n"


def _reply(introduced_by: str) -> bytes:
    return mail(
        SWAP + introduced_by + "\n" + OUR_CONFIRMATION + ">> Le 14 oct. 2026, F. a écrit :\n"
        + OLDER_FORM,
        subject="Re: Confirmation de votre inscription",
        date="Wed, 18 Nov 2026 09:44:13 +0100",
    )  # fmt: skip


def test_a_swap_answering_our_confirmation_takes_its_session(catalog: Catalog) -> None:
    u = understand(_reply("Le jeu. 15 oct. 2026 à 10:05, IPP <ipp@ipp.fr> a écrit :"), catalog)
    assert u.kind is Kind.REPLACEMENT
    assert u.session == SessionRef("cpom-saad", dt.date(2027, 10, 8))
    assert u.decision is Decision.AUTO, u.reasons


def test_a_session_quoted_from_someone_else_is_not_trusted(catalog: Catalog) -> None:
    u = understand(_reply("Le jeu. 15 oct. 2026 à 10:05, Marc <m@aidadom.fr> a écrit :"), catalog)
    assert u.kind is Kind.REPLACEMENT
    assert u.session is None and u.decision is Decision.REVIEW


def test_the_form_formula_wrapped_after_its_first_equals_sign() -> None:
    # A scan read line by line: "Montant net total … =" ends the first line.
    form = read_rows(
        text_rows(
            "Montant net total des frais d'inscription =\n"
            "nombre de participants ( 3 ) x 625 euros = 1 875,00 euros\nFait à\tPau"
        )
    )
    assert (form.declared_count, form.declared_total) == (3, Decimal("1875.00"))


@pytest.mark.parametrize("label", ["Adresse de la structure", "Adresse de l'établissement"])
def test_the_address_of_the_structure(label: str) -> None:
    form = read_rows(
        text_rows(f"Nom de la structure\tFoyer Les Glycines\n{label}\t1 rue X, 56100 Lorient")
    )
    assert form.values[Field.ADDRESS] == "1 rue X, 56100 Lorient"


@pytest.mark.parametrize(
    ("hands_over", "newcomer", "kind"),
    [
        ("sera remplacée par", "Julie MARCHAND (julie.marchand@itep.fr)", Kind.REPLACEMENT),
        ("laisse sa place à", "Julie MARCHAND (julie.marchand@itep.fr)", Kind.REPLACEMENT),
        ("sera remplacée par", "une collègue", Kind.QUESTION),
    ],
)
def test_a_newcomer_named_without_civility_is_asked_about(
    catalog: Catalog, hands_over: str, newcomer: str, kind: Kind
) -> None:
    body = (
        f"Bonjour,\nMme Véronique HUET {hands_over} {newcomer} pour le webinaire "
        "CPOM PH du 27 novembre.\nCordialement"
    )
    u = understand(mail(body, subject="Remplacement"), catalog)
    assert (u.kind, u.decision) == (kind, Decision.REVIEW)
    if kind is Kind.REPLACEMENT:
        assert u.reasons == ("missing_field:replacement.civility",)
        assert u.replacement is not None and u.replacement.last_name == "MARCHAND"


@pytest.mark.parametrize(
    ("line", "email"),
    [
        ("2. Mme Sandrine POUJOL - s.poujol@lespep33,fr", "s.poujol@lespep33,fr"),
        ("Mme Anne ROUX, a.roux@gironde, Directrice", "a.roux@gironde"),
        ("Mme Anne ROUX - a.roux@gironde.fr, Directrice", "a.roux@gironde.fr"),
    ],
)
def test_an_address_is_kept_as_written_up_to_its_comma_typed_for_a_dot(
    line: str, email: str
) -> None:
    person = parse_person_line(line)
    assert person is not None and person.email == email


def test_labels_led_by_dots_in_capitals_are_read() -> None:
    form = read_rows(
        text_rows(
            "NOM DU RESPONSABLE .................... Olivier ESPAGNET\n"
            "ADRESSE ÉLECTRONIQUE .................. o.espagnet@x.fr\n"
            "NOMBRE DE PARTICIPANTS ................ 3\n"
            "MONTANT TOTAL ......................... 1905,00 EUR  (635 € par participant)\n"
            "FAIT À ......... Montauban        LE ......... 27/10/2026\n"
            "NOM ET QUALITÉ DU SIGNATAIRE .......... Olivier ESPAGNET"
        )
    )
    assert form.values[Field.MANAGER_NAME] == "Olivier ESPAGNET"
    assert form.values[Field.MANAGER_EMAIL] == "o.espagnet@x.fr"
    assert (form.declared_count, form.declared_total) == (3, Decimal("1905.00"))
    assert (form.values[Field.PLACE], form.values[Field.SIGNED_DATE]) == ("Montauban", "27/10/2026")
    assert form.values[Field.SIGNATORY] == "Olivier ESPAGNET"


def test_two_labels_in_one_and_their_values_in_the_same_order() -> None:
    form = read_rows(text_rows("Gestionnaire de l'inscription\nPrénom et NOM : Pascale VAUTIER\n"
                               "Courriel / Tél. : p.vautier@x.org / 02 33 64 18 92"))  # fmt: skip
    assert form.values[Field.MANAGER_EMAIL] == "p.vautier@x.org"
    assert form.values[Field.PHONE] == "02 33 64 18 92"
    # A bilingual label is one field, its value kept whole.
    both = read_rows(text_rows("Gestionnaire de l'inscription\n"
                               "Courriel / Email : p.vautier@x.org"))  # fmt: skip
    assert both.values[Field.MANAGER_EMAIL] == "p.vautier@x.org"


def test_pairs_side_by_side_apart_by_spaces() -> None:
    form = read_rows(text_rows("Nombre de participants : 6      Montant total : 3 810,00 €"))
    assert (form.declared_count, form.declared_total) == (6, Decimal("3810.00"))


@pytest.mark.parametrize(
    ("sentence", "asked"),
    [
        ("Merci de bien vouloir adresser la facture à l'adresse indiquée sur la fiche.", False),
        ("Merci d'adresser la facture à l'adresse figurant en en-tête.", False),
        ("Merci d'adresser la facture au CCAS, 12 rue X, 33000 Bordeaux.", True),
        # The payer named by a common noun and sent back to the form.
        (
            "La facture est à établir au nom de l'établissement, comme indiqué sur le bulletin.",
            False,
        ),
        (
            "La facture est à établir au nom de l'association, telle qu'indiquée sur la fiche.",
            False,
        ),
        (
            "La facture est à établir au nom du siège, 3 rue X, 16000 Angoulême, et non comme "
            "indiqué sur le bulletin.",
            True,
        ),
        (
            "Facture au nom de l'établissement comme indiqué sur le bulletin, copie à "
            "compta@adapei16.fr.",
            True,
        ),
    ],
)
def test_an_invoice_to_the_address_of_the_form_asks_nothing(sentence: str, asked: bool) -> None:
    assert (side_question(sentence) is not None) is asked


@pytest.mark.parametrize(
    ("note", "held"),
    [("Je vous adresse ci-joint notre pré-inscription pour deux agents.", True),
     ("Cette inscription est faite sous réserve de l'accord de notre OPCO.", True),
     ("Pouvez-vous poser une option pour nos agents ?", True),
     ("La participation de notre second agent reste à confirmer.", True),
     ("Merci de ne pas facturer d'ici là.", True),
     ("Avant que nous engagions la dépense, merci de nous dire si la session est maintenue.", True),
     ("Avant de faire signer le bulletin, pourriez-vous vérifier qu'il est bien rempli ?", True),
     ("Ce n'est pas encore l'envoi officiel : je vous renverrai le bulletin signé.", True),
     ("Je vous transmets le bulletin pour relecture.", True),
     ("Veuillez trouver ci-joint notre bulletin signé pour validation de l'inscription.", False),
     ("Dans l'attente de votre confirmation, je reste à votre disposition.", False),
     ("N'hésitez pas à revenir vers moi si besoin.", False)],
)  # fmt: skip
def test_a_registration_held_back_waits_for_a_person(
    catalog: Catalog, note: str, held: bool
) -> None:
    u = understand(mail(f"Bonjour,\n{note}\n\n{BODY_FORM}"), catalog)
    assert u.reasons == (("question_in_mail",) if held else ())


def test_an_address_on_the_line_under_its_person() -> None:
    form = read_rows(
        text_rows(
            "Participants\n1. Mme Claire DUPONT\n   c.dupont@x.fr\n2. M. Paul MARTIN\n   p.martin@x.fr"
        )
    )
    assert [(p.last_name, p.email) for p in form.participants] == [
        ("DUPONT", "c.dupont@x.fr"),
        ("MARTIN", "p.martin@x.fr"),
    ]


def test_an_address_after_a_blank_line_is_not_the_last_persons() -> None:
    # The signature's address, not Mme DUPONT's, who gave none.
    form = read_rows(
        text_rows("Participants\n1. Mme Claire DUPONT\n\nCordialement\nanne.roux@x.fr")
    )
    assert [p.email for p in form.participants] == [None]


def test_a_label_naming_whose_value_it_is() -> None:
    form = read_rows(
        text_rows(
            "Courriel du responsable\tk.sabatie@x.fr\nTéléphone du gestionnaire\t05 53 69 41 27"
        )
    )
    assert form.values[Field.MANAGER_EMAIL] == "k.sabatie@x.fr"
    assert form.values[Field.PHONE] == "05 53 69 41 27"


def test_a_label_value_table_below_the_participants_ends_their_list() -> None:
    form = read_rows(
        text_rows(
            "Civilité\tPrénom\tNom\tCourriel\nMme\tInès\tMAZÈRES\ti.m@x.fr\n"
            "Rubrique\tRenseignement\nNombre de participants\t1\n"
            "Fait à\tMérignac\tSignature et cachet"
        )
    )
    assert [p.last_name for p in form.participants] == ["MAZÈRES"]
    assert form.declared_count == 1 and form.values[Field.PLACE] == "Mérignac"


def test_an_address_cut_by_the_page_is_not_taken_for_a_whole_one() -> None:
    # "marie-" / "christinebertrand@x.fr": the end of the address, not all of it.
    form = read_rows(
        text_rows("Participants\n2. Mme Marie BERTRAND – marie-\nchristinebertrand@x.fr")
    )
    assert form.participants[0].email != "christinebertrand@x.fr"


def test_a_numbered_heading_ends_the_address_above_it() -> None:
    form = read_rows(
        text_rows(
            "2. ORGANISME\nADRESSE POSTALE ....... Cité administrative\nRue du 26e RI\n"
            "24016 Périgueux Cedex\n3. PARTICIPANTS\n1. Mme Laëtitia LE GOFF – l.legoff@ars.fr"
        )
    )
    assert form.values[Field.ADDRESS] == "Cité administrative, Rue du 26e RI, 24016 Périgueux Cedex"
    assert [p.last_name for p in form.participants] == ["LE GOFF"]


def test_blocks_side_by_side_in_a_layout_table_are_read_down() -> None:
    rendered = render_table(
        [
            (
                "L'ORGANISME\nDénomination :\nACME Services\nAdresse :\n12 allée des Artisans\n"
                "33210 Langon",
                "LE GESTIONNAIRE\nPrénom et NOM :\nNadège ARNAUDIN\nCourriel :\nn.a@acme.fr",
            )
        ]
    )
    form = read_rows(text_rows(rendered), prefix_labels=True)
    assert form.values[Field.ORG_NAME] == "ACME Services"
    assert form.values[Field.ADDRESS] == "12 allée des Artisans, 33210 Langon"
    assert form.values[Field.MANAGER_NAME] == "Nadège ARNAUDIN"
    assert form.values[Field.MANAGER_EMAIL] == "n.a@acme.fr"
    assert Field.SIGNED_DATE not in form.values  # "LE GESTIONNAIRE" is no date


def test_a_multi_line_cell_without_labels_stays_one_value() -> None:
    assert render_table([("Adresse postale", "1 esplanade X\nCS 71223\n33074 Bordeaux Cedex")]) == (
        "Adresse postale\t1 esplanade X, CS 71223, 33074 Bordeaux Cedex"
    )


def test_a_heading_opening_with_le_is_no_signing_date() -> None:
    form = read_rows(
        text_rows("LE MONTANT\nTotal : 1 270 €\nFait à : Langon\nLe : 23/10/2026"),
        prefix_labels=True,
    )
    assert form.values[Field.SIGNED_DATE] == "23/10/2026"


def test_a_signing_date_written_but_unreadable_is_doubted(catalog: Catalog) -> None:
    u = understand(
        mail(HEAD + PEOPLE + "\nFait à Angers le 31/02/2026\nPar : Cédric JOUBERT\n"), catalog
    )
    assert u.signed_date is None
    assert u.decision is Decision.REVIEW and "uncertain:signed_date" in u.reasons


def test_a_label_wrapped_in_its_narrow_cell() -> None:
    form = read_rows(text_rows("Prénom et\tBruno CASTEX\nNOM\nService\tPôle enfance"))
    assert form.values[Field.MANAGER_NAME] == "Bruno CASTEX"
    assert form.values[Field.SERVICE] == "Pôle enfance"


def _docx_signed_in_a_row(picture: bool) -> bytes:
    document = docx.Document()
    for label, value in (("Dénomination", "CCAS de Mérignac"), ("Adresse postale", "1 rue X, 33700 Mérignac"),
                         ("Adresse e-mail", "i.t@merignac.fr"), ("Prénom et NOM", "Inès TEYSSIER")):  # fmt: skip
        document.add_paragraph(f"{label} : {value}")
    document.add_paragraph("Participants")
    document.add_paragraph("Mme Claire DUPONT - c.dupont@merignac.fr")
    document.add_paragraph(
        "Date : jeudi 26 novembre 2026 - Les CPOM des établissements et services de l'ASE"
    )
    row = document.add_table(rows=1, cols=3).rows[0]
    row.cells[0].text, row.cells[1].text, row.cells[2].text = (
        "Fait à",
        "Mérignac",
        "Signature et cachet",
    )
    if picture:
        row.cells[2].add_paragraph().add_run().add_picture(io.BytesIO(signature_png()))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize("picture", [True, False])
def test_a_signature_picture_in_the_cell_of_its_label(catalog: Catalog, picture: bool) -> None:
    # "Fait à | Mérignac | Signature et cachet" with the picture under the label, no "Par".
    docx_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    raw = mail("Bonjour, ci-joint notre bulletin.", date="Wed, 14 Oct 2026 10:31:50 +0200",
               attachments=[("bulletin.docx", docx_type, _docx_signed_in_a_row(picture))])  # fmt: skip
    u = understand(raw, catalog)
    assert u.signed_or_stamped is picture
    assert ("unsigned" in u.reasons) is not picture


@pytest.mark.parametrize(
    ("picture_in", "signed"),
    [("Par (nom du signataire)", True), ("Fait à", True), ("Web-séminaire", False), (None, False)],
)  # fmt: skip
def test_a_signature_picture_in_the_signing_block(
    catalog: Catalog, picture_in: str | None, signed: bool
) -> None:
    # "Par (nom du signataire) :" left empty, the signature pasted in the signing block as
    # a picture; a picture at the top of the page is a logo.
    word = docx.Document(io.BytesIO(build_docx(sample_form(signatory=""), with_signature=False)))
    if picture_in is not None:
        anchor = next(p for p in word.paragraphs if p.text.startswith(picture_in))
        anchor.add_run().add_picture(io.BytesIO(signature_png()))
    out = io.BytesIO()
    word.save(out)
    docx_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    raw = mail("Bonjour, ci-joint notre bulletin.",
               attachments=[("bulletin.docx", docx_type, out.getvalue())])  # fmt: skip
    u = understand(raw, catalog)
    assert u.signed_or_stamped is signed
    assert ("unsigned" in u.reasons) is not signed


@pytest.mark.parametrize(
    ("total", "amount"),
    [
        ("mille deux cent soixante-dix euros", 1270),
        ("Mille deux cent soixante-dix euros (TTC)", 1270),
        ("mille deux cent cinquante euros", 1250),  # two at the SAAD price: caught
    ],
)
def test_a_total_written_in_words_is_read_and_checked(
    catalog: Catalog, total: str, amount: int
) -> None:
    # Skipped as no total, its check would be skipped and a wrong sum confirmed.
    u = understand(mail(HEAD + PEOPLE + f"\nMontant total : {total}\n" + SIGNED), catalog)
    assert u.declared_total_eur == amount
    assert (u.decision is Decision.AUTO) is (amount == 1270), u.reasons
    assert ("total_mismatch" in u.reasons) is (amount != 1270)


def test_a_total_written_but_not_understood_is_doubted(catalog: Catalog) -> None:
    body = HEAD + PEOPLE + "\nMontant total : mille deux cent septante euros\n" + SIGNED
    u = understand(mail(body), catalog)
    assert u.decision is Decision.REVIEW and "uncertain:declared_total_eur" in u.reasons


def test_a_note_asking_another_day_than_the_body_form(catalog: Catalog) -> None:
    form = HEAD.replace(
        "Voici notre inscription au webinaire du jeudi 26 novembre 2026 (CPOM ASE).",
        "Merci d'enregistrer notre inscription au webinaire du 26 novembre.\n\n"
        'Web-séminaire : Etablissements et services "Handicap" : les outils de construction '
        "d'un CPOM\nDate : vendredi 27 novembre 2026",
    )
    u = understand(mail(form + PEOPLE + SIGNED), catalog)
    assert u.session is None and u.decision is Decision.REVIEW
    assert "unknown_session" in u.reasons
    same = form.replace("au webinaire du 26 novembre", "au webinaire du 27 novembre")
    u = understand(mail(same + PEOPLE + SIGNED), catalog)
    assert u.session == SessionRef("cpom-ph", dt.date(2026, 11, 27)), u.reasons


def _site_form(name: str, street: str, people: str) -> str:
    return (f"Organisme-client\nDénomination : {name}\nAdresse postale : {street}\n"
            "                  38200 Vienne\n\nGestionnaire de l'inscription\n"
            "Adresse e-mail : h.bruyere@lasource.fr\nPrénom et NOM : Hélène BRUYÈRE\n\n"
            f"Participants\nCivilité\tPrénom\tNOM\tAdresse e-mail de connexion\n{people}\n"
            "Fait à : Vienne\nLe : 26/10/2026\nPar (nom du signataire) : Hélène BRUYÈRE\n\n")  # fmt: skip


def test_two_forms_typed_one_after_the_other_are_several_forms(catalog: Catalog) -> None:
    body = ("Bonjour,\nNos inscriptions au webinaire CPOM PH du 27 novembre 2026 :\n\n"
            + _site_form("IME La Source", "5 chemin du Lavoir",
                         "Mme\tPatricia\tGIROUD\tp.giroud@lasource.fr")
            + _site_form("SESSAD La Source", "12 avenue Leclerc",
                         "M.\tJulien\tROSSET\tj.rosset@lasource.fr"))  # fmt: skip
    u = understand(mail(body, date="Tue, 27 Oct 2026 11:15:32 +0100"), catalog)
    assert (u.kind, u.reasons) == (Kind.REGISTRATION, ("several_forms",))


def test_one_form_naming_its_organisation_the_same_way_twice_is_one_form(
    catalog: Catalog,
) -> None:
    body = ("Bonjour,\nNotre inscription au webinaire CPOM PH du 27 novembre 2026 :\n\n"
            + _site_form("IME La Source", "5 chemin du Lavoir",
                         "Mme\tPatricia\tGIROUD\tp.giroud@lasource.fr")
            + "Dénomination : IME LA SOURCE\n")  # fmt: skip
    u = understand(mail(body, date="Tue, 27 Oct 2026 11:15:32 +0100"), catalog)
    assert u.decision is Decision.AUTO
    assert u.organisation is not None and u.organisation.name == "IME La Source"


def test_the_sender_s_signature_after_the_participants_gives_no_manager_value(
    catalog: Catalog,
) -> None:
    # An assistant sends the form of her head of service: her own line comes last.
    table = (
        "\nNOM\tPrénom\tCivilité\tMail\nPICARD\tLaure\tMme\tl.picard@fondation-saintaubin.org\n"
        "COSTE\tHervé\tM.\th.coste@fondation-saintaubin.org\n"
    )
    assistant = (
        "\nCordialement,\n\nSophie MARCHAND\nAssistante de direction\nTél. : 02 41 87 66 10\n"
    )
    u = understand(mail(HEAD + table + SIGNED + assistant), catalog)
    assert u.manager is not None and u.manager.phone == "02 41 87 66 03"
    assert u.decision is Decision.AUTO, u.reasons


@pytest.mark.parametrize("separator", [" – ", ", ", " / "])
def test_each_participant_on_one_line_of_labelled_pieces(separator: str) -> None:
    lines = [
        ("Nom et prénom : DUPUY Marc", "Civilité : M.", "Courriel : marc.dupuy@mecs43.fr"),
        ("Nom et prénom : TEILLARD Amandine", "Courriel : a.teillard@mecs43.fr", "Civilité : Mme"),
    ]
    form = read_rows(text_rows("Participants :\n" + "\n".join(separator.join(x) for x in lines)))
    assert [(p.civility, p.first_name, p.last_name, p.email) for p in form.participants] == [
        ("M.", "Marc", "DUPUY", "marc.dupuy@mecs43.fr"),
        ("Mme", "Amandine", "TEILLARD", "a.teillard@mecs43.fr"),
    ]


@pytest.mark.parametrize("separator", [" : ", "\t"])
@pytest.mark.parametrize(
    "label", ["Adresse de facturation", "Adresse d'envoi de la facture", "Adresse d'envoi"]
)
def test_the_billing_address_label_on_the_only_address_asks_nothing(
    catalog: Catalog, separator: str, label: str
) -> None:
    head = HEAD.replace("Adresse : ", label + separator)
    u = understand(mail(head + PEOPLE + SIGNED), catalog)
    assert u.organisation is not None
    assert u.organisation.address == "48 rue de la Mairie, 49100 Angers"
    assert u.decision is Decision.AUTO, u.reasons


@pytest.mark.parametrize("label", ["Adresse de facturation", "Adresse d'envoi de la facture"])
def test_a_second_address_to_bill_is_a_question(catalog: Catalog, label: str) -> None:
    head = HEAD + f"{label} : 2 place du Ralliement, 49000 Angers\n"
    u = understand(mail(head + PEOPLE + SIGNED), catalog)
    assert u.decision is Decision.REVIEW and "question_in_mail" in u.reasons


@pytest.mark.parametrize(
    "line",
    [
        "Fait à Aurillac le 07/12/2026 ; signataire : Marie-Josée CAMBON",
        "Fait à Aurillac, le 07/12/2026, signé par Marie-Josée CAMBON",
    ],
)
def test_the_signatory_named_after_place_and_date(line: str) -> None:
    form = read_rows(text_rows(line))
    assert form.values[Field.SIGNATORY] == "Marie-Josée CAMBON"
    assert (form.values[Field.PLACE], form.values[Field.SIGNED_DATE]) == ("Aurillac", "07/12/2026")


@pytest.mark.parametrize("gap", ["     ", "\t"])
def test_place_date_and_signatory_on_one_line_of_labels(gap: str) -> None:
    line = gap.join(
        ["Fait à : Aurillac", "Le : 07/12/2026", "Par (nom du signataire) : Marie-Josée CAMBON"]
    )
    form = read_rows(text_rows(line))
    assert form.values[Field.PLACE] == "Aurillac"
    assert form.values[Field.SIGNED_DATE] == "07/12/2026"
    assert form.values[Field.SIGNATORY] == "Marie-Josée CAMBON"


def test_a_sentence_swapping_people_enrols_nobody() -> None:
    form = read_rows(
        text_rows("Merci d'inscrire Mme Laure PICARD (l.picard@x.org) à la place de M. COSTE.")
    )
    assert form.participants == []


ENVELOPE = "ORGANISME\nConseil départemental de la Creuse\n4 place Louis Lacrocq\nBP 250\n23011 Guéret Cedex\n"


def test_an_organisation_written_as_on_an_envelope_under_its_heading() -> None:
    form = read_rows(text_rows(ENVELOPE + "\nGESTIONNAIRE\nPrénom et NOM : Josiane PARRAUD\n"))
    assert form.values[Field.ORG_NAME] == "Conseil départemental de la Creuse"
    assert form.values[Field.ADDRESS] == "4 place Louis Lacrocq, BP 250, 23011 Guéret Cedex"


@pytest.mark.parametrize(
    "block",
    [
        ENVELOPE.replace("23011 Guéret Cedex\n", ""),  # no postcode and town to end it
        ENVELOPE.replace("BP 250", "Tél. : 05 44 30 23 23"),  # a labelled line inside
    ],
)
def test_a_block_under_the_heading_that_is_no_envelope_names_nothing(block: str) -> None:
    form = read_rows(text_rows(block + "\nGESTIONNAIRE\nPrénom et NOM : Josiane PARRAUD\n"))
    assert Field.ORG_NAME not in form.values


def test_a_manager_s_phone_under_a_label_not_known_is_doubted(catalog: Catalog) -> None:
    head = HEAD.replace("Tél. : ", "Poste de la gestionnaire : ")
    u = understand(mail(head + PEOPLE + SIGNED), catalog)
    assert u.manager is not None and u.manager.phone is None
    assert "uncertain:manager.phone" in u.reasons


def test_a_service_line_left_blank_is_no_service_unread(catalog: Catalog) -> None:
    head = HEAD.replace("Service : Direction du pôle enfance", "Service")
    u = understand(mail(head + PEOPLE + SIGNED), catalog)
    assert "uncertain:manager.service" not in u.reasons
    unknown = HEAD.replace("Service : ", "Pôle de rattachement ")
    assert (
        "uncertain:manager.service" in understand(mail(unknown + PEOPLE + SIGNED), catalog).reasons
    )


@pytest.mark.parametrize(
    ("note", "asks"),
    [
        # The form's own manager, organisation, service or address: the invoice goes there.
        ("Merci d'adresser la confirmation et la facture à M. JOUBERT.", False),
        ("La facture est à libeller au nom de la Fondation.", False),
        ("Merci d'adresser la facture à l'attention du pôle enfance.", False),
        (
            "Merci de nous envoyer la facture à l'adresse du service Direction du pôle enfance.",
            False,
        ),
        ("Merci de nous faire parvenir la facture à l'adresse indiquée.", False),
        ("Merci de nous faire parvenir la facture à l'adresse de l'établissement.", False),
        ("Merci de nous envoyer la facture à cette adresse.", False),
        ("Pourriez-vous nous envoyer la facture ?", False),
        ("Merci de nous envoyer la facture, nous réglons par virement.", False),
        ("Facture à établir au nom de la Fondation Saint-Aubin (cf. bulletin).", False),
        ("Pour la facture : à l'adresse du bulletin, à l'attention du pôle enfance.", False),
        (
            "Merci d'envoyer la facture à l'adresse de la Fondation indiquée sur le bulletin "
            "(c.joubert@fondation-saintaubin.org).",
            False,
        ),
        # Someone or somewhere the form does not name, or more than one invoice.
        ("Merci d'adresser la facture à Mme DURAND, notre comptable.", True),
        ("Merci d'adresser la facture à Mme DURAND.", True),
        ("La facture est à libeller au nom du Conseil départemental.", True),
        ("Merci d'adresser la facture à l'attention du service comptabilité.", True),
        ("Merci d'adresser la facture au siège de la Fondation.", True),
        ("Merci de nous envoyer la facture à l'adresse du siège.", True),
        ("Merci de nous envoyer la facture à cette adresse-ci : 8 rue Vauban, Albi.", True),
        ("Merci de nous envoyer la facture et le programme.", True),
        ("Merci de ne pas envoyer la facture avant la session.", True),
        ("Une facture par participant, merci.", True),
        ("Merci d'établir deux factures.", True),
        ("Merci d'établir des factures.", True),
        ("Prise en charge OPCO Santé avec subrogation de paiement.", True),
        ("Merci de facturer directement l'OPCO.", True),
        (
            "La facture est à établir au nom de la Fondation (cf. bulletin) mais à envoyer par "
            "courrier à notre service comptable : 8 avenue Jean Jaurès, 81000 Albi.",
            True,
        ),
        ("Merci d'envoyer la facture à l'adresse indiquée sur le bulletin (compta@x.fr).", True),
    ],
)
def test_an_invoice_asked_for_whom_the_form_names_asks_nothing(
    catalog: Catalog, note: str, asks: bool
) -> None:
    u = understand(mail(HEAD + PEOPLE + SIGNED + "\n" + note + "\n"), catalog)
    assert ("question_in_mail" in u.reasons) is asks, u.reasons
    if not asks:
        assert u.decision == "auto", u.reasons


def test_a_list_choosing_its_people_by_yes_or_no_waits_for_a_person(catalog: Catalog) -> None:
    # Who "Non" leaves out is the sender's meaning; reading every row would invoice them too.
    people = (
        "\nParticipants :\nCivilité\tPrénom\tNOM\tCourriel\tInscription CPOM\n"
        "Mme\tLaure\tPICARD\tl.picard@fondation-saintaubin.org\tOui\n"
        "M.\tHervé\tCOSTE\th.coste@fondation-saintaubin.org\tNon\n"
    )
    u = understand(mail(HEAD + people + SIGNED), catalog)
    assert u.decision == "review" and "uncertain:participants" in u.reasons, u.reasons
    kept = people.replace("\tInscription CPOM", "").replace("\tOui", "").replace("\tNon", "")
    u = understand(mail(HEAD + kept + SIGNED), catalog)
    assert u.decision == "auto" and len(u.participants) == 2, u.reasons


def test_the_signer_written_after_the_date_signs_the_form(catalog: Catalog) -> None:
    signed = "\nFait à Angers le 16/11/2026, Cédric JOUBERT\n"
    u = understand(mail(HEAD + PEOPLE + signed), catalog)
    assert u.decision == "auto", u.reasons
    assert (u.signatory, u.signed_place, str(u.signed_date)) == (
        "Cédric JOUBERT",
        "Angers",
        "2026-11-16",
    )
    # A sentence after the date names nobody: the form stays unsigned.
    unsigned = "\nFait à Angers le 16/11/2026, pour servir et valoir ce que de droit\n"
    assert "unsigned" in understand(mail(HEAD + PEOPLE + unsigned), catalog).reasons


def test_initials_signing_the_mail_are_no_participant(catalog: Catalog) -> None:
    # "M.-A." is Marc-Antoine's initials, not "M." and a first name "A.".
    assert parse_person_line("M.-A. Joubert") is None
    closing = "\nCordialement,\n\nM.-A. Joubert\nDirecteur\n"
    u = understand(mail(HEAD + PEOPLE + SIGNED + closing), catalog)
    assert u.decision == "auto", u.reasons
    assert [p.last_name for p in u.participants] == ["PICARD", "COSTE"]
    assert parse_person_line("M. Alain Joubert") is not None


@pytest.mark.parametrize(
    ("note", "number"),
    [
        ("N° d'engagement juridique (EJ) : 1300284517 - à reporter sur la facture", "1300284517"),
        ("Merci de faire figurer le n° de bon de commande sur la facture.", None),
        ("Merci de nous adresser la facture pour engagement.", None),
    ],
)
def test_a_number_asked_on_the_invoice_is_printed_or_asked_for(
    catalog: Catalog, note: str, number: str | None
) -> None:
    # The invoice prints an engagement number read in the mail; one asked for but written
    # nowhere is for a person to find. "Pour engagement" names the accounting step.
    u = understand(mail(HEAD + PEOPLE + SIGNED + "\n" + note + "\n"), catalog)
    asked = number is None and "n°" in note
    assert ("question_in_mail" in u.reasons) is asked, u.reasons
    assert u.buyer.engagement_number == number


def test_a_label_left_in_the_manager_s_name_is_doubted(catalog: Catalog) -> None:
    head = HEAD.replace(
        "Gestionnaire de l'inscription : Cédric JOUBERT",
        "Gestionnaire de l'inscription : Prénom et NOM Cédric JOUBERT",
    )
    u = understand(mail(head + PEOPLE + SIGNED), catalog)
    assert u.decision == "review" and u.reasons == ("uncertain:manager.full_name",), u.reasons


def test_a_date_left_in_the_place_is_doubted(catalog: Catalog) -> None:
    signed = SIGNED.replace("Fait à Angers le 16/11/2026", "Fait à Angers 16/11/2026")
    u = understand(mail(HEAD + PEOPLE + signed), catalog)
    assert "uncertain:signed_place" in u.reasons


@pytest.mark.parametrize(
    ("place", "doubted"),
    [("Angers 9 cours Gambetta", True),  # a stamp's address read into the town's row
     ("Angers 49000", True), ("Angers Cedex", False), ("Saint-Barthélemy-d'Anjou", False)],
)  # fmt: skip
def test_an_address_in_the_place_is_doubted(catalog: Catalog, place: str, doubted: bool) -> None:
    signed = SIGNED.replace("Fait à Angers le 16/11/2026", f"Fait à : {place}\nLe : 16/11/2026")
    u = understand(mail(HEAD + PEOPLE + signed), catalog)
    assert u.signed_place == place
    assert ("uncertain:signed_place" in u.reasons) is doubted, u.reasons


def test_labels_in_bold_as_gmail_writes_them_in_plain_text(catalog: Catalog) -> None:
    # Gmail's text part wraps a bold label in stars: "*Dénomination :* …".
    starred = (
        re.sub(r"(?m)^([^:\n]+ :)", r"*\1*", HEAD) + PEOPLE + SIGNED.replace("Par :", "*Par :*")
    )
    u = understand(mail(starred), catalog)
    assert u.organisation is not None and u.organisation.name == "Fondation Saint-Aubin"
    assert u.manager is not None and u.manager.phone == "02 41 87 66 03"
    assert u.signatory == "Cédric JOUBERT"
    assert u.decision is Decision.AUTO, u.reasons


def test_people_whose_pieces_are_labelled_and_barred_are_read(catalog: Catalog) -> None:
    people = (
        "\nPARTICIPANTS\n"
        "  1) Civilité : Mme | Prénom : Laure | NOM : PICARD | E-mail : l.picard@fondation-saintaubin.org\n"
        "  2) Civilité : M. | Prénom : Hervé | NOM : COSTE | E-mail : h.coste@fondation-saintaubin.org\n"
    )
    u = understand(mail(HEAD + people + "\nNombre de participants : 2\n" + SIGNED), catalog)
    assert [(p.civility, p.first_name, p.last_name) for p in u.participants] == [
        ("Mme", "Laure", "PICARD"),
        ("M.", "Hervé", "COSTE"),
    ]
    assert u.decision is Decision.AUTO, u.reasons


@pytest.mark.parametrize(
    ("signed", "signatory"),
    [
        ("Par Anne Roux, directrice générale", "Anne Roux, directrice générale"),
        # Someone else written in lower case is prose, not a signature.
        ("Par Paul Martin, directeur", None),
    ],
)
def test_par_without_colon_and_the_manager_s_name_in_lower_case_signs(
    catalog: Catalog, signed: str, signatory: str | None
) -> None:
    body = BODY_FORM.replace("Anne ROUX", "Anne Roux").replace(
        "Par : La Directrice générale, Anne Roux", signed
    )
    u = understand(mail(body), catalog)
    assert u.signatory == signatory
    assert (u.decision is Decision.AUTO) == (signatory is not None), u.reasons


def test_participants_pasted_from_a_spreadsheet_as_semicolon_rows(catalog: Catalog) -> None:
    rows = (
        "Participants\nNOM;Prénom;Civilité;Courriel\n"
        "MARTIN;Paul;M.;paul.martin@gironde.fr\n"
        "DE LA FONTAINE;Hélène;Mme;h.delafontaine@gironde.fr\n"
    )
    body = BODY_FORM.replace(
        "Participants\n1. M. Paul MARTIN - paul.martin@gironde.fr\n"
        "2. Mme Hélène DE LA FONTAINE - h.delafontaine@gironde.fr\n",
        rows,
    )
    u = understand(mail(body), catalog)
    assert u.decision is Decision.AUTO, u.reasons
    assert [(p.civility, p.first_name, p.last_name, p.email) for p in u.participants] == [
        ("M.", "Paul", "MARTIN", "paul.martin@gironde.fr"),
        ("Mme", "Hélène", "DE LA FONTAINE", "h.delafontaine@gironde.fr"),
    ]


def test_a_sentence_listing_people_with_semicolons_is_no_spreadsheet_row() -> None:
    line = "Mme Louise FABRE, l.fabre@x.fr ; M. Paul ROUX, p.roux@x.fr ; Mme Ana LIMA, a.lima@x.fr"
    assert text_rows(line) == [(line,)]


def test_a_partner_abroad_ends_the_address_on_its_country(catalog: Catalog) -> None:
    body = BODY_FORM.replace(
        "Adresse postale : 1 esplanade Charles de Gaulle\n                  CS 71223\n"
        "                  33074 Bordeaux Cedex\n",
        "Adresse postale : Rue de la Station 58\n6200 Châtelet\nBelgique\n",
    )
    u = understand(mail(body), catalog)
    assert u.organisation is not None
    assert u.organisation.address == "Rue de la Station 58, 6200 Châtelet, Belgique"
    assert u.decision is Decision.AUTO, u.reasons


@pytest.mark.parametrize(
    ("line", "total"),
    [
        ("Soit un montant de 1 270 € net (frais non soumis à TVA).", Decimal("1270")),
        ("soit un montant total de 1 905,00 euros TTC", Decimal("1905")),
        ("Pour un coût de 1 250 €", Decimal("1250")),
        ("soit un montant de 635 € par participant", None),  # a price, not the total
    ],
)
def test_a_total_written_as_a_sentence(line: str, total: Decimal | None) -> None:
    assert read_rows(text_rows(line)).declared_total == total


def test_a_product_and_its_result_after_soit() -> None:
    form = read_rows(text_rows("Montant : 6 × 635 € soit 3 810 €"))
    assert (form.declared_count, form.declared_total) == (6, Decimal("3810"))


def test_a_town_and_date_closing_an_own_template() -> None:
    form = read_rows(text_rows("Nombre d'agents : 6\nMontant : 6 x 635 € = 3 810 €\n"
                               "Le Mans, le 26 octobre 2026\n"
                               "Le Directeur de l'Autonomie, Olivier BEAUFILS"))  # fmt: skip
    assert (form.values[Field.PLACE], form.values[Field.SIGNED_DATE]) == (
        "Le Mans",
        "26 octobre 2026",
    )
    assert form.values[Field.SIGNATORY] == "Le Directeur de l'Autonomie, Olivier BEAUFILS"
    # Before the amounts, such a line is the letter's heading, not its signing.
    early = read_rows(text_rows("Chaumont, le 13 octobre 2026\nMontant : 1 270 €"))
    assert Field.PLACE not in early.values


def test_an_own_templates_labels() -> None:
    form = read_rows(text_rows("Établissement : CCAS de Millau\nCoordonnées postales : 17 "
                               "avenue de la République\n12100 Millau\nResponsable du dossier : "
                               "Coralie VIDAL\nNombre de participantes : 3"))  # fmt: skip
    assert form.values[Field.ADDRESS] == "17 avenue de la République, 12100 Millau"
    assert form.values[Field.MANAGER_NAME] == "Coralie VIDAL"
    assert form.declared_count == 3


@pytest.mark.parametrize(
    ("sentence", "asked"),
    [
        ("Nous aurons besoin d'une attestation de présence nominative pour chacun des "
         "participants à l'issue de la journée.", True),
        ("Merci d'adresser en copie les invitations et liens de connexion à notre boîte "
         "formation@epsms.fr.", True),
        ("Le lien de connexion sera envoyé à chaque participant.", False),
        # Thanked for, from a past day: nothing asked.
        ("Après la journée de l'an dernier (nous avions bien reçu les attestations de présence, "
         "merci encore), nous inscrivons deux collaborateurs.", False),
        ("Merci d'envoyer le lien de connexion à chaque participant, avec une copie à mon "
         "adresse.", True),
        ("Merci d'envoyer également la facture à notre cabinet comptable : "
         "cabinet.roques-expertise@orange.fr", True),
        ("Attention : la facture ne doit pas être adressée à l'établissement mais à notre "
         "association gestionnaire, Association Jeunesse et Avenir du Loiret, service "
         "comptabilité, 18 rue Jeanne d'Arc, 45000 Orléans.", True),
        ("La facture est à libeller au nom de l'association et à envoyer à l'adresse postale, "
         "comme indiqué sur le bulletin.", False),
        ("N° d'engagement juridique : à venir (transmis par la direction des finances)", True),
        ("Le numéro d'engagement vous sera communiqué la semaine prochaine.", True),
        ("Le bon de commande suivra par le circuit habituel.", False),
        ("Son inscription est donc annulée. Merci de n'inscrire que Mme Parret.", True),
        ("Mme Parret ne pourra pas être présente.", True),
        ("Merci de déposer la facture sur Chorus Pro avec le code service, et non par courriel.",
         True),
        ("La facture devra être déposée sur Chorus Pro.", False),
        ("La facture devra être déposée sur Chorus Pro, et non envoyée par courriel.", True),
        ("Merci de ne pas envoyer la facture par courrier postal : un e-mail est parfait.", False),
        ("Merci de ne pas envoyer la facture avant la fin du mois.", True),
        ("Le numéro d'engagement EJ-2026-00387 doit figurer sur la facture, sans quoi notre "
         "service comptable ne pourra pas la régler.", False),
    ],
)  # fmt: skip
def test_what_staff_do_apart_from_the_confirmation_is_asked(sentence: str, asked: bool) -> None:
    assert (side_question(sentence) is not None) is asked


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("- Numéro d'engagement : EJ 2026-00731", "EJ 2026-00731"),
        ("N° d'engagement juridique (EJ) : 1300284517", "1300284517"),
        ("numéro d’engagement: 4500012345", "4500012345"),
        (
            "le numéro d'engagement juridique correspondant est le 2026-EJ-0047312 ; il est à "
            "rappeler sur la facture",
            "2026-EJ-0047312",
        ),
        ("Observations : numéro d'engagement interne EJ-2026-00387 à rappeler", "EJ-2026-00387"),
        ("Engagement juridique à venir", None),
    ],
)
def test_the_engagement_number_in_its_wordings(text: str, number: str | None) -> None:
    from mailbot.understanding.reading import _buyer_hints

    assert _buyer_hints(text).engagement_number == number


def test_a_letterheads_service_line_is_no_managers_service() -> None:
    # Text from a document reads "Service d'aide …" with no separator: a name, not a label.
    head = "Vivre Chez Soi en Ardèche\nService d'aide et d'accompagnement à domicile\n"
    form = read_rows(text_rows(head + "Responsable de l'inscription\tAurélie FAVIER\n"
                               "Service\tPôle administratif"), prefix_labels=True)  # fmt: skip
    assert form.values[Field.SERVICE] == "Pôle administratif"
    alone = read_rows(text_rows(head + "Responsable de l'inscription\tAurélie FAVIER"),
                      prefix_labels=True)  # fmt: skip
    assert Field.SERVICE not in alone.values
    # "Service tarification ESSMS" under the letterhead may be a label and its value: the
    # form's own "Service" row takes its place, and without one it is doubted.
    head = "Département de l'Ariège\nService tarification ESSMS\nPrénom et NOM\tFanny ESCAICH\n"
    form = read_rows(text_rows(head + "Service\tService tarification ESSMS"), prefix_labels=True)
    assert form.values[Field.SERVICE] == "Service tarification ESSMS"
    assert Field.SERVICE not in form.unreadable
    doubted = read_rows(text_rows(head), prefix_labels=True)
    assert Field.SERVICE in doubted.unreadable


@pytest.mark.parametrize(
    ("line", "count"),
    [("Montant : 1 270,00 € (635 € x 2)", 2), ("Montant : 1 270,00 € (625 € x 2)", None)],
)
def test_the_count_in_the_formula_after_the_total(line: str, count: int | None) -> None:
    form = read_rows(text_rows(line))
    assert (form.declared_count, form.declared_total) == (count, Decimal("1270"))


def test_participants_as_comma_separated_lines_under_a_header_in_prose(catalog: Catalog) -> None:
    listed = ("Participants (NOM, Prénom, Civilité, Adresse e-mail) :\n"
              "MARTIN, Paul, M., paul.martin@gironde.fr\n"
              "DE LA FONTAINE, Hélène, Mme, h.delafontaine@gironde.fr\n")  # fmt: skip
    body = BODY_FORM.replace(
        "Participants\n1. M. Paul MARTIN - paul.martin@gironde.fr\n"
        "2. Mme Hélène DE LA FONTAINE - h.delafontaine@gironde.fr\n",
        listed,
    )
    u = understand(mail(body), catalog)
    assert u.decision is Decision.AUTO, u.reasons
    assert [(p.civility, p.first_name, p.last_name) for p in u.participants] == [
        ("M.", "Paul", "MARTIN"),
        ("Mme", "Hélène", "DE LA FONTAINE"),
    ]
    # No capitals to tell the family name: the order alone does not.
    unsure = body.replace("MARTIN, Paul", "Martin, Paul")
    assert understand(mail(unsure), catalog).decision is Decision.REVIEW


@pytest.mark.parametrize("name", ["Mélanie COUTANT", "Mailys TESSIER", "Telma BARROS"])
def test_a_first_name_that_opens_like_a_label_stays_whole(name: str) -> None:
    # "Mél", "Mail", "Tél": labels of a piece only as whole words.
    values = read_rows(text_rows(
        f"Gestionnaire de l'inscription : {name} – Secrétariat de direction – "
        "05 49 77 30 12 – m.coutant@esat.fr"
    )).values  # fmt: skip
    assert values[Field.MANAGER_NAME] == name
    assert values[Field.MANAGER_EMAIL] == "m.coutant@esat.fr"


@pytest.mark.parametrize(
    "label", ["Gestionnaire de l'inscription", "Prénom et NOM", "Interlocuteur"]
)
def test_a_managers_name_then_service_after_a_dash(catalog: Catalog, label: str) -> None:
    # The service after the dash was taken into the name, and the form confirmed with it.
    body = HEAD.replace("Gestionnaire de l'inscription : Cédric JOUBERT",
                        f"{label} : Cédric JOUBERT – Direction du pôle enfance")  # fmt: skip
    u = understand(mail(body + PEOPLE + "\nSoit 2 x 635 € = 1 270 €\n" + SIGNED), catalog)
    assert u.manager is not None and u.manager.full_name == "Cédric JOUBERT"
    assert u.manager.service == "Direction du pôle enfance"


def test_the_manager_under_a_dossier_suivi_par_heading() -> None:
    values = read_rows(text_rows(
        "DOSSIER SUIVI PAR\nBénédicte GAUTIER – Pôle offre médico-sociale\n"
        "Tél. +33 5 53 03 11 47 – benedicte.gautier@ars.sante.fr\n"
    )).values  # fmt: skip
    assert values[Field.MANAGER_NAME] == "Bénédicte GAUTIER"
    assert values[Field.SERVICE] == "Pôle offre médico-sociale"
    assert values[Field.PHONE] == "+33 5 53 03 11 47"
    assert values[Field.MANAGER_EMAIL] == "benedicte.gautier@ars.sante.fr"


def test_the_managers_contact_line_under_her_name() -> None:
    lines = "Interlocuteur : Karim BENSAÏD\nPôle : Direction\nContact : k.bensaid@apajh.org / 05.53.47.21.90\n"
    values = read_rows(text_rows(lines)).values
    assert (values[Field.MANAGER_EMAIL], values[Field.PHONE]) == (
        "k.bensaid@apajh.org",
        "05.53.47.21.90",
    )
    # Under the participants, a "Contact :" line is a signature's: not the manager's.
    later = read_rows(text_rows(
        "Interlocuteur : Karim BENSAÏD\n\nParticipants :\nMme Anne ROUX – a.roux@x.fr\n\n"
        "Contact : accueil@apajh.org / 05.53.47.21.90\n"
    )).values  # fmt: skip
    assert Field.MANAGER_EMAIL not in later


def test_free_shapes_of_a_retyped_body_form() -> None:
    # Labels alone, their values indented under them.
    stacked = read_rows(text_rows(
        "Dénomination\n    Conseil départemental de la Haute-Marne\nAdresse postale\n"
        "    1 rue du Commandant Hugueny\n    52011 Chaumont Cedex\n\n"
        "Gestionnaire de l'inscription\n    Prénom et NOM : Francine GODARD\n"
    )).values  # fmt: skip
    assert stacked[Field.ORG_NAME] == "Conseil départemental de la Haute-Marne"
    assert stacked[Field.ADDRESS] == "1 rue du Commandant Hugueny, 52011 Chaumont Cedex"
    # The manager's pieces between slashes; a list numbered "1/".
    slashed = read_rows(text_rows(
        "Responsable inscription : Romain GABORIAU / r.gaboriau@age.fr / 07 81 22 94 50"
    )).values  # fmt: skip
    assert slashed[Field.MANAGER_NAME] == "Romain GABORIAU"
    assert slashed[Field.PHONE] == "07 81 22 94 50"
    person = parse_person_line("1/ Mme Armelle FAUCHER - armelle.faucher@pv19.fr")
    assert person is not None and (person.civility, person.first_name) == ("Mme", "Armelle")
    # The head count written beside the total is no amount.
    total = read_rows(text_rows("Total : 3 personnes, 1905 euros."))
    assert (total.declared_count, total.declared_total) == (3, Decimal("1905.00"))


def test_the_manager_s_line_under_its_heading_and_a_count_told_in_prose(catalog: Catalog) -> None:
    body = BODY_FORM.replace(
        "Gestionnaire de l'inscription\nPrénom et NOM : Anne ROUX\n"
        "Adresse e-mail : anne.roux@gironde.fr\nService : Direction de l'enfance\n"
        "Téléphone : 05 56 99 12 34 poste 1234\n",
        "Gestionnaire de l'inscription :\n"
        "  ROUX Anne - anne.roux@gironde.fr - Direction de l'enfance - 05 56 99 12 34\n",
    ).replace("Nombre de participants : 2\n", "")
    u = understand(mail(body), catalog)
    assert u.decision is Decision.AUTO, u.reasons
    assert u.manager is not None
    assert (u.manager.full_name, u.manager.email, u.manager.phone) == (
        "ROUX Anne", "anne.roux@gironde.fr", "05 56 99 12 34",
    )  # fmt: skip
    told = body.replace(
        "Voici notre inscription :", "Voici notre inscription.\nNous serons 3 personnes."
    )
    three = understand(mail(told), catalog)
    assert three.declared_count == 3 and "count_mismatch" in three.reasons
    for sentence in ("Nous inscrivons 3 personnes à cette journée.", "Nous inscrivons donc 3 "
                     "participants, soit un montant total de 1905 euros."):  # fmt: skip
        told = body.replace("Voici notre inscription :", f"Voici notre inscription.\n{sentence}")
        assert understand(mail(told), catalog).declared_count == 3, sentence


def test_our_own_closing_quoted_under_a_blank_label_is_no_value(catalog: Catalog) -> None:
    quote = ("Réponses ci-dessous.\n\nLe mer. 4 nov. 2026 à 11:40, IPP <ipp@ipp.fr> a écrit :\n"
             "> Merci de compléter les rubriques suivantes pour le webinaire CPOM PH du 27 "
             "novembre 2026 :\n>\n> Dénomination :\nFAM Le Hameau du Lac\n> Adresse postale :\n"
             "Route de Saint-Alban, 38480 Pont-de-Beauvoisin\n"
             "> Gestionnaire (prénom et NOM / e-mail / service / téléphone) :\n"
             "Céline DURIEUX / c.durieux@fam.fr / Comptabilité / 04 76 32 15 88\n"
             "> Participants (civilité, prénom, NOM, e-mail) :\n"
             "Mme Nadège PERRAUD - n.perraud@fam.fr\n> Nombre de participants :\n1\n"
             "> Montant total :\n635 euros\n> Fait à / le :\n"
             "Pont-de-Beauvoisin, le 5 novembre 2026\n> Par (nom du signataire) :\n>\n"
             "> Merci d'avance,\n> IPP - Institut de la Performance Publique\n")  # fmt: skip
    u = understand(mail(quote, subject="Re: Inscription CPOM Handicap"), catalog)
    assert u.signatory is None and "unsigned" in u.reasons
    assert u.decision is Decision.REVIEW


@pytest.mark.parametrize(
    ("line", "count", "total"),
    [
        ("Soit 2 participant(s) x 635 € = 1270,00 EUR", 2, "1270.00"),
        ("2 personne(s) x 625 € = 1250 €", 2, "1250.00"),
        ("Montant : 3 inscrit(e)s x 635 € = 1905 €", 3, "1905.00"),
    ],
)
def test_a_count_written_with_its_plural_in_brackets(line: str, count: int, total: str) -> None:
    form = read_rows(text_rows(line))
    assert (form.declared_count, form.declared_total) == (count, Decimal(total))


def test_each_person_s_labels_over_their_values() -> None:
    block = ("Participants\n\nParticipant 1\nCivilité\nMR\n\nPrénom\nDENIS\n\nNOM\nPARRAUD\n\n"
             "E-mail de connexion\nD.PARRAUD@FAM.FR\n\nParticipant 2\nCivilité\nMME\n\n"
             "Prénom\nNATHALIE\n\nNOM\nJOUANNY\n\nE-mail de connexion\nN.JOUANNY@FAM.FR\n")  # fmt: skip
    form = read_rows(text_rows(block))
    assert [(p.civility, p.first_name, p.last_name, p.email) for p in form.participants] == [
        ("M.", "DENIS", "PARRAUD", "D.PARRAUD@FAM.FR"),
        ("Mme", "NATHALIE", "JOUANNY", "N.JOUANNY@FAM.FR"),
    ]


def test_a_header_written_one_cell_a_line_is_no_person_s_labels() -> None:
    form = read_rows(text_rows("Participants\nCivilité\nPrénom\nNOM\nE-mail\n"))
    assert form.participants == []


def test_a_bulleted_signing_line_is_read(catalog: Catalog) -> None:
    amounts = "\n* Nombre de participants : 2\n* Montant net total : 1 270 €\n"
    signed = "* Fait à Angers, le 16/11/2026\n* Par : Cédric JOUBERT\n"
    u = understand(mail(HEAD + PEOPLE + amounts + signed), catalog)
    assert (u.signed_place, u.signed_date) == ("Angers", dt.date(2026, 11, 16))
    assert u.decision is Decision.AUTO, u.reasons


def test_a_signing_line_nothing_reads_is_doubted(catalog: Catalog) -> None:
    # A numbered list's "3)" before "Fait à": whatever reads it, the place and date the
    # form shows are never dropped silently.
    amounts = "\n1) Nombre de participants : 2\n2) Montant net total : 1 270 €\n"
    signed = "3) Fait à Angers, le 16/11/2026\n4) Par : Cédric JOUBERT\n"
    u = understand(mail(HEAD + PEOPLE + amounts + signed), catalog)
    read = (u.signed_place, u.signed_date) == ("Angers", dt.date(2026, 11, 16))
    assert read or {"uncertain:signed_place", "uncertain:signed_date"} <= set(u.reasons)


def test_a_civility_in_brackets_after_the_name(catalog: Catalog) -> None:
    people = (
        "\nParticipants (NOM Prénom) :\n"
        "• PICARD Laure (Mme) – l.picard@fondation-saintaubin.org\n"
        "• COSTE Hervé (M.) – h.coste@fondation-saintaubin.org\n"
    )
    u = understand(mail(HEAD + people + "\nSoit 2 x 635 € = 1 270 €\n" + SIGNED), catalog)
    assert [(p.civility, p.first_name, p.last_name) for p in u.participants] == [
        ("Mme", "Laure", "PICARD"),
        ("M.", "Hervé", "COSTE"),
    ]
    assert u.decision is Decision.AUTO, u.reasons


def test_a_participant_s_row_in_aligned_columns_keeps_its_address(catalog: Catalog) -> None:
    people = (
        "\nParticipant 1            Mme Laure PICARD    l.picard@fondation-saintaubin.org\n"
        "Participant 2            M. Hervé COSTE    h.coste@fondation-saintaubin.org\n"
    )
    u = understand(mail(HEAD + people + "\nSoit 2 x 635 € = 1 270 €\n" + SIGNED), catalog)
    assert [p.email for p in u.participants] == [
        "l.picard@fondation-saintaubin.org",
        "h.coste@fondation-saintaubin.org",
    ]
    assert u.decision is Decision.AUTO, u.reasons


def test_the_session_boxes_under_the_list_are_no_participant(catalog: Catalog) -> None:
    body = (
        "Bonjour,\n\nNous souhaitons inscrire les agents suivants :\n\n"
        "Civilité\tPrénom\tNOM\tAdresse e-mail de connexion\n"
        "Mme\tKatell\tLE GOFF\tk.le-goff@saad-lorient.bzh\n"
        "M.\tErwan\tKERGOAT\te.kergoat@saad-lorient.bzh\n\n"
        "Webinaire : Mettre en place un CPOM dans le secteur de l'aide à domicile\n"
        "[X] jeudi 18 mars 2027   [ ] vendredi 8 octobre 2027\n"
        "Dénomination : SAAD du Pays de Lorient\n"
        "Adresse postale : 3 rue Jean Le Coutaller, 56100 Lorient\n"
        "Gestionnaire de l'inscription : Katell LE GOFF\n"
        "Adresse e-mail : k.le-goff@saad-lorient.bzh\n"
        "Montant net total = nombre de participants ( 2 ) x 625 Euros = 1 250,00 €\n"
        "Fait à Lorient, le 19/10/2026\nPar (nom du signataire) : Katell LE GOFF\n"
    )
    u = understand(mail(body, date="Mon, 19 Oct 2026 09:07:20 +0200"), catalog)
    assert [p.last_name for p in u.participants] == ["LE GOFF", "KERGOAT"]
    assert u.session == SessionRef("cpom-saad", dt.date(2027, 3, 18))
    assert u.decision is Decision.AUTO, u.reasons


def test_an_address_s_second_line_typed_after_the_dotted_line() -> None:
    form = read_rows(text_rows(
        "Dénomination : ........................ Département du Cantal\n"
        "Adresse : ..................................... 28 avenue Gambetta\n"
        + "." * 150 + " 15015 Aurillac Cedex\n"
        "Courriel : ............................ anne.payet@cantal.fr\n"
    ), prefix_labels=True)  # fmt: skip
    assert form.values[Field.ADDRESS] == "28 avenue Gambetta, 15015 Aurillac Cedex"
    assert form.values[Field.MANAGER_EMAIL] == "anne.payet@cantal.fr"


def test_a_signing_table_whose_cells_ran_together() -> None:
    # A .doc LibreOffice cannot read back prints its last table's cells with nothing between.
    form = read_rows(text_rows(
        "Fait àMarvejolsLe2 novembre 2026Par (nom du signataire)Marie-Pierre ASTRUC"
        "Signature et cachet\n"
    ), prefix_labels=True)  # fmt: skip
    assert form.values[Field.PLACE] == "Marvejols"
    assert form.values[Field.SIGNED_DATE] == "2 novembre 2026"
    assert form.values[Field.SIGNATORY] == "Marie-Pierre ASTRUC"


def test_an_order_number_to_print_on_the_invoice_is_no_question(catalog: Catalog) -> None:
    # "BC-2026-04417" holds five figures after a dash: an order's number, no postcode of
    # an address to bill elsewhere.
    note = (
        "Merci de faire figurer sur la facture notre numéro de bon de commande : "
        "BC-2026-04417 (obligatoire pour le dépôt sur Chorus Pro).\n"
    )
    u = understand(mail(note + HEAD + PEOPLE + "\nSoit 2 x 635 € = 1 270 €\n" + SIGNED), catalog)
    assert u.buyer.engagement_number == "BC-2026-04417"
    assert u.decision is Decision.AUTO, u.reasons


def test_a_second_total_that_differs_leaves_the_total_doubted(catalog: Catalog) -> None:
    amounts = (
        "\nMontant total : 1 270 €\n"
        "Montant net total = nombre de participants ( 2 ) x 635 Euros = 1 250,00 €\n"
    )
    u = understand(mail(HEAD + PEOPLE + amounts + SIGNED), catalog)
    assert u.decision is Decision.REVIEW
    assert "uncertain:declared_total_eur" in u.reasons


def test_a_comma_read_twice_in_a_value_is_doubted(catalog: Catalog) -> None:
    signed = "\nFait à Angers le 16/11/2026\nPar : Cédric JOUBERT,, Directeur\n"
    u = understand(mail(HEAD + PEOPLE + "\nSoit 2 x 635 € = 1 270 €\n" + signed), catalog)
    assert "uncertain:signatory" in u.reasons


def test_a_scan_s_count_bracket_read_as_a_brace_across_two_cells() -> None:
    form = read_rows(text_rows(
        "Montant net total des frais d'inscription =\n"
        "nombre de participants ( 2\t}) x 635 Euros = 1270 €\n"
    ), fuzzy=True)  # fmt: skip
    assert (form.declared_count, form.declared_total) == (2, Decimal("1270"))


def test_a_name_wrapped_on_lines_of_capitals_is_doubted() -> None:
    form = read_rows(text_rows(
        "Dénomination\tFoyer Saint-Joseph de la Providence\n"
        "Maison d'Enfants à Caractère Social\n"
        "Adresse postale\t9 allée des Tilleuls, 49300 Cholet\n"
    ), prefix_labels=True)  # fmt: skip
    assert Field.ORG_NAME in form.trailed


def test_a_kind_of_body_wrapped_before_its_own_name_goes_on() -> None:
    form = read_rows(text_rows(
        "Dénomination\tÉtablissement Public Médico-Social\n"
        "Les Quatre Vents\n"
        "Adresse postale\tRoute de Saint-Flour, 15100 Coltines\n"
    ), prefix_labels=True)  # fmt: skip
    assert form.values[Field.ORG_NAME] == "Établissement Public Médico-Social Les Quatre Vents"
    assert Field.ORG_NAME not in form.trailed


def test_a_kind_of_body_over_a_building_or_a_unit_is_not_joined() -> None:
    for below in ("Hôtel de Ville", "Direction de l'Enfance"):
        form = read_rows(text_rows(
            "Dénomination\tCentre Communal d'Action Sociale\n"
            f"{below}\n"
            "Adresse postale\t1 place de la Mairie, 49300 Cholet\n"
        ), prefix_labels=True)  # fmt: skip
        assert form.values[Field.ORG_NAME] == "Centre Communal d'Action Sociale"


def test_a_name_s_acronym_in_brackets_below_it_goes_on() -> None:
    form = read_rows(text_rows(
        "Dénomination\tAide et Soins à Domicile du Haut-Jura\n"
        "(ASD Haut-Jura)\n"
        "Adresse postale\t18 rue du Pré, 39200 Saint-Claude\n"
    ), prefix_labels=True)  # fmt: skip
    assert form.values[Field.ORG_NAME] == "Aide et Soins à Domicile du Haut-Jura (ASD Haut-Jura)"
    assert Field.ORG_NAME not in form.trailed


def test_a_signer_s_function_on_the_line_below_is_doubted() -> None:
    form = read_rows(text_rows(
        "Par (nom du signataire)\tFrédérique ALLAIRE-MOTTE\nCheffe du service formation\n"
        "Signature et cachet\n"
    ), prefix_labels=True)  # fmt: skip
    assert Field.SIGNATORY in form.trailed


def test_a_value_stopping_on_a_comma_is_doubted(catalog: Catalog) -> None:
    signed = "\nFait à Angers le 16/11/2026\nPar : Cédric JOUBERT,\n\nCordialement\n"
    u = understand(mail(HEAD + PEOPLE + "\nSoit 2 x 635 € = 1 270 €\n" + signed), catalog)
    assert "uncertain:signatory" in u.reasons


def test_arrows_as_the_list_s_bullets_and_separators(catalog: Catalog) -> None:
    people = (
        "\nParticipants :\n"
        "→ Mme Laure PICARD → l.picard@fondation-saintaubin.org\n"
        "→ M. Hervé COSTE → h.coste@fondation-saintaubin.org\n"
    )
    u = understand(mail(HEAD + people + "\nSoit 2 x 635 € = 1 270 €\n" + SIGNED), catalog)
    assert [(p.first_name, p.last_name) for p in u.participants] == [
        ("Laure", "PICARD"),
        ("Hervé", "COSTE"),
    ]
    assert u.decision is Decision.AUTO, u.reasons


def test_a_sign_or_a_figure_in_a_name_is_doubted(catalog: Catalog) -> None:
    people = "\nParticipants :\nMme Laure PI=CARD – l.picard@fondation-saintaubin.org\n"
    u = understand(mail(HEAD + people + "\nSoit 1 x 635 € = 635 €\n" + SIGNED), catalog)
    assert "uncertain:participants[0].last_name" in u.reasons


def test_sections_and_items_numbered_with_letters(catalog: Catalog) -> None:
    body = (
        "Bonjour,\n\nNotre inscription au webinaire du jeudi 26 novembre 2026 (CPOM ASE) :\n\n"
        "1) Organisme-client\n"
        "   a) Dénomination : Fondation Saint-Aubin\n"
        "   b) Adresse postale : 48 rue de la Mairie, 49100 Angers\n"
        "2) Gestionnaire de l'inscription\n"
        "   a) Prénom et NOM : Cédric JOUBERT\n"
        "   b) Adresse e-mail : c.joubert@fondation-saintaubin.org\n"
        "3) Participants\n"
        "   a) Mme Laure PICARD - l.picard@fondation-saintaubin.org\n"
        "   b) M. Hervé COSTE - h.coste@fondation-saintaubin.org\n"
        "4) Montant net total : 2 participants x 635 euros = 1 270,00 euros\n"
        "5) Fait à Angers, le 16/11/2026\n"
        "   Par : Cédric JOUBERT\n"
    )
    u = understand(mail(body), catalog)
    assert u.organisation is not None and u.organisation.name == "Fondation Saint-Aubin"
    assert [p.last_name for p in u.participants] == ["PICARD", "COSTE"]
    assert (u.signed_place, u.signatory) == ("Angers", "Cédric JOUBERT")
    assert u.decision is Decision.AUTO, u.reasons


def test_a_registration_told_in_sentences_is_a_registration_for_a_person(
    catalog: Catalog,
) -> None:
    body = (
        "Bonjour,\n\nNotre institut, ITEP Les Ormes, situé au 16 chemin de Bellevue, 24000 "
        "Périgueux, inscrit M. Bruno LACOMBE (bruno.lacombe@itep-lesormes.fr) au webinaire "
        "Handicap du vendredi 27 novembre 2026. Montant net total : 635,00 euros.\n\n"
        "Fait à Périgueux le 2 octobre 2026 par Mireille CHASSAING.\n"
    )
    u = understand(mail(body), catalog)
    assert (u.kind, u.decision) == (Kind.REGISTRATION, Decision.REVIEW)


def test_the_invoice_asked_at_the_manager_s_address_asks_nothing() -> None:
    assert side_question("Merci de nous envoyer la facture à l'adresse du gestionnaire.") is None
    assert side_question("Merci d'envoyer la facture au siège, 3 rue X, 75001 Paris.") is not None


def test_a_row_of_two_labelled_pairs_is_no_list_header() -> None:
    form = read_rows(text_rows(
        "Gestionnaire de l'inscription\n"
        "Prénom et NOM : Thierry MASSON\tAdresse e-mail : thierry.masson@apf.asso.fr\n"
        "Service : Direction régionale Grand Est\tTéléphone : 03 25 71 04 66\n"
    ))  # fmt: skip
    assert form.values[Field.MANAGER_NAME] == "Thierry MASSON"
    assert form.values[Field.MANAGER_EMAIL] == "thierry.masson@apf.asso.fr"


def test_headings_set_off_by_arrows_are_no_quote(catalog: Catalog) -> None:
    # ">> ORGANISME-CLIENT" between unquoted lines: a heading, and the form below it is new.
    body = (
        "Bonjour,\n\nVoici notre inscription au webinaire du jeudi 26 novembre 2026 (CPOM ASE).\n"
        ">> ORGANISME-CLIENT\nDénomination : Fondation Saint-Aubin\n"
        "Adresse postale : 48 rue de la Mairie, 49100 Angers\n"
        ">> GESTIONNAIRE DE L'INSCRIPTION\nPrénom et NOM : Cédric JOUBERT\n"
        "Adresse e-mail : c.joubert@fondation-saintaubin.org\n"
        ">> PARTICIPANTS\nMme Laure PICARD – l.picard@fondation-saintaubin.org\n"
        "M. Hervé COSTE – h.coste@fondation-saintaubin.org\n"
        "\nSoit 2 x 635 € = 1 270 €\n" + SIGNED
    )
    u = understand(mail(body), catalog)
    assert (u.kind, u.decision) == (Kind.REGISTRATION, Decision.AUTO), u.reasons
    assert u.organisation is not None and u.organisation.name == "Fondation Saint-Aubin"
    assert [p.last_name for p in u.participants] == ["PICARD", "COSTE"]


def test_a_quote_below_the_new_text_is_still_history() -> None:
    from mailbot.understanding.bodies import split_history

    split = split_history("Merci, voici la liste.\n\n> Bonjour,\n> Pouvez-vous nous écrire ?\n")
    assert split.new.strip() == "Merci, voici la liste."
    assert "Pouvez-vous" in split.history


def test_a_title_wrapped_in_lower_case_in_a_narrow_cell_goes_on() -> None:
    form = read_rows(text_rows(
        "Par (nom du signataire)\tLe Directeur général adjoint\n"
        "chargé de la solidarité\ndépartementale, Capucine\nDUCOURNAU\n"
        "Signature et cachet\n"
    ), prefix_labels=True)  # fmt: skip
    assert form.values[Field.SIGNATORY] == (
        "Le Directeur général adjoint chargé de la solidarité départementale, Capucine DUCOURNAU"
    )


def test_an_address_goes_on_under_its_label_s_second_line() -> None:
    # A scan's label "Adresse postale" wrapped in its cell, between the address's lines.
    form = read_rows(text_rows(
        "Dénomination\tAssociation Horizons Jeunesse\nAdresse\t58 rue Vauban\npostale\n"
        "67000 Strasbourg\nGestionnaire de l'inscription\n"
    ), prefix_labels=True)  # fmt: skip
    assert form.values[Field.ADDRESS] == "58 rue Vauban, 67000 Strasbourg"
    assert form.unread == []


@pytest.mark.parametrize(
    ("lines", "address"),
    [
        ("4 place du Marché\nAdresse postale\n19200 Ussel\n", "4 place du Marché, 19200 Ussel"),
        ("11 rue François Chénieux\nAdresse postale\tCS 83112\n87031 Limoges Cedex 1\n",
         "11 rue François Chénieux, CS 83112, 87031 Limoges Cedex 1"),
    ],
)  # fmt: skip
def test_an_address_label_centred_beside_the_address_s_lines(lines: str, address: str) -> None:
    # A PDF's table without rulings, its cells centred up and down: the label stands level
    # with the middle of the address, its first line above the label's row.
    form = read_rows(text_rows(
        "Dénomination\tSAAD Les Bruyères\n" + lines + "Gestionnaire de l'inscription\n"
    ), prefix_labels=True)  # fmt: skip
    assert form.values[Field.ADDRESS] == address
    assert form.values[Field.ORG_NAME] == "SAAD Les Bruyères"


def test_a_building_above_a_centred_label_s_two_lines_stays_in_doubt() -> None:
    # "Hôtel du Département" may end the name or open the address: a person decides.
    form = read_rows(text_rows(
        "Dénomination\tDépartement du Lot-et-Garonne\nHôtel du Département\n"
        "Adresse postale\t1633 avenue du Général Leclerc\n47922 Agen Cedex 9\n"
    ), prefix_labels=True)  # fmt: skip
    assert form.values[Field.ADDRESS] == "1633 avenue du Général Leclerc, 47922 Agen Cedex 9"
    assert "Hôtel du Département" in form.unread


def test_a_signing_table_of_two_cells_each_with_two_labelled_lines_reads_down() -> None:
    # "Fait à : Aurillac" / "Le : …" beside "Par … : …" / "Signature et cachet :": each
    # cell is read down, so the signer's name ends before the next label.
    text = render_table([(
        "Fait à : Aurillac\nLe : 30 septembre 2026",
        "Par (nom du signataire) : Pour le Président et par délégation, Hervé DELPUECH\n"
        "Signature et cachet :",
    )])  # fmt: skip
    values = read_rows(text_rows(text), prefix_labels=True).values
    assert values[Field.SIGNATORY] == "Pour le Président et par délégation, Hervé DELPUECH"
    assert values[Field.PLACE] == "Aurillac"
    assert values[Field.SIGNED_DATE] == "30 septembre 2026"


def test_a_signer_read_with_the_next_label_of_the_block_is_doubted(catalog: Catalog) -> None:
    signed = "\nFait à Angers le 16/11/2026\nPar : Cédric JOUBERT, Signature et cachet\n"
    u = understand(mail(HEAD + PEOPLE + "\nSoit 2 x 635 € = 1 270 €\n" + signed), catalog)
    assert "uncertain:signatory" in u.reasons


def test_the_amount_line_wrapped_before_its_count_is_read_whole() -> None:
    form = read_rows(text_rows(
        "Montant net total des frais d'inscription = nombre de participants\n"
        "( 1 ) x 635 Euros =\t€\n"
    ), prefix_labels=True)  # fmt: skip
    assert (form.declared_count, form.declared_total) == (1, None)


def test_the_manager_introduced_as_votre_contact_after_the_list(catalog: Catalog) -> None:
    # Under the participants, "Votre contact : …" is the manager, not one more person.
    head = HEAD.split("Gestionnaire de l'inscription", maxsplit=1)[0]
    contact = ("\nVotre contact : Cédric JOUBERT, Direction du pôle enfance, 02 41 87 66 03, "
               "c.joubert@fondation-saintaubin.org\n")  # fmt: skip
    u = understand(mail(head + PEOPLE + contact + "\nSoit 2 x 635 € = 1 270 €\n" + SIGNED), catalog)
    assert u.manager is not None
    assert (u.manager.full_name, u.manager.email) == (
        "Cédric JOUBERT",
        "c.joubert@fondation-saintaubin.org",
    )
    assert [p.last_name for p in u.participants] == ["PICARD", "COSTE"]
    assert u.decision is Decision.AUTO, u.reasons
