"""When a form arrives as a scan or a photo, OCR gives back its values and how sure it is.

OCR is slow: few tests, at 200 dpi, each checking several things.
"""

from __future__ import annotations

from mailbot.understanding.documents import Document, Source, extract_document
from tests.factories import forms
from tests.factories.forms import sample_form

FORM = sample_form()


def read(data: bytes, filename: str, content_type: str) -> Document:
    documents = extract_document(data, filename=filename, content_type=content_type)
    assert len(documents) == 1
    document = documents[0]
    assert document.ok, document.detail
    assert document.source is Source.OCR
    return document


def assert_readable(document: Document) -> None:
    text = document.text
    assert "Mairie de Saint-Médard-en-Jalles" in text
    assert "c.lefevre@saint-medard.fr" in text
    assert "GARNIER" in text and "DUBOIS" in text
    assert document.ocr_confidence is not None and document.ocr_confidence > 80
    assert not document.handwriting_suspected


def test_scanned_pdf_is_read_by_ocr_with_table_columns_apart() -> None:
    document = read(forms.build_scanned_pdf(FORM), "scan.pdf", "application/pdf")
    assert_readable(document)
    assert "Dénomination\tMairie de Saint-Médard-en-Jalles" in document.text
    assert document.pages == 1 and document.has_images
    assert any(note.startswith("redressée") for note in document.notes)


def test_photo_fed_sideways_is_turned_upright() -> None:
    data = forms.build_scan(FORM, image_format="jpeg", quarter_turns=1)
    document = read(data, "IMG_2041.JPG", "application/octet-stream")
    assert_readable(document)
    assert "page tournée de 90°" in document.notes


