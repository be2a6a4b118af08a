"""PDF: the text layer with its layout, AcroForm fields, and OCR for pages that are pictures."""

from __future__ import annotations

import io
import math
import re
from bisect import bisect_left
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from itertools import groupby, pairwise
from typing import Any

import pdfplumber
import pypdf
from pdfplumber.table import Table as PlumberTable

from mailbot.understanding.documents import ocr
from mailbot.understanding.documents.acroform import (
    Widget,
    ink_drawn,
    label_from_words,
    read_ink_strokes,
    read_remarks,
    read_typed_notes,
    read_widgets,
)
from mailbot.understanding.documents.drawn_boxes import drawn_boxes
from mailbot.understanding.documents.glyphs import checkboxes_in_text, symbol_box, symbol_font
from mailbot.understanding.documents.guards import (
    Deadline,
    ExtractionRefused,
    Limits,
    check_pages,
    check_size,
)
from mailbot.understanding.documents.lines import (
    Line,
    Word,
    build_lines,
    cells_text,
    centred_addresses,
    join_wrapped,
    stretch_cells,
    visual_rows,
)
from mailbot.understanding.documents.model import (
    E_SIGNED,
    INK_SIGNED,
    Checkbox,
    Document,
    DocumentProblem,
    Source,
)
from mailbot.understanding.documents.rendering import render_pdf_page
from mailbot.understanding.documents.tables import Table, clean_cell, trim_table
from mailbot.understanding.labels import is_heading, is_label, opens_block

# Fewer characters than this on a page that shows a picture: it is a scan.
_SCANNED_PAGE_CHARS = 20
_OUTLINED_TEXT_CURVES = 200
# Points: a stamp is 2-4 cm across, a signature up to 7 cm; a tick is under 0.5 cm, a box
# to sign in wider than a signature.
_DRAWING_MIN = 15.0
_DRAWING_MAX = 200.0
_PEN_POINTS = 20  # a path this long is a pen's stroke, not a shape
_MARGIN = 0.1  # of the page's height: the head and foot, where logos are drawn


@dataclass
class _Reading:
    lines: list[Line] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    image_offsets: list[int] = field(default_factory=list)
    ocr_pages: list[ocr.OcrPage] = field(default_factory=list)
    widgets: list[Widget] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    drawn: list[Checkbox] = field(default_factory=list)  # boxes drawn as squares and strokes
    remarks: list[str] = field(default_factory=list)  # what a person must read first

    def offset(self) -> int:
        return sum(len(text) + 1 for text in self.texts)


def extract_pdf(data: bytes, limits: Limits) -> Document:
    reader = _open(data)
    check_pages(len(reader.pages), limits)
    widgets = read_widgets(reader)
    notes = read_typed_notes(reader)
    inked = read_ink_strokes(reader)
    reading = _Reading()
    deadline = Deadline(limits.ocr_timeout_s)
    with pdfplumber.open(io.BytesIO(data), password="") as plumber, ExitStack() as turned:
        for index, shown in enumerate(plumber.pages):
            page_widgets = [widget for widget in widgets if widget.page == index]
            turn = _sideways(shown) if not page_widgets else 0
            page = (
                turned.enter_context(pdfplumber.open(_turned(reader.pages[index], turn))).pages[0]
                if turn
                else shown
            )
            _read_page(
                page, page_widgets, data=data, index=index, reading=reading,
                deadline=deadline, limits=limits, source=reader.pages[index],
                notes=[note for note in notes if note.page == index],
                inked=inked.get(index, []),
            )  # fmt: skip
    if ink_drawn(reader):
        reading.notes.append(INK_SIGNED)
    remarks = (*read_remarks(reader), *reading.remarks)
    return replace(_document(reading, len(reader.pages)), remarks=remarks)


# A page whose text runs sideways: most of its letters, and enough of them to be its text
# (a scan's few words of OCR layer or a margin's vertical note are not).
_SIDEWAYS_CHARS = 50
_SIDEWAYS_SHARE = 0.8


def _sideways(page: pdfplumber.page.Page) -> int:
    """The clockwise turn (90, 180, 270) that sets the page's text upright, 0 when it is:
    a page given a quarter turn (its /Rotate) over upright text, or text drawn turned.
    Read as it shows, each letter would be a line of its own."""
    chars = page.chars
    if len(chars) < _SIDEWAYS_CHARS:
        return 0
    angles = Counter(
        round(math.degrees(math.atan2(c["matrix"][1], c["matrix"][0])) / 90) % 4 * 90 for c in chars
    )
    angle, count = angles.most_common(1)[0]
    return angle if angle and count >= _SIDEWAYS_SHARE * len(chars) else 0


