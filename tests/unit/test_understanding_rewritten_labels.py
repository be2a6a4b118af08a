"""Forms whose labels the organisation rewrote: bilingual halves, other separators,
English wordings, counts of "agents", a total "net à payer" or "gratuit", and rows of
the form's own that are not read (SIRET, Chorus codes)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from mailbot.catalog import Catalog
from mailbot.understanding import understand
from mailbot.understanding.dates import parse_date
from mailbot.understanding.form_reader import parse_person_line, read_rows, text_rows
from mailbot.understanding.labels import Field, field_for
from mailbot.understanding.model import Decision, Kind
from mailbot.understanding.names import only_a_title
from mailbot.understanding.reading import _opens_with_label
from tests.factories.mails import BODY_FORM, mail


def document(text: str):  # type: ignore[no-untyped-def]
    return read_rows(text_rows(text), prefix_labels=True)


@pytest.mark.parametrize(
    ("text", "values"),
    [
        # A bilingual label is its French half.
        (
            "Dénomination / Organisation name\tDépartement des Landes\n"
            "Service / Department\tPôle protection de l'enfance\n"
            "Fait à / Place : Mont-de-Marsan\n"
            "Par / Signed by : Le Directeur, Patrick SARRAUTE\n",
            {
                Field.ORG_NAME: "Département des Landes",
                Field.SERVICE: "Pôle protection de l'enfance",
                Field.PLACE: "Mont-de-Marsan",
                Field.SIGNATORY: "Le Directeur, Patrick SARRAUTE",
            },
        ),
        # The owner named before the label, as a table's merged heading reads.
        (
            "Gestionnaire – Prénom et NOM\tKarine DESCHAMPS\n"
            "Gestionnaire - Adresse e-mail\tk.deschamps@allier.fr\n"
            "Responsable de l'inscription – Téléphone\t04 70 34 15 60\n",
            {
                Field.MANAGER_NAME: "Karine DESCHAMPS",
                Field.MANAGER_EMAIL: "k.deschamps@allier.fr",
                Field.PHONE: "04 70 34 15 60",
            },
        ),
    ],
)
def test_rewritten_labels_name_their_fields(text: str, values: dict[Field, str]) -> None:
    form = document(text)
    assert {field: form.values.get(field) for field in values} == values
    assert field_for("Responsable légal") is None  # an owner's word alone names no field


def test_a_bilingual_signatory_label_left_blank_is_blank() -> None:
    form = document(
        "Fait à / Place\tVannes\nPar / Signed by\nSignature et cachet / Signature and stamp\n"
    )
    assert form.values[Field.PLACE] == "Vannes"
    assert Field.SIGNATORY not in form.values


def test_one_label_with_a_slash_stays_one_label() -> None:
    assert field_for("Nom / Prénom") is Field.MANAGER_NAME


@pytest.mark.parametrize("separator", ["->", "?", "=", "-"])
def test_other_separators_after_a_known_label(separator: str) -> None:
    form = read_rows(
        text_rows(f"Organisme {separator} Association Horizon\nTél. {separator} 02 97 35 60 11\n")
    )
    assert form.values[Field.ORG_NAME] == "Association Horizon"
    assert form.values[Field.PHONE] == "02 97 35 60 11"


def test_another_separator_after_words_that_are_no_label_is_prose() -> None:
    form = read_rows(text_rows("Merci beaucoup -> à bientôt\n"))
    assert form.values == {}


def test_a_person_written_with_dashes_between_the_cells() -> None:
    person = parse_person_line("Mme - Laetitia - SAINT-MARTIN - l.saint-martin@gers.fr")
    assert person is not None
    assert (person.civility, person.first_name, person.last_name) == (
        "Mme",
        "Laetitia",
        "SAINT-MARTIN",
    )
    # A function between dashes is no cell of a table.
    person = parse_person_line("Mme Anne ROUX - Cheffe de service - Pôle enfance - a.roux@x.fr")
    assert person is not None and (person.first_name, person.last_name) == ("Anne", "ROUX")


def test_english_labels_are_read() -> None:
    form = document(
        "Organisation\tASD Val de Saône\nPostal address\t2 rue X, 71000 Mâcon\n"
        "Contact person\tRebecca HOLLAND\nE-mail\tr.holland@asd.fr\nPhone\t03 85 00 00 00\n"
        "Attendees\nTitle\tFirst name\tLast name\tLogin e-mail\nMs\tAnna\tBERG\ta.berg@asd.fr\n"
        "Number of attendees : 1\nTotal amount : 625,00 €\nSigned by : Rebecca HOLLAND\n"
    )
    assert form.values[Field.ORG_NAME] == "ASD Val de Saône"
    assert form.values[Field.MANAGER_NAME] == "Rebecca HOLLAND"
    assert [(p.civility, p.first_name, p.last_name) for p in form.participants] == [
        ("Mme", "Anna", "BERG")
    ]
    assert (form.declared_count, form.declared_total) == (1, Decimal("625.00"))


def test_a_count_of_agents_and_a_manager_s_phone_named_without_du() -> None:
    form = document("Nombre d'agents : 4\nTél. interlocuteur\t03 25 03 14 70\n")
    assert form.declared_count == 4
    assert form.values[Field.PHONE] == "03 25 03 14 70"


@pytest.mark.parametrize(
    ("line", "total"),
    [
        ("Net à payer : 1 875,00 €", Decimal("1875.00")),
        ("Montant net total des frais d'inscription = nombre de participants (1) x 635 euros = gratuit",
         Decimal("0")),
    ],
)  # fmt: skip
def test_totals_written_otherwise(line: str, total: Decimal) -> None:
    assert document(line + "\n").declared_total == total


def test_a_row_of_the_form_s_own_ends_the_address_above() -> None:
    form = document(
        "Adresse postale\t11 rue François Chénieux, CS 83112, 87031 Limoges Cedex 1\n"
        "SIRET\t228 700 013 00019\nCode service Chorus\tPSOL-DOM\n"
    )
    assert form.values[Field.ADDRESS] == "11 rue François Chénieux, CS 83112, 87031 Limoges Cedex 1"


@pytest.mark.parametrize(
    ("written", "date"),
    [("1er/10/2026", dt.date(2026, 10, 1)), ("2026/10/20", dt.date(2026, 10, 20)),
     ("le 2/11/26", dt.date(2026, 11, 2))],
)  # fmt: skip
def test_dates_written_otherwise(written: str, date: dt.date) -> None:
    assert parse_date(written, 2026) == date


def test_the_training_body_named_in_the_form_s_heading_is_not_the_client() -> None:
    form = document(
        "Organisme : Institut de la Performance Publique – ipp@ipp.fr\n"
        "Collectivité\tConseil départemental de la Haute-Vienne\n"
    )
    assert form.values[Field.ORG_NAME] == "Conseil départemental de la Haute-Vienne"
    assert Field.ORG_NAME not in form.restated


@pytest.mark.parametrize(
    ("line", "count", "total"),
    [
        ("Nombre de participants : 2, soit 1 250 €.", 2, Decimal("1250")),
        ("Nombre de participants : 3 (1 905 €)", 3, Decimal("1905")),
        ("Nombre de participants : 2 x 635 € = 1 270 €", 2, Decimal("1270")),
        ("Nombre de participants : 4", 4, None),
        # A PDF form's count field laid left of the printed bracket, left empty.
        (
            "Montant net total des frais d'inscription = nombre de participants\t4\t(\t) x 625 "
            "euros =\t2 500,00\teuros",
            4,
            Decimal("2500"),
        ),
    ],
)
def test_a_total_written_after_the_count(line: str, count: int, total: Decimal | None) -> None:
    form = document(line)
    assert (form.declared_count, form.declared_total) == (count, total)


def test_an_empty_row_still_offering_m_or_mme_is_nobody() -> None:
    form = document(
        "Civilité\tPrénom\tNOM\tAdresse e-mail de connexion\n"
        "Mme\tAnne\tROUX\ta.roux@x.fr\n"
        "M. / Mme\t\t\t\n"
        "Madame ou Monsieur\t\t\t\n"
        "Mme/M.\n"
    )
    assert [(p.civility, p.last_name) for p in form.participants] == [("Mme", "ROUX")]


def test_a_participant_written_as_labelled_pieces_on_one_line() -> None:
    form = document(
        "Gestionnaire de l'inscription\n"
        "Prénom et NOM : Francine LAFFORGUE / Adresse e-mail : f.l@x.fr / Service : SAD\n"
        "Participants\n"
        "- Civilité : Mme / Prénom : Josiane / NOM : CAPDEVILLE / E-mail : j.capdeville@x.fr\n"
        "- Civilité : M. ; Prénom : Alexis ; NOM : MARTY ; E-mail : a.marty@x.fr\n"
    )
    assert [(p.civility, p.first_name, p.last_name, p.email) for p in form.participants] == [
        ("Mme", "Josiane", "CAPDEVILLE", "j.capdeville@x.fr"),
        ("M.", "Alexis", "MARTY", "a.marty@x.fr"),
    ]


def test_a_participants_header_with_a_column_of_the_organisation_s_own() -> None:
    form = document(
        "Adresse e-mail de connexion\tNOM\tPrénom\tCivilité\tObservations\n"
        "c.verhaeghe@x.org\tVERHAEGHE\tCaroline\tMme\tréférente CPOM\n"
        "b.devos@x.org\tDEVOS\tBenjamin\tM.\n"
    )
    assert [(p.civility, p.first_name, p.last_name, p.email) for p in form.participants] == [
        ("Mme", "Caroline", "VERHAEGHE", "c.verhaeghe@x.org"),
        ("M.", "Benjamin", "DEVOS", "b.devos@x.org"),
    ]


@pytest.mark.parametrize(
    "label", ["Personne en charge du dossier", "Affaire suivie par", "Chargée du dossier"]
)
def test_the_manager_named_as_the_one_in_charge_of_the_file(label: str) -> None:
    assert document(f"{label}\tRomain PETITJEAN\n").values[Field.MANAGER_NAME] == "Romain PETITJEAN"


@pytest.mark.parametrize(
    ("label", "field"),
    [("N° de téléphone", Field.PHONE), ("Ligne directe", Field.PHONE),
     ("Pôle / service", Field.SERVICE), ("Pôle", Field.SERVICE),
     ("Nb d'inscrit(e)s", Field.COUNT), ("Suivi du dossier par", Field.MANAGER_NAME),
     ("Gestionnaire du dossier", Field.MANAGER_NAME), ("Le représentant légal", Field.SIGNATORY),
     ("Tél. fixe / portable", Field.PHONE)],
)  # fmt: skip
def test_labels_of_an_organisation_s_own_template(label: str, field: Field) -> None:
    assert field_for(label) is field


def test_an_address_typed_over_several_dotted_lines_keeps_none_of_the_dots() -> None:
    form = document(
        "Organisme-client\n"
        "Adresse postale : Espace Jean-Marie Le Bris .........................\n"
        "14 rue de Kerjulaudren ........................................\n"
        "56100 Lorient ........................................\n"
        "Gestionnaire de l'inscription\n"
    )
    assert form.values[Field.ADDRESS] == (
        "Espace Jean-Marie Le Bris, 14 rue de Kerjulaudren, 56100 Lorient"
    )


@pytest.mark.parametrize("joined", [", ", "\n"])
def test_a_name_column_holding_the_address_too(joined: str) -> None:
    cell = f"DARRIEUTORT Pascale{joined}pascale.darrieutort@handicap-pyrenees.org"
    rows = [("N°", "Civilité", "NOM Prénom / adresse e-mail", "Fonction"),
            ("1", "Mme", cell, "Directrice du foyer de vie")]  # fmt: skip
    form = read_rows(rows, prefix_labels=True)
    assert [(p.civility, p.first_name, p.last_name, p.email) for p in form.participants] == [
        ("Mme", "Pascale", "DARRIEUTORT", "pascale.darrieutort@handicap-pyrenees.org")
    ]


def test_a_template_dated_as_a_letter() -> None:
    form = document("A Guéret, le 30 septembre 2026\n(Signature et cachet)\n")
    assert (form.values[Field.PLACE], form.values[Field.SIGNED_DATE]) == (
        "Guéret",
        "30 septembre 2026",
    )
    signed = document("À Guéret, le 30 septembre 2026, par Bruno AUCLAIR\n")
    assert (signed.values[Field.PLACE], signed.values[Field.SIGNATORY]) == (
        "Guéret",
        "Bruno AUCLAIR",
    )


@pytest.mark.parametrize(
    "text",
    ["À noter : le 12 mars\nA l'attention de Mme ROUX, le service formation\n",
     "À Paris, le 5 novembre dernier, nous avons décidé d'inscrire deux agents.\n",
     "A Monsieur le Directeur, le responsable formation\n"],
)  # fmt: skip
def test_a_line_opening_on_a_that_is_no_place_and_date(text: str) -> None:
    form = document(text)
    assert Field.PLACE not in form.values
    assert Field.SIGNATORY not in form.values


@pytest.mark.parametrize(
    ("line", "place"),
    [("Fait au Mans, le 12/10/2026", "Le Mans"),
     ("Fait aux Sables-d'Olonne, le 12/10/2026", "Les Sables-d'Olonne"),
     ("Fait à Auch, le 12/10/2026", "Auch"), ("Fait àPau, le 12/10/2026", "Pau"),
     ("Lieu et date : Niort, le 12/10/2026", "Niort"), ("Lieu et date : Niort, 12/10/2026", "Niort")],
)  # fmt: skip
def test_the_place_keeps_the_article_joined_to_a(line: str, place: str) -> None:
    form = document(line)
    assert (form.values[Field.PLACE], form.values[Field.SIGNED_DATE]) == (place, "12/10/2026")
    assert Field.PLACE not in document("Fait au nom de la structure").values


LETTER, FORM = "A Guéret, le 30 septembre 2026", "Fait à Saintes, le 4 novembre 2026"


@pytest.mark.parametrize(
    ("dated", "below", "signatory"),
    [(LETTER, "Bruno AUCLAIR", "Bruno AUCLAIR"),
     (LETTER, "Christophe LASSERRE, DAF", "Christophe LASSERRE, DAF"),
     (LETTER, "(Signature et cachet de l'organisme)", None), (LETTER, "Madame la Directrice", None),
     (FORM, "Le Président, Jean-Louis MERCIER", "Le Président, Jean-Louis MERCIER"),
     (FORM, "Le Directeur général,\nBernard CAILLAUD", "Le Directeur général, Bernard CAILLAUD"),
     (FORM, "Le Directeur général,\nSignature et cachet", None), (FORM, "Signature :", None)],
)  # fmt: skip
def test_the_signer_written_under_the_place_and_date(
    dated: str, below: str, signatory: str | None
) -> None:
    form = document(f"{dated}\n{below}\n(Signature et cachet)\n")
    assert form.values.get(Field.SIGNATORY) == signatory


@pytest.mark.parametrize(
    ("block", "signatory"),
    [("Le Président\nJean-Baptiste de VILLENEUVE", "Le Président, Jean-Baptiste de VILLENEUVE"),
     ("La Directrice générale,\nSophie RIVIÈRE", "La Directrice générale, Sophie RIVIÈRE"),
     # A name alone there may be a stamp's words: not taken.
     ("CCAS Ville de PAU", None), ("Jean-Baptiste de VILLENEUVE", None),
     ("Le Président\n\nJean-Baptiste de VILLENEUVE", None)],
)  # fmt: skip
def test_a_title_and_name_under_the_signature_heading_sign(
    block: str, signatory: str | None
) -> None:
    """A form retyped without "Par": the signer under "Signature et cachet"."""
    form = document(f"{FORM}\n\nSignature et cachet\n{block}\n")
    assert form.values.get(Field.SIGNATORY) == signatory


@pytest.mark.parametrize(
    ("line", "title"),
    [("Le Président", True), ("La Directrice générale adjointe", True),
     ("Le", False),  # the date's label, its value on the next line
     ("Le Président, Jean MERCIER", False), ("Le signataire", False)],
)  # fmt: skip
def test_a_title_alone_on_its_line(line: str, title: bool) -> None:
    assert only_a_title(line) is title


@pytest.mark.parametrize(
    ("value", "opens"),
    [
        ("Prénom et NOM Karine DESCHAMPS", True),
        ("Adresse e-mail k.deschamps@allier.fr", True),
        ("Nom du signataire", True),
        ("Le Directeur, Patrick SARRAUTE", False),
        ("Direction de l'enfance et de la famille", False),
        ("Karine DESCHAMPS", False),
        ("Siège social", False),  # a service's name, though an address's label
        ("Responsable qualité", False),
    ],
)
def test_a_value_opening_with_a_label_of_the_form_is_doubted(value: str, opens: bool) -> None:
    assert _opens_with_label(value) is opens


@pytest.mark.parametrize(
    ("value", "field", "opens"),
    [
        ("Dénomination", Field.ORG_NAME, True),  # the name's own label where the name goes
        ("Signataire", Field.SIGNATORY, True),
        ("Direction", Field.SERVICE, False),  # a service's usual name, and its label too
        ("Responsable", Field.SERVICE, False),
        ("Responsable", Field.MANAGER_NAME, True),
    ],
)
def test_a_one_word_value_is_doubted_only_as_its_own_name_s_label(
    value: str, field: Field, opens: bool
) -> None:
    assert _opens_with_label(value, field) is opens


def test_an_administrative_manager_s_identity_and_a_head_office_address() -> None:
    form = document(
        "RAISON SOCIALE\n"
        "Raison sociale : Fondation Les Ormeaux\n"
        "Siège : Domaine de la Pinède\n"
        "Route de Saint-Cyr\n"
        "83270 Saint-Cyr-sur-Mer\n"
        "GESTIONNAIRE ADMINISTRATIF\n"
        "Identité : Josiane CHAUVIN\n"
        "Adresse électronique : j.chauvin@fondation-ormeaux.fr\n"
        "INSCRIPTIONS\n"
        "Civilité\tPrénom\tNOM\tMél\n"
        "M.\tDamien\tGAUTIER\tgautier.damien@fondation-ormeaux.fr\n"
        "Établi à : Saint-Cyr-sur-Mer\n"
        "En date du : 11 octobre 2026\n"
    )
    assert form.values[Field.ADDRESS] == (
        "Domaine de la Pinède, Route de Saint-Cyr, 83270 Saint-Cyr-sur-Mer"
    )
    assert form.values[Field.MANAGER_NAME] == "Josiane CHAUVIN"
    assert [p.last_name for p in form.participants] == ["GAUTIER"]
    assert form.values[Field.PLACE] == "Saint-Cyr-sur-Mer"
    assert form.values[Field.SIGNED_DATE] == "11 octobre 2026"


@pytest.mark.parametrize("gap", ["        ", "\t", " ; "])
def test_the_place_and_the_next_label_side_by_side_are_two_values(gap: str) -> None:
    form = document(f"Fait à : Vannes{gap}En date du : 7 septembre 2026\nSigné par : Anne ROUX\n")
    assert form.values[Field.PLACE] == "Vannes"
    assert form.values[Field.SIGNED_DATE] == "7 septembre 2026"
    assert form.values[Field.SIGNATORY] == "Anne ROUX"


@pytest.mark.parametrize(
    ("line", "place", "doubted"),
    [
        ("Établi à : Bordeaux\nLe : 14/09/2026", "Bordeaux", False),
        ("Fait à : Bordeaux        En date du : 14 septembre 2026", "Bordeaux", False),
        # A label the reader does not know stays in the place: a person reads it.
        ("Fait à : Bordeaux        Date d'envoi : 14 septembre 2026", None, True),
    ],
)
def test_the_place_of_signing_holds_a_town_and_nothing_after_it(
    catalog: Catalog, line: str, place: str | None, doubted: bool
) -> None:
    body = BODY_FORM.replace("Fait à Bordeaux, le 14/09/2026", line)
    u = understand(mail(body, subject="Inscription"), catalog)
    assert u.kind is Kind.REGISTRATION
    assert ("uncertain:signed_place" in u.reasons) is doubted
    assert u.decision is (Decision.REVIEW if doubted else Decision.AUTO)
    if place is not None:
        assert u.signed_place == place


@pytest.mark.parametrize("heading", ["STRUCTURE :", "STRUCTURE\t:", "Organisme :"])
def test_a_heading_asking_for_the_name_takes_the_line_below(heading: str) -> None:
    form = document(
        f"{heading}\nConseil départemental des Landes\nAdresse de facturation :\n"
        "23 rue Victor Hugo\n40025 Mont-de-Marsan Cedex\n"
    )
    assert form.values[Field.ORG_NAME] == "Conseil départemental des Landes"
    assert form.values[Field.ADDRESS] == "23 rue Victor Hugo, 40025 Mont-de-Marsan Cedex"


def test_a_heading_over_a_labelled_name_keeps_the_label_s_value() -> None:
    form = document("Organisme :\nDénomination : Foyer Les Glycines\nAdresse : 1 rue X, 40000 Y\n")
    assert form.values[Field.ORG_NAME] == "Foyer Les Glycines"


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("Nom de l'entité : Conseil départemental de la Corrèze\n"
         "Adresse d'envoi de la facture : 9 rue René et Émile Fage, 19005 Tulle Cedex\n",
         {Field.ORG_NAME: "Conseil départemental de la Corrèze",
          Field.ADDRESS: "9 rue René et Émile Fage, 19005 Tulle Cedex"}),
        ("Dénomination de l'employeur : IME Les Châtaigniers\n",
         {Field.ORG_NAME: "IME Les Châtaigniers"}),
        ("Organisme de rattachement : CCAS de Quimperlé\n", {Field.ORG_NAME: "CCAS de Quimperlé"}),
        ("Personne chargée du dossier : Inès OUEDRAOGO\nUnité : Service formation\n"
         "@ : ines.ouedraogo@correze.fr\n",
         {Field.MANAGER_NAME: "Inès OUEDRAOGO", Field.SERVICE: "Service formation",
          Field.MANAGER_EMAIL: "ines.ouedraogo@correze.fr"}),
        ("Gestionnaire RH\tClémence BARRÉ\n@\tcbarre@mfb-ssam.fr\n",
         {Field.MANAGER_NAME: "Clémence BARRÉ", Field.MANAGER_EMAIL: "cbarre@mfb-ssam.fr"}),
        ("Visa du directeur : Yann ESNAULT\n", {Field.SIGNATORY: "Yann ESNAULT"}),
        ("Autorité signataire : Gwénaëlle LE ROUX\n", {Field.SIGNATORY: "Gwénaëlle LE ROUX"}),
        ("Pour l'autorité territoriale : Thomas GUILLOTEAU\n",
         {Field.SIGNATORY: "Thomas GUILLOTEAU"}),
    ],
)  # fmt: skip
def test_more_labels_of_organisations_own_forms(text: str, values: dict[Field, str]) -> None:
    form = document(text)
    assert {field: form.values.get(field) for field in values} == values


@pytest.mark.parametrize(
    ("text", "count", "total"),
    [
        ("Nombre d'agents\t6\nCoût global\t3 810,00 €\n", 6, "3810.00"),
        ("Nb de stagiaires : 3\nSomme due : 1905 €\n", 3, "1905.00"),
        ("Total participants : 2\t\tCoût total de l'inscription : 1 270,00 €\n", 2, "1270.00"),
        # A PDF's text sets the value against its label.
        ("Nombre de personnes inscrites6\nTotal à régler\t3810 €\n", 6, "3810.00"),
    ],
)
def test_counts_and_totals_under_other_labels(text: str, count: int, total: str) -> None:
    form = document(text)
    assert (form.declared_count, form.declared_total) == (count, Decimal(total))


@pytest.mark.parametrize(
    ("text", "place", "date"),
    [
        ("Fait le 12 novembre 2026 à Bergerac\n", "Bergerac", "12 novembre 2026"),
        (
            "Signé à Quimperlé – le dimanche 15 novembre 2026\n",
            "Quimperlé",
            "dimanche 15 novembre 2026",
        ),
        ("À Le Mans ; le 18/10/2026\n", "Le Mans", "18/10/2026"),
        ("Lieu\nAurillac\n\nDate\n22/10/26\n", "Aurillac", "22/10/26"),
        ("Fait à Rodez / le 06-09-2026\n", "Rodez", "06-09-2026"),
        ("Signé à Nevers – 14 novembre 2026\n", "Nevers", "14 novembre 2026"),
        # "Le : le …" once read as a signer's title, "Le …", under the place.
        ("Fait à : Brive\nLe : le 18.11.2026\n", "Brive", "le 18.11.2026"),
    ],
)
def test_place_and_date_of_signing_in_other_shapes(text: str, place: str, date: str) -> None:
    form = document("Montant total : 1 270,00 €\n" + text)
    assert (form.values.get(Field.PLACE), form.values.get(Field.SIGNED_DATE)) == (place, date)


def test_a_name_alone_under_the_employer_s_heading_is_the_organisation() -> None:
    form = document("1. L'employeur\nAssociation Les Amandiers\nSiège social : 14 allée des Pins\n"
                    "24100 Bergerac\n")  # fmt: skip
    assert form.values[Field.ORG_NAME] == "Association Les Amandiers"


def test_a_participants_table_headed_mme_m() -> None:
    form = document(
        "Agents inscrits\nMme/M.\tPrénom NOM\tAdresse électronique\n"
        "MME\tOphélie KERVELLA\to.kervella@epinal.fr\nM\tJoël BOUCHARD\tj.bouchard@epinal.fr\n"
    )
    assert [(p.civility, p.last_name, p.email) for p in form.participants] == [
        ("Mme", "KERVELLA", "o.kervella@epinal.fr"),
        ("M.", "BOUCHARD", "j.bouchard@epinal.fr"),
    ]


def test_a_participants_table_aligned_with_spaces_is_cut_at_its_header_s_columns() -> None:
    form = document(
        "Stagiaire(s)\n"
        "E-mail de connexion                        Civilité  Prénom    Nom de famille\n"
        "noemie.guillou@fondation-steagathe.org     Mme       Noémie    GUILLOU\n"
        "timothee.gauthier@fondation-steagathe.org  M.        Timothée  GAUTHIER\n"
        "\nNombre de personnes inscrites : 2\n"
    )
    assert [(p.civility, p.first_name, p.last_name, p.email) for p in form.participants] == [
        ("Mme", "Noémie", "GUILLOU", "noemie.guillou@fondation-steagathe.org"),
        ("M.", "Timothée", "GAUTHIER", "timothee.gauthier@fondation-steagathe.org"),
    ]
    assert form.declared_count == 2


def test_the_signer_s_label_over_the_name_and_more_address_and_phone_labels() -> None:
    form = document(
        "Employeur : Mutualité Française Bourgogne\nN° et voie : 4 boulevard de Champagne\n"
        "Code postal – Ville : 21000 Dijon\nTél. fixe : 0415989015\n"
        "Montant : 1 250 €\nSélestat, le 29-09-2026\nNom du signataire\nJoël DELMAS\n"
    )
    assert form.values[Field.ADDRESS] == "4 boulevard de Champagne, 21000 Dijon"
    assert form.values[Field.PHONE] == "0415989015"
    assert form.values[Field.SIGNATORY] == "Joël DELMAS"


def test_numbered_labels_and_an_english_half_first() -> None:
    form = document(
        "1. ORGANISME\n1.1 Raison sociale : Groupement SOS Jeunesse\n"
        "1.2 Adresse postale : 47 boulevard de Strasbourg, 34000 Montpellier\n"
        "2.1 Nom et prénom du gestionnaire : Clémence PEYRAT\n2.2 Courriel : c.peyrat@sos.org\n"
        "Total due / Montant dû : 1.905 €\n5.1 Fait à : Montpellier\n"
    )
    assert form.values[Field.ORG_NAME] == "Groupement SOS Jeunesse"
    assert form.values[Field.ADDRESS] == "47 boulevard de Strasbourg, 34000 Montpellier"
    assert form.values[Field.MANAGER_NAME] == "Clémence PEYRAT"
    assert form.values[Field.MANAGER_EMAIL] == "c.peyrat@sos.org"
    assert form.declared_total == Decimal("1905")
    assert form.values[Field.PLACE] == "Montpellier"


def test_the_manager_s_phone_with_the_service_in_brackets() -> None:
    form = document(
        "Gestionnaire de l'inscription : Magali ROUSSEAU, magali.rousseau@vienne.fr, "
        "05 49 55 66 21 poste 4412 (Direction Enfance-Famille).\n"
    )
    assert form.values[Field.PHONE] == "05 49 55 66 21 poste 4412"
    assert form.values[Field.SERVICE] == "Direction Enfance-Famille"


def test_an_address_holding_an_e_mail_is_doubted(catalog: Catalog) -> None:
    # A table's next cell, the accounts' address, run into the organisation's.
    body = BODY_FORM.replace(
        "Adresse postale : 1 esplanade Charles de Gaulle\n                  CS 71223\n"
        "                  33074 Bordeaux Cedex",
        "Adresse postale\t1 esplanade Charles de Gaulle, 33074 Bordeaux Cedex, compta@gironde.fr",
    )
    u = understand(mail(body, subject="Inscription"), catalog)
    assert "uncertain:organisation.address" in u.reasons
    assert u.decision is Decision.REVIEW


def test_the_billing_block_s_accounts_address_is_no_participant_nor_the_manager_s() -> None:
    form = document(
        "GESTIONNAIRE\nPRÉNOM ET NOM\tJosiane HÉBRARD\nADRESSE MÉL\tjosiane.hebrard@fsjd.org\n"
        "LISTE DES PARTICIPANTS\nN°\tCiv.\tNom\tPrénom\tE-mail de connexion\n"
        "1\tM\tMAZIÈRES\tAnselme\tanselme.mazieres@fsjd.org\n"
        "Nombre d'inscrits : 1\nFACTURATION\n"
        "ADRESSE POSTALE DE L'ORGANISME\t21 avenue du Maréchal Foch, 64200 Biarritz\n"
        "MÉL COMPTABILITÉ\tservice.financier@fsjd.org\n"
    )
    assert [p.last_name for p in form.participants] == ["MAZIÈRES"]
    assert form.values[Field.MANAGER_EMAIL] == "josiane.hebrard@fsjd.org"
    assert form.values[Field.ADDRESS] == "21 avenue du Maréchal Foch, 64200 Biarritz"


def test_a_labelled_name_further_on_takes_the_place_of_the_line_under_the_heading(
    catalog: Catalog,
) -> None:
    # "Direction de l'Enfance" alone under the heading was kept as the name, and the
    # labelled "Dénomination : Département de la Gironde" under it was lost.
    body = BODY_FORM.replace(
        "Organisme-client\nDénomination : Département de la Gironde\n",
        "Organisme-client\nDirection de l'Enfance\nDénomination : Département de la Gironde\n",
    )
    u = understand(mail(body, subject="Inscription"), catalog)
    assert u.organisation is not None
    assert u.organisation.name == "Département de la Gironde"


@pytest.mark.parametrize("label", ["Pôle", "Direction / Service"])
def test_a_service_named_service_under_its_label(label: str) -> None:
    # "Service administratif et financier" under "Pôle" lost its first word, read as the
    # label "Service" again, on a confirmed form.
    form = document(
        f"Contact administratif\nNom, prénom\nDESCHAMPS Yasmina\n{label}\n"
        "Service administratif et financier\nTél.\n03.33.98.62.60\nCourriel\nydeschamps@x.fr\n"
    )
    assert form.values[Field.SERVICE] == "Service administratif et financier"
    assert form.values[Field.PHONE] == "03.33.98.62.60"


def test_a_billed_entity_and_a_table_of_usual_first_names() -> None:
    form = document(
        "Entité facturée\tAssociation Les Hirondelles du Vexin\n"
        "Personnes inscrites\nCiv.\tPrénom usuel\tNom de famille\tPoste occupé\tAdresse mail\n"
        "Madame\tLudivine\tKERBRAT\tComptable\tkerbrat.ludivine@vexin.org\n"
    )
    assert form.values[Field.ORG_NAME] == "Association Les Hirondelles du Vexin"
    assert [(p.first_name, p.last_name, p.email) for p in form.participants] == [
        ("Ludivine", "KERBRAT", "kerbrat.ludivine@vexin.org")
    ]


def test_a_bilingual_billing_heading_closes_the_participants_table() -> None:
    form = document(
        "Attendees / Participants\nNom d'usage\tPrénom usuel\tCourriel professionnel\tCivilité\n"
        "GASNIER\tAurélie\tgasnier.aurelie@gers.fr\tMme\n"
        "Total due / Montant dû\t635,00 €\nBilling / Facturation\n"
        "Accounting e-mail / Courriel comptabilité\tfactures@gers.fr\n"
    )
    assert [p.last_name for p in form.participants] == ["GASNIER"]


def test_the_manager_s_block_after_a_billing_heading() -> None:
    form = document(
        "BÉNÉFICIAIRE / FACTURATION\nOrganisme de rattachement : IEM Jean Rostand\n"
        "Adresse : Avenue des Platanes\nCode postal – Ville : 34500 Béziers\n"
        "GESTIONNAIRE RH\nNom et prénom : GUILLOU Régis\nMél : guillou.regis@iem.fr\n"
    )
    assert form.values[Field.ORG_NAME] == "IEM Jean Rostand"
    assert form.values[Field.MANAGER_NAME] == "GUILLOU Régis"
    assert form.values[Field.MANAGER_EMAIL] == "guillou.regis@iem.fr"


def test_messagerie_names_the_manager_s_address_even_beside_an_empty_phone() -> None:
    form = document(
        "Référent(e) formation\nPrénom NOM : Fanny MEUNIER\nPôle :\n"
        "Tél. fixe :\tMessagerie : fanny.meunier@village-mac.org\n"
    )
    assert form.values[Field.MANAGER_EMAIL] == "fanny.meunier@village-mac.org"
    assert Field.PHONE not in form.values


def test_the_authority_s_signature_and_the_referent_s_name() -> None:
    form = document(
        "Référent administratif\nNom du référent : Isabelle ROYER\n"
        "Courriel : royer.isabelle@village-stjoseph.fr\n"
        "Fait à : Saint-Gervais-d'Auvergne\nLe : 20.09.2026\n"
        "L'autorité habilitée : Directeur général des services, Isabelle ROYER\n"
    )
    assert form.values[Field.MANAGER_NAME] == "Isabelle ROYER"
    assert form.values[Field.SIGNATORY] == "Directeur général des services, Isabelle ROYER"


def test_a_weekday_before_the_date_after_the_place() -> None:
    form = document("Signé à Kerlouan – mardi 8 septembre 2026\nSignataire : Mickaël CHEVALLIER\n")
    assert form.values[Field.PLACE] == "Kerlouan"
    assert parse_date(form.values[Field.SIGNED_DATE], 2026) == dt.date(2026, 9, 8)


def test_a_date_not_read_after_the_place_is_doubted_not_dropped() -> None:
    form = document("Signé à Kerlouan – 8 sept. 26 (à confirmer)\n")
    assert form.values[Field.PLACE] == "Kerlouan"
    assert Field.SIGNED_DATE in form.unreadable


@pytest.mark.parametrize(
    "signer",
    ["La Directrice territoriale, Catherine", "Le Vice-Président du CCAS, Thierry"],
    ids=["title", "title-with-acronym"],  # "CCAS" in the title is no family name
)
def test_a_signer_s_family_name_alone_on_the_next_line_is_doubted(signer: str) -> None:
    form = document(
        f"Fait à\tBordeaux\nLe\t18/10/2026\nPar (nom du signataire)\t{signer}\nMOUNOT\n"
    )
    assert Field.SIGNATORY in form.unreadable
    whole = document("Par (nom du signataire)\tLa Directrice territoriale, Catherine MOUNOT\n")
    assert Field.SIGNATORY not in whole.unreadable


def test_headings_over_labelled_values_are_no_labels_over_values() -> None:
    # "Organisme-client" and "Gestionnaire de l'inscription" are also labels: over
    # "Dénomination X" and "Prénom et NOM Y", with a blank "Service", the page looked
    # laid out as labels over values, and the labels stayed in the values.
    form = document(
        "Organisme-client\nDénomination Fondation Saint-Vincent de Lozère\n"
        "Adresse postale 3 chemin des Carrières\n48000 Mende\n"
        "Gestionnaire de l'inscription\nPrénom et NOM Cédric AUBERT\nService\n"
        "Adresse e-mail cedric.aubert@fsvl.fr\n"
    )
    assert form.values[Field.ORG_NAME] == "Fondation Saint-Vincent de Lozère"
    assert form.values[Field.MANAGER_NAME] == "Cédric AUBERT"


def test_a_manager_written_in_one_sentence_after_suivi_par() -> None:
    form = document(
        "GESTIONNAIRE DE L'INSCRIPTION\n"
        "Dossier suivi par LAPIERRE Thibault, Service formation, 02.92.85.50.85,\n"
        "thibault.lapierre@lepharearden.org\nPARTICIPANTS\n"
    )
    assert form.values[Field.MANAGER_NAME] == "LAPIERRE Thibault"
    assert form.values[Field.SERVICE] == "Service formation"
    assert form.values[Field.PHONE] == "02.92.85.50.85"
    assert form.values[Field.MANAGER_EMAIL] == "thibault.lapierre@lepharearden.org"


def test_an_unlabelled_delegation_under_labelled_place_and_date_signs() -> None:
    form = document(
        "FAIT À :\tCastelnaudary\nLE :\t6/9/26\n"
        "Pour la Directrice, l'Adjoint de direction,\nFabien D'ARCY\n"
    )
    assert (
        form.values[Field.SIGNATORY] == "Pour la Directrice, l'Adjoint de direction, Fabien D'ARCY"
    )


@pytest.mark.parametrize("signer", ["A.S.", "[signé]", "LE MAIRE"])
def test_a_signer_in_whom_no_name_can_be_read_is_doubted(catalog: Catalog, signer: str) -> None:
    body = BODY_FORM.replace("Par : La Directrice générale, Anne ROUX", f"Par : {signer}")
    u = understand(mail(body, subject="Inscription"), catalog)
    assert "uncertain:signatory" in u.reasons
    assert u.decision is Decision.REVIEW


def test_a_signer_under_his_label_beside_a_stamp_s_words_is_no_blank() -> None:
    from mailbot.understanding.reading import _SIGNER_WRITTEN

    page = "Le\t12/11/26\nPar (nom du signataire)\nLe Président, Michel AUDUREAU\tLES HERBIERS\n"
    assert _SIGNER_WRITTEN.search(page)
    assert not _SIGNER_WRITTEN.search("Par (nom du signataire)\n2/2\n")


def test_a_delegation_whose_second_title_opens_the_name_s_line() -> None:
    form = document(
        "Fait à Rougemont, le 28 septembre 2026\nPour la Directrice,\n"
        "l'Adjoint de direction, Bérénice GRANGIER\n"
    )
    assert form.values[Field.SIGNATORY] == (
        "Pour la Directrice, l'Adjoint de direction, Bérénice GRANGIER"
    )


@pytest.mark.parametrize(
    ("line", "ticked"),
    [
        ("Session : SAAD 18/03/2027 [X]   08/10/2027 [ ]", [True, False]),
        ("Session : SAAD 18/03/2027 [ ]   08/10/2027 [X]", [False, True]),
        ("Session : SAAD 18/03/2027 [X]   08/10/2027 [X]", [True, True]),
        ("Session : [X] 18/03/2027   [ ] 08/10/2027", [True, False]),
    ],
)
def test_boxes_after_their_dates_on_one_line(line: str, ticked: list[bool]) -> None:
    assert [on for _, on in document(f"{line}\n").checkboxes] == ticked


def test_a_participants_header_parted_by_slashes_gives_the_columns_order() -> None:
    form = document(
        "PARTICIPANTS :\nCIV / PRENOM / NOM / MAIL\n"
        "MME / LAETITIA / GRANDJEAN / L.GRANDJEAN@FAM-BOISJOLI.FR\n"
        "M / DAMIEN / PERRIN / D.PERRIN@FAM-BOISJOLI.FR\n"
    )
    assert [(p.first_name, p.last_name) for p in form.participants] == [
        ("LAETITIA", "GRANDJEAN"),
        ("DAMIEN", "PERRIN"),
    ]


def test_org_abbreviated_names_the_organisation() -> None:
    assert document("Org. : Maison d'enfants Les Tilleuls\n").values[Field.ORG_NAME] == (
        "Maison d'enfants Les Tilleuls"
    )


@pytest.mark.parametrize(
    ("line", "name", "service", "phone"),
    [
        ("Contact : Ludivine TRONCHE (tél. 05 65 47 02 16)", "Ludivine TRONCHE", None,
         "05 65 47 02 16"),
        ("Contact : Héloïse JOUANNEAU (Pôle protection de l'enfance, tél. 01 43 57 80 91)",
         "Héloïse JOUANNEAU", "Pôle protection de l'enfance", "01 43 57 80 91"),
    ],
)  # fmt: skip
def test_the_manager_s_service_and_phone_in_brackets(
    line: str, name: str, service: str | None, phone: str
) -> None:
    form = document(f"2. Gestion de l'inscription\n{line}\nMél : l.tronche@x.org\n")
    assert form.values[Field.MANAGER_NAME] == name
    assert form.values.get(Field.SERVICE) == service
    assert form.values[Field.PHONE] == phone


def test_a_manager_s_name_holding_a_bracket_or_a_figure_is_doubted(catalog: Catalog) -> None:
    body = BODY_FORM.replace("Prénom et NOM : Anne ROUX", "Prénom et NOM : Anne ROUX (DRH)")
    u = understand(mail(body, subject="Inscription"), catalog)
    assert "uncertain:manager.full_name" in u.reasons


def test_the_manager_s_details_as_a_one_row_table_under_her_heading() -> None:
    form = document(
        "2. Personne en charge du dossier\nNom\tService\tFonction\tTéléphone\tCourriel\n"
        "Nadège ESNAULT\tService d'aide à domicile\tResponsable\t03 27 49 55 12\t"
        "n.esnault@cias-mormal.fr\n3. Participant(e)s\n"
    )
    assert form.values[Field.MANAGER_NAME] == "Nadège ESNAULT"
    assert form.values[Field.SERVICE] == "Service d'aide à domicile"
    assert form.values[Field.PHONE] == "03 27 49 55 12"
    assert form.values[Field.MANAGER_EMAIL] == "n.esnault@cias-mormal.fr"
    assert form.participants == []


@pytest.mark.parametrize(
    "block",
    [
        "Visa et signature du responsable : Didier MOUNIER\n",
        "Cachet et signature :\nAnne-Laure OUDIN\n[Cachet : APAJH DU MORBIHAN]\n",
    ],
)
def test_the_signer_under_a_visa_or_a_stamp_s_heading(block: str) -> None:
    form = document(f"Fait à Vannes, le 07/10/2026\n{block}")
    assert form.values[Field.SIGNATORY] in ("Didier MOUNIER", "Anne-Laure OUDIN")


def test_a_delegation_over_two_title_lines_keeps_both() -> None:
    form = document(
        "Fait le 5/10/2026 à Agen\nPour le Président et par délégation,\n"
        "le Directeur général,\nHervé MALLET\n"
    )
    assert form.values[Field.SIGNATORY] == (
        "Pour le Président et par délégation, le Directeur général, Hervé MALLET"
    )


@pytest.mark.parametrize(
    "name",
    ["Maud LAPEYRE, chargée de mission, Service des établissements", "n DUFAU"],
)
def test_a_manager_s_name_holding_more_than_a_name_is_doubted(catalog: Catalog, name: str) -> None:
    body = BODY_FORM.replace("Prénom et NOM : Anne ROUX", f"Prénom et NOM : {name}")
    u = understand(mail(body, subject="Inscription"), catalog)
    assert "uncertain:manager.full_name" in u.reasons


@pytest.mark.parametrize(
    "label", ["Le représentant de l'organisme", "Ordonnateur", "L'ordonnateur"]
)
def test_the_organisation_s_representative_or_authorising_officer_signs(label: str) -> None:
    form = document(f"Fait à Vannes, le 07/10/2026\n{label} : Laurent DELPECH\n")
    assert form.values[Field.SIGNATORY] == "Laurent DELPECH"


@pytest.mark.parametrize("phone", ["Tél : 02 98 85 40 12", "Tél. 02 98 85 40 12", "02 98 85 40 12"])
def test_the_manager_s_details_as_a_card_under_her_heading(phone: str) -> None:
    form = document(
        "Contact\nFrédéric LOUVEL\nService des ressources humaines\n"
        f"{phone}\nfrederic.louvel@genetsdor.org\n"
    )
    assert form.values[Field.MANAGER_NAME] == "Frédéric LOUVEL"
    assert form.values[Field.SERVICE] == "Service des ressources humaines"
    assert form.values[Field.PHONE] == "02 98 85 40 12"
    assert form.values[Field.MANAGER_EMAIL] == "frederic.louvel@genetsdor.org"


def test_a_blank_service_label_under_the_manager_s_name_is_no_service() -> None:
    form = document(
        "Interlocuteur\nNom - Prénom\tLACROIX Christelle\nDépartement / service\nTél.\n"
    )
    assert Field.SERVICE not in form.values


def test_a_card_s_address_after_a_blank_line_is_not_the_manager_s() -> None:
    form = document("Contact\nFrédéric LOUVEL\n\nsecretariat@genetsdor.org\n")
    assert Field.MANAGER_EMAIL not in form.values


def test_the_manager_s_pairs_parted_by_slashes_and_a_phone_after_a_dash() -> None:
    form = document(
        "Personne en charge de l'inscription\n"
        "Nom : Véronique ARNAUD / Fonction : Chargée de formation / Service : Direction de "
        "l'enfance et de la famille\n"
        "Courriel : veronique.arnaud@epsmd-aisne.fr – Tél. 05 53 49 21 07\n"
    )
    assert form.values[Field.MANAGER_NAME] == "Véronique ARNAUD"
    assert form.values[Field.SERVICE] == "Direction de l'enfance et de la famille"
    assert form.values[Field.MANAGER_EMAIL] == "veronique.arnaud@epsmd-aisne.fr"
    assert form.values[Field.PHONE] == "05 53 49 21 07"


@pytest.mark.parametrize(
    "line",
    [
        "Gestionnaire de l'inscription : Jean-Pierre MARCHAND (jp.marchand@fde33.fr) - "
        "Direction - tél. 05 56 91 22 48",
        "Interlocuteur : Jean-Pierre MARCHAND (Direction) — Tél. 05 56 91 22 48 — Courriel : "
        "jp.marchand@fde33.fr",
    ],
)
def test_the_manager_s_line_keeps_its_pieces_beside_a_labelled_phone(line: str) -> None:
    form = document(f"{line}\n")
    assert form.values[Field.MANAGER_NAME] == "Jean-Pierre MARCHAND"
    assert form.values[Field.SERVICE] == "Direction"
    assert form.values[Field.PHONE] == "05 56 91 22 48"


def test_the_manager_followed_by_someone_in_a_mail_s_text() -> None:
    form = read_rows(
        text_rows(
            "Suivi administratif assuré par Mathieu ROYER (mathieu.royer@fsr.org), Direction "
            "administrative et financière\n"
        )
    )
    assert form.values[Field.MANAGER_NAME] == "Mathieu ROYER"
    assert form.values[Field.MANAGER_EMAIL] == "mathieu.royer@fsr.org"
    assert form.values[Field.SERVICE] == "Direction administrative et financière"


def test_a_scan_s_last_cell_holding_a_label_and_its_value_is_read() -> None:
    rows = text_rows(
        "Gestionnaire de l'inscription\n"
        "Service\tDirection des ressources humaines\tTéléphone  04.94.50.13.78\n"
    )
    form = read_rows(rows, fuzzy=True, prefix_labels=True)
    assert form.values[Field.SERVICE] == "Direction des ressources humaines"
    assert form.values[Field.PHONE] == "04.94.50.13.78"
    assert not form.trailed


def test_words_a_scan_set_apart_after_a_value_doubt_it() -> None:
    rows = text_rows("Gestionnaire de l'inscription\nService\tPôle\tenfance-famille\tPR\ter\n")
    assert Field.SERVICE in read_rows(rows, fuzzy=True, prefix_labels=True).trailed
    # A typed document's extra column is its own, not the value's end.
    assert Field.SERVICE not in read_rows(rows, prefix_labels=True).trailed


@pytest.mark.parametrize(
    ("line", "emails"),
    [
        ("Participante : Mlle Manon ROQUES, manon.roques@cdef81.fr",
         ["manon.roques@cdef81.fr"]),
        ("Participants : Mme Anne ROUX, a.roux@x.fr, M. Paul DURAND, p.durand@x.fr",
         ["a.roux@x.fr", "p.durand@x.fr"]),
        # "directrice" is no address: one person's words, not a list to read.
        ("Participants : Mme Anne ROUX, directrice, et M. Paul DURAND, p.durand@x.fr", []),
    ],
)  # fmt: skip
def test_a_listed_person_s_address_after_a_comma_is_hers(line: str, emails: list[str]) -> None:
    form = read_rows(text_rows(f"{line}\n"))
    assert [p.email for p in form.participants] == emails


@pytest.mark.parametrize(
    "line", ["Le 08/10/2026, Par : Marion LE ROUX", "Le 8 octobre 2026 - Par : Marion LE ROUX"]
)
def test_the_signing_date_and_the_signer_on_one_line(line: str) -> None:
    form = read_rows(text_rows(f"{line}\n"))
    assert form.values[Field.SIGNATORY] == "Marion LE ROUX"
    assert parse_date(form.values[Field.SIGNED_DATE], 2026) == dt.date(2026, 10, 8)


@pytest.mark.parametrize("own", ["Code", "N° agent", "Matricule"])
def test_an_own_column_before_the_names_is_read_past(own: str) -> None:
    form = read_rows(
        [
            (own, "Civilité", "NOM", "Prénom", "Adresse mail"),
            ("A10234", "Mme", "QUÉRÉ", "Armelle", "armelle.quere@finistere.fr"),
        ]
    )
    assert [(p.first_name, p.last_name) for p in form.participants] == [("Armelle", "QUÉRÉ")]


def test_a_participant_s_name_holding_a_figure_is_doubted(catalog: Catalog) -> None:
    body = BODY_FORM.replace("M. Paul MARTIN", "M. A10234 MARTIN")
    u = understand(mail(body, subject="Inscription"), catalog)
    assert "uncertain:participants[0].first_name" in u.reasons
    assert u.decision is Decision.REVIEW


ORDER = (
    "Département de la Creuse\nHôtel du Département\n4 place Louis Lacrocq\nBP 250\n"
    "23011 Guéret Cedex\nSIRET : 353 835 284 42807\nBON DE COMMANDE N° 2026-7852\n"
    "Service gestionnaire\nInterlocuteur\tThéo DELMAS\nCourriel\tt.delmas@creuse.fr\n"
)


def test_a_purchase_order_s_letterhead_names_the_organisation() -> None:
    form = document(ORDER)
    assert form.values[Field.ORG_NAME] == "Département de la Creuse"
    assert form.values[Field.ADDRESS] == (
        "Hôtel du Département, 4 place Louis Lacrocq, BP 250, 23011 Guéret Cedex"
    )
    # "Service gestionnaire" left blank is one label, no service called "gestionnaire".
    assert Field.SERVICE not in form.values


@pytest.mark.parametrize(
    "head",
    [
        # IPP's own address, a letter's addressee: never the client.
        "Institut de la Performance Publique\n12 rue de la Paix\n75002 Paris\n",
        # The document's title over an address.
        "BON DE COMMANDE\n4 place Louis Lacrocq\n23011 Guéret Cedex\n",
    ],
)
def test_no_letterhead_from_ipp_s_address_or_a_title(head: str) -> None:
    assert Field.ORG_NAME not in document(f"{head}Interlocuteur\tThéo DELMAS\n").values


def test_a_letterhead_gives_way_to_a_labelled_organisation() -> None:
    form = document(f"{ORDER}Dénomination : Conseil départemental de la Creuse\n")
    assert form.values[Field.ORG_NAME] == "Conseil départemental de la Creuse"


@pytest.mark.parametrize(
    "label", ["Signature de l'ordonnateur :", "Signataire :", "Visa de l'autorité territoriale :"]
)
def test_the_signer_under_an_empty_signing_label(label: str) -> None:
    form = document(f"Fait à Guéret, le 31/10/2026\n{label}\nLa Directrice, Bérénice AUBRY\n")
    assert form.values[Field.SIGNATORY] == "La Directrice, Bérénice AUBRY"


@pytest.mark.parametrize("stamp", ["CCAS de PAU", "Mairie de SAINT-DENIS"])
def test_a_stamp_s_words_under_the_signing_block_sign_nothing(stamp: str) -> None:
    form = document(
        f"Fait à Pau, le 31/10/2026\nPar (nom du signataire) :\nSignature et cachet :\n{stamp}\n"
    )
    assert Field.SIGNATORY not in form.values


def test_an_hr_request_s_teaching_cost_is_the_total() -> None:
    form = document("Nombre d'agents\t1\nCoût pédagogique total\t625,00 €\n")
    assert form.declared_total == Decimal("625.00")


def test_the_organisation_s_name_and_address_on_one_line() -> None:
    form = read_rows(
        text_rows("Organisme : SSIAD du Pays de Pontivy, 6 rue du Fil, 56300 Pontivy\n")
    )
    assert form.values[Field.ORG_NAME] == "SSIAD du Pays de Pontivy"
    assert form.values[Field.ADDRESS] == "6 rue du Fil, 56300 Pontivy"


def test_the_signer_of_a_document_after_a_blank_line() -> None:
    block = "Fait à Alençon\nLe 4 novembre 2026\n\nSignature de l'autorité territoriale :\n"
    form = document(f"{block}La Directrice, Karim DUCROS\n")
    assert form.values[Field.SIGNATORY] == "La Directrice, Karim DUCROS"
    # A mail's text is no document: its sign-off after a blank line signs no form.
    mail_text = read_rows(text_rows("Fait à Alençon, le 4 novembre 2026\n\nKarim DUCROS\n"))
    assert Field.SIGNATORY not in mail_text.values


def test_a_titled_signer_no_reading_took_is_doubted(catalog: Catalog) -> None:
    body = BODY_FORM.replace(
        "Par : La Directrice générale, Anne ROUX", "\n\n\nLa Directrice, Karim DUCROS"
    )
    u = understand(mail(body, subject="Inscription"), catalog)
    assert u.signatory is None
    assert "uncertain:signatory" in u.reasons


def test_an_address_s_first_line_before_the_street_is_no_name() -> None:
    form = read_rows(
        text_rows("Organisme : Maison des services, 12 place du Fronton, 64240 Hasparren\n")
    )
    assert Field.ADDRESS not in form.values


def test_a_price_per_agent_is_no_total() -> None:
    form = document("Frais pédagogiques / agent\t625,00 €\nTotal net à payer\t1 875,00 €\n")
    assert form.declared_total == Decimal("1875.00")


def test_a_letter_s_letterhead_is_left_to_the_letter_reader() -> None:
    letter = (
        "CCAS de Vierzon\nPlace de l'Hôtel de Ville\n18100 Vierzon\n\nMadame, Monsieur,\n"
        "Nous avons l'honneur de vous demander l'inscription de Mme Coralie MAILLARD.\n"
        "Nous vous prions d'agréer, Madame, Monsieur, l'expression de nos salutations.\n"
    )
    assert Field.ORG_NAME not in document(letter).values


def test_a_letterhead_over_another_client_block_names_no_one() -> None:
    order = (
        "VILLE DE SAINT-NAZAIRE\nDirection des finances\nPlace François Blancho\n"
        "44600 Saint-Nazaire\n\nENGAGEMENT DE DÉPENSE\nFournisseur :\n"
        "IPP - Institut de la Performance Publique\n9 rue de Lisbonne\n75008 Paris\n\n"
        "Service client / facturation à :\nCentre Communal d'Action Sociale de Saint-Nazaire\n"
        "8 rue de l'Ancienne Mairie\n44600 Saint-Nazaire\n\nAffaire suivie par\tGwénaëlle MORVAN\n"
    )
    assert Field.ORG_NAME not in document(order).values
    # IPP's own block as the supplier is no other client: the letterhead stands.
    alone = order.split("\n\nService client", maxsplit=1)[0]
    assert document(alone).values[Field.ORG_NAME] == "VILLE DE SAINT-NAZAIRE"


def test_a_delegation_opening_on_par_keeps_its_words() -> None:
    form = document(
        "Fait à Niort, le 19/10/2026\nPar délégation, le Vice-président, Alain BOUTIN\n"
    )
    assert form.values[Field.SIGNATORY] == "Par délégation, le Vice-président, Alain BOUTIN"


def test_a_scan_s_town_under_its_label_when_it_is_the_organisation_s() -> None:
    head = "Adresse postale\t9 rue René et Émile Fage\n19005 Tulle Cedex\n"
    block = "Fait à\tSignature et cachet\nÉses\n{town}\nLe\n14/10/2026\n"
    rows = text_rows(head + block.format(town="Tulle"))
    assert read_rows(rows, fuzzy=True, prefix_labels=True).values[Field.PLACE] == "Tulle"
    # Another word there may be the stamp's: not taken.
    rows = text_rows(head + block.format(town="Brive"))
    assert Field.PLACE not in read_rows(rows, fuzzy=True, prefix_labels=True).values


def test_a_scan_s_stamp_line_between_the_signer_s_label_and_name_is_passed() -> None:
    rows = text_rows(
        "Fait à Rioz, le 30/09/2026\nPar (nom du signataire)\tVIVRE CHEZ SOI\n"
        "Jean-Marc BROYER, Président\tEN BRESSE\n"
    )
    form = read_rows(rows, fuzzy=True, prefix_labels=True)
    assert form.values[Field.SIGNATORY] == "Jean-Marc BROYER, Président"


def test_a_letterhead_name_wrapped_on_its_connecting_word() -> None:
    form = document(
        "Association Départementale des Pupilles de l'Enseignement Public du\nGers\n"
        "36 rue des Canaris\n32000 Auch\nBON DE COMMANDE N° 2026-2231\n"
    )
    assert form.values[Field.ORG_NAME] == (
        "Association Départementale des Pupilles de l'Enseignement Public du Gers"
    )
    assert form.values[Field.ADDRESS] == "36 rue des Canaris, 32000 Auch"


def test_a_letterhead_naming_a_second_body_names_no_one() -> None:
    form = document(
        "VILLE DE MÉRIGNAC\nCentre communal d'action sociale de Mérignac\n"
        "60 avenue du Maréchal Leclerc\n33700 Mérignac\nBON DE COMMANDE N° 12\n"
    )
    assert Field.ORG_NAME not in form.values


def test_ipp_s_own_mailbox_in_the_supplier_block_is_not_the_manager_s() -> None:
    form = document(
        "FOURNISSEUR\nInstitut de la Performance Publique (IPP)\nMél : ipp@ipp.fr\n"
        "Affaire suivie par : Lucile TEILLET\nCourriel : lucile.teillet@vcs-perigord.fr\n"
    )
    assert form.values[Field.MANAGER_EMAIL] == "lucile.teillet@vcs-perigord.fr"


def test_ipp_s_own_mailbox_as_a_client_s_address_goes_to_a_person(catalog: Catalog) -> None:
    from dataclasses import replace

    from mailbot.understanding import validate

    u = understand(mail(BODY_FORM, subject="Inscription"), catalog)
    assert u.decision is Decision.AUTO and u.manager is not None
    # A staff correction, or a reading of another route, giving IPP's own mailbox.
    ours = validate(u.with_changes(manager=replace(u.manager, email="IPP@ipp.fr")), catalog)
    assert "own_address:manager.email" in ours.reasons
    assert ours.decision is Decision.REVIEW


@pytest.mark.parametrize("extra", ["Date d'entrée", "Ancienneté", "Affectation"])
def test_an_hr_export_s_identifier_is_no_civility(extra: str) -> None:
    form = read_rows(
        [
            ("Matricule", "Nom", "Prénom", "Civilité", extra, "Email"),
            ("M08989", "VERDIER", "Inès", "Mme", "15/04/2011", "ines.verdier@x.fr"),
        ]
    )
    assert [(p.civility, p.first_name) for p in form.participants] == [("Mme", "Inès")]


def test_the_signer_under_an_empty_label_without_a_date_above() -> None:
    form = document("Total net\t625,00 €\nSignature de l'ordonnateur :\nSylvie LAGARDÈRE\n")
    assert form.values[Field.SIGNATORY] == "Sylvie LAGARDÈRE"


@pytest.mark.parametrize("fuzzy", [False, True])
def test_a_title_then_a_name_under_an_empty_signer_label(fuzzy: bool) -> None:
    rows = text_rows(
        "Fait à : Laval\nLe : 19/10/2026\nPar (nom du signataire) :\nLe Président,\n"
        "Bernard GUÉDON\nSignature et cachet\n"
    )
    form = read_rows(rows, fuzzy=fuzzy, prefix_labels=True)
    assert form.values[Field.SIGNATORY] == "Le Président, Bernard GUÉDON"


def test_a_title_on_its_own_line_over_the_signer_is_for_a_person(catalog: Catalog) -> None:
    body = BODY_FORM.replace(
        "Par : La Directrice générale, Anne ROUX", "La Directrice générale,\nAnne ROUX"
    )
    u = understand(mail(body, subject="Inscription"), catalog)
    assert u.signatory == "La Directrice générale, Anne ROUX"
    assert "uncertain:signatory" in u.reasons


def test_an_organisation_named_at_the_top_and_addressed_in_the_footer() -> None:
    top = (
        "CCAS de Villeneuve-sur-Lot\n\nDEMANDE DE FORMATION\nRéférent formation\tCorinne BALAGUÉ\n"
    )
    foot = "\n\nCCAS de Villeneuve-sur-Lot – 19 boulevard de la République – 47300 Villeneuve-sur-Lot\n"
    form = document(top + foot)
    assert form.values[Field.ORG_NAME] == "CCAS de Villeneuve-sur-Lot"
    assert form.values[Field.ADDRESS] == "19 boulevard de la République, 47300 Villeneuve-sur-Lot"
    # A footer naming another body gives no address to the top line.
    other = foot.replace("CCAS de Villeneuve-sur-Lot –", "Imprimerie Dupont –")
    assert Field.ORG_NAME not in document(top + other).values


def test_a_total_line_wrapped_before_its_count_keeps_the_count() -> None:
    # A mail client's hard wrap at 68 columns took "( 3 )" to the next line.
    form = document(
        "Montant net total des frais d'inscription = nombre de participants\n"
        "( 3 ) x 635 Euros = 1 905,00 €\n"
    )
    assert (form.declared_count, form.declared_total) == (3, Decimal("1905"))


def test_a_label_run_into_its_value_is_still_its_label() -> None:
    # The PDF's text left no blank where the label reached its value's column.
    form = document(
        "Fait à\tClichy\nLe\t6 octobre 2026\n"
        "Par (nom du signataire)Capucine ROLLAND-MERCIER\nSignature et cachet\n"
    )
    assert form.values[Field.SIGNATORY] == "Capucine ROLLAND-MERCIER"


def test_the_participants_heading_run_into_the_list_s_first_item() -> None:
    # An HTML mail without a <br> between the heading and the first person.
    form = document(
        "PARTICIPANTS 1. Mme Marion DELPECH – m.delpech@asd-lot.fr\n"
        "2. Mme Véronique CAYROU – v.cayrou@asd-lot.fr\n"
    )
    assert [(p.last_name, p.email) for p in form.participants] == [
        ("DELPECH", "m.delpech@asd-lot.fr"),
        ("CAYROU", "v.cayrou@asd-lot.fr"),
    ]


@pytest.mark.parametrize(("afternoon", "picked"), [("oui", False), ("non", True)])
def test_a_list_s_own_columns_around_ours_are_read_past(afternoon: str, picked: bool) -> None:
    form = document(
        "Participants\n"
        "N°\tCivilité\tPrénom\tNOM\tFonction\tE-mail de connexion\tPrésent le matin\t"
        "Présent l'après-midi\n"
        "1\tMme\tMarie-Hélène\tDESCHAMPS-LAFARGE\tCheffe de service\tmh.d@x.fr\toui\toui\n"
        f"2\tM.\tJean-Baptiste\tLE GALL-MOREAU\tInspecteur\tjb.lg@x.fr\toui\t{afternoon}\n"
    )
    assert [(p.first_name, p.last_name) for p in form.participants] == [
        ("Marie-Hélène", "DESCHAMPS-LAFARGE"),
        ("Jean-Baptiste", "LE GALL-MOREAU"),
    ]
    # Everyone answering "oui" excludes no one; a "non" is for a person to weigh.
    assert form.picked is picked


def test_a_label_s_second_line_is_not_its_value_s() -> None:
    form = document(
        "Dénomination\tAssociation APAJH de Loire-Atlantique\nde l'organisme\n"
        "Adresse postale\t5 rue Sarrazin\n44012 Nantes Cedex 1\n"
    )
    assert form.values[Field.ORG_NAME] == "Association APAJH de Loire-Atlantique"


def test_a_label_longer_than_the_one_we_know_gives_no_value() -> None:
    # "Dénomination" then "de l'organisme-client …": the label goes on, where it ends is unknown.
    form = document("Dénomination de l'organisme-client CDEF de la Corrèze\n")
    assert Field.ORG_NAME not in form.values


def test_a_label_wrapped_in_its_cell_takes_the_value_beside_its_second_line() -> None:
    form = document(
        "Gestionnaire de l'inscription\nPrénom et NOM\tHugo TERRASSE\n"
        "Téléphone\n(ligne directe)\t02 48 65 33 20\nParticipants\n"
    )
    assert form.values[Field.PHONE] == "02 48 65 33 20"
    assert form.unread == []


def test_a_heading_split_amid_our_columns_is_read_again_whole() -> None:
    # "N° salarié" parted into "N°" and "salarié": one of theirs amid ours is no heading.
    form = document(
        "Participants\n"
        "N° salarié\tNOM\tPrénom\tCivilité\tCourriel\tObservations\n"
        "7781\tTAILLEFER\tAurore\tMme\tataillefer@x.fr\n"
    )
    assert [(p.civility, p.first_name, p.last_name) for p in form.participants] == [
        ("Mme", "Aurore", "TAILLEFER")
    ]


def test_a_signer_for_someone_else_is_a_value_not_a_label_going_on() -> None:
    form = document("Par (nom du signataire)Pour le Président, la Vice-présidente, Agnès THION\n")
    assert form.values[Field.SIGNATORY] == "Pour le Président, la Vice-présidente, Agnès THION"


def test_a_heading_hyphenated_by_a_narrow_cell_is_still_its_column() -> None:
    form = document(
        "Participants\n"
        "Civi- lité\tNOM\tPrénom\tCourriel (connexion)\n"
        "Mme\tMARTIN-VILLENEUVE\tNoémie\tn.mv@x.fr\n"
    )
    assert [(p.civility, p.first_name, p.last_name) for p in form.participants] == [
        ("Mme", "Noémie", "MARTIN-VILLENEUVE")
    ]


@pytest.mark.parametrize("name", ["Fonction", "Prénom", "Civilité"])
def test_a_heading_read_as_the_manager_s_name_is_no_name(name: str) -> None:
    assert _opens_with_label(name, Field.MANAGER_NAME)
    assert not _opens_with_label("DUBREUIL", Field.MANAGER_NAME)


def test_a_label_wrapped_with_its_value_beside_its_first_line_is_read() -> None:
    # "Raison" means nothing alone: "sociale", on the next line alone, is the rest of it.
    form = document("Raison\tMaison d'enfants Les Hirondelles\nsociale\nAdresse\t2 rue Haute\n")
    assert form.values[Field.ORG_NAME] == "Maison d'enfants Les Hirondelles"


def test_a_justified_label_spread_over_cells_is_one_label() -> None:
    # fpdf's justified label cell: its words so far apart that each reads as a cell.
    form = document(
        "Prénom\tet\tNOM\tdu gestionnaire\tMatthieu TOURNIER\n"
        "Service\t/\tDirection\tde rattachement\tPôle offre médico-sociale\n"
        "Adresse\te-mail\tdu gestionnaire de l'inscription\tmtournier@mad-lorraine.fr\n"
    )
    assert form.values[Field.MANAGER_NAME] == "Matthieu TOURNIER"
    assert form.values[Field.SERVICE] == "Pôle offre médico-sociale"
    assert form.values[Field.MANAGER_EMAIL] == "mtournier@mad-lorraine.fr"


def test_a_header_row_is_not_taken_for_a_justified_label() -> None:
    form = document("Nom\tPrénom\tE-mail\nDURAND\tLéa\tlea.durand@x.fr\n")
    assert Field.MANAGER_NAME not in form.values


@pytest.mark.parametrize(
    "block",
    [
        # The gloss beside the value's next lines...
        "Adresse postale\tImmeuble Le Montana\n(voie, BP / CS, code postal,\t5 rue de la Monnaie\n"
        "ville)\t54000 Nancy\n",
        # ... or on lines of its own between them.
        "Adresse postale\nImmeuble Le Montana\n(voie, BP / CS, code postal,\n5 rue de la Monnaie\n"
        "ville)\n54000 Nancy\n",
    ],
)
def test_a_label_s_gloss_is_not_part_of_its_value(block: str) -> None:
    form = document(
        f"Dénomination\tMutualité Aide et Domicile\n{block}Gestionnaire de l'inscription\n"
    )
    assert form.values[Field.ADDRESS] == "Immeuble Le Montana, 5 rue de la Monnaie, 54000 Nancy"


@pytest.mark.parametrize("prefix_labels", [True, False])
def test_an_address_label_alone_over_its_lines_reads_them(prefix_labels: bool) -> None:
    # Labels stand beside their values in this form, but the address sits under its own.
    text = (
        "Dénomination\tIME Les Hirondelles\nAdresse postale complète\n2 chemin des Vignes\n"
        "21000 Dijon\nGestionnaire de l'inscription\nService\tDirection\n"
    )
    form = read_rows(text_rows(text), prefix_labels=prefix_labels)
    assert form.values[Field.ADDRESS] == "2 chemin des Vignes, 21000 Dijon"
    assert not form.unread


def test_a_label_alone_over_a_line_that_is_not_its_value_waits_for_nothing() -> None:
    form = document(
        "Dénomination\tIME Les Hirondelles\nAdresse postale\nGestionnaire de l'inscription\n"
    )
    assert Field.ADDRESS not in form.values


@pytest.mark.parametrize("header", ["Civi-, lité", "Civi- lité"])
def test_a_hyphenated_column_header_joined_from_a_cell_s_lines_is_known(header: str) -> None:
    form = document(
        f"Participants\n{header}\tPrénom\tNOM\tE-mail\nMme\tLéa\tDURAND\tlea.durand@x.fr\n"
    )
    assert [(p.civility, p.first_name, p.last_name) for p in form.participants] == [
        ("Mme", "Léa", "DURAND")
    ]


def test_a_ticked_box_over_a_heading_is_no_wrapped_label() -> None:
    # "☒" means nothing alone either, but the heading under it is a section, not the end
    # of a label: the session's line is not the organisation's name.
    form = document(
        "☐\tjeudi 18 mars 2027\n☒\tvendredi 8 octobre 2027\nOrganisme-client\n"
        "Dénomination\tAid'à Dom Cévennes\n"
    )
    assert form.values[Field.ORG_NAME] == "Aid'à Dom Cévennes"


def test_a_gloss_opened_on_the_label_s_line_is_not_part_of_the_address() -> None:
    form = document(
        "Dénomination\tAssociation Les Tilleuls\nAdresse postale complète (voie,\t4 bis allée "
        "des Peupliers\nBP / CS, code postal, ville)\t44300 Nantes\nGestionnaire de l'inscription\n"
    )
    assert form.values[Field.ADDRESS] == "4 bis allée des Peupliers, 44300 Nantes"


@pytest.mark.parametrize(
    ("line", "field", "value"),
    [
        ("Adresse postale8 rue du Lac", Field.ADDRESS, "8 rue du Lac"),
        ("Téléphone04 79 35 12 12", Field.PHONE, "04 79 35 12 12"),
    ],
)
def test_a_label_run_into_the_number_its_value_opens_with(
    line: str, field: Field, value: str
) -> None:
    assert document(f"Dénomination\tESAT Les Ateliers du Lac\n{line}\n").values[field] == value


@pytest.mark.parametrize(
    ("boxes", "civility"),
    [("☐\tM.\t☒\tMme", "Mme"), ("☒ M.\t☐ Mme", "M."), ("☒\tM.\t☒\tMme", None)],
)
def test_a_civility_chosen_by_ticking_its_box(boxes: str, civility: str | None) -> None:
    form = document(
        "Participants\nCivilité\tPrénom\tNOM\tAdresse e-mail de connexion\n"
        f"{boxes}\tNathalie\tGUÉRIN\tn.guerin@admr35.org\n☐\tM.\t☐\tMme\n"
    )
    assert [(p.civility, p.first_name, p.last_name) for p in form.participants] == [
        (civility, "Nathalie", "GUÉRIN")
    ]


@pytest.mark.parametrize(
    "header",
    [
        # Two rows: "Participant(e)" merged over "Prénom" and "NOM".
        "N°\tCivilité\tParticipant(e)\t\tFonction\tCourriel de connexion\n\t\tPrénom\tNOM\n",
        # The same header on one line, the merged cell's text set between its columns.
        "N°\tCivi-lité\tPrénom\tParticipant(e)\tNOM\tFonction\tCourriel de connexion\n",
    ],
)
def test_a_participants_header_with_a_merged_heading(header: str) -> None:
    form = document(
        f"PERSONNES INSCRITES AU WEBINAIRE\n{header}"
        "1\tMme\tLaetitia\tBOURDEAU\tChargée de tarification\tl.bourdeau@creuse.fr\n2\n3\n"
    )
    assert [(p.civility, p.first_name, p.last_name, p.email) for p in form.participants] == [
        ("Mme", "Laetitia", "BOURDEAU", "l.bourdeau@creuse.fr")
    ]


@pytest.mark.parametrize(
    "block",
    [
        "Fait\tà\tClermont-Ferrand\tSignature et cachet\nLe\t15 septembre 2026\n",  # justified
        "Fait à\tClermont-Ferrand\tSignature et\ncachet\nLe\t15 septembre 2026\n",  # wrapped
    ],
)
def test_the_place_beside_the_signing_heading(block: str) -> None:
    form = document(f"Montant net total = 2 x 635 euros = 1 270,00 euros\n{block}")
    assert form.values[Field.PLACE] == "Clermont-Ferrand"


def test_a_label_unknown_until_its_end_beside_an_address_s_lines() -> None:
    form = document(
        "Raison sociale\tSoins et Services à Domicile du Tarn\nAdresse de\tZone de Fonlabour\n"
        "facturation\t3 rue des Artisans\n(voie, BP, code postal, ville)\t81000 Albi\n"
        "Suivi du dossier\n"
    )
    assert form.values[Field.ADDRESS] == "Zone de Fonlabour, 3 rue des Artisans, 81000 Albi"


def test_a_value_centred_between_its_label_s_two_lines() -> None:
    form = document(
        "Structure payeuse\nRaison sociale de\nAPF Délégation territoriale Hauts-de-Seine\n"
        "la structure\nAdresse de facturation\t21 rue Maurice Ravel, 92220 Bagneux\n"
    )
    assert form.values[Field.ORG_NAME] == "APF Délégation territoriale Hauts-de-Seine"


@pytest.mark.parametrize("line", ["Raison sociale de", "Service ou"])
def test_a_label_s_first_line_ending_on_a_connector_has_no_value(line: str) -> None:
    # Alone, "Raison sociale de" once read the name "de"; "Service ou", the service "ou".
    form = document(f"Structure payeuse\n{line}\n")
    assert not {Field.ORG_NAME, Field.SERVICE} & set(form.values)


def test_a_label_s_second_line_under_its_value_is_not_the_value_cut() -> None:
    form = document("Nom du responsable\tRomain JACQUOT\ndu dossier\nCourriel\tr.jacquot@x.fr\n")
    assert form.values[Field.MANAGER_NAME] == "Romain JACQUOT"
    assert not form.trailed


def test_a_labelled_row_under_a_heading_that_is_a_label_too() -> None:
    # "Structure inscrite" (a label of the name as well) over " | Nom de l'établissement : |
    # X": the empty first cell does not end the heading as a wrapped label.
    form = document("Structure inscrite\n\tNom de l'établissement :\tAssociation Les Tilleuls\n")
    assert form.values[Field.ORG_NAME] == "Association Les Tilleuls"


def test_a_dashed_section_heading_is_no_label_and_value() -> None:
    # "ORGANISME - CLIENT" once named the organisation "CLIENT".
    form = document("ORGANISME - CLIENT\nDÉNOMINATION\tADMR Fédération du Cantal\n")
    assert form.values[Field.ORG_NAME] == "ADMR Fédération du Cantal"


def test_a_long_function_run_into_the_address_beside_it_is_split() -> None:
    form = read_rows(text_rows(
        "Participants\nCivilité\tPrénom\tNOM\tFonction\tAdresse e-mail de connexion\n"
        "Mme\tDelphine\tFOURNEL\tInspecteur\td.fournel@sea56.fr\n"
        "M.\tFabrice\tSALVETAT\tDirecteur d'établissement f.salvetat@sea56.fr\n"
        "M.\tLuc\tMARTIN\tChef de service l.dupont@sea56.fr\n"
    ), prefix_labels=True)  # fmt: skip
    emails = [p.email for p in form.participants]
    assert emails[:2] == ["d.fournel@sea56.fr", "f.salvetat@sea56.fr"]
    assert emails[2] != "l.dupont@sea56.fr"  # an address not spelling his name stays as read


@pytest.mark.parametrize(
    ("label", "signer"),
    [
        ("Signature et qualité du signataire :", "La Directrice, Martine LE FLOCH"),
        ("Nom et signature du signataire :", "Bernard JOUVE, Directeur"),
    ],
)
def test_the_signer_s_quality_and_signature_label_names_the_signer(label: str, signer: str) -> None:
    form = document(f"Fait à Mont-de-Marsan, le 19/05/2027\n{label} {signer}\n")
    assert form.values[Field.SIGNATORY] == signer


def test_a_delegation_s_two_titles_before_the_signer_under_fait_a() -> None:
    signer = "Pour le Président et par délégation, la Directrice Enfance Famille, Odile MARTINEAU"
    form = document(f"Fait à Chevigny-Saint-Sauveur, le 18/10/2026\n{signer}\n")
    assert form.values[Field.SIGNATORY] == signer


@pytest.mark.parametrize(
    ("line", "count", "total"),
    [
        ("Coût total de l'inscription (2 agents à 625 € par personne) : 1 250,00 €", 2, "1250"),
        ("Montant total (3 participants à 635 €) : 1 905 € net", 3, "1905"),
    ],
)
def test_the_count_in_the_total_s_label_is_read(line: str, count: int, total: str) -> None:
    form = document(f"{line}\n")
    assert (form.declared_count, form.declared_total) == (count, Decimal(total))


def test_the_count_on_the_line_under_the_total() -> None:
    form = document(
        "Montant : deux mille cinq cent quarante euros (2 540 €)\npour 4 participants\n"
    )
    assert (form.declared_count, form.declared_total) == (4, Decimal("2540"))
