"""A scanned SAAD form says which session was ticked: the box in front of each dated line.

The geometry is tested on pictures drawn here (milliseconds); two scans go
through Tesseract to check the whole path, typed cross and pen tick.
"""

from __future__ import annotations

import pytest
from PIL import Image, ImageDraw

from mailbot.understanding.documents import Checkbox, Source, extract_document
from mailbot.understanding.documents.checkboxes import find_checkboxes
from mailbot.understanding.documents.lines import Word
from tests.factories import forms

MARCH = "jeudi 18 mars 2027 de 9h30 à 17h00"
OCTOBER = "vendredi 8 octobre 2027 de 9h30 à 17h00"

# --- geometry, on drawn pictures ---------------------------------------------

LETTER = 30  # word box height in pixels, as at 300 dpi for 10-pt text


def _line_words(text: str, x: float, top: float) -> list[Word]:
    """Word boxes as Tesseract would give them for ``text`` starting at ``x``."""
    words: list[Word] = []
    for part in text.split():
        width = 16 * len(part)
        words.append(Word(part, x, x + width, top, top + LETTER))
        x += width + 12
    return words


def _page(mark: str, *, box_side: int = 32, thickness: int = 3) -> tuple[Image.Image, list[Word]]:
    """A white page with one box at (100, 100) in front of a dated line, marked as ``mark``."""
    page = Image.new("L", (1200, 300), 245)
    draw = ImageDraw.Draw(page)
    left, top = 100, 100
    right, bottom = left + box_side, top + box_side
    if mark not in ("no box", "letter O"):
        draw.rectangle((left, top, right, bottom), outline=20, width=thickness)
    if mark == "cross":
        draw.line((left + 6, top + 6, right - 6, bottom - 6), fill=20, width=4)
        draw.line((left + 6, bottom - 6, right - 6, top + 6), fill=20, width=4)
    elif mark == "pen tick":  # starts inside, leaves through the top-right corner
        draw.line((left + 5, top + 18, left + 13, bottom - 4), fill=30, width=4)
        draw.line((left + 13, bottom - 4, right + 12, top - 14), fill=30, width=4)
    elif mark == "letter O":
        draw.ellipse((left, top, right, bottom), outline=20, width=thickness)
    elif mark == "dust":
        draw.point([(left + 15, top + 14), (left + 20, top + 9)], fill=0)
    return page, _line_words(MARCH, right + 40, top)


@pytest.mark.parametrize(
    ("mark", "expected"),
    [
        ("empty", (Checkbox(MARCH, False),)),
        ("dust", (Checkbox(MARCH, False),)),
        ("cross", (Checkbox(MARCH, True),)),
        ("pen tick", (Checkbox(MARCH, True),)),
        ("no box", ()),
        ("letter O", ()),
    ],
)
def test_box_in_front_of_a_dated_line(mark: str, expected: tuple[Checkbox, ...]) -> None:
    page, words = _page(mark)
    assert find_checkboxes(page, words) == expected


def test_box_spelled_by_tesseract_is_left_out_of_the_label() -> None:
    page, words = _page("empty")
    words.insert(0, Word("[]", 98, 134, 100, 132))
    assert find_checkboxes(page, words) == (Checkbox(MARCH, False),)


def test_box_after_the_label_is_found_too() -> None:
    page = Image.new("L", (1200, 300), 245)
    words = _line_words(OCTOBER, 100, 100)
    right = int(words[-1].x1) + 30
    ImageDraw.Draw(page).rectangle((right, 100, right + 32, 132), outline=20, width=3)
    assert find_checkboxes(page, words) == (Checkbox(OCTOBER, False),)


def test_a_heading_on_the_box_s_line_is_parted_from_the_label() -> None:
    # "Session choisie      [X] jeudi 18 mars 2027 …": Tesseract gives one line of words.
    page = Image.new("L", (1800, 300), 245)
    draw = ImageDraw.Draw(page)
    draw.rectangle((500, 100, 532, 132), outline=20, width=3)
    draw.line((506, 106, 526, 126), fill=20, width=4)
    draw.line((506, 126, 526, 106), fill=20, width=4)
    words = _line_words("Session choisie", 40, 100) + _line_words(MARCH, 572, 100)
    assert find_checkboxes(page, words) == (Checkbox(MARCH, True),)


def test_two_boxes_on_one_line_are_two_choices() -> None:
    page = Image.new("L", (2000, 300), 245)
    draw = ImageDraw.Draw(page)
    march = _line_words(MARCH, 140, 100)
    october_left = int(march[-1].x1) + 200
    october = _line_words(OCTOBER, october_left + 72, 100)
    draw.rectangle((100, 100, 132, 132), outline=20, width=3)
    draw.rectangle((october_left, 100, october_left + 32, 132), outline=20, width=3)
    draw.line((october_left + 6, 106, october_left + 26, 126), fill=20, width=4)
    draw.line((october_left + 6, 126, october_left + 26, 106), fill=20, width=4)
    assert find_checkboxes(page, march + october) == (
        Checkbox(MARCH, False),
        Checkbox(OCTOBER, True),
    )