def _turned(source: pypdf.PageObject, turn: int) -> io.BytesIO:
    """The page alone, turned clockwise by ``turn`` degrees (its /Rotate changed, its
    content left as drawn); ``source`` itself is left as it is (the writer's is a copy)."""
    writer = pypdf.PdfWriter()
    page = writer.add_page(source)
    page.rotate(turn)
    out = io.BytesIO()
    writer.write(out)
    out.seek(0)
    return out


# A portfolio or a cover sheet carries a handful of files; more is no registration.
MAX_EMBEDDED = 20


def embedded_files(data: bytes, limits: Limits) -> list[tuple[str, bytes]]:
    """Files carried inside the PDF (a portfolio's documents, the Word form attached to a
    cover sheet): each is read as an attachment of its own."""
    files = _open(data).attachments
    if not files:
        return []
    if len(files) > MAX_EMBEDDED:
        raise ExtractionRefused(
            DocumentProblem.TOO_LARGE, f"PDF portant {len(files)} fichiers (limite {MAX_EMBEDDED})"
        )
    found: list[tuple[str, bytes]] = []
    for name in files:
        for content in files[name]:
            check_size(content, limits)
            found.append((name, content))
    return found


def _open(data: bytes) -> pypdf.PdfReader:
    reader = pypdf.PdfReader(io.BytesIO(data))
    # Many office PDFs are "encrypted" with an empty user password only to set
    # permissions; they open without asking anyone.
    if reader.is_encrypted and not reader.decrypt(""):
        raise ExtractionRefused(DocumentProblem.ENCRYPTED, "PDF protégé par un mot de passe")
    return reader


_WORD_ATTRS = ["fontname", "size"]
_SAME_LINE = 2.0  # points between the tops of two words on one line
_OVERLAP = 1.0  # points two words of a line may share: kerning, not an overprint
_TOUCH = 0.5  # points: a blank narrower than this is no space between two words
_OVERPRINT = 0.3  # share of the narrower of two words the other may cover and still be beside it
# A word ends where the gap to the next glyph passes this share of the glyphs' size.
_WORD_GAP = 0.15


def _printed_words(page: pdfplumber.page.Page, spacing: dict[str, float]) -> list[Word]:
    """The page's words. A value typed right against its label in another typeface
    ("DénominationADMR …") is a word apart, opening a cell of its own; a word whose letters
    merely change font ("PEYR" + a fallback font's "É", "1" + a superscript "er") stays
    whole. Not where words are printed over each other ("l'inscription" under "Marion"):
    parted, each would read whole, in the wrong order; run together, the garbled word shows
    the overprint for what it is."""
    _colons_before_values(page.chars)
    raw = page.extract_words(keep_blank_chars=False, extra_attrs=_WORD_ATTRS, **spacing)
    if _overlapping(raw):
        return [_word(w) for w in page.extract_words(keep_blank_chars=False, **spacing)]
    words: list[Word] = []
    first: dict[str, Any] | None = None  # the raw word the last printed word began with
    for this, after in zip([None, *raw], raw, strict=False):
        word = _word(after)
        if this is not None and words and _small_capitals(this, after):
            # "D" + "ÉNOMINATION": a small-caps label, its capital a size above the rest.
            last = words[-1]
            words[-1] = replace(last, text=last.text + word.text, x1=word.x1,
                                bottom=max(last.bottom, word.bottom))  # fmt: skip
            continue
        if this is not None and first is not None and _touching(this, after):
            if not _label_then_value(first, after):
                last = words[-1]
                words[-1] = replace(last, text=last.text + word.text, x1=word.x1,
                                    top=min(last.top, word.top), bottom=max(last.bottom, word.bottom))  # fmt: skip
                continue
            word = replace(word, opens_cell=True)
        words.append(word)
        first = after
    return words


