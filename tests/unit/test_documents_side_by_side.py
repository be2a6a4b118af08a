"""Two sections set side by side, each label above its value, are read one column at a time."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from mailbot.catalog import load_catalog
from mailbot.understanding import understand
from mailbot.understanding.documents.lines import Word, build_lines
from mailbot.understanding.labels import is_heading
from mailbot.understanding.model import Decision, Understanding
from mailbot.understanding.side_by_side import sections_apart
from tests.factories import forms
from tests.factories.mails import mail

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LEFT = ["Organisme-client", "Dénomination", "SSIAD du Val d'Orge", "Adresse postale",
        "12 rue des Lilas", "91240 Saint-Michel-sur-Orge"]  # fmt: skip
RIGHT = ["Gestionnaire de l'inscription", "Adresse e-mail", "m.roux@ssiad-orge.fr",
         "Prénom et NOM", "Martine ROUX", "Service", "Direction", "Téléphone", "01 69 12 34 56"]  # fmt: skip

ROOT = Path(__file__).resolve().parents[2]
CHAR = 5.0  # a 10-pt font: one character about 5 pt wide, a line 10 pt high


def word(text: str, x0: float, top: float) -> Word:
    return Word(text, x0, x0 + CHAR * len(text), top, top + 10.0)


def phrase(text: str, x0: float, top: float) -> list[Word]:
    words, x = [], x0
    for piece in text.split():
        words.append(word(piece, x, top))
        x += CHAR * (len(piece) + 1)
    return words


def page(rows: list[tuple[str, str]], top: float = 100.0) -> list[Word]:
    """Rows of (left text, right text), the right column starting at x=310."""
    words: list[Word] = []
    for number, (left, right) in enumerate(rows):
        y = top + 14 * number
        words += phrase(left, 50, y) + phrase(right, 310, y)
    return words


def lines(words: list[Word]) -> list[str]:
    return [line.text for line in build_lines(words, is_heading)]


def test_two_headings_side_by_side_read_as_one_column_then_the_other() -> None:
    words = page([
        ("Organisme-client", "Gestionnaire de l'inscription"),
        ("Dénomination", "Adresse e-mail"),
        ("SSIAD du Val d'Orge", "m.roux@ssiad-orge.fr"),
        ("Adresse postale", "Prénom et NOM"),
        ("12 rue des Lilas", "Martine ROUX"),
        ("", "Service"),
        ("91240 Saint-Michel-sur-Orge", "Direction"),
        ("Participants", ""),
    ])  # fmt: skip
    assert lines(words) == [
        "Organisme-client", "Dénomination", "SSIAD du Val d'Orge", "Adresse postale",
        "12 rue des Lilas", "91240 Saint-Michel-sur-Orge",
        "Gestionnaire de l'inscription", "Adresse e-mail", "m.roux@ssiad-orge.fr",
        "Prénom et NOM", "Martine ROUX", "Service", "Direction",
        "Participants",
    ]  # fmt: skip


def test_labels_beside_their_values_stay_row_by_row() -> None:
    # A label | value form: the left cells are labels, not headings; nothing moves.
    words = page([("Dénomination", "SSIAD du Val d'Orge"), ("Adresse postale", "12 rue des Lilas")])
    assert lines(words) == [
        "Dénomination\tSSIAD du Val d'Orge",
        "Adresse postale\t12 rue des Lilas",
    ]


def test_the_block_ends_where_a_line_crosses_the_gutter() -> None:
    words = page([("Organisme-client", "Gestionnaire de l'inscription"),
                  ("Dénomination", "Adresse e-mail")])  # fmt: skip
    # The amount runs across the page, over the gutter: it stays after both columns.
    words += phrase("Montant net total des frais d'inscription = 1 250,00 euros", 50, 140)
    words += phrase("Le", 50, 154) + phrase("14/10/2026", 310, 154)
    assert lines(words) == [
        "Organisme-client", "Dénomination", "Gestionnaire de l'inscription", "Adresse e-mail",
        "Montant net total des frais d'inscription = 1 250,00 euros", "Le\t14/10/2026",
    ]  # fmt: skip


def landscape(rows: list[tuple[list[tuple[float, str]], list[tuple[float, str]]]]) -> list[Word]:
    """Rows of a landscape page: (left half's cells, right half's cells), each an x and a text."""
    words: list[Word] = []
    for number, (left, right) in enumerate(rows):
        for x0, text in [*left, *right]:
            words += phrase(text, x0, 100 + 14 * number)
    return words


def test_a_page_in_two_halves_is_read_one_half_then_the_other() -> None:
    # The right half's heading is not level with any of the left's.
    words = landscape([
        ([(50, "Organisme-client")], []),
        ([(50, "Dénomination"), (170, "SSIAD du Val d'Orge")], [(430, "Participants")]),
        ([(50, "Adresse postale"), (170, "12 rue des Lilas")],
         [(430, "Civilité"), (490, "Prénom"), (550, "NOM"), (610, "Adresse e-mail")]),
        ([(170, "91240 Saint-Michel")],
         [(430, "Mme"), (490, "Julie"), (550, "PETIT"), (610, "j.petit@ssiad-orge.fr")]),
        ([(50, "Gestionnaire de l'inscription")], [(430, "Fait à"), (550, "Saint-Michel")]),
        ([(50, "Prénom et NOM"), (170, "Martine ROUX")], [(430, "Le"), (550, "02/10/2026")]),
    ])  # fmt: skip
    assert lines(words) == [
        "Organisme-client", "Dénomination\tSSIAD du Val d'Orge",
        "Adresse postale\t12 rue des Lilas", "91240 Saint-Michel",
        "Gestionnaire de l'inscription", "Prénom et NOM\tMartine ROUX",
        "Participants", "Civilité\tPrénom\tNOM\tAdresse e-mail",
        "Mme\tJulie\tPETIT\tj.petit@ssiad-orge.fr", "Fait à\tSaint-Michel", "Le\t02/10/2026",
    ]  # fmt: skip


def test_a_heading_in_a_value_column_splits_no_page() -> None:
    # No heading on the left of it: a form's labels and their values, one of them a heading's
    # words, stay row by row.
    words = landscape([
        ([(50, "Dénomination")], [(430, "Participants")]),
        ([(50, "Adresse postale")], [(430, "12 rue des Lilas")]),
    ])  # fmt: skip
    assert lines(words) == ["Dénomination\tParticipants", "Adresse postale\t12 rue des Lilas"]


def test_each_column_s_labels_beside_their_values_are_read_down_a_column_at_a_time() -> None:
    # Two cells on each side of the gutter: each block's label and value on one row. Read
    # across, the address's second line would meet the manager's "Téléphone".
    words = landscape([
        ([(50, "Organisme-client")], [(310, "Gestionnaire de l'inscription")]),
        ([(50, "Dénomination"), (140, "SSIAD du Val d'Orge")],
         [(310, "Prénom et NOM"), (390, "Martine ROUX")]),
        ([(50, "Adresse postale"), (140, "12 rue des Lilas")], [(310, "Service"), (390, "Direction")]),
        ([(140, "91240 Saint-Michel")], [(310, "Téléphone"), (390, "01 69 12 34 56")]),
        ([(50, "Participants")], []),
    ])  # fmt: skip
    assert lines(words) == [
        "Organisme-client", "Dénomination\tSSIAD du Val d'Orge",
        "Adresse postale\t12 rue des Lilas", "91240 Saint-Michel",
        "Gestionnaire de l'inscription", "Prénom et NOM\tMartine ROUX", "Service\tDirection",
        "Téléphone\t01 69 12 34 56", "Participants",
    ]  # fmt: skip


def test_a_value_wrapped_in_its_narrow_column_is_put_back_on_its_line() -> None:
    words = landscape([
        ([(50, "Organisme-client")], [(310, "Gestionnaire de l'inscription")]),
        ([(50, "Dénomination"), (140, "SSIAD du Val d'Orge")],
         [(310, "Service"), (400, "Direction des ressources")]),
        ([(50, "Adresse postale"), (140, "12 rue des Lilas")], [(400, "humaines et formation")]),
        ([(140, "91240 Saint-Michel")], [(310, "Adresse e-mail"), (400, "m.roux@ssiad-orge.")]),
        ([], [(400, "fr")]),
    ])  # fmt: skip
    assert lines(words) == [
        "Organisme-client", "Dénomination\tSSIAD du Val d'Orge",
        "Adresse postale\t12 rue des Lilas", "91240 Saint-Michel",
        "Gestionnaire de l'inscription", "Service\tDirection des ressources humaines et formation",
        # An address cut at its dot is the reader's to join, without a space.
        "Adresse e-mail\tm.roux@ssiad-orge.", "fr",
    ]  # fmt: skip


def test_a_line_under_a_label_alone_is_its_value_not_a_wrap() -> None:
    words = landscape([
        ([(50, "Organisme-client")], [(310, "Gestionnaire de l'inscription")]),
        ([(50, "Dénomination")], [(310, "Adresse e-mail")]),
        ([(52, "SSIAD du Val d'Orge")], [(312, "m.roux@ssiad-orge.fr")]),
        ([(50, "Service")], []),
        ([(52, "direction")], []),
    ])  # fmt: skip
    assert lines(words) == [
        "Organisme-client", "Dénomination", "SSIAD du Val d'Orge", "Service", "direction",
        "Gestionnaire de l'inscription", "Adresse e-mail", "m.roux@ssiad-orge.fr",
    ]  # fmt: skip


@pytest.mark.parametrize("ruled", [False, True], ids=["unruled", "each-column-a-cell"])
def test_a_two_column_pdf_form_is_confirmed_with_every_field_in_place(ruled: bool) -> None:
    catalog = load_catalog(ROOT / "config" / "catalog.toml")
    # The name wraps mid-phrase at its column's border: within a framed cell, the line
    # after "… de" is its end, and the cell's other lines stay rows of their own.
    name = "Centre communal d'action sociale de Mérignac et de"
    form = forms.sample_form(organisation_name=f"{name}\nMartignas")
    pdf = forms.build_two_column_pdf(form, ruled=ruled)
    u = understand(mail("Ci-joint notre bulletin.", attachments=[("b.pdf", "application/pdf", pdf)]),
                   catalog)  # fmt: skip
    assert u.decision is Decision.AUTO, u.reasons
    assert u.organisation is not None and u.manager is not None
    assert u.organisation.name == f"{name} Martignas"
    assert u.organisation.address == ", ".join(form.address_lines)
    assert (u.manager.full_name, u.manager.email) == (form.manager_name, form.manager_email)
    assert (u.manager.service, u.manager.phone) == (form.manager_service, form.manager_phone)


def test_a_two_column_pdf_form_with_labels_beside_values_is_confirmed_whole() -> None:
    catalog = load_catalog(ROOT / "config" / "catalog.toml")
    # The service wrapped by its narrow column, its second line in lower case under it.
    form = forms.sample_form(manager_service="Direction des ressources\nhumaines et formation")
    pdf = forms.build_two_column_pdf(form, labels_beside=True)
    u = understand(mail("Ci-joint notre bulletin.", attachments=[("b.pdf", "application/pdf", pdf)]),
                   catalog)  # fmt: skip
    assert u.decision is Decision.AUTO, u.reasons
    assert u.organisation is not None and u.manager is not None
    assert u.organisation.name == form.organisation_name
    assert u.organisation.address == ", ".join(form.address_lines)
    assert (u.manager.full_name, u.manager.email) == (form.manager_name, form.manager_email)
    assert u.manager.service == "Direction des ressources humaines et formation"
    assert u.manager.phone == form.manager_phone


def test_a_scan_of_the_two_column_form_reads_each_column_whole() -> None:
    catalog = load_catalog(ROOT / "config" / "catalog.toml")
    form = forms.sample_form()
    image = forms.render_page(forms.build_two_column_pdf(form), dpi=300)
    png = io.BytesIO()
    image.save(png, "PNG", dpi=(300, 300))  # type: ignore[attr-defined]
    u = understand(mail("Bulletin scanné.", attachments=[("scan.png", "image/png", png.getvalue())]),
                   catalog)  # fmt: skip
    assert u.organisation is not None and u.manager is not None
    assert u.organisation.address == ", ".join(form.address_lines)
    assert (u.manager.full_name, u.manager.email) == (form.manager_name, form.manager_email)
    assert (u.manager.service, u.manager.phone) == (form.manager_service, form.manager_phone)


def assert_sections_read(u: Understanding) -> None:
    assert u.decision is Decision.AUTO, u.reasons
    assert u.organisation is not None and u.manager is not None
    assert (u.organisation.name, u.organisation.address) == (
        "SSIAD du Val d'Orge",
        "12 rue des Lilas, 91240 Saint-Michel-sur-Orge",
    )
    assert (u.manager.full_name, u.manager.service) == ("Martine ROUX", "Direction")


def two_column_docx(*, one_cell_each: bool) -> bytes:
    """The ASE form retyped in Word: the two sections in a two-column table, a label and
    its value on a row each (or, ``one_cell_each``, each section one cell of paragraphs)."""
    from docx import Document as WordDocument

    document = WordDocument()
    document.add_paragraph(
        "Web-séminaire « Les CPOM des établissements et services de l'ASE » jeudi 26 novembre 2026"
    )
    if one_cell_each:
        table = document.add_table(rows=1, cols=2)
        table.rows[0].cells[0].text = "\n".join(LEFT)
        table.rows[0].cells[1].text = "\n".join(RIGHT)
    else:
        table = document.add_table(rows=0, cols=2)
        for number in range(len(RIGHT)):
            cells = table.add_row().cells
            cells[0].text = LEFT[number] if number < len(LEFT) else ""
            cells[1].text = RIGHT[number]
    document.add_paragraph("Participants")
    people = document.add_table(rows=2, cols=4)
    julie = ("Mme", "Julie", "PETIT", "j.petit@ssiad-orge.fr")
    for row, values in zip(people.rows, [forms.PARTICIPANT_HEADER, julie], strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    document.add_paragraph(
        "Montant net total des frais d'inscription = nombre de participants (1) x 635 euros = 635 euros"
    )
    signing = document.add_table(rows=3, cols=2)
    signed = [("Fait à", "Saint-Michel-sur-Orge"), ("Le", "02/10/2026"),
              ("Par (nom du signataire)", "Martine ROUX")]  # fmt: skip
    for row, (label, value) in zip(signing.rows, signed, strict=True):
        row.cells[0].text, row.cells[1].text = label, value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize("one_cell_each", [False, True], ids=["row-by-row", "one-cell-each"])
def test_a_word_form_in_two_columns_is_confirmed_with_every_field_in_place(
    one_cell_each: bool,
) -> None:
    catalog = load_catalog(ROOT / "config" / "catalog.toml")
    docx = two_column_docx(one_cell_each=one_cell_each)
    u = understand(mail("Ci-joint.", attachments=[("bulletin.docx", DOCX, docx)],
                        date="Mon, 05 Oct 2026 10:00:00 +0200"), catalog)  # fmt: skip
    assert_sections_read(u)
    assert (u.manager.full_name, u.manager.email) == ("Martine ROUX", "m.roux@ssiad-orge.fr")
    assert (u.manager.service, u.manager.phone) == ("Direction", "01 69 12 34 56")


def test_an_html_body_with_the_sections_side_by_side_reads_each_column_down() -> None:
    catalog = load_catalog(ROOT / "config" / "catalog.toml")
    rows = "".join(
        f"<tr><td>{left}</td><td>{right}</td></tr>"
        for left, right in zip([*LEFT, "", "", ""], RIGHT, strict=True)
    )
    html = (
        "<p>Bonjour, voici notre inscription au webinaire ASE du jeudi 26 novembre 2026.</p>"
        f"<table>{rows}</table><p>Participants</p><table>"
        "<tr><td>Civilité</td><td>Prénom</td><td>NOM</td><td>Adresse e-mail</td></tr>"
        "<tr><td>Mme</td><td>Julie</td><td>PETIT</td><td>j.petit@ssiad-orge.fr</td></tr></table>"
        "<p>Nombre de participants : 1 – Montant total : 635 euros</p>"
        "<p>Fait à Saint-Michel-sur-Orge, le 02/10/2026</p><p>Par Martine ROUX</p>"
    )
    u = understand(mail("", html=html, date="Mon, 05 Oct 2026 10:00:00 +0200"), catalog)
    assert_sections_read(u)
    assert (u.manager.full_name, u.manager.service) == ("Martine ROUX", "Direction")


def test_table_rows_side_by_side_are_read_down_without_losing_a_cell() -> None:
    rows = [
        ("", "Organisme-client", "Gestionnaire"),
        ("Réf. 12", "Dénomination", ""),  # a margin note left of the first heading
        ("", "ACME", "Mail"),
        ("", "", "a.roux@acme.fr"),
        ("Participants", "", ""),
        ("Mme", "Julie", "PETIT"),
    ]
    assert [tuple(row) for row in sections_apart(rows)] == [
        ("Organisme-client",), ("Réf. 12",), ("Dénomination",), ("ACME",), ("",),
        ("Gestionnaire",), ("Mail",), ("a.roux@acme.fr",), ("",),
        ("Participants", "", ""), ("Mme", "Julie", "PETIT"),
    ]  # fmt: skip


def test_a_justified_line_s_even_gaps_are_spaces_a_table_s_uneven_ones_cells() -> None:
    # Word stretches a justified line's spaces evenly, as wide as a table's column gaps.
    words, x = [], 45.0
    for piece in ["Dossier", "suivi", "par", "LAPIERRE", "Thibault,", "Service", "formation,"]:
        words.append(word(piece, x, 100.0))
        x += CHAR * len(piece) + 24.0
    assert [line.text for line in build_lines(words)] == [
        "Dossier suivi par LAPIERRE Thibault, Service formation,"
    ]
    row = [word("Monsieur", 45, 100), word("Armand", 108, 100), word("PONSARD", 221, 100),
           word("aponsard@x.org", 349, 100), word("Direction", 520, 100)]  # fmt: skip
    assert [line.text for line in build_lines(row)] == [
        "Monsieur\tArmand\tPONSARD\taponsard@x.org\tDirection"
    ]
