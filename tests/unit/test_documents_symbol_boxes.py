"""Tick boxes Word writes as Wingdings letters ("¨" empty, "þ" ticked) read as boxes, in a
Word file, in the PDF made from it and in the HTML Outlook sends."""

from __future__ import annotations

import io

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

from mailbot.understanding.documents import Checkbox, extract_document, extract_html
from mailbot.understanding.documents.glyphs import checkboxes_in_text, symbol_text
from tests.factories import forms

MARCH = "jeudi 18 mars 2027 de 9h30 à 17h00"
OCTOBER = "vendredi 8 octobre 2027 de 9h30 à 17h00"
CHOSEN_OCTOBER = (Checkbox(MARCH, False), Checkbox(OCTOBER, True))


def word_with_symbols(how: str) -> bytes:
    """Two session lines, the second ticked: inserted from Word's symbol dialog (a
    <w:sym>), or typed as a letter in a run set in Wingdings."""
    document = docx.Document()
    document.add_paragraph("Session choisie (cocher une case) :")
    for code, letter, label in (("F0A8", "¨", MARCH), ("F0FE", "þ", OCTOBER)):
        paragraph = document.add_paragraph()
        if how == "sym":
            symbol = etree.SubElement(paragraph.add_run()._r, qn("w:sym"))
            symbol.set(qn("w:font"), "Wingdings")
            symbol.set(qn("w:char"), code)
        else:
            paragraph.add_run(letter).font.name = "Wingdings"
        paragraph.add_run(" " + label)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize("how", ["sym", "font"])
def test_word_symbol_boxes_are_tick_boxes(how: str) -> None:
    [document] = extract_document(word_with_symbols(how), filename="f.docx", content_type="")
    assert document.checkboxes == CHOSEN_OCTOBER
    assert f"☑ {OCTOBER}" in document.text


def test_the_pdf_libreoffice_makes_of_them_keeps_the_boxes() -> None:
    pdf = forms._soffice_convert(word_with_symbols("sym"), ".docx", "pdf")
    [document] = extract_document(pdf, filename="f.pdf", content_type="application/pdf")
    assert document.checkboxes == CHOSEN_OCTOBER


def test_outlook_html_wingdings_spans_are_tick_boxes() -> None:
    font = "font-family:Wingdings;mso-ascii-font-family:Calibri;mso-char-type:symbol"
    html = "".join(
        f"<p class=MsoNormal><span style='{font}'><span>{letter}</span></span>"
        f"&nbsp; {label}<o:p></o:p></p>"
        for letter, label in (("&uml;", MARCH), ("&thorn;", OCTOBER))
    )
    assert extract_html(html).checkboxes == CHOSEN_OCTOBER


def test_letters_of_a_text_font_and_symbol_bullets_stay_as_they_are() -> None:
    # "þ" in Calibri is a letter (Icelandic thorn); Wingdings "Ø" and "§" are
    # the arrow and square bullets of Word's lists, "ü" its check-mark bullet.
    html = ("<p><span style='font-family:Calibri'>þ</span> jeudi 18 mars 2027</p>"
            "<p><span style='font-family:Wingdings'>Ø</span> vendredi 8 octobre 2027</p>")  # fmt: skip
    assert extract_html(html).checkboxes == ()
    assert symbol_text("wingdings", "Ø§ü") == "Ø§ü"


@pytest.mark.parametrize(
    "text",
    [
        f"☐ {MARCH}\n☐ {OCTOBER} X",
        f"☐ {MARCH}\n☐ {OCTOBER} ✓",
        f"☐ {MARCH}   ☐ {OCTOBER} X",
        f"☐ {MARCH}\n☒ {OCTOBER}",
    ],
)
def test_a_mark_typed_after_the_date_ticks_the_box_left_as_printed(text: str) -> None:
    assert checkboxes_in_text(text) == CHOSEN_OCTOBER


def test_a_box_with_no_date_is_not_ticked_by_the_next_box() -> None:
    # "☐ Oui ☒": two answers side by side, the second one chosen, not a mark after "Oui".
    assert checkboxes_in_text("☐ Oui ☒")[0] == Checkbox("Oui", False)