def _colons_before_values(chars: list[dict[str, Any]]) -> None:
    """ "complète) :" with its colon printed over the "C" of the value typed after it in
    another face: the colon is the label's, moved before the letter it covers, so that
    the value reads whole ("Centre …") and not split at the colon ("C:entre …")."""
    marks = [c for c in chars if c["text"] in _LABEL_MARKS]
    if not marks:
        return
    letters = sorted((c for c in chars if str(c["text"]).isalnum()), key=lambda c: float(c["x0"]))
    starts = [float(c["x0"]) for c in letters]
    widest = max((float(c["x1"]) - float(c["x0"]) for c in letters), default=0.0)
    for mark in marks:
        x0, x1 = float(mark["x0"]), float(mark["x1"])
        # Only letters starting less than the widest letter's width before the mark may cover it.
        near = letters[bisect_left(starts, x0 - widest) : bisect_left(starts, x1)]
        for letter in near:
            if (
                letter["fontname"] != mark["fontname"]
                and float(letter["x1"]) > x0
                and _shared_height(letter, mark) > 0
            ):
                # Only over a value's first letter: within a word ("Mar|i|on" printed over
                # "l'inscription :"), the words overlap, and their garbled reading is doubted.
                if not _word_goes_on_before(letter, letters, starts):
                    mark["x1"] = float(letter["x0"]) - _TOUCH
                    mark["x0"] = float(mark["x1"]) - (x1 - x0)
                break


def _word_goes_on_before(
    letter: dict[str, Any], letters: list[dict[str, Any]], starts: list[float]
) -> bool:
    """Whether a letter of the same face stands right before ``letter``, in its word."""
    x0 = float(letter["x0"])
    width = float(letter["x1"]) - x0
    before = letters[bisect_left(starts, x0 - 2 * width) : bisect_left(starts, x0)]
    return any(
        other is not letter
        and other["fontname"] == letter["fontname"]
        and x0 - width <= float(other["x1"]) <= x0 + _TOUCH
        and _shared_height(other, letter) > 0
        for other in before
    )


_LABEL_MARKS = frozenset(":")


def _small_capitals(capital: dict[str, Any], rest: dict[str, Any]) -> bool:
    """Whether ``rest`` goes on the one capital ``capital`` in small capitals: the same
    font a size smaller, capitals only, on the same baseline, a letter-space apart."""
    text, size = str(capital["text"]), float(capital["size"])
    return (
        len(text) == 1
        and text.isupper()
        and str(rest["text"])[:1].isupper()
        and str(rest["text"]).upper() == str(rest["text"])
        and rest["fontname"] == capital["fontname"]
        and _SMALL_CAPS[0] * size <= float(rest["size"]) <= _SMALL_CAPS[1] * size
        and abs(float(rest["bottom"]) - float(capital["bottom"])) < 0.1 * size
        and 0 <= float(rest["x0"]) - float(capital["x1"]) < 0.3 * size
    )


_SMALL_CAPS = (0.6, 0.9)  # a small capital's size, as a share of its capital's


def _touching(one: dict[str, Any], other: dict[str, Any]) -> bool:
    """Whether ``other`` goes on ``one`` with no blank between them, on its line (a value
    typed a little over the end of its label still does)."""
    return _shared_height(one, other) > 0 and (
        -_OVERPRINT * _narrower(one, other) <= float(other["x0"]) - float(one["x1"]) < _TOUCH
    )


def _shared_height(one: dict[str, Any], other: dict[str, Any]) -> float:
    return min(float(one["bottom"]), float(other["bottom"])) - max(
        float(one["top"]), float(other["top"])
    )


def _narrower(one: dict[str, Any], other: dict[str, Any]) -> float:
    return min(float(w["x1"]) - float(w["x0"]) for w in (one, other))


def _label_then_value(label: dict[str, Any], value: dict[str, Any]) -> bool:
    """Two typefaces (family or weight), each holding a word: not a letter in a fallback
    font, not a superscript in the same face."""
    if min(len(str(label["text"])), len(str(value["text"]))) < 2:
        return False
    return _face(label) != _face(value)


def _face(word: dict[str, Any]) -> tuple[str, bool]:
    name = str(word["fontname"]).split("+", 1)[-1]  # "ABCDEF+Calibri-Bold": the subset's tag
    family = re.split(r"[-,]", name, maxsplit=1)[0].lower()
    return family, bool(_HEAVY.search(name))


_HEAVY = re.compile(r"bold|black|heavy|demi|semibold", re.IGNORECASE)


def _overlapping(words: list[dict[str, Any]]) -> bool:
    """Whether two words of one line are printed over each other: one covers more than
    a kerning's point and a third of the narrower ("Marion" over "l'inscription")."""
    lines: list[list[dict[str, Any]]] = []
    for word in sorted(words, key=lambda w: float(w["top"])):
        if lines and float(word["top"]) - float(lines[-1][0]["top"]) < _SAME_LINE:
            lines[-1].append(word)
        else:
            lines.append([word])
    return any(
        float(a["x1"]) - float(b["x0"]) > max(_OVERLAP, _OVERPRINT * _narrower(a, b))
        for row in lines
        for a, b in pairwise(sorted(row, key=lambda w: float(w["x0"])))
    )