def test_table_cell_around_a_date_is_no_tick_box() -> None:
    page = Image.new("L", (1200, 300), 245)
    draw = ImageDraw.Draw(page)
    draw.rectangle((40, 60, 1100, 180), outline=20, width=3)  # a bordered cell holding the date
    words = _line_words("Le 14/10/2026", 400, 100)
    draw.rectangle((60, 60, 380, 180), outline=20, width=3)  # the label cell next to it
    assert find_checkboxes(page, words) == ()


def test_lines_without_a_date_are_not_examined() -> None:
    page, _ = _page("cross")
    assert find_checkboxes(page, _line_words("Organisme-client Dénomination", 172, 100)) == ()


# --- the whole path, through Tesseract ---------------------------------------------


def _scan_boxes(data: bytes, filename: str, content_type: str) -> tuple[Checkbox, ...]:
    [document] = extract_document(data, filename=filename, content_type=content_type)
    assert document.ok and document.source is Source.OCR
    return document.checkboxes


def test_scanned_pdf_with_the_first_session_crossed() -> None:
    form = forms.sample_form(sessions=((MARCH, True), (OCTOBER, False)))
    boxes = _scan_boxes(forms.build_scanned_pdf(form), "scan.pdf", "application/pdf")
    assert [box.checked for box in boxes] == [True, False]
    assert "18 mars 2027" in boxes[0].label and "8 octobre 2027" in boxes[1].label


def test_photo_with_the_second_session_ticked_by_pen() -> None:
    form = forms.sample_form(sessions=((MARCH, False), (OCTOBER, True)))
    data = forms.build_scan(form, image_format="jpeg", skew_deg=-1.5, tick_style="pen")
    boxes = _scan_boxes(data, "IMG_0042.jpg", "image/jpeg")
    assert [box.checked for box in boxes] == [False, True]


# --- boxes drawn on a text PDF ---------------------------------------------------


def _drawn_pdf(tick: str | None) -> bytes:
    """The SAAD session lines, each behind a drawn square; ``tick`` marks October's:
    "cross" (two strokes, as an editor draws it), "corners" (the two diagonals from
    corner to corner), "check" (a path past the box's top), "filled" (a black square
    inside) or None."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    page.drawString(52, 780, "Session choisie (cocher une case)")
    for row, label in enumerate((MARCH, OCTOBER)):
        y = 760 - 16 * row
        page.rect(52, y - 1, 8, 8)
        page.drawString(66, y, label)
    y = 744
    if tick == "cross":
        page.line(53, y, 59, y + 6)
        page.line(53, y + 6, 59, y)
    elif tick == "corners":
        page.line(52, y - 1, 60, y + 7)
        page.line(52, y + 7, 60, y - 1)
    elif tick == "check":
        path = page.beginPath()
        path.moveTo(53, y + 3)
        path.lineTo(55, y)
        path.lineTo(62, y + 10)
        page.drawPath(path, stroke=1, fill=0)
    elif tick == "filled":
        page.rect(54, y + 1, 4, 4, fill=1)
    elif tick == "speck":
        page.circle(56, y + 3, 0.5, fill=1)
    page.drawString(52, 700, "Organisme-client")
    page.showPage()
    page.save()
    return out.getvalue()


@pytest.mark.parametrize("tick", ["cross", "corners", "check", "filled"])
def test_a_tick_drawn_in_a_drawn_box_chooses_its_session(tick: str) -> None:
    (document,) = extract_document(_drawn_pdf(tick), filename="f.pdf", content_type="")
    assert document.checkboxes == (Checkbox(MARCH, False), Checkbox(OCTOBER, True))


def test_a_speck_in_a_drawn_box_is_a_mark_a_person_confirms() -> None:
    (document,) = extract_document(_drawn_pdf("speck"), filename="f.pdf", content_type="")
    assert document.checkboxes == (
        Checkbox(MARCH, False),
        Checkbox(OCTOBER, True, faint=True),
    )


def test_drawn_boxes_left_empty_choose_nothing() -> None:
    (document,) = extract_document(_drawn_pdf(None), filename="f.pdf", content_type="")
    assert document.checkboxes == (Checkbox(MARCH, False), Checkbox(OCTOBER, False))


def test_a_mark_read_in_the_text_stands_where_no_drawn_box_was_seen() -> None:
    # The drawn box of March was seen (empty); October's, larger than its letters, was
    # not, but Tesseract read its "[x]": the two together choose October.
    from mailbot.understanding.documents import Document
    from mailbot.understanding.sources import from_document

    page = Document(
        filename="scan.pdf",
        content_type="application/pdf",
        source=Source.OCR,
        text=f"Session choisie\t{MARCH}\n(cocher une case)\n[x]\t{OCTOBER}\n",
        checkboxes=(Checkbox(MARCH, False),),
    )
    assert sorted(from_document("scan.pdf", page).form.checkboxes) == [
        (MARCH, False),
        (OCTOBER, True),
    ]
    seen_both = Document(
        filename="scan.pdf",
        content_type="application/pdf",
        source=Source.OCR,
        text=f"Session choisie\t{MARCH}\n(cocher une case)\n[x]\t{OCTOBER}\n",
        checkboxes=(Checkbox(MARCH, True), Checkbox(OCTOBER, False)),
    )
    assert sorted(from_document("scan.pdf", seen_both).form.checkboxes) == [
        (MARCH, True),
        (OCTOBER, False),
    ]
