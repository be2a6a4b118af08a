"""A form retyped in a spreadsheet by hand: columns left between label and value, a
margin column, numbers typed as numbers (a phone loses its 0, an amount its spaces)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from mailbot.catalog import Catalog
from mailbot.understanding import understand
from mailbot.understanding.documents import extract_document
from mailbot.understanding.form_reader import RawForm
from mailbot.understanding.model import Decision
from mailbot.understanding.reading import _written_not_read
from tests.factories.forms import FormData, replace, sample_form
from tests.factories.mails import mail

FORM = sample_form()
PHONE_FORMAT = '0#" "##" "##" "##" "##'  # Excel's "Numéro de téléphone" special format


def _workbook(
    form: FormData = FORM,
    *,
    gap: int = 0,
    margin: int = 0,
    phone_format: str | None = PHONE_FORMAT,
    mark_after: bool = False,
    session_word: str = "",
    price_row: str | None = None,
    sum_row: bool = False,
) -> bytes:
    """Label in the first column, value ``gap`` columns further, numbers as numbers."""
    book = Workbook()
    sheet = book.active
    pad: list[object] = [None] * margin
    between: list[object] = [None] * gap

    def row(*cells: object, number_format: str | None = None) -> None:
        sheet.append([*pad, *cells])
        if number_format:
            sheet.cell(row=sheet.max_row, column=sheet.max_column).number_format = number_format

    row(f"Web-séminaire : {form.webinar_title}")
    for label, ticked in form.sessions:
        if mark_after:  # "vendredi 8 octobre 2027 | X": the mark in the next cell
            row(f"{session_word}{label}", "X" if ticked else None)
        else:
            row("☒" if ticked else "☐", label)
    row("Dénomination", *between, form.organisation_name)
    row("Adresse postale", *between, form.address_lines[0])
    for line in form.address_lines[1:]:
        row(None, *between, line)
    row("Prénom et NOM", *between, form.manager_name)
    row("Adresse e-mail", *between, form.manager_email)
    row("Service", *between, form.manager_service)
    phone = int(form.manager_phone.replace(" ", ""))
    row("Téléphone", *between, phone, number_format=phone_format)
    row("Civilité", "Prénom", "NOM", "Adresse e-mail de connexion")
    for p in form.participants:
        row(p.civility, p.first_name, p.last_name, p.email)
    if price_row == "before":
        row("Prix unitaire (euros)", *between, 625)
    if sum_row:  # "TOTAL | 2 | 1 250,00 €": the list's own sum under it
        row("TOTAL", len(form.participants), 1250.0)
    row("Nombre de participants", *between, len(form.participants))
    if price_row == "after":
        row("Prix unitaire (euros)", *between, 625)
    row("Montant total", *between, 1250.0, number_format='#,##0.00 "€"')
    row("Fait à", *between, form.signed_place)
    row("Le", *between, dt.datetime(2026, 10, 14), number_format="dd/mm/yyyy")
    row("Par (nom du signataire)", *between, form.signatory)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _understood(data: bytes, catalog: Catalog):
    raw = mail(
        "Bonjour,\n\nci-joint notre bulletin d'inscription.\n\nCordialement",
        attachments=[("Bulletin.xlsx", XLSX, data)],
        date="Wed, 14 Oct 2026 10:31:50 +0200",
    )
    return understand(raw, catalog)


@pytest.mark.parametrize(("gap", "margin"), [(0, 0), (1, 0), (2, 0), (0, 1), (1, 2)])
def test_a_retyped_sheet_is_read_whatever_its_columns(catalog: Catalog, gap, margin) -> None:
    u = _understood(_workbook(gap=gap, margin=margin), catalog)
    assert u.decision is Decision.AUTO, u.reasons
    assert u.organisation is not None
    assert u.organisation.name == FORM.organisation_name
    assert u.organisation.address == ", ".join(FORM.address_lines)
    assert u.manager is not None and u.manager.email == FORM.manager_email
    assert u.manager.phone == "05 56 17 11 90"
    assert (u.declared_count, u.declared_total_eur) == (2, Decimal("1250.00"))
    assert u.signed_date == dt.date(2026, 10, 14)
    assert u.signatory == FORM.signatory


@pytest.mark.parametrize("price_row", ["before", "after"])
def test_a_unit_price_under_the_list_is_no_participant(catalog: Catalog, price_row: str) -> None:
    u = _understood(_workbook(price_row=price_row), catalog)
    assert [p.last_name for p in u.participants] == [p.last_name for p in FORM.participants]
    assert u.decision is Decision.AUTO, u.reasons


def test_a_session_ticked_in_the_cell_after_its_date(catalog: Catalog) -> None:
    u = _understood(_workbook(mark_after=True), catalog)
    assert u.session is not None and u.session.date == dt.date(2027, 3, 18)
    assert u.decision is Decision.AUTO, u.reasons
    both = replace(FORM, sessions=tuple((label, True) for label, _ in FORM.sessions))
    u = _understood(_workbook(both, mark_after=True), catalog)
    assert u.session is None and "several_sessions_chosen" in u.reasons


@pytest.mark.parametrize("word", ["Session ", "Session du ", "Journée du "])
@pytest.mark.parametrize("tail", ["", " (cocher X)"])
@pytest.mark.parametrize("ticked", [0, 1])
def test_a_session_row_left_unmarked_is_the_other_box(
    catalog: Catalog, word: str, ticked: int, tail: str
) -> None:
    # "Session vendredi 8 octobre 2027 |  " under "Session jeudi 18 mars 2027 | X": the
    # unmarked row is the box not chosen, no second session asked for in the form's words.
    sessions = tuple(
        (label.split(" de ")[0] + tail if tail else label, i == ticked)
        for i, (label, _) in enumerate(FORM.sessions)
    )
    form = replace(FORM, sessions=sessions)
    u = _understood(_workbook(form, mark_after=True, session_word=word), catalog)
    chosen = (dt.date(2027, 3, 18), dt.date(2027, 10, 8))[ticked]
    assert u.session is not None and u.session.date == chosen
    assert u.decision is Decision.AUTO, u.reasons


def test_a_session_asked_in_a_note_beside_another_box_is_still_doubted(catalog: Catalog) -> None:
    sheet = _workbook(mark_after=True, session_word="Session ")
    note = "Bonjour,\n\nNous souhaitons la session du 8 octobre 2027.\n\nCordialement"
    raw = mail(note, attachments=[("Bulletin.xlsx", XLSX, sheet)],
               date="Wed, 14 Oct 2026 10:31:50 +0200")  # fmt: skip
    u = understand(raw, catalog)
    assert u.session is None and u.decision is Decision.REVIEW


def test_the_list_s_sum_row_gives_its_count_then_its_amount(catalog: Catalog) -> None:
    u = _understood(_workbook(sum_row=True), catalog)
    assert (u.declared_count, u.declared_total_eur) == (2, Decimal("1250.00"))
    assert u.decision is Decision.AUTO, u.reasons


def test_a_phone_typed_as_a_plain_number_gets_its_zero_back(catalog: Catalog) -> None:
    u = _understood(_workbook(phone_format=None), catalog)
    assert u.manager is not None and u.manager.phone == "0556171190"


def test_a_word_naming_the_field_after_a_gap_is_its_value(catalog: Catalog) -> None:
    # "Direction" is also a label (of the service); after "Service" it is the value.
    u = _understood(_workbook(sample_form(manager_service="Direction"), gap=1), catalog)
    assert u.manager is not None and u.manager.service == "Direction"


def test_an_empty_value_before_the_next_label_stays_empty() -> None:
    data = _workbook()
    book_rows = extract_document(data, filename="b.xlsx", content_type="").pop().tables[0]
    assert ("Téléphone", "05 56 17 11 90") in book_rows
    assert ("Le", "14/10/2026") in book_rows


def test_a_count_or_total_shown_but_not_placed_is_doubted_not_skipped() -> None:
    # The rules check a count and a total only when written: one the reader missed
    # must not pass for one left blank.
    blank = RawForm()
    assert _written_not_read(blank, "Nombre de participants :\t3") == ["declared_count"]
    assert _written_not_read(blank, "Nombre de participants (n) = 3") == ["declared_count"]
    assert _written_not_read(blank, "Montant total\t1 250,00 €") == ["declared_total_eur"]
    assert _written_not_read(blank, "Total à payer = 1250") == ["declared_total_eur"]
    empty_formula = "Montant net total = nombre de participants ( ) x 625 Euros = _____ €"
    assert _written_not_read(blank, empty_formula) == []
    assert _written_not_read(blank, "Nombre de participants :\nMontant total :") == []
    read = RawForm(declared_count=3, declared_total=Decimal("1875"))
    assert _written_not_read(read, "Nombre de participants : 3\nMontant total : 1 875 €") == []


def test_formulas_no_program_computed_leave_the_count_and_total_doubted(
    catalog: Catalog,
) -> None:
    # A sheet written by a program stores "=COUNTA(…)" and "=B9*625" without their
    # results; Excel would show 2 and 1 250, the file holds neither.
    book = Workbook()
    sheet = book.active
    for row in (
        ("Web-séminaire : Mettre en place un CPOM dans le secteur de l'aide à domicile",),
        ("☒", "jeudi 18 mars 2027"), ("☐", "vendredi 8 octobre 2027"),
        ("Dénomination", FORM.organisation_name), ("Adresse postale", "Place de la République"),
        (None, "33160 Saint-Médard"), ("Prénom et NOM", FORM.manager_name),
        ("Adresse e-mail", FORM.manager_email),
        ("Civilité", "Prénom", "NOM", "Adresse e-mail de connexion"),
        *((p.civility, p.first_name, p.last_name, p.email) for p in FORM.participants),
        ("Nombre de participants", "=COUNTA(D10:D11)"), ("Montant total", "=B12*625"),
        ("Fait à", "Saint-Médard"), ("Le", "14/10/2026"), ("Par", FORM.signatory),
    ):  # fmt: skip
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    [document] = extract_document(out.getvalue(), filename="f.xlsx", content_type="")
    assert "Nombre de participants\t=COUNTA(D10:D11)" in document.text
    u = _understood(out.getvalue(), catalog)
    assert (u.declared_count, u.declared_total_eur) == (None, None)
    assert "uncertain:declared_count" in u.reasons
    assert "uncertain:declared_total_eur" in u.reasons


def test_the_form_along_one_row_under_its_labels(catalog: Catalog) -> None:
    labels = [
        "Formation", "Date session", "Dénomination organisme", "Adresse postale",
        "Gestionnaire (Prénom NOM)", "E-mail gestionnaire", "Service", "Téléphone",
        "Participant 1 - Civilité", "Participant 1 - Prénom", "Participant 1 - NOM",
        "Participant 1 - E-mail", "Participant 2 - Civilité", "Participant 2 - Prénom",
        "Participant 2 - NOM", "Participant 2 - E-mail", "Nombre de participants",
        "Montant total", "Fait à", "Le", "Par (nom du signataire)",
    ]  # fmt: skip
    values = [
        "Les CPOM des établissements et services de l'ASE", "26/11/2026",
        "Association Les Genêts d'Or", "4 allée de Kervéguen, 29200 Brest", "Yann KERBRAT",
        "y.kerbrat@genetsdor.bzh", "Direction générale", "02 98 47 12 33", "M.", "Yann",
        "KERBRAT", "y.kerbrat@genetsdor.bzh", "Mme", "Maëlys", "LE GALL",
        "m.legall@genetsdor.bzh", 2, 1270, "Brest", "02/10/2026", "Yann KERBRAT",
    ]  # fmt: skip
    book = Workbook()
    book.active.append(labels)
    book.active.append(values)
    out = io.BytesIO()
    book.save(out)
    u = _understood(out.getvalue(), catalog)
    assert u.organisation is not None and u.organisation.name == "Association Les Genêts d'Or"
    assert [p.last_name for p in u.participants] == ["KERBRAT", "LE GALL"]
    assert u.decision is Decision.AUTO, u.reasons


def test_a_list_of_people_one_row_each_is_not_turned() -> None:
    from mailbot.understanding.documents.spreadsheet import sheets_document

    roster = (("Civilité", "Prénom", "NOM", "E-mail"), ("Mme", "Anne", "ROUX", "a.roux@x.fr"))
    assert sheets_document([roster]).tables == (roster,)


def test_two_blocks_of_pairs_side_by_side_are_read_block_by_block(catalog: Catalog) -> None:
    # "Dénomination | ACME | | Prénom et NOM | Anne ROUX": the address's next lines stand
    # in the value column beside the manager's pairs.
    book = Workbook()
    sheet = book.active
    for row in [
        ["Bulletin d'inscription"],
        [f"Web-séminaire : {FORM.webinar_title}"],
        ["X", "jeudi 18 mars 2027 de 9h30 à 17h00"],
        [None, "vendredi 8 octobre 2027 de 9h30 à 17h00"],
        ["Organisme-client", None, None, "Gestionnaire de l'inscription"],
        ["Dénomination", FORM.organisation_name, None, "Prénom et NOM", FORM.manager_name],
        ["Adresse postale", FORM.address_lines[0], None, "Adresse e-mail", FORM.manager_email],
        [None, FORM.address_lines[1], None, "Service", FORM.manager_service],
        [None, FORM.address_lines[2], None, "Téléphone", FORM.manager_phone],
        ["Participants"],
        ["Civilité", "Prénom", "NOM", "Adresse e-mail de connexion"],
        *[list(person) for person in FORM.participant_rows() if any(person)],
        [FORM.amount_line()],
        ["Fait à", FORM.signed_place, None, "Le", FORM.signed_date],
        ["Par (nom du signataire)", FORM.signatory],
    ]:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    u = _understood(out.getvalue(), catalog)
    assert u.decision is Decision.AUTO, u.reasons
    assert u.organisation is not None
    assert u.organisation.address == ", ".join(FORM.address_lines)
    assert u.manager is not None and u.manager.service == FORM.manager_service
    assert u.manager.phone == FORM.manager_phone