def _spacing(page: pdfplumber.page.Page) -> dict[str, float]:
    """How to tell words apart on ``page``. Most producers write the spaces, and words
    split on them; some print drivers draw each glyph alone and no space at all, so
    pdfplumber's default 3-point gap ran a whole line into one word
    ("InstitutdelaPerformancePublique"): there, a gap of a fraction of the glyphs'
    size ends a word."""
    if not page.chars:
        return {}
    if any(char["text"] == " " for char in page.chars) and not _drawn_word_by_word(page.chars):
        return {}
    return {"x_tolerance_ratio": _WORD_GAP}


# A gap this share of the glyphs' size, with no space drawn in it, parts two words.
_UNSPACED_GAP = 0.25
_UNSPACED_GAPS = 5
_DEFAULT_GAP = 3.0
_TOUCHING = 0.05  # of the glyphs' size: letters of one word, set without spacing


def _drawn_word_by_word(chars: list[dict[str, Any]]) -> bool:
    """Whether some of the page's lines were drawn a word at a time with no space between
    ("Adresse" then "postale", a blank apart), though others have their spaces: the
    default gap would run those lines' words together ("Adressepostale"). A blank counts
    between two runs of touching letters only: a heading spaced out letter by letter
    ("D É N O M I N A T I O N") has blanks everywhere and no word to part."""
    gaps = 0
    for before, one, other, after in zip(chars, chars[1:], chars[2:], chars[3:], strict=False):
        size = float(one["size"])
        if (
            " " not in (before["text"], one["text"], other["text"], after["text"])
            and abs(float(other["top"]) - float(one["top"])) < 0.2 * size
            # Gaps of 3 points or more part words anyway (pdfplumber's default).
            and _UNSPACED_GAP * size < _gap(one, other) <= _DEFAULT_GAP
            and _gap(before, one) < _TOUCHING * size
            and _gap(other, after) < _TOUCHING * size
        ):
            gaps += 1
            if gaps >= _UNSPACED_GAPS:
                return True
    return False


def _gap(one: dict[str, Any], other: dict[str, Any]) -> float:
    return float(other["x0"]) - float(one["x1"])


def _read_page(
    page: pdfplumber.page.Page,
    widgets: list[Widget],
    *,
    data: bytes,
    index: int,
    reading: _Reading,
    deadline: Deadline,
    limits: Limits,
    source: pypdf.PageObject,
    notes: list[Widget],
    inked: list[dict[str, object]],
) -> None:
    page = _visible(page)
    slanted = "".join(c["text"] for c in page.chars if _slanted(c))
    if slanted:
        if _CANCELLED.search(slanted):
            reading.remarks.append(
                f"filigrane « {slanted.strip()} » en travers de la page {index + 1}"
            )
        page = _without_watermark(page)
    if _overprinted(page):
        page = page.dedupe_chars()
    stamps, lettering = _inked_stamps(page)
    if lettering:
        page = page.filter(
            lambda obj: obj.get("object_type") != "char" or _at(obj) not in lettering
        )
    _draw_symbol_boxes(page)
    # Text drawn as outlines (some "print to PDF" drivers) has curves but no
    # characters: it needs OCR just like a scan.
    pictured = bool(page.images) or len(page.curves) > _OUTLINED_TEXT_CURVES
    few_chars = len(page.chars) < _SCANNED_PAGE_CHARS
    if pictured and not widgets and (few_chars or _searchable_scan(source)):
        scan = ocr.read_image(render_pdf_page(data, index, limits), deadline)
        reading.ocr_pages.append(scan)
        reading.texts.append(scan.text)
        return
    spacing = _spacing(page)
    printed = _printed_words(page, spacing)
    reading.widgets.extend(label_from_words(widget, printed) for widget in widgets)
    # Field values are drawn by the viewer, not the page: put them where they show.
    typed = [word for word in (w.as_word() for w in [*widgets, *notes]) if word is not None]
    found = _stretched(page.find_tables(), printed)
    cells = [cell for table in found for cell in table.cells]
    if (stray := _stray_lettering(page, printed, spacing)) is not None:
        reading.remarks.append(
            f"texte plus petit posé en travers d'une ligne, page {index + 1} : « {stray} » "
            "(un cachet ?)"
        )
    placed = join_wrapped(centred_addresses(printed, cells), cells, opens_block, top_aligned=True)
    lines = build_lines(placed + typed, is_heading, is_label)
    text = "\n".join(line.text for line in lines)
    if _SIGNING_CERTIFICATE.search(text[:_CERTIFICATE_HEAD]):
        # Yousign's, DocuSign's or Acrobat Sign's page of proof lists signers, e-mails
        # and IP addresses: none is a field of the form, but it says the form was signed.
        reading.notes.append(E_SIGNED)
        return
    # A check drawn or an "X" typed over the page with a viewer's tools ticks a box too.
    strokes = [*page.lines, *page.curves, *inked]
    reading.drawn.extend(
        drawn_boxes(page.rects, strokes, [*page.chars, *_as_chars(typed)], [*printed, *typed])
    )
    start = reading.offset()
    for top in [*(float(image["top"]) for image in page.images), *_drawings(page), *stamps]:
        above = [line for line in lines if line.top < top]
        reading.image_offsets.append(start + sum(len(line.text) + 1 for line in above))
    reading.texts.append(text)
    # The cells' text from the words placed in them above: pdfplumber's own extract
    # would test every character against every cell again (a tenth of a page's time).
    texts = cells_text(placed)
    number = {cell: index for index, cell in enumerate(cells)}
    for table in found:
        rows = [[clean_cell(texts.get(number[cell], "")) if cell else "" for cell in row.cells]
                for row in table.rows]  # fmt: skip
        reading.tables.append(trim_table(rows))


