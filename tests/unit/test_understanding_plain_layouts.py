"""Layouts of the eighth sweep: columns aligned with spaces in a plain mail, values under
their labels, a phone's emoji before each label, a locality line in an address, a long
name wrapped in its cell, a session table answered "oui" / "non"."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mailbot.catalog import Catalog
from mailbot.understanding import understand
from mailbot.understanding.documents.tables import render_table
from mailbot.understanding.form_reader import parse_person_line, read_rows, text_rows
from mailbot.understanding.labels import Field
from mailbot.understanding.model import Decision
from tests.factories.mails import mail


def test_columns_aligned_with_spaces_are_read(catalog: Catalog) -> None:
    body = """Veuillez enregistrer l'inscription suivante au webinaire CPOM PH du 27 novembre 2026.

ORGANISME CLIENT
DENOMINATION            IME Les Peupliers
ADRESSE POSTALE         8 chemin des Granges 18000 Bourges

GESTIONNAIRE DE L'INSCRIPTION
PRENOM ET NOM           Hélène QUÉRU
ADRESSE E-MAIL          h.queru@adapei18.fr

PARTICIPANTS
CIVILITE   PRENOM       NOM          ADRESSE E-MAIL DE CONNEXION
M.         Jean-Marc    TISSERAND    jm.tisserand@adapei18.fr
Mme        Sonia        BELKACEM     s.belkacem@adapei18.fr

NOMBRE DE PARTICIPANTS  2
MONTANT TOTAL           1270 EUROS

FAIT A                  Bourges
LE                      28 septembre 2026
PAR                     Christophe MARIOTTE, Directeur
"""
    u = understand(mail(body), catalog)
    assert u.decision is Decision.AUTO, u.reasons
    assert u.organisation is not None and u.organisation.name == "IME Les Peupliers"
    assert [p.last_name for p in u.participants] == ["TISSERAND", "BELKACEM"]
    assert (u.declared_count, u.declared_total_eur) == (2, Decimal("1270"))
    assert u.signatory == "Christophe MARIOTTE, Directeur"


def test_two_spaces_split_a_known_label_only() -> None:
    form = read_rows(text_rows("Merci  beaucoup\nNOMBRE DE PARTICIPANTS  3\n"))
    assert form.declared_count == 3
    assert text_rows("Merci  beaucoup") == [("Merci  beaucoup",)]


def test_a_count_and_a_total_under_their_labels_are_read(catalog: Catalog) -> None:
    body = """Ci-dessous le bulletin pour la journée du 26 novembre (CPOM ASE).

Dénomination
Maison d'enfants Les Hirondelles

Adresse postale
5 allée des Marronniers
63100 Clermont-Ferrand

Gestionnaire de l'inscription (prénom et NOM)
Yasmine HADDAD

Adresse e-mail
y.haddad@mecs-hirondelles.org

Participants
Mme Yasmine HADDAD
y.haddad@mecs-hirondelles.org

Nombre de participants
2

Montant total
1 270,00 €

Par (nom du signataire)
Bernadette VIALLE
"""
    u = understand(mail(body), catalog)
    # One participant for a declared 2: the figures are read, so the mismatch is seen.
    assert (u.declared_count, u.declared_total_eur) == (2, Decimal("1270.00"))
    assert u.decision is Decision.REVIEW
    assert "count_mismatch" in u.reasons


def test_a_phones_emoji_before_labels_and_people_are_dropped(catalog: Catalog) -> None:
    body = """Voici notre inscription 🙂

📅 Web-séminaire CPOM ASE du jeudi 26 novembre 2026
🏢 Dénomination : Aide à Domicile en Milieu Gersois
📍 Adresse postale : 3 place de la Libération, 32000 Auch
👤 Gestionnaire : Marion DESCAMPS
📧 E-mail : marion.descamps@amg32.fr

👥 Participants :
1️⃣ Mme Marion DESCAMPS – marion.descamps@amg32.fr
2️⃣ M. Hugo LACOMBE – hugo.lacombe@amg32.fr

