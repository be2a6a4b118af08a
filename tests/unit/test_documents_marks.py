"""A stamp or a signature on a scanned form, told from what else a page holds: letters
Tesseract did not read, dust, a grey background, a scanner's dark edge."""

from __future__ import annotations

import random

import pytest
from PIL import Image, ImageDraw

from mailbot.catalog import Catalog
from mailbot.understanding import understand
from mailbot.understanding.documents.lines import Word
from mailbot.understanding.documents.marks import read_signing
from tests.factories import forms
from tests.factories.mails import mail

LINE = 30  # a line's height in pixels, as on a 300-dpi page


def signing_mark(page: Image.Image, words: list[Word], printed: list[Word] | None = None) -> bool:
    return read_signing(page, words, printed).marked


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


def test_a_signature_on_the_left_and_a_stamp_on_the_right_are_a_mark() -> None:
    # Side by side, their rows make one block wider than a mark: each one alone is a mark.
    page, words = page_with_label()
    pen = ImageDraw.Draw(page)
    pen.line([(250, 2300), (330, 2200), (410, 2320), (490, 2210), (700, 2300)], fill=0, width=5)
    pen.ellipse((1700, 2250, 2150, 2700), outline=0, width=6)
    assert signing_mark(page, words)


def test_two_lines_of_letters_left_unread_across_the_page_are_no_mark() -> None:
    page, words = page_with_label()
    pen = ImageDraw.Draw(page)
    for top in (2300, 2300 + LINE + 8):
        for x in range(150, 2300, 28):
            pen.rectangle((x, top, x + 16, top + LINE - 6), fill=0)
    assert not signing_mark(page, words)


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


def test_a_stamp_over_the_label_that_kept_it_unread_is_looked_for_under_fait_a() -> None:
    page, words = page_with_label()
    ImageDraw.Draw(page).ellipse((150, 2000, 450, 2300), outline=0, width=6)
    fait = Word("Fait", 200, 270, 1800, 1800 + LINE)
    unread = [w for w in words if w.text not in ("Signature", "cachet")]
    assert signing_mark(page, [fait, *unread])


def test_a_logo_in_the_page_s_footer_is_no_mark() -> None:
    page, words = page_with_label()
    ImageDraw.Draw(page).ellipse((250, 3000, 400, 3150), outline=0, width=8)  # 30 lines down
    assert not signing_mark(page, words)


def test_a_scribble_read_as_a_word_with_low_confidence_is_still_ink() -> None:
    page, words = page_with_label()
    ImageDraw.Draw(page).line(
        [(600, 2080), (650, 2030), (700, 2140), (750, 2040), (800, 2130)], fill=0, width=5
    )
    scribble = Word("Mlll", 600, 800, 2030, 2140)
    assert not signing_mark(page, [*words, scribble])  # taken for a printed word: masked
    assert signing_mark(page, [*words, scribble], printed=words)


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


def signing_lines() -> tuple[Image.Image, list[Word]]:
    page, words = page_with_label()
    words += [Word("du", 360, 400, 2000, 2000 + LINE), Word("signataire)", 410, 560, 2000, 2000 + LINE),
              Word("Le", 200, 240, 1900, 1900 + LINE)]  # fmt: skip
    return page, words


def test_a_stamp_over_the_name_s_place_covers_it() -> None:
    page, words = signing_lines()
    ImageDraw.Draw(page).ellipse((640, 1940, 900, 2200), outline=0, width=6)
    assert read_signing(page, words).covered == {"signatory"}


def test_a_stamp_far_right_of_the_lines_covers_no_value() -> None:
    page, words = signing_lines()
    ImageDraw.Draw(page).ellipse((1900, 1850, 2200, 2150), outline=0, width=6)
    assert read_signing(page, words).covered == frozenset()


def test_a_value_read_in_its_place_is_not_covered() -> None:
    page, words = signing_lines()
    date = Word("12/10/2026", 650, 850, 1900, 1900 + LINE)
    ImageDraw.Draw(page).rectangle((652, 1904, 848, 1926), fill=0)
    assert read_signing(page, [*words, date]).covered == frozenset()
    assert read_signing(page, words).covered == {"signed_date"}  # the same ink, unread