def _drawings(page: pdfplumber.page.Page) -> list[float]:
    """Where a stamp or a signature drawn as vector paths begins (its top).

    Some tools draw the stamp (two rings) or the signature (strokes, or one long
    pen path) as paths, not as a picture. One closed shape alone is no such
    drawing: an empty box or circle is where one signs; so are ticks (too small),
    frames (too wide) and the logos of the page's head and foot.
    """
    height = float(page.height)
    strokes = [
        curve
        for curve in page.curves
        if _extent(curve) >= _DRAWING_MIN
        and float(curve["x1"] - curve["x0"]) < _DRAWING_MAX
        and _MARGIN * height < float(curve["top"])
        and float(curve["bottom"]) < (1 - _MARGIN) * height
    ]
    drawn = [
        float(curve["top"])
        for curve in strokes
        if len(curve.get("pts") or ()) >= _PEN_POINTS
        or _pen_stroke(curve)
        or any(other is not curve and _touch(curve, other) for other in strokes)
    ]
    return drawn + _stamp_lettering(page)


def _pen_stroke(curve: dict[str, Any]) -> bool:
    """A signature drawn as one smooth open path: bends (Bézier segments) that do not
    close on themselves, as a box, a ring or a frame does."""
    path: list[tuple[Any, ...]] = list(curve.get("path") or ())
    points: list[tuple[float, float]] = list(curve.get("pts") or ())
    if sum(1 for step in path if step[0] == "c") < 2 or len(points) < 2:
        return False
    (x0, y0), (x1, y1) = points[0], points[-1]
    return bool(abs(x0 - x1) + abs(y0 - y1) > _DRAWING_MIN)


def _stamp_lettering(page: pdfplumber.page.Page) -> list[float]:
    """Where a stamp drawn as text begins: small letters set at a slant ("IME LES
    HIRONDELLES / La Direction" in a tilted frame), in a block a stamp's size. A
    watermark ("SPECIMEN" across the page) is far wider; upright text is the form's."""
    tilted = [
        char
        for char in page.chars
        if float(char.get("size", 0)) < _STAMP_LETTER
        # Set at a slant, not upright and not sideways (a margin's vertical reference).
        and _tilted(char)
        and abs(float(char["matrix"][1])) < abs(float(char["matrix"][0]))
        and str(char["text"]).strip()
    ]
    if len(tilted) < _STAMP_LETTERS:
        return []
    x0 = min(float(c["x0"]) for c in tilted)
    x1 = max(float(c["x1"]) for c in tilted)
    top = min(float(c["top"]) for c in tilted)
    bottom = max(float(c["bottom"]) for c in tilted)
    height = float(page.height)
    if (
        max(x1 - x0, bottom - top) > _DRAWING_MAX
        or not _MARGIN * height < top < (1 - _MARGIN) * height
    ):
        return []
    return [top]


