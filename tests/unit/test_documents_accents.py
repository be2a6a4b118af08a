"""A name in capitals OCR read without its accent is reported, not trusted.

The pages are drawn here: a table rule, a name set just under it, and the box
Tesseract gives the word when it missed the accent (the capitals alone).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from mailbot.understanding.documents.accents import (
    bare_first_names,
    bare_name_words,
    miscounted_accents,
    missed_accents,
)
from mailbot.understanding.documents.lines import Word

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
RULE_Y = 100
X = 60

pytestmark = pytest.mark.skipif(not FONT.exists(), reason="fonts-dejavu-core (scripts/setup.sh)")


def _page(
    text: str, *, gap: int = 2, rule: bool = True, above: str | None = None
) -> tuple[Image.Image, Word]:
    """``text`` with its highest mark ``gap`` pixels under a rule; the box of its capitals."""
    font = ImageFont.truetype(str(FONT), 30)
    page = Image.new("L", (700, 220), 255)
    draw = ImageDraw.Draw(page)
    if rule:
        draw.line((0, RULE_Y, 700, RULE_Y), fill=0, width=2)
    ink_top = draw.textbbox((0, 0), text, font=font)[1]
    y = RULE_Y + 2 + gap - ink_top
    draw.text((X, y), text, font=font, fill=0)
    bare = text.translate(str.maketrans("ÉÈÊÂÎÔ", "EEEAIO"))
    cap_top = draw.textbbox((X, y), "E", font=font)[1]
    box = draw.textbbox((X, y), bare, font=font)
    if above is not None:
        # A line of text set tight above, no rule between: its baseline a few pixels
        # over the capitals, the feet of its "g" and "@" closer still.
        draw.text((X - 20, cap_top - 9), above, font=font, fill=0, anchor="ls")
    return page, Word(bare, box[0], box[2], cap_top, box[3])


@pytest.mark.parametrize("name", ["PEYRÉ", "LÉGER", "CHÂTEL", "DUPONT-MORÉAU"])
def test_an_accent_under_the_rule_makes_the_bare_reading_unsure(name: str) -> None:
    page, word = _page(name)
    assert missed_accents(page, [word]) == {word.text}


@pytest.mark.parametrize("name", ["PEYRE", "DUBOIS", "MARTIN", "LE GALL"])
def test_a_name_without_accent_is_trusted(name: str) -> None:
    page, word = _page(name)
    assert missed_accents(page, [word]) == set()


def test_a_word_read_with_its_accent_is_not_looked_at_again() -> None:
    page, word = _page("PEYRÉ")
    read = Word("PEYRÉ", word.x0, word.x1, word.top, word.bottom)
    assert missed_accents(page, [read]) == set()


def test_the_feet_of_a_line_set_tight_above_are_no_accent() -> None:
    page, word = _page("CASTAING", rule=False, gap=8, above="castaing@ars.sante.fr")
    assert missed_accents(page, [word]) == set()


def test_an_initial_capital_is_checked_without_the_ascenders_beside_it() -> None:
    page, word = _page("Élodie", rule=False, gap=6)
    assert missed_accents(page, [word]) == {"Elodie"}
    plain, bare = _page("Elodie", rule=False, gap=6)
    assert missed_accents(plain, [bare]) == set()


@pytest.mark.parametrize("name", ["Saint-Étienne", "Jean-Édouard"])
def test_a_capital_initial_after_a_hyphen_is_checked_too(name: str) -> None:
    page, word = _page(name, rule=False, gap=6)
    assert missed_accents(page, [word]) == {word.text}
    plain, bare = _page(word.text, rule=False, gap=6)
    assert missed_accents(plain, [bare]) == set()


def test_an_initial_after_an_apostrophe_is_not_looked_over() -> None:
    # On a scan the apostrophe of "l'Enfance" rises where the accent would be looked
    # for: after one, the mark over the capital is left unjudged, even a real accent.
    page, word = _page("l'Étape", rule=False, gap=6)
    assert missed_accents(page, [word]) == set()


def test_a_row_of_specks_over_the_letters_is_no_accent() -> None:
    page, word = _page("EHPAD", gap=6)
    pixels = page.load()
    assert pixels is not None
    width = word.x1 - word.x0
    for x in range(int(word.x0 + 0.3 * width), int(word.x0 + 0.6 * width), 6):
        pixels[x, int(word.top) - 1] = 0  # the blurred tops of JPEG letters
    assert missed_accents(page, [word]) == set()


def test_an_accent_cut_by_the_box_tesseract_gave_the_word_is_found() -> None:
    # The box starts inside the accent it did not read: only its top pokes out.
    page, word = _page("PEYRÉ", gap=1)
    accent_top = RULE_Y + 3
    cut = Word(word.text, word.x0, word.x1, accent_top + 2, word.bottom)
    assert missed_accents(page, [cut]) == {"PEYRE"}


def test_an_accent_blurred_into_its_letter_is_found() -> None:
    page, word = _page("LÉGER", gap=3)
    draw = ImageDraw.Draw(page)
    # A blurred photo joins the accent to the top of its E: no blank row between them.
    e_left = draw.textbbox((0, 0), "L", font=ImageFont.truetype(str(FONT), 30))[2] + X
    draw.rectangle((e_left + 2, word.top - 4, e_left + 12, word.top), fill=0)
    assert missed_accents(page, [word]) == {"LEGER"}


def test_an_accent_under_a_rule_photographed_aslant_is_found() -> None:
    page, word = _page("PEYRÉ", rule=False, gap=3)
    draw = ImageDraw.Draw(page)
    # The rule drops 20 pixels across the page: over the accent it grazes its top, further
    # right it runs lower than the accent's top. Only the rule's own pixels may be erased.
    accent_x = X + draw.textbbox((0, 0), "PEYR", font=ImageFont.truetype(str(FONT), 30))[2]
    slope = 20 / 700
    at_accent = RULE_Y + 2  # the accent's top is at RULE_Y + 2 + gap
    draw.line(
        (0, at_accent - slope * accent_x, 700, at_accent + slope * (700 - accent_x)),
        fill=0,
        width=2,
    )
    assert missed_accents(page, [word]) == {"PEYRE"}


def test_a_piece_of_a_broken_rule_over_the_letters_is_no_accent() -> None:
    page, word = _page("ROUX", gap=8)
    # A grey scan's rule breaks up; the eraser leaves a short flat piece of it behind.
    ImageDraw.Draw(page).line((word.x0 + 30, word.top - 6, word.x0 + 56, word.top - 6), fill=0)
    assert missed_accents(page, [word]) == set()


def test_a_lower_case_letter_beside_a_capital_initial_is_no_accent() -> None:
    page, word = _page("Isabelle", rule=False, gap=8)
    assert missed_accents(page, [word]) == set()


def test_an_accent_touching_a_leftover_piece_of_rule_is_found() -> None:
    page, word = _page("CHÂTEL", rule=False, gap=4)
    # A piece of a broken rule left by the scan, lying on the circumflex's tip.
    tip = RULE_Y + 2 + 4
    ImageDraw.Draw(page).line((word.x0 + 20, tip, word.x0 + 90, tip), fill=0)
    assert missed_accents(page, [word]) == {"CHATEL"}


def _accented(text: str, read: str, *, rule: bool = True) -> tuple[Image.Image, Word]:
    """``text`` drawn under a rule, read as ``read`` in a box reaching up to its accents,
    as Tesseract gives the box of a word it read with one of them."""
    page, _ = _page(text, gap=4, rule=rule)
    font = ImageFont.truetype(str(FONT), 30)
    y = RULE_Y + 6 - ImageDraw.Draw(page).textbbox((0, 0), text, font=font)[1]
    box = ImageDraw.Draw(page).textbbox((X, y), text, font=font)
    return page, Word(read, box[0], box[2], box[1], box[3])


@pytest.mark.parametrize("rule", [True, False], ids=["under-a-rule", "no-rule"])
def test_a_word_read_with_fewer_accents_than_marks_over_it_is_unsure(rule: bool) -> None:
    page, word = _accented("PÉRÈS", "PÈRES", rule=rule)
    assert miscounted_accents(page, [word]) == {"PÈRES"}


@pytest.mark.parametrize("name", ["PÉRÈS", "LEFÈVRE", "BÉNARD", "CHÂTEL"])
def test_a_word_read_with_all_its_accents_is_trusted(name: str) -> None:
    page, word = _accented(name, name)
    assert miscounted_accents(page, [word]) == set()


def _word(text: str) -> Word:
    return Word(text, 0, 10, 0, 10)


def test_an_accent_read_as_another_one_makes_the_word_unsure() -> None:
    from mailbot.understanding.documents.accents import misread_accents

    # "Pôle" read "Pêle", "Hélène" read "Hèlène" with a good confidence: no French
    # words, and another accent would make them so.
    read = ["Pêle", "handicap", "Hèlène", "MÉDIATHÈQUE,", "Pêle-Mèle", "Saint-Ètienne"]
    assert misread_accents([_word(text) for text in read]) == {
        "Pêle",
        "Hèlène",
        "Pêle-Mèle",
        "Saint-Ètienne",
    }
    # Known words, in any case and within compounds, words without accents, and
    # names the dictionary does not know but no other accent would make known.
    trusted = ["Pôle", "GÉNÉRALE", "Jérôme", "Saint-Étienne", "l'Étienne", "DUPONT", "Élodie"]
    trusted += ["Genêts", "Gwenaëlle"]
    assert misread_accents([_word(text) for text in trusted]) == set()


def test_a_first_name_spelt_with_an_accent_read_without_it_is_reported() -> None:
    words = [
        Word(text, 0, 80, 0, 20) for text in ("Loic", "Helene,", "Loïc", "Hélène", "LOIC", "Paul")
    ]
    # "Laetitia" is as often written so: doubting it would stop every form that spells it.
    words.append(Word("Laetitia", 0, 80, 0, 20))
    assert bare_first_names(words) == {"Loic", "Helene,"}


def test_a_place_or_an_organisations_word_read_without_its_accent_is_reported() -> None:
    texts = ("Haute-Correze", "Departement", "Sante,", "Corrèze", "Département", "Centre", "Marie")
    # "Centre" and "Marie" are words without an accent too: no sign of a misreading.
    assert bare_name_words([Word(t, 0, 80, 0, 20) for t in texts]) == {
        "Haute-Correze", "Departement", "Sante,"
    }  # fmt: skip


def test_a_grave_accent_on_the_article_before_a_name_makes_it_unsure() -> None:
    from mailbot.understanding.documents.accents import misread_accents

    # "SSIAD de là Vallée": a speck above "la" read as an accent.
    line = [Word(text, 100 + 60 * i, 140 + 60 * i, 0, 20)
            for i, text in enumerate(["SSIAD", "de", "là", "Vallée"])]  # fmt: skip
    assert misread_accents(line) == {"là"}
    # "là" before a lower-case word, or ending its line, is the word it is.
    assert misread_accents([Word("là", 0, 30, 0, 20), Word("où", 40, 70, 0, 20)]) == set()
    assert misread_accents([Word("là", 0, 30, 0, 20), Word("Date", 40, 90, 40, 60)]) == set()
    assert misread_accents([]) == set()
