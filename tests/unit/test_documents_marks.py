"""A stamp or a signature on a scanned form, told from what else a page holds: letters
Tesseract did not read, dust, a grey background, a scanner's dark edge."""

from __future__ import annotations

import random

import pytest
from PIL import Image, ImageDraw

from mailbot.catalog import Catalog
from mailbot.understanding import understand
from mailbot.understanding.documents.lines import Word
from mailbot.understanding.documents.marks import signing_mark
from tests.factories import forms
from tests.factories.mails import mail

LINE = 30  # a line's height in pixels, as on a 300-dpi page


def page_with_label() -> tuple[Image.Image, list[Word]]:
    page = Image.new("L", (2480, 3508), 255)
    words = [
        Word("Par", 200, 260, 2000, 2000 + LINE),
        Word("(nom", 270, 350, 2000, 2000 + LINE),
        Word("Signature", 200, 380, 2100, 2100 + LINE),
        Word("et", 390, 420, 2100, 2100 + LINE),
        Word("cachet", 430, 560, 2100, 2100 + LINE),
    ]
    pen = ImageDraw.Draw(page)
    for word in words:  # the words' ink, which the reader masks
        pen.rectangle((word.x0 + 2, word.top + 4, word.x1 - 2, word.bottom - 4), fill=0)
    return page, words


def test_a_blank_signing_block_holds_no_mark() -> None:
    page, words = page_with_label()
    assert not signing_mark(page, words)


def test_a_stamp_and_a_scribble_under_the_label_are_a_mark() -> None:
    page, words = page_with_label()
    pen = ImageDraw.Draw(page)
    pen.ellipse((1200, 2200, 1500, 2500), outline=0, width=6)
    pen.line([(600, 2400), (680, 2300), (760, 2420), (840, 2310)], fill=0, width=5)
    assert signing_mark(page, words)


def test_a_scribble_alone_is_a_mark() -> None:
    page, words = page_with_label()
    ImageDraw.Draw(page).line(
        [(300, 2260), (380, 2180), (450, 2280), (530, 2190), (610, 2270)], fill=0, width=5
    )
    assert signing_mark(page, words)


def test_a_line_of_letters_left_unread_is_no_mark() -> None:
    page, words = page_with_label()
    pen = ImageDraw.Draw(page)
    for x in range(300, 1800, 28):  # one line of small letters, no word read on it
        pen.rectangle((x, 2300, x + 16, 2300 + LINE - 6), fill=0)
    assert not signing_mark(page, words)


def test_dust_and_a_grey_dithered_background_are_no_mark() -> None:
    page, words = page_with_label()
    pixels = page.load()
    rng = random.Random(3)
    for _ in range(40_000):  # a dithered grey: ink dots spread over the whole page
        pixels[rng.randrange(page.width), rng.randrange(page.height)] = 0
    assert not signing_mark(page, words)


def test_a_scanner_s_dark_edge_is_no_mark() -> None:
    page, words = page_with_label()
    ImageDraw.Draw(page).rectangle((0, 0, 60, page.height), fill=0)
    assert not signing_mark(page, words)


def test_a_page_without_the_label_says_nothing() -> None:
    page, words = page_with_label()
    ImageDraw.Draw(page).ellipse((1200, 2200, 1500, 2500), outline=0, width=6)
    assert not signing_mark(page, [w for w in words if w.text not in ("Signature", "cachet")])


@pytest.mark.parametrize("signed", [True, False])
def test_a_scan_signed_and_stamped_without_a_name_is_signed(catalog: Catalog, signed: bool) -> None:
    # "Par" left empty: the stamp and the signature on the page are what signs it.
    form = forms.sample_form(signatory="")
    scan = forms.build_scan(form, dpi=300, with_signature=signed)
    u = understand(
        mail("Ci-joint notre bulletin.", attachments=[("scan.png", "image/png", scan)]), catalog
    )
    assert u.signatory is None
    assert ("unsigned" in u.reasons) is not signed, u.reasons