def _tilted(char: dict[str, Any]) -> bool:
    matrix = char.get("matrix") or (1.0, 0.0)
    if not matrix[1]:
        return False  # upright, as nearly every character is: no arithmetic for it
    return abs(float(matrix[1])) > _TILT * abs(float(matrix[0]))


def _inked_stamps(page: pdfplumber.page.Page) -> tuple[list[float], set[tuple[float, float, str]]]:
    """A stamp drawn as a coloured ring with its lettering in the same ink ("CENTRE
    COMMUNAL D'ACTION SOCIALE" in blue over a blue ring): where each begins, and its
    letters, which lie over the signer's line and are none of the form's values.
    Letters in another ink, or black ones (a form's own circled mark), are the page's."""
    rings = [
        curve
        for curve in page.curves
        if _inked(curve.get("stroking_color"))
        and _DRAWING_MIN <= _extent(curve) < _DRAWING_MAX
        and _closed(curve)
    ]
    tops: list[float] = []
    lettering: set[tuple[float, float, str]] = set()
    for ring in rings:
        ink = ring["stroking_color"]
        small = [
            char
            for char in page.chars
            if float(char.get("size", 0)) < _STAMP_LETTER and char.get("non_stroking_color") == ink
        ]
        # A run of letters on one baseline belongs to the stamp when one of them lies on it.
        runs: dict[float, list[dict[str, Any]]] = {}
        for char in small:
            runs.setdefault(round(float(char["bottom"]), 1), []).append(char)
        inside = [run for run in runs.values() if any(_touch(char, ring) for char in run)]
        if inside:
            tops.append(float(ring["top"]))
            lettering.update(_at(char) for run in inside for char in run)
    return tops, lettering


def _stray_lettering(
    page: pdfplumber.page.Page, printed: list[Word], spacing: dict[str, float]
) -> str | None:
    """Smaller letters set across a line, off its baseline: a stamp's lettering in black
    over the signer's name, which a reader would join to the value. Not a superscript
    ("1er", one word with its number) nor a smaller label set on the line's baseline;
    lettering set at a slant is a stamp told by its slant (``_stamp_lettering``)."""
    words = printed
    if any(_tilted(char) for char in page.chars):
        level = page.filter(lambda obj: obj.get("object_type") != "char" or not _tilted(obj))
        words = _printed_words(level, spacing)
    for row in visual_rows(words):
        letters: Counter[tuple[float, float]] = Counter()
        for word in row:
            letters[round(word.height, 1), round(word.bottom, 1)] += len(word.text)
        (height, bottom), _ = letters.most_common(1)[0]
        strays = [
            word.height < _STRAY_SIZE * height and abs(word.bottom - bottom) > _STRAY_SHIFT * height
            for word in row
        ]
        # Runs of such words side by side: two or more, with letters enough to be words.
        for stray, run in groupby(zip(strays, row, strict=True), key=lambda pair: pair[0]):
            text = " ".join(word.text for _, word in run)
            if stray and " " in text and _stamp_words(text):
                return text
    return None


def _stamp_words(text: str) -> bool:
    """ "CENTRE COMMUNAL D'ACTION SOCIALE": a stamp speaks in capitals. A form's label
    set smaller, top-aligned in its cell beside a larger value, is no stamp's."""
    letters = [c for c in text if c.isalpha()]
    capitals = sum(c.isupper() for c in letters)
    return len(letters) >= _STRAY_LETTERS and capitals >= _STAMP_CAPITALS * len(letters)


_STAMP_CAPITALS = 0.8  # of the letters
_STRAY_SIZE = 0.9  # of the line's letters' height
_STRAY_SHIFT = 0.12  # of it: off the line's baseline
_STRAY_LETTERS = 6


def _inked(color: object) -> bool:
    """A colour, not black, white or a grey: a stamp's ink."""
    if not isinstance(color, tuple | list) or len(color) not in (3, 4):
        return False
    values = [float(v) for v in color]
    if len(values) == 4:  # CMYK: any cyan, magenta or yellow
        return max(values[:3]) > _INK
    return max(values) - min(values) > _INK


_INK = 0.15  # the spread between a colour's components that makes it no grey


def _closed(curve: dict[str, Any]) -> bool:
    points: list[tuple[float, float]] = list(curve.get("pts") or ())
    if len(points) < 3:
        return False
    (x0, y0), (x1, y1) = points[0], points[-1]
    return abs(x0 - x1) + abs(y0 - y1) < 1


def _at(char: dict[str, Any]) -> tuple[float, float, str]:
    return round(float(char["x0"]), 2), round(float(char["top"]), 2), str(char["text"])