def test_a_sideways_page_turned_the_wrong_way_is_read_the_other_way(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Tesseract's orientation check, unsure on a sideways page, may name the wrong
    quarter turn: the page then reads upside down, and the other turn is tried."""
    from PIL import Image

    from mailbot.understanding.documents import ocr
    from mailbot.understanding.documents.guards import Deadline

    def wrong_osd(page: Image.Image, side: int, deadline: Deadline) -> tuple[int, float]:
        return 270, 1.5  # the page needs 90

    monkeypatch.setattr(ocr, "_osd", wrong_osd)
    data = forms.build_scan(FORM, image_format="jpeg", quarter_turns=1)
    document = read(data, "IMG_2041.JPG", "image/jpeg")
    assert_readable(document)
    assert "page tournée de 90°" in document.notes


def test_one_bit_png_scan() -> None:
    data = forms.build_scan(FORM, image_format="png1", skew_deg=-2)
    assert_readable(read(data, "scan.png", "image/png"))


def test_a_png_with_transparent_paper_is_read_on_white() -> None:
    """Black letters on a transparent background, as a drawing tool exports a page:
    without its alpha channel the picture is black on black."""
    import io

    from PIL import Image, ImageOps

    page = forms.scanned_image(FORM, skew_deg=0)
    assert isinstance(page, Image.Image)
    ink = ImageOps.invert(page.convert("L"))
    layer = Image.new("RGBA", page.size, (0, 0, 0, 0))
    layer.putalpha(ink)  # the letters opaque black, the paper see-through
    out = io.BytesIO()
    layer.save(out, "PNG")
    assert_readable(read(out.getvalue(), "formulaire.png", "image/png"))


def test_multi_page_tiff_reads_every_page() -> None:
    data = forms.build_scan(FORM, image_format="tiff", dpi=150, skew_deg=0, pages=2)
    document = read(data, "fax.tif", "image/tiff")
    assert document.pages == 2
    assert document.text.count("GARNIER") == 2


def test_handwriting_is_suspected_when_most_words_are_unsure() -> None:
    from mailbot.understanding.documents.ocr import OcrPage, summarize

    printed = OcrPage(text="", confidences=(96, 91, 88, 93, 45, 90, 95, 92, 94, 96))
    handwritten = OcrPage(text="", confidences=(96, 91, 31, 22, 48, 40, 57, 35))
    assert summarize([printed]) == (88.0, False)
    confidence, suspected = summarize([handwritten])
    assert suspected and confidence is not None and confidence < 60
    assert summarize([]) == (None, False)


def test_words_taller_than_wide_mean_a_page_read_sideways() -> None:
    from mailbot.understanding.documents.lines import Word
    from mailbot.understanding.documents.ocr import _tall

    upright = [Word("Dénomination", 10, 200, 10 + 40 * i, 40 + 40 * i) for i in range(12)]
    turned = [Word("Dénomination", 10 + 40 * i, 40 + 40 * i, 10, 200) for i in range(12)]
    assert not _tall(upright)
    assert _tall(turned)
    assert not _tall(turned[:5])  # too few words to tell


def test_an_iphone_photo_in_heic_is_read() -> None:
    import io

    from PIL import Image
    from pillow_heif import register_heif_opener

    register_heif_opener()
    page = forms.scanned_image(FORM, dpi=300)
    assert isinstance(page, Image.Image)
    out = io.BytesIO()
    page.convert("RGB").save(out, "HEIF", quality=85)
    # Sent as an octet-stream with an upper-case name, as phones' mail apps do.
    document = read(out.getvalue(), "IMG_0042.HEIC", "application/octet-stream")
    assert_readable(document)


def test_a_value_wrapped_in_a_narrow_ruled_cell_is_read_as_one() -> None:
    import io

    from PIL import Image, ImageDraw, ImageFont

    from mailbot.understanding.documents.rules import read_rules

    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 40)
    page = Image.new("L", (1654, 2339), 255)  # A4 at 200 dpi
    pen = ImageDraw.Draw(page)
    # Columns as narrow as their longest line: the rest of each value wrapped below it.
    name_end = 320 + font.getlength("Nom et prénom") + 25
    mail_end = name_end + 20 + font.getlength("darrigade.jean-ma") + 25
    columns = (100, 300, int(name_end), int(mail_end))  # Civilité | Nom et prénom | Courriel
    rows = (100, 190, 480)
    for x in columns:
        pen.line([(x, rows[0]), (x, rows[-1])], fill=0, width=4)
    for y in rows:
        pen.line([(columns[0], y), (columns[-1], y)], fill=0, width=4)
    for x, text in zip(columns, ("Civilité", "Nom et prénom", "Courriel"), strict=False):
        pen.text((x + 20, 120), text, font=font, fill=0)
    pen.text((120, 210), "M.", font=font, fill=0)
    pen.text((320, 210), "DARRIGADE", font=font, fill=0)
    pen.text((320, 265), "Jean-Marie", font=font, fill=0)
    for line, text in enumerate(("darrigade.jean-ma", "rie@gmail.com")):
        pen.text((columns[2] + 20, 210 + 55 * line), text, font=font, fill=0)
    cells = read_rules(page).cells
    assert len(cells) == 6  # the header's three and the row's three
    out = io.BytesIO()
    page.save(out, "PNG", dpi=(200, 200))
    text = read(out.getvalue(), "scan.png", "image/png").text
    assert "M.\tDARRIGADE Jean-Marie\tdarrigade.jean-marie@gmail.com" in text


def test_a_duplex_scan_with_a_blank_verso_is_read() -> None:
    import io

    from PIL import Image

    front = forms.scanned_image(FORM, dpi=200, skew_deg=0)
    assert isinstance(front, Image.Image)
    front = front.point(lambda v: 255 if v > 140 else 0).convert("1", dither=0)
    verso = Image.new("1", front.size, 1)
    out = io.BytesIO()
    front.save(out, "TIFF", compression="group4", save_all=True, append_images=[verso])
    document = read(out.getvalue(), "SCAN_0001.tif", "image/tiff")
    assert document.pages == 2
    assert "GARNIER" in document.text


def test_an_unsure_orientation_is_asked_again_at_full_resolution(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A 150-dpi scan rendered at 300 dpi is blurred: on the reduced copy Tesseract's
    orientation detector hardly knows it is upside down; at full size it does."""
    from PIL import Image

    from mailbot.understanding.documents import ocr
    from mailbot.understanding.documents.guards import Deadline

    asked: list[int] = []

    def osd(page: Image.Image, side: int, deadline: Deadline) -> tuple[int, float]:
        asked.append(side)
        return (180, 0.08) if side < ocr._MAX_SIDE else (180, 3.1)

    monkeypatch.setattr(ocr, "_osd", osd)
    page = Image.new("L", (100, 140), 255)
    turned, degrees = ocr._upright(page, Deadline(10), sideways=False)
    assert degrees == 180 and asked == [1600, ocr._MAX_SIDE]
    assert turned.size == page.size


def test_a_word_file_holding_only_a_pasted_scan_is_read_by_ocr() -> None:
    import io

    import docx
    from docx.shared import Cm

    document = docx.Document()
    document.add_picture(io.BytesIO(forms.build_scan(FORM, image_format="jpeg", dpi=300)),
                         width=Cm(18))  # fmt: skip
    out = io.BytesIO()
    document.save(out)
    docx_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert_readable(read(out.getvalue(), "bulletin scanné.docx", docx_type))


def test_a_speck_read_alone_is_no_word() -> None:
    from mailbot.understanding.documents.ocr import _kept

    # Alone in a table cell, "‘" or "°" became the cell's value and pushed the real
    # one into the next column: "Laurence | ‘ | DUTREY".
    for speck in ("‘", "°", "©", "|", "¦:", "''", ".", " "):
        assert not _kept(speck), speck
    for word in ("DUTREY", "(", "=", "€", "x", "1", "«", "-", "@", "c.barthe@x.fr"):
        assert _kept(word), word


def test_a_fax_in_standard_resolution_is_stretched_back_to_the_page() -> None:
    """204 × 98 dpi: every other line of the paper was sent; read as it comes, the
    letters are squashed to half their height and Tesseract reads little of it."""
    import io

    from PIL import Image

    page = forms.scanned_image(FORM, dpi=204, skew_deg=0)
    assert isinstance(page, Image.Image)
    squashed = page.resize((page.width, page.height * 98 // 204), Image.Resampling.BOX)
    fax = squashed.point(lambda v: 255 if v > 140 else 0).convert("1", dither=0)
    out = io.BytesIO()
    fax.save(out, "TIFF", compression="group3", dpi=(204, 98))
    document = read(out.getvalue(), "fax_0556991234.tif", "image/tiff")
    # A fax keeps its slips ("c.lefevre &saint-medard.fr"), but every line is there.
    assert "Service\tDirection des solidarités" in document.text
    assert "Téléphone\t05 56 17 11 90" in document.text
    assert "GARNIER" in document.text and "DELPEYRAT" in document.text
    assert document.ocr_confidence is not None and document.ocr_confidence > 80


def test_square_pixels_change_only_a_picture_whose_resolution_says_so() -> None:
    from PIL import Image

    from mailbot.understanding.documents.guards import Limits
    from mailbot.understanding.documents.images import _square_pixels

    fax = Image.new("1", (1728, 1100), 1)
    fax.info["dpi"] = (204, 98)
    stretched = _square_pixels(fax, Limits())
    assert (stretched.size, stretched.mode) == ((1728, 2290), "L")
    for dpi in [(300, 300), (0, 0), (72, 300.5 * 72)]:
        picture = Image.new("L", (100, 100), 255)
        picture.info["dpi"] = dpi
        assert _square_pixels(picture, Limits()) is picture


def test_the_line_a_fax_machine_prints_on_each_page_is_no_row_of_the_form() -> None:
    from mailbot.understanding.documents.ocr import without_fax_headers

    page_two = (
        "03/11/2026 10:42\tDE : +33 2 97 54 31 60\tCD56 DEF\tP. 002/002\n"
        "15/12 2026 11:04 FAX 0385321469\t APAD TOURNUS\t@002/003\n"
        "OCT-20-2026 09:11 FROM: HORIZONS86 DAF\t+33549612279\tT-278 P.001/001 F-555\n"
        "Mme\tNadège\tTEXIER\tn.texier@horizons86.fr\n"
        "Web-séminaire du jeudi 26 novembre 2026 de 9h30 à 17h00\n"
        "Le\t14/10/2026\nPage 2/2\n"
    )
    assert without_fax_headers(page_two) == (
        "Mme\tNadège\tTEXIER\tn.texier@horizons86.fr\n"
        "Web-séminaire du jeudi 26 novembre 2026 de 9h30 à 17h00\n"
        "Le\t14/10/2026\nPage 2/2\n"
    )


def test_a_thin_serif_type_scanned_at_150_dpi_is_print_not_handwriting() -> None:
    # The dust filter's median thinned its strokes: words came out unsure, as a hand's,
    # and the page went to a person as handwritten, its values read zone by zone.
    document = read(forms.serif_scan_150(), "scan.jpg", "image/jpeg")
    assert not document.handwriting_suspected
    assert "Service\tRessources humaines" in document.text
    assert "yann.lhenoret@papillonsblancs-armor.org" in document.text


def test_a_page_taken_for_handwriting_is_read_again_only_while_the_budget_allows(
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    from mailbot.understanding.documents import ocr

    monkeypatch.setattr(ocr, "_REREAD_SPARE", 10_000.0)  # the budget as good as spent
    # Enlarged to ~200 dpi only (as before 3300-pixel pages), the dust filter thins the
    # small serif type until its first reading looks like a hand's.
    monkeypatch.setattr(ocr, "_MIN_SIDE", 2400)
    document = read(forms.serif_scan_150(), "scan.jpg", "image/jpeg")
    assert document.handwriting_suspected  # read once, as before the second reading


def test_a_word_read_sure_elsewhere_on_the_page_is_not_unsure() -> None:
    from mailbot.understanding.documents.handwriting import ScoredWord
    from mailbot.understanding.documents.lines import Word
    from mailbot.understanding.documents.ocr import _unsure

    def scored(text: str, confidence: float) -> ScoredWord:
        return ScoredWord(Word(text, 0, 10, 0, 10), confidence)

    # "Tulle" read at 62 beside "Fait à", at 95 in "19005 Tulle Cedex"; "Brive" only at 55.
    words = [scored("Tulle", 62), scored("Tulle", 95), scored("Brive", 55)]
    assert _unsure(words) == ("Brive",)