def test_lines_of_the_signing_block_left_unread_are_doubted(
    catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A stamp over "Le" and "Par" keeps OCR from reading them and the values written
    # there: under "Fait à", nothing says the date and the name were left blank.
    monkeypatch.setattr(
        forms.FormData, "signature_lines", lambda self: [("Fait à", self.signed_place)]
    )
    scan = forms.build_scan(forms.sample_form(signatory="", signed_date=""), dpi=300)
    u = understand(
        mail("Ci-joint notre bulletin.", attachments=[("scan.png", "image/png", scan)]), catalog
    )
    assert {"uncertain:signed_date", "uncertain:signatory"} <= set(u.reasons), u.reasons


def test_a_name_read_under_a_scribble_is_doubted(
    catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "Marc FONTAI" read where a signature crosses "Marc FONTAINE": read, yet in doubt.
    from mailbot.understanding.documents import ocr
    from mailbot.understanding.documents.marks import Signing

    scan = forms.build_scan(forms.sample_form(signatory="Jean MARTIN"), dpi=300)

    def reasons(covered: frozenset[str]) -> tuple[str, ...]:
        monkeypatch.setattr(ocr, "read_signing", lambda *_: Signing(True, covered))
        attached = [("scan.png", "image/png", scan)]
        u = understand(mail("Ci-joint notre bulletin.", attachments=attached), catalog)
        assert u.signatory == "Jean MARTIN"
        return u.reasons

    assert "uncertain:signatory" not in reasons(frozenset())
    assert "uncertain:signatory" in reasons(frozenset({"signatory"}))
    assert "uncertain:signed_date" not in reasons(frozenset({"signatory"}))


def test_a_stamp_beyond_a_name_read_beside_its_label_covers_none_of_it() -> None:
    # "Aurélie TRAN" read whole, a stamp's ring a few words' widths further right.
    page, words = signing_lines()
    name = [Word("Aurélie", 650, 800, 2000, 2000 + LINE), Word("TRAN", 815, 900, 2000, 2000 + LINE)]
    ImageDraw.Draw(page).ellipse((1100, 1990, 1400, 2290), outline=0, width=6)
    assert read_signing(page, [*words, *name]).covered == frozenset()
    # The same ring against the name's last letters may hide the rest of it.
    touching = [*words, *name[:1], Word("TR", 815, 860, 2000, 2000 + LINE)]
    ImageDraw.Draw(page).rectangle((870, 2004, 900, 2026), fill=0)  # letters under ink
    assert read_signing(page, touching).covered == {"signatory"}


def under_the_labels() -> tuple[Image.Image, list[Word]]:
    """ "Par (nom du signataire)" with its value typed on the row under it, a stamp's
    words on the label's row, in the next column."""
    page, words = signing_lines()
    words = [w for w in words if w.text not in ("Signature", "et", "cachet")]
    words += [Word("P/le", 220, 290, 2060, 2060 + LINE), Word("Président,", 305, 500, 2060, 2060 + LINE),
              Word("Corinne", 515, 670, 2060, 2060 + LINE), Word("DUFFAU", 685, 840, 2060, 2060 + LINE),
              Word("DU", 1560, 1600, 2000, 2000 + LINE), Word("GERS", 1610, 1700, 2000, 2000 + LINE)]  # fmt: skip
    return page, words


def test_a_stamp_in_the_next_column_covers_no_value_typed_under_its_label() -> None:
    page, words = under_the_labels()
    ImageDraw.Draw(page).ellipse((1450, 1900, 1800, 2250), outline=0, width=6)
    assert read_signing(page, words).covered == frozenset()


def test_ink_over_the_end_of_a_value_typed_under_its_label_covers_it() -> None:
    page, words = under_the_labels()
    ImageDraw.Draw(page).rectangle((855, 2064, 895, 2086), fill=0)  # letters under ink
    assert read_signing(page, words).covered == {"signatory"}