_STAMP_LETTER = 14.0  # points: a stamp's letters are small
_STAMP_LETTERS = 8
_TILT = 0.05  # the sine of a slant a stamp is set at (about 3°), before the matrix's scale


def _extent(curve: dict[str, Any]) -> float:
    return max(float(curve["x1"] - curve["x0"]), float(curve["bottom"] - curve["top"]))


def _touch(one: dict[str, Any], other: dict[str, Any]) -> bool:
    return (
        float(one["x0"]) <= float(other["x1"]) + 2
        and float(other["x0"]) <= float(one["x1"]) + 2
        and float(one["top"]) <= float(other["bottom"]) + 2
        and float(other["top"]) <= float(one["bottom"]) + 2
    )


def _as_chars(words: list[Word]) -> list[dict[str, object]]:
    return [{"text": w.text.strip(), "x0": w.x0, "x1": w.x1, "top": w.top, "bottom": w.bottom}
            for w in words]  # fmt: skip


def _stretched(tables: list[PlumberTable], printed: list[Word]) -> list[PlumberTable]:
    """The tables with their cells widened to the text typed past their border."""
    cells = [cell for table in tables for cell in table.cells]
    wider = dict(zip(cells, stretch_cells(printed, cells), strict=True))
    return [
        table if all(wider[c] == c for c in table.cells)
        else PlumberTable(table.page, [wider[c] for c in table.cells])
        for table in tables
    ]  # fmt: skip


def _visible(page: pdfplumber.page.Page) -> pdfplumber.page.Page:
    """The part of the page a viewer shows: what lies outside the CropBox is in the file,
    but no one who signed or checked the form saw it."""
    if page.cropbox == page.mediabox:
        return page
    left, top, right, bottom = page.mediabox
    x0, y0, x1, y1 = page.cropbox
    shown = (max(x0, left), max(y0, top), min(x1, right), min(y1, bottom))
    if shown[0] >= shown[2] or shown[1] >= shown[3]:
        return page  # a nonsensical box: every viewer falls back on the whole page
    return page.crop(shown)


# A watermark that takes the form back: "ANNULÉ", "SPÉCIMEN", "NE PAS UTILISER". "COPIE",
# "DUPLICATA" or "BROUILLON" leave it what it says.
_CANCELLED = re.compile(r"(?i)annul|sp[ée]cimen|ne\s*pas|void|cancel|mod[èe]le|exemple|factice")


def _without_watermark(page: pdfplumber.page.Page) -> pdfplumber.page.Page:
    """The page without the characters set on a slant: a "COPIE" or "DUPLICATA" printed
    across the page is no field, and its huge letters, spanning every row, would join
    the whole form into one line."""
    return page.filter(lambda obj: obj.get("object_type") != "char" or not _slanted(obj))


def _slanted(char: dict[str, Any]) -> bool:
    matrix = char.get("matrix") or (1.0, 0.0)
    return min(abs(float(matrix[0])), abs(float(matrix[1]))) > _SLANT


_SLANT = 0.2  # of the text's direction on both axes: 12° or more off the page's lines


_SIGNING_CERTIFICATE = re.compile(
    r"rapport d'audit|audit trail|certificate of completion|certificat de (?:r[ée]alisation|"
    r"signature)|dossier de preuve|fichier de preuve|preuve de signature|"
    r"bordereau de signature|signature certificate",
    re.IGNORECASE,
)
_CERTIFICATE_HEAD = 400  # characters: the page's title block

# Text render mode 3 draws nothing: a copier's "searchable PDF" lays the words its own
# OCR read, slips included ("ernilie.rnarmin@"), invisibly over the scan.
_INVISIBLE_TEXT = re.compile(rb"(?<![\w.])3\s+Tr\b")


def _searchable_scan(source: pypdf.PageObject) -> bool:
    """A scanned page carrying another program's OCR as invisible text: we read the
    picture ourselves, where the confidence of every word is known."""
    try:
        contents = source.get_contents()
        return contents is not None and bool(_INVISIBLE_TEXT.search(contents.get_data()))
    except (pypdf.errors.PdfReadError, ValueError, KeyError):
        return False


_PRIVATE_USE = 0xF000


