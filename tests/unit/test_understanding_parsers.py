"""Small pure parsers: dates, amounts, names, e-mails, labels."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from mailbot.understanding.amounts import parse_amount, parse_count, words_amount
from mailbot.understanding.dates import find_dates, parse_date
from mailbot.understanding.emails import is_valid, repair_ocr
from mailbot.understanding.form_reader import parse_person_line, read_rows, text_rows
from mailbot.understanding.labels import Field, column_for, field_for
from mailbot.understanding.names import parse_civility, split_full_name
from mailbot.understanding.reading import _written_not_read


def test_french_dates_in_every_written_form() -> None:
    assert parse_date("14 octobre 2026", 2026) == dt.date(2026, 10, 14)
    assert parse_date("14/10/26", 2026) == dt.date(2026, 10, 14)
    assert parse_date("14.10.2026", 2026) == dt.date(2026, 10, 14)
    assert parse_date("le 1er mars 2027", 2026) == dt.date(2027, 3, 1)
    assert parse_date("2027-03-18", 2026) == dt.date(2027, 3, 18)
    # Day and month alone take the year given; the year is then not "written".
    [mention] = find_dates("absente le 26/11, merci", 2026)
    assert (mention.date, mention.year_written) == (dt.date(2026, 11, 26), False)
    # Not the first two parts of a longer date or of a phone number.
    assert [m.date for m in find_dates("le 26/11/2026", 2026)] == [dt.date(2026, 11, 26)]
    assert find_dates("05 56 17 11 90, dossier 2026/11", 2026) == []


def test_a_month_in_roman_numerals_as_an_administration_dates_a_letter() -> None:
    assert parse_date("Le : 3-XI-2026", 2026) == dt.date(2026, 11, 3)
    assert parse_date("11.IX.2026", 2026) == dt.date(2026, 9, 11)
    assert parse_date("Bâtiment 2-V-12", 2026) is None


def test_a_number_after_a_day_and_month_is_no_year() -> None:
    # "27/11 - 14 participants": the day of the session, then a head count, not 2014.
    subject = "Inscription webinaire CPOM Handicap 27/11 - 14 participants"
    assert [m.date for m in find_dates(subject, 2026)] == [dt.date(2026, 11, 27)]
    assert [m.date for m in find_dates("signé le 14/10-2026", 2026)] == [dt.date(2026, 10, 14)]
    assert [m.date for m in find_dates("le 3/11 - 2026", 2026)] == [dt.date(2026, 11, 3)]
    assert [m.date for m in find_dates("le 14.10.26", 2026)] == [dt.date(2026, 10, 14)]


def test_english_dates_as_an_english_speaking_office_writes_them() -> None:
    assert parse_date("on Friday 8 October 2027", 2026) == dt.date(2027, 10, 8)
    assert parse_date("the 18th of March 2027", 2026) == dt.date(2027, 3, 18)
    assert parse_date("October 8, 2027", 2026) == dt.date(2027, 10, 8)
    # An online form prints the month shortened: "Jan 13, 2027", "Sept. 3, 2026".
    assert parse_date("Jan 13, 2027", 2026) == dt.date(2027, 1, 13)
    assert parse_date("Sept. 3, 2026", 2026) == dt.date(2026, 9, 3)
    [mention] = find_dates("Thursday 26th November", 2026)
    assert (mention.date, mention.weekday) == (dt.date(2026, 11, 26), "jeudi")
    # The month first needs its year: "you may 3 times" names no day.
    assert find_dates("you may 3 times", 2026) == []


def test_a_date_without_its_year_falls_in_the_year_nearest_the_mail() -> None:
    # Signed on 28 December, mailed on 5 January: the year before.
    assert parse_date("28/12", 2027, dt.date(2027, 1, 5)) == dt.date(2026, 12, 28)
    assert parse_date("le 14 oct.", 2026, dt.date(2026, 10, 15)) == dt.date(2026, 10, 14)
    assert parse_date("05/01", 2026, dt.date(2026, 12, 30)) == dt.date(2027, 1, 5)
    # A year written is kept, however far.
    assert parse_date("28/12/2027", 2027, dt.date(2027, 1, 5)) == dt.date(2027, 12, 28)


def test_a_year_less_date_keeps_its_weekday_for_the_session_check() -> None:
    [mention] = find_dates("jeudi 21 mars", 2027)
    assert mention.weekday == "jeudi" and not mention.year_written


def test_amounts_with_french_separators() -> None:
    assert parse_amount("1 905,00 €") == Decimal("1905.00")
    assert parse_amount("1905 euros") == Decimal("1905.00")
    assert parse_amount("1.905,00") == Decimal("1905.00")
    # An English-locale spreadsheet shows "2,500.00 €"; "1,50" stays French.
    assert parse_amount("2,500.00 €") == Decimal("2500.00")
    assert parse_amount("1,50 €") == Decimal("1.50")
    # English thousands beside the euro sign: nobody writes three decimals of a euro.
    assert parse_amount("€1,905") == Decimal("1905.00")
    assert parse_amount("€ 1,905") == Decimal("1905.00")
    assert parse_amount("1,250 EUR") == Decimal("1250.00")
    assert parse_amount("1,500") == Decimal("1.50")  # alone, it stays French


def test_amounts_spelled_out_or_written_as_on_a_cheque() -> None:
    cases = {
        "mille neuf cent cinq euros": "1905",
        "deux mille cinq cent quarante euros TTC": "2540",
        "six cent trente-cinq €": "635",
        "quatre-vingt-dix-neuf": "99",
        "soixante et onze": "71",
        "trois cents": "300",
    }
    assert {text: words_amount(text) for text in cases} == {
        text: Decimal(value).quantize(Decimal("0.01")) for text, value in cases.items()
    }
    assert words_amount("voir bon de commande") is None and words_amount("euros") is None
    for total in ("Montant total : mille neuf cent cinq euros", "Montant total : 1 905,- €",
                  "Montant total = 3 x 635 euros =\n1 905,- €"):  # fmt: skip
        assert read_rows(text_rows(total)).declared_total == Decimal("1905.00"), total


def test_a_count_or_total_written_but_not_read_is_said_so() -> None:
    for text, field in (
        ("Nombre de participants : III", Field.COUNT),
        ("Montant net total = nombre de participants (III) x 625 euros = 1 875 euros", Field.COUNT),
        ("Montant total : voir bon de commande", Field.TOTAL),
    ):
        assert read_rows(text_rows(text)).unreadable == {field}, text
    # Left blank, with the form's own "(n)", units and dotted lines: nothing was written.
    for blank in ("Nombre de participants (n) : ____", "Montant total : ....... €",
                  "Montant net total = nombre de participants ( ) x 625 euros = ______ €"):  # fmt: skip
        assert read_rows(text_rows(blank)).unreadable == set(), blank


def test_a_count_and_a_total_written_as_sums() -> None:
    form = read_rows(text_rows("Nombre de participants = 3\nMontant total = 3 x 635 = 1 905 €"))
    assert (form.declared_count, form.declared_total) == (3, Decimal("1905.00"))
    wrapped = read_rows(text_rows("Montant total = 3 x 635 euros =\n1 905 euros"))
    assert wrapped.declared_total == Decimal("1905.00")


@pytest.mark.parametrize(
    "line",
    [
        # The count restated in brackets after the amount: the amount is the result.
        "Montant net total des frais d'inscription : 635 € x 2 = 1 270 € (nombre de participants : 2)",
        # The amount's own label and colon where the form has its "=".
        "Nombre de participants ( 2 ) x 635 euros - Montant TTC (exonéré de TVA) : 1 270,00 €",
        # The count as the price's factor, before or after it, the sum after "=" or "soit".
        "Montant : 635 € x 2 = 1 270 €",
        "Montant : 1 270,00 € (2 x 635 €)",
        "Frais d'inscription : 2 x 635 € soit 1 270,00 €",
        "Nous inscrivons 2 personnes soit 1270 euros :",
    ],
)
def test_an_amount_line_written_in_the_writer_s_own_order_is_read(line: str) -> None:
    form = read_rows(text_rows(f"{line}\nFait à Moulins"), prefix_labels=True)
    assert (form.declared_count, form.declared_total) == (2, Decimal("1270.00"))
    assert form.unreadable == set()


@pytest.mark.parametrize(
    ("text", "unread"),
    [
        ("Montant : 635 € x 2", ["declared_count", "declared_total_eur"]),
        ("Inscription de 2 x 635 € à régler", ["declared_count"]),
        ("Frais : 2 x 635 € soit 1 270,00 €", ["declared_count", "declared_total_eur"]),
        ("Nous inscrivons 2 personnes soit 1270 euros", ["declared_count", "declared_total_eur"]),
        ("Frais pour 2 agents à 625 € par personne", ["declared_count"]),
        ("Inscription de 3 agents du service", ["declared_count"]),
        # A phone's last digits over the list's heading are no head count.
        ("Tél. : 02 41 87 66 03\n\nParticipants :", []),
        ("Les frais sont de 635 euros par participant.", []),
    ],
)
def test_a_count_or_a_sum_shown_but_not_read_is_for_a_person(text: str, unread: list[str]) -> None:
    # Whatever shape no reader knows yet: left empty, the check of the total would pass
    # as if the form had left them blank.
    assert _written_not_read(read_rows(text_rows("")), text) == unread


def test_civilities_are_canonical_except_mademoiselle_as_written() -> None:
    assert parse_civility("Monsieur") == "M."
    assert parse_civility("MR") == "M."
    assert parse_civility("MME") == "Mme"
    assert parse_civility("Melle") == "Melle"
    assert parse_civility("Dr") is None


def test_capitals_mark_the_family_name_wherever_it_stands() -> None:
    assert split_full_name("DUPONT Marie") == ("Marie", "DUPONT")
    assert split_full_name("Hervé DE LA FONTAINE") == ("Hervé", "DE LA FONTAINE")
    assert split_full_name("Hélène Le Gall") == ("Hélène", "Le Gall")
    # The particles written small before the capitals open the family name.
    assert split_full_name("Grégoire de CHAMPEAUX") == ("Grégoire", "de CHAMPEAUX")
    assert split_full_name("Anne de La ROCHE") == ("Anne", "de La ROCHE")
    assert split_full_name("Jean-Marie d' ORMESSON") == ("Jean-Marie", "d' ORMESSON")
    # A family name alone that opens on a particle: no first name to invent from it.
    assert split_full_name("LE BRIS") == (None, "LE BRIS")
    assert split_full_name("de La Fontaine") == (None, "de La Fontaine")
    assert split_full_name("D'ALMEIDA") == (None, "D'ALMEIDA")
    assert split_full_name("de SAINT-JUST") == (None, "de SAINT-JUST")
    assert split_full_name("Fabienne Mc NAMARA") == ("Fabienne", "Mc NAMARA")
    # Family name first, its particles with it ("NOM Prénom" columns).
    assert split_full_name("de SAINT-JUST Ségolène") == ("Ségolène", "de SAINT-JUST")
    assert split_full_name("van der BEKEN Pieter") == ("Pieter", "van der BEKEN")
    person = parse_person_line("3. Mme  LE BRIS - a.lebris@x.fr")
    assert person is not None and (person.first_name, person.last_name) == (None, "LE BRIS")


def test_email_syntax_only_and_repairs_only_when_unambiguous() -> None:
    assert is_valid("anne.roux@gironde.fr")
    assert not is_valid("jean.dupont@gironde")
    assert repair_ocr("anne. roux@gironde.fr") == ("anne.roux@gironde.fr", True)
    assert repair_ocr("anne.roux@gironde") == ("anne.roux@gironde", False)


def test_label_variants() -> None:
    assert field_for("Raison sociale") is Field.ORG_NAME
    assert field_for("Nom du responsable de l'inscription") is Field.MANAGER_NAME
    assert field_for("Mél") is Field.MANAGER_EMAIL
    assert field_for("Nombre d'inscrit(e)s") is Field.COUNT
    assert field_for("Nom et prénom du contact") is Field.MANAGER_NAME
    assert field_for("Dénominaton", fuzzy=True) is Field.ORG_NAME
    assert column_for("Adresse e-mail de connexion") is Field.EMAIL
    # Abbreviated in organisations' own copies of the form.
    assert field_for("Adr.") is Field.ADDRESS and field_for("Serv.") is Field.SERVICE


def test_participant_lines() -> None:
    person = parse_person_line("2. Mme Laëtitia LÉGER (Comptable) : l.leger@x.fr")
    assert person is not None
    assert (person.civility, person.first_name, person.last_name, person.email) == (
        "Mme", "Laëtitia", "LÉGER", "l.leger@x.fr",
    )  # fmt: skip
    slashed = parse_person_line("M. / BERTRAND / Benoît / Contrôleur / b.bertrand@x.fr")
    assert slashed is not None
    assert (slashed.first_name, slashed.last_name) == ("Benoît", "BERTRAND")
    # A blank family-name cell stays blank: the first name and the function keep their columns.
    blank = parse_person_line("Mme /  / Élodie / Chef de service / e.dupont@x.fr")
    assert blank is not None
    assert (blank.first_name, blank.last_name, blank.email) == ("Élodie", "", "e.dupont@x.fr")
    nameless = parse_person_line("Mme /  /  / e.dupont@x.fr")
    assert nameless is not None and nameless.last_name is None and nameless.email == "e.dupont@x.fr"


def test_a_signatory_written_without_a_colon_under_the_place_and_date() -> None:
    def signatory(tail: str) -> str | None:
        text = f"Dénomination : CCAS de Pau\nFait à Pau, le 20/10/2026\n{tail}\n"
        return read_rows(text_rows(text)).values.get(Field.SIGNATORY)

    assert signatory("Par Marie DURAND") == "Marie DURAND"
    assert signatory("Par La Directrice, Anne ROUX") == "La Directrice, Anne ROUX"
    # Prose, not a name: the form stays unsigned and goes to a person.
    assert signatory("Par ailleurs merci de nous envoyer la facture") is None
    assert signatory("Par Chorus Pro") is None
    assert signatory("Par Marie Durand.") is None
    # Outside the signature block, "Par …" is no signatory.
    text = "Dénomination : CCAS de Pau\nPar Marie DURAND\n"
    assert Field.SIGNATORY not in read_rows(text_rows(text)).values


def test_a_participant_count_written_in_words() -> None:
    assert [parse_count(t) for t in ("2", "deux", "Trois personnes", "aucun", "")] == [
        2, 2, 3, None, None,
    ]  # fmt: skip
    line = "Montant net total = nombre de participants (deux) x 635 euros = 1 270,00 euros"
    form = read_rows(text_rows(line))
    assert form.declared_count == 2 and form.declared_total == Decimal("1270.00")


def test_a_header_row_ocr_damaged_is_no_participant() -> None:
    # "Adresse e-mail de connexion" read "Adresse 6-mail de": the row is no header any
    # more, and "NOM | Adresse 6-mail de" must not be taken for a family name.
    text = (
        "Participants\n"
        "Civilité\tPrénom\tNOM\tAdresse 6-mail de\n"
        "M.  Frédéric  SIMON  simon.frederic@gironde.fr\n"
    )
    form = read_rows(text_rows(text), prefix_labels=True)
    assert [(p.first_name, p.last_name) for p in form.participants] == [("Frédéric", "SIMON")]


def test_a_participant_line_ending_on_its_civility() -> None:
    lines = {
        "1. Margaux PAGÈS – m.pages@x.fr – Mme": ("Mme", "Margaux", "PAGÈS"),
        "- Julien BONNAFOUX, j.bonnafoux@x.fr, M.": ("M.", "Julien", "BONNAFOUX"),
        "Fatima EL AMRANI (f.elamrani@x.fr) - Mme": ("Mme", "Fatima", "EL AMRANI"),
    }
    for line, expected in lines.items():
        person = parse_person_line(line)
        assert person is not None, line
        assert (person.civility, person.first_name, person.last_name) == expected