✍️ Fait à Auch, le 14/10/2026 – par Marion DESCAMPS
"""
    u = understand(mail(body), catalog)
    assert u.decision is Decision.AUTO, u.reasons
    assert [(p.civility, p.first_name) for p in u.participants] == [
        ("Mme", "Marion"),
        ("M.", "Hugo"),
    ]
    assert (u.signed_place, u.signatory) == ("Auch", "Marion DESCAMPS")


def test_a_tick_glyph_is_not_taken_for_an_emoji() -> None:
    form = read_rows(text_rows("☐ jeudi 18 mars 2027\n☒ vendredi 8 octobre 2027\n"))
    assert form.checkboxes == [("jeudi 18 mars 2027", False), ("vendredi 8 octobre 2027", True)]


def test_a_locality_line_above_the_postcode_belongs_to_the_address() -> None:
    form = read_rows(text_rows(
        "Dénomination\tDépartement du Lot\nAdresse postale\tAvenue de l'Europe\nRegourd\n"
        "46005 Cahors Cedex 9\nGestionnaire de l'inscription\n"
    ), prefix_labels=True)  # fmt: skip
    assert form.values[Field.ADDRESS] == "Avenue de l'Europe, Regourd, 46005 Cahors Cedex 9"


def test_a_line_not_followed_by_a_postcode_stays_out_of_the_address() -> None:
    form = read_rows(
        text_rows("Adresse postale\tAvenue de l'Europe\nRegourd\nSuite du texte\n"),
        prefix_labels=True,
    )
    assert form.values[Field.ADDRESS] == "Avenue de l'Europe"


def test_a_long_name_wrapped_in_its_cell_goes_on_in_lower_case() -> None:
    text = (
        "Dénomination\tCentre intercommunal d'action sociale\n"
        "du Grand-Figeac - Service d'aide et d'accompagnement à domicile\n"
        "Adresse postale\t2 rue X, 46100 Figeac\n"
    )
    form = read_rows(text_rows(text), prefix_labels=True)
    assert form.values[Field.ORG_NAME] == (
        "Centre intercommunal d'action sociale du Grand-Figeac - Service d'aide et "
        "d'accompagnement à domicile"
    )


def test_paragraphs_of_a_cell_join_as_one_name_when_the_second_goes_on() -> None:
    text = render_table([
        ("Dénomination", "Association des Pupilles de l'Enseignement Public\nde la Haute-Garonne"),
        ("Adresse postale", "19 rue Bernard Mulé\nCS 45620\n31056 Toulouse Cedex 5"),
    ])  # fmt: skip
    assert text.splitlines() == [
        "Dénomination\tAssociation des Pupilles de l'Enseignement Public de la Haute-Garonne",
        "Adresse postale\t19 rue Bernard Mulé, CS 45620, 31056 Toulouse Cedex 5",
    ]


@pytest.mark.parametrize(
    ("march", "october", "boxes"),
    [("non", "oui", [False, True]), ("Oui", "Non.", [True, False]), ("oui", "oui", [True, True])],
)
def test_a_session_table_answered_in_words(march: str, october: str, boxes: list[bool]) -> None:
    form = read_rows([
        ("Session", "Choix (oui / non)"),
        ("jeudi 18 mars 2027 de 9h30 à 17h00", march),
        ("vendredi 8 octobre 2027 de 9h30 à 17h00", october),
    ])  # fmt: skip
    assert [ticked for _, ticked in form.checkboxes] == boxes


def test_an_x_typed_after_the_date_beside_a_box_left_empty_ticks_it() -> None:
    form = read_rows([
        ("Session choisie (cocher une case)",),
        ("☐ jeudi 18 mars 2027 de 9h30 à 17h00",),
        ("☐ vendredi 8 octobre 2027 de 9h30 à 17h00 X",),
    ])  # fmt: skip
    assert form.checkboxes == [
        ("jeudi 18 mars 2027 de 9h30 à 17h00", False),
        ("vendredi 8 octobre 2027 de 9h30 à 17h00", True),
    ]


def test_a_yes_beside_no_date_is_no_box() -> None:
    form = read_rows([("Accord de prise en charge", "oui")])
    assert form.checkboxes == []


def test_a_participant_line_under_the_manager_s_block_is_a_participant() -> None:
    # "Participant" is also a column of names: under the manager's heading it must not be
    # read as a second name for the manager.
    text = (
        "Gestionnaire de l'inscription\nPrénom et NOM : Agnès TRONCHE\n"
        "Téléphone : 05 55 92 40 66\n\n"
        "Participant : Mme Agnès TRONCHE – samsah.brive@mlas-limousin.fr\n"
    )
    form = read_rows(text_rows(text))
    assert [(p.civility, p.first_name, p.last_name, p.email) for p in form.participants] == [
        ("Mme", "Agnès", "TRONCHE", "samsah.brive@mlas-limousin.fr")
    ]
    assert form.values[Field.MANAGER_NAME] == "Agnès TRONCHE"


@pytest.mark.parametrize(
    "rows",
    [
        "Adresse postale : 455 avenue du Prado\t13008 Marseille\n",
        "Adresse postale :\t455 avenue du Prado\t13008 Marseille\n",
        "Adresse postale\t455 avenue du Prado\t\t13008\tMarseille\n",
        "Adresse postale : 455 avenue du Prado\n\t13008 Marseille\n",
    ],
)
def test_address_lines_a_text_layer_set_side_by_side_are_all_kept(rows: str) -> None:
    # A PDF's text layer prints a gap as a tab: the street is not a label, the town not
    # its value, and no line is lost.
    form = read_rows(text_rows(f"Dénomination : ACME\n{rows}Gestionnaire de l'inscription\n"))
    assert form.values[Field.ADDRESS] == "455 avenue du Prado, 13008 Marseille"


def test_the_lines_of_an_address_under_its_first_keep_their_breaks() -> None:
    text = ("Adresse postale : Le Galaxie - Bât. B\n455 avenue du Prado\t13008 Marseille\n"
            "SIRET\t228 700 013 00019\n")  # fmt: skip
    form = read_rows(text_rows(text))
    assert form.values[Field.ADDRESS] == "Le Galaxie - Bât. B, 455 avenue du Prado, 13008 Marseille"


def test_two_pairs_side_by_side_are_read_apart() -> None:
    form = read_rows(text_rows("Service : Direction\tTéléphone : 05 55 12 34 56\n"))
    assert form.values[Field.SERVICE] == "Direction"
    assert form.values[Field.PHONE] == "05 55 12 34 56"


def test_a_street_number_or_a_box_cut_from_its_line_by_a_gap_stays_on_it() -> None:
    rows = "Adresse postale :\t12 bis\true du Port\tBP\t20117\t64300\tOrthez\n"
    form = read_rows(text_rows(rows))
    assert form.values[Field.ADDRESS] == "12 bis rue du Port, BP 20117, 64300 Orthez"


def test_a_participant_in_two_labelled_pieces_is_read(catalog: Catalog) -> None:
    from tests.factories.mails import BODY_FORM

    body = BODY_FORM.replace(
        "1. M. Paul MARTIN - paul.martin@gironde.fr\n"
        "2. Mme Hélène DE LA FONTAINE - h.delafontaine@gironde.fr",
        "1. Nom et prénom : M. MARTIN Paul – Adresse e-mail : paul.martin@gironde.fr\n"
        "2. Nom et prénom : Mme DE LA FONTAINE Hélène – Adresse e-mail : h.delafontaine@gironde.fr",
    )
    u = understand(mail(body), catalog)
    assert [(p.civility, p.first_name, p.last_name, p.email) for p in u.participants] == [
        ("M.", "Paul", "MARTIN", "paul.martin@gironde.fr"),
        ("Mme", "Hélène", "DE LA FONTAINE", "h.delafontaine@gironde.fr"),
    ]
    assert u.decision is Decision.AUTO, u.reasons


def test_the_amounts_end_the_list_of_participants() -> None:
    # A block the organisation added below the amounts ("Facturation", two columns) is no
    # more participants.
    text = (
        "Participants\nCivilité\tPrénom\tNOM\tAdresse e-mail de connexion\n"
        "M.\tRachid\tAMRANI\tr.amrani@x.fr\n"
        "Montant net total des frais d'inscription = nombre de participants ( 1 ) x 635 euros"
        " = 635,00 €\nFacturation\nMode de facturation\tLa facture sera déposée sur Chorus Pro\n"
        "Code service\tSE-FORMATION\n"
    )
    form = read_rows(text_rows(text), prefix_labels=True)
    assert [p.last_name for p in form.participants] == ["AMRANI"]


def test_dotted_leaders_under_the_organisation_s_heading_are_labels() -> None:
    # Not an envelope's unlabelled block: "Dénomination ......." is the name's label.
    text = (
        "ORGANISME-CLIENT\n  Dénomination ....... CCAS de Montbrison\n"
        "  Adresse postale .... Hôtel de Ville\n                       42600 Montbrison\n\n"
    )
    form = read_rows(text_rows(text))
    assert form.values[Field.ORG_NAME] == "CCAS de Montbrison"
    assert form.values[Field.ADDRESS] == "Hôtel de Ville, 42600 Montbrison"


@pytest.mark.parametrize("label", ["Participante", "Participant 1"])
def test_a_participant_named_on_one_line_takes_the_address_labelled_under_her(label: str) -> None:
    text = (
        "Adresse e-mail : chef@x.fr\n\n"
        f"{label} : Mlle Pauline THOMAS\nE-mail de connexion : pauline.thomas@apf.fr\n\n"
        "Fait à Poitiers\n"
    )
    form = read_rows(text_rows(text))
    assert [(p.civility, p.first_name, p.last_name, p.email) for p in form.participants] == [
        ("Mlle", "Pauline", "THOMAS", "pauline.thomas@apf.fr")
    ]
    assert form.values[Field.MANAGER_EMAIL] == "chef@x.fr"


def test_numbered_participants_each_over_their_address_are_two_people() -> None:
    text = (
        "Participant 1 : Mme Claire DUPONT\nE-mail : c.dupont@x.fr\n"
        "Participant 2 : M. Paul MARTIN\nE-mail : p.martin@x.fr\n"
    )
    people = read_rows(text_rows(text)).participants
    assert [(p.last_name, p.email) for p in people] == [
        ("DUPONT", "c.dupont@x.fr"),
        ("MARTIN", "p.martin@x.fr"),
    ]


@pytest.mark.parametrize("label", ["Mél", "Courriel", "Adresse e-mail de connexion"])
def test_an_address_s_label_after_a_name_is_no_part_of_it(label: str) -> None:
    person = parse_person_line(f"Mme Martine CAZENAVE   {label} : m.cazenave@usp-bearn.fr")
    assert person is not None
    assert (person.first_name, person.last_name) == ("Martine", "CAZENAVE")


def test_a_net_amount_is_the_total() -> None:
    form = read_rows(text_rows("Nombre d'inscrits : 2\nMontant net : 1250 euros\n"))
    assert form.declared_total == Decimal("1250")


@pytest.mark.parametrize(
    ("lines", "joined"),
    [
        (["Adresse de", "facturation", "(voie, BP, code postal, ville)"],
         "Adresse de facturation (voie, BP, code postal, ville)"),
        (["Civi-", "lité"], "Civilité"),
        (["3 rue du Moulin", "55120 Clermont-en-Argonne"], "3 rue du Moulin, 55120 Clermont-en-Argonne"),
    ],
)  # fmt: skip
def test_a_word_cell_s_lines_join_as_a_label_s_or_an_address_s(
    lines: list[str], joined: str
) -> None:
    from mailbot.understanding.documents.tables import join_cell_lines

    assert join_cell_lines(lines) == joined


def test_the_organisation_s_details_as_a_one_row_table_under_its_heading() -> None:
    text = (
        "Organisme-client\nDénomination\tAdresse postale\n"
        "Association Sauvegarde du Cher\t18 avenue de la Libération, 18000 Bourges\n"
        "Gestionnaire de l'inscription\n"
    )
    form = read_rows(text_rows(text))
    assert form.values[Field.ORG_NAME] == "Association Sauvegarde du Cher"
    assert form.values[Field.ADDRESS] == "18 avenue de la Libération, 18000 Bourges"


def test_two_blocks_a_mail_flattened_under_their_headings_side_by_side() -> None:
    # Thunderbird's nested tables: both headings on one row, then the organisation's
    # rows, then the manager's, one after the other.
    text = (
        "Organisme-client\tGestionnaire de l'inscription\n"
        "Dénomination\tSAAD Vivre Chez Soi Ardennes\n"
        "Adresse postale\t3 place Ducale, 08000 Charleville-Mézières\n"
        "Adresse e-mail\tb.lhuillier@vivrechezsoi08.fr\nPrénom et NOM\tBertrand LHUILLIER\n"
    )
    form = read_rows(text_rows(text))
    assert form.values[Field.ORG_NAME] == "SAAD Vivre Chez Soi Ardennes"
    assert form.values[Field.ADDRESS] == "3 place Ducale, 08000 Charleville-Mézières"
    assert form.values[Field.MANAGER_EMAIL] == "b.lhuillier@vivrechezsoi08.fr"