def _draw_symbol_boxes(page: pdfplumber.page.Page) -> None:
    """Tick boxes Word drew with a Wingdings letter ("þ", U+F0FE) become box glyphs.

    LibreOffice, lacking Wingdings, draws the same letters with OpenSymbol at
    their private-use code points; elsewhere those code points are no box.
    """
    fonts = {str(char.get("fontname", "")) for char in page.chars}
    symbolic = {name: font for name in fonts if (font := _symbol_font_of(name)) is not None}
    if not symbolic:
        return
    for char in page.chars:
        font = symbolic.get(str(char.get("fontname", "")))
        text = str(char["text"])
        if font is None or len(text) != 1:
            continue
        if font == "opensymbol":
            if ord(text) < _PRIVATE_USE:
                continue
            font = "wingdings"
        glyph = symbol_box(font, ord(text))
        if glyph is not None:
            char["text"] = glyph


def _symbol_font_of(fontname: str) -> str | None:
    """ "ABCDEF+Wingdings-Regular" → "wingdings", "Wingdings2" → "wingdings 2",
    "ZapfDingbats" → "zapfdingbats"."""
    name = fontname.split("+", 1)[-1].lower()
    if "opensymbol" in name:
        return "opensymbol"
    if "zapfdingbats" in name.replace(" ", ""):
        return symbol_font("zapfdingbats")
    if "wingdings" not in name:
        return None
    return symbol_font("wingdings 2" if re.search(r"wingdings\W*2", name) else "wingdings")


def _overprinted(page: pdfplumber.page.Page) -> bool:
    """Whether some character is drawn twice in place (fake bold, a shadow).

    pdfplumber's de-duplication costs a quarter of a typed PDF's reading;
    most pages have no such character, and this check is a set of positions.
    """
    # Same tolerance as pdfplumber's (1 pt): fake bold redraws a glyph a fraction of a point away.
    places = sorted((str(c["text"]), float(c["top"]), float(c["x0"])) for c in page.chars)
    for (text, top, x0), (text_b, top_b, x0_b) in pairwise(places):
        if text == text_b and abs(top - top_b) <= 1 and abs(x0 - x0_b) <= 1:
            return True
    # Sorting by top first can put a redrawn glyph's twin after other glyphs of its line
    # when the tops differ slightly: compare again in column order.
    places.sort(key=lambda place: (place[0], place[2], place[1]))
    return any(
        text == text_b and abs(top - top_b) <= 1 and abs(x0 - x0_b) <= 1
        for (text, top, x0), (text_b, top_b, x0_b) in pairwise(places)
    )


def _word(raw: dict[str, object]) -> Word:
    return Word(
        text=str(raw["text"]),
        x0=float(str(raw["x0"])),
        x1=float(str(raw["x1"])),
        top=float(str(raw["top"])),
        bottom=float(str(raw["bottom"])),
    )


def _document(reading: _Reading, pages: int) -> Document:
    widgets = reading.widgets
    text = "\n".join(reading.texts).strip("\n")
    fields = tuple((w.name, w.value) for w in _unique(widgets))
    boxes = tuple(Checkbox(label=w.label, checked=w.checked) for w in widgets if w.is_checkbox)
    filled = any(value for name, value in fields if not _is_box_value(value))
    source = Source.FORM_FIELDS if filled else Source.TYPED
    confidence = handwriting = None
    if reading.ocr_pages:
        source = Source.OCR if len(reading.ocr_pages) == pages or not text else source
        confidence, handwriting = ocr.summarize(reading.ocr_pages)
    return Document(
        filename=None,
        content_type="application/pdf",
        source=source,
        text=text,
        tables=tuple(reading.tables),
        fields=fields,
        checkboxes=boxes
        or tuple(reading.drawn)
        or _scanned_boxes(reading)
        or checkboxes_in_text(text),
        has_images=bool(reading.image_offsets) or bool(reading.ocr_pages),
        image_offsets=tuple(reading.image_offsets),
        ocr_confidence=confidence,
        handwriting_suspected=bool(handwriting),
        unsure_words=tuple(word for page in reading.ocr_pages for word in page.unsure_words),
        pages=pages,
        notes=tuple(reading.notes) + tuple(n for p in reading.ocr_pages for n in p.notes),
    )


def _scanned_boxes(reading: _Reading) -> tuple[Checkbox, ...]:
    return tuple(box for page in reading.ocr_pages for box in page.checkboxes)


def _unique(widgets: list[Widget]) -> list[Widget]:
    """One entry per field: a radio group or a repeated field has several widgets."""
    seen: dict[str, Widget] = {}
    for widget in widgets:
        if widget.name not in seen or widget.checked:
            seen[widget.name] = widget
    return list(seen.values())


def _is_box_value(value: str) -> bool:
    return value in ("", "Off", "Yes", "On")
