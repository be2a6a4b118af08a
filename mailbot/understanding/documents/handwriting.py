"""Pen-written values on a scanned form: each field's zone read alone, next to its printed label.

On a full page Tesseract lays out pen strokes and print together: it merges a
value with the rule under it, splits a word at a loop, or drops a short value
("27 octobre 2026" after "Le") because its page segmentation took it for a
drawing. The printed labels, though, come out of that same reading with high
confidence and exact boxes. So on a page that looks handwritten we find the
labels ("Dénomination", "Adresse e-mail", "Le", the participants table
header...), cut out the area where each one's value is written (right of the
label, down to the next printed line; under each column for the table), clean
it for pen strokes and ask Tesseract for that one value, in a mode made for a
single line or a small block. The values then replace the page's words in
their zones, as form fields, so the form reader sees "Dénomination<TAB>value".

Which labels count is decided by ``labels.py``'s vocabulary, not by IPP's
exact wording, so a retyped form with "Raison sociale" or "Courriel" is read
the same way. Nothing here decides anything: a page read this way is flagged
handwritten, and handwriting is always reviewed by a person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise
from statistics import fmean, median

import numpy as np
import pytesseract
from PIL import Image, ImageFilter

from mailbot.understanding.documents.guards import Deadline
from mailbot.understanding.documents.lines import COLUMN_GAP, Word
from mailbot.understanding.documents.rules import long_runs
from mailbot.understanding.labels import Field, column_for, field_for, section_for
from mailbot.understanding.names import parse_civility

LANGUAGE = "fra"
PRINTED = 80.0  # Tesseract scores printed label words 85-96 on these scans, pen 0-70
_MIN_BUDGET_S = 4.0  # zone reading is skipped when less time than this is left for the document
_SCALE = 2  # pen strokes at 300 dpi are thin for Tesseract's line model: read them larger
# Fields whose value a person writes in a box right of (or under) the label.
_ZONED = (
    Field.ORG_NAME, Field.ADDRESS, Field.MANAGER_EMAIL, Field.MANAGER_NAME, Field.SERVICE,
    Field.PHONE, Field.PLACE, Field.SIGNED_DATE, Field.SIGNATORY,
)  # fmt: skip
_MULTILINE = (Field.ADDRESS, Field.ORG_NAME, Field.SIGNATORY)
_EMAIL_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@.-_"  # what an address is written with
_WORDLIKE = re.compile(r"\w")
_ALNUM = re.compile(r"\w")
_LINE_FLOOR = 20.0  # mean Tesseract confidence under which a zone's line is no writing


@dataclass(frozen=True, slots=True)
class ScoredWord:
    word: Word
    confidence: float

    @property
    def printed(self) -> bool:
        return self.confidence >= PRINTED


@dataclass(frozen=True, slots=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float

    def holds(self, word: Word) -> bool:
        x = (word.x0 + word.x1) / 2
        return self.left <= x <= self.right and self.top <= word.middle <= self.bottom


@dataclass(frozen=True, slots=True)
class Label:
    """A printed label found on the page and the zone where its value is written."""

    field: Field
    words: tuple[Word, ...]
    zone: Box

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


@dataclass(frozen=True, slots=True)
class Column:
    field: Field | None  # None for a column we do not score (Fonction...)
    zone: Box


@dataclass(frozen=True, slots=True)
class Layout:
    labels: tuple[Label, ...]
    header: tuple[Word, ...] = ()  # the participants table's header words
    columns: tuple[Column, ...] = ()

    @property
    def zones(self) -> list[Box]:
        return [label.zone for label in self.labels] + [column.zone for column in self.columns]


# ---------------------------------------------------------------- locating


def rows_of(words: list[ScoredWord]) -> list[list[ScoredWord]]:
    """Words grouped into visual rows, top to bottom, each row left to right."""
    rows: list[list[ScoredWord]] = []
    for scored in sorted(words, key=lambda s: (s.word.top, s.word.x0)):
        if rows:
            top = min(s.word.top for s in rows[-1])
            bottom = max(s.word.bottom for s in rows[-1])
            if top <= scored.word.middle <= bottom:
                rows[-1].append(scored)
                continue
        rows.append([scored])
    return [sorted(row, key=lambda s: s.word.x0) for row in rows]


def _cells(row: list[ScoredWord]) -> list[list[ScoredWord]]:
    """A row cut where the gap between two words is a column gap, not a space."""
    height = median(s.word.height for s in row)
    cells: list[list[ScoredWord]] = [[row[0]]]
    for previous, scored in pairwise(row):
        if scored.word.x0 - previous.word.x1 > COLUMN_GAP * height:
            cells.append([scored])
        else:
            cells[-1].append(scored)
    return cells


def _text(cell: list[ScoredWord]) -> str:
    return " ".join(s.word.text for s in cell)


def _label_field(cell: list[ScoredWord]) -> Field | None:
    if not all(s.printed for s in cell) or len(cell) > 6:
        return None
    text = _text(cell).rstrip(" :")
    found = field_for(text) or field_for(text, True)
    return found if found in _ZONED else None


def _header_columns(row: list[ScoredWord]) -> list[tuple[Field | None, list[ScoredWord]]] | None:
    """The participants table's header: every cell a printed column name, a name among them."""
    cells = _cells(row)
    if len(cells) < 3 or not all(s.printed for c in cells for s in c):
        return None
    columns = [(column_for(_text(c).rstrip(" :"), True), c) for c in cells]
    found = {field for field, _ in columns if field is not None}
    named = found & {Field.FIRST_NAME, Field.LAST_NAME, Field.FULL_NAME}
    if not named or len(found - {Field.IGNORED}) < 2 or any(f is None for f, _ in columns):
        return None
    return columns


def locate(words: list[ScoredWord], width: int, height: int) -> Layout:
    """The labels of the form's fields and table found among the page's words, with zones.

    A label's zone runs from just right of the label to the page's right
    margin, and from a little above the label (pen writing rises over the
    line) down to the next row that starts with print left of the zone: the
    next label, a section heading, the table. A value cannot be there.
    """
    # Rule remnants read as "|" or "_" would stand between a label and its row.
    rows = rows_of([s for s in words if _WORDLIKE.search(s.word.text)])
    right = width * 0.97
    found: list[tuple[int, Field, list[ScoredWord]]] = []
    header_at: int | None = None
    header: list[tuple[Field | None, list[ScoredWord]]] = []
    for index, row in enumerate(rows):
        cells = _cells(row)
        if header_at is None:
            columns = _header_columns(row)
            if columns is not None:
                header_at, header = index, columns
                continue
        field = _label_field(cells[0])
        if field is not None:
            found.append((index, field, cells[0]))
    found = _one_per_field(found)
    labels: list[Label] = []
    for index, field, cell in found:
        first = cell[0].word
        size = median(s.word.height for s in cell)
        left = max(s.word.x1 for s in cell) + size * 0.6
        below = _next_structure(rows, index, left, first.bottom + size * 0.3)
        bottom = min(below - size * 0.15, first.top + size * (4.5 if field in _MULTILINE else 2.2))
        zone = Box(left, max(first.top - size * 0.7, 0), right, min(bottom, height))
        labels.append(Label(field, tuple(s.word for s in cell), zone))
    if header_at is None:
        return Layout(tuple(labels))
    header_words = [s.word for _, cell in header for s in cell]
    size = median(w.height for w in header_words)
    top = max(w.bottom for w in header_words) + size * 0.2
    below = _next_structure(rows, header_at, min(w.x0 for w in header_words) + size * 2, top)
    bottom = min(below - size * 0.15, height)
    starts = [min(s.word.x0 for s in cell) - size * 0.5 for _, cell in header]
    ends = [*starts[1:], right]
    table = tuple(
        Column(field if field is not Field.IGNORED else None, Box(x0, top, x1, bottom))
        for (field, _), x0, x1 in zip(header, starts, ends, strict=True)
    )
    return Layout(tuple(labels), tuple(header_words), table)


def _one_per_field(
    found: list[tuple[int, Field, list[ScoredWord]]],
) -> list[tuple[int, Field, list[ScoredWord]]]:
    """The first label of each field, a section heading only when nothing else names it.

    "Organisme-client" names the organisation as a heading; its value is
    written next to "Dénomination", under it.
    """
    kept: dict[Field, tuple[bool, tuple[int, Field, list[ScoredWord]]]] = {}
    for candidate in found:
        _, field, cell = candidate
        heading = section_for(_text(cell).rstrip(" :")) is not None
        current = kept.get(field)
        if current is None or (current[0] and not heading):
            kept[field] = (heading, candidate)
    return sorted((candidate for _, candidate in kept.values()), key=lambda c: c[0])


def _next_structure(rows: list[list[ScoredWord]], index: int, left: float, top: float) -> float:
    """The top of the next row below ``top`` whose first word is print standing left of ``left``."""
    for row in rows[index + 1 :]:
        first = row[0]
        if first.word.top >= top and first.word.x0 < left and _structural(row):
            return first.word.top
    return float("inf")


def _structural(row: list[ScoredWord]) -> bool:
    """Print that belongs to the form: a label, a heading, a sentence (not a lone "Mme" in a cell).

    A neat pen word can score as high as print, so one confident word is not
    enough; several printed words in a row, or a known label, are.
    """
    cell = _cells(row)[0]
    if not all(s.printed for s in cell):
        return False
    text = _text(cell).rstrip(" :")
    return len(cell) >= 2 or field_for(text) is not None or section_for(text) is not None


# ---------------------------------------------------------------- reading


@dataclass(frozen=True, slots=True)
class ReadLine:
    text: str
    middle: float  # page coordinates
    height: float


def clean(crop: Image.Image) -> Image.Image:
    """A zone made easy for Tesseract: pen strokes black and thick enough, paper white.

    The page's rules were already erased. An adaptive threshold (each pixel
    against its neighbourhood's mean) keeps a light ballpoint stroke on grey
    paper that a global one loses; a 3-pixel minimum then thickens the thin
    strokes that Tesseract's line model, trained on print, otherwise breaks.
    """
    grey = _erase_lines(crop.convert("L"))
    big = grey.resize((grey.width * _SCALE, grey.height * _SCALE), Image.Resampling.LANCZOS)
    pixels = np.asarray(big, dtype=np.int16)
    local = np.asarray(big.filter(ImageFilter.BoxBlur(12 * _SCALE)), dtype=np.int16)
    ink = (pixels < local - 18) & (pixels < 200)
    ink = _main_bands(ink)
    binary = Image.fromarray(np.where(ink, 0, 255).astype(np.uint8), mode="L")
    binary = binary.filter(ImageFilter.MinFilter(3))
    framed = Image.new("L", (binary.width + 40, binary.height + 40), 255)
    framed.paste(binary, (20, 20))
    return framed


def read_lines(
    page: Image.Image, zone: Box, deadline: Deadline, *, psm: int, chars: str = ""
) -> list[ReadLine]:
    """Tesseract's lines in one zone of the page, placed back in page coordinates."""
    box = (int(zone.left), int(zone.top), int(min(zone.right, page.width)), int(zone.bottom))
    if box[2] - box[0] < 10 or box[3] - box[1] < 10:
        return []
    picture = clean(page.crop(box))
    if _blank(picture):
        return []  # an empty box: Tesseract would only invent a word from dust
    config = f"--psm {psm}"
    if chars:
        config += f" -c tessedit_char_whitelist={chars}"
    data = pytesseract.image_to_data(
        picture, lang=LANGUAGE, config=config, output_type=pytesseract.Output.DICT,
        timeout=deadline.remaining(),
    )  # fmt: skip
    grouped: dict[tuple[int, int, int], list[int]] = {}
    for i, text in enumerate(data["text"]):
        if str(text).strip() and float(data["conf"][i]) >= 0:
            key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
            grouped.setdefault(key, []).append(i)
    lines: list[ReadLine] = []
    for indexes in grouped.values():
        if fmean(float(data["conf"][i]) for i in indexes) < _LINE_FLOOR:
            continue  # a stamp, a signature or a stroke taken for letters
        tops = [(data["top"][i] - 20) / _SCALE + zone.top for i in indexes]
        bottoms = [t + data["height"][i] / _SCALE for t, i in zip(tops, indexes, strict=True)]
        text = " ".join(str(data["text"][i]).strip() for i in indexes)
        middle = (median(tops) + median(bottoms)) / 2
        lines.append(ReadLine(text, middle, median(bottoms) - median(tops)))
    return sorted(lines, key=lambda line: line.middle)


def _erase_lines(crop: Image.Image) -> Image.Image:
    """The zone without its printed rules, faint edges included.

    The page-wide eraser keeps the light grey fringe of a rule, which an
    adaptive threshold then turns into a dotted line that Tesseract reads as
    "- - -". Here the mask takes lighter pixels and is widened by two pixels.
    A pen stroke never runs flat over a third of a zone's width, nor down its
    whole height.
    """
    ink = np.asarray(crop) < 200
    horizontal = long_runs(ink, max(crop.width / 3, 20))
    vertical = long_runs(ink.T, max(crop.height * 0.7, 20)).T
    mask = Image.fromarray(((horizontal | vertical) * 255).astype(np.uint8), mode="L")
    mask = mask.filter(ImageFilter.MaxFilter(5))
    cleaned = crop.copy()
    cleaned.paste(255, mask=mask)
    return cleaned


def _main_bands(ink: np.ndarray) -> np.ndarray:
    """Ink without the slivers cut by the zone's top and bottom edges.

    A zone reaches a little over its neighbours (pen writing rises above and
    sinks below its line), so it may catch the descenders of the value above
    or the tops of the one below. Such a sliver touches the edge and is much
    shorter than a line of writing: it goes, as do specks of dust.
    """
    rows = ink.sum(axis=1) > 0
    bands: list[tuple[int, int]] = []
    start = None
    for y, filled in enumerate([*rows.tolist(), False]):
        if filled and start is None:
            start = y
        elif not filled and start is not None:
            bands.append((start, y))
            start = None
    if not bands:
        return ink
    tallest = max(end - begin for begin, end in bands)
    kept = ink.copy()
    for begin, end in bands:
        cut = begin == 0 or end == ink.shape[0]
        if (cut and end - begin < tallest * 0.6) or end - begin < tallest * 0.25:
            kept[begin:end] = False
    return kept


def _blank(picture: Image.Image) -> bool:
    ink = np.asarray(picture) < 128
    return int(ink.sum()) < 40 * _SCALE * _SCALE


# ---------------------------------------------------------------- the page


def read_page(page: Image.Image, words: list[ScoredWord], deadline: Deadline) -> list[Word] | None:
    """The page's words with each located zone's words replaced by the value read there alone.

    ``page`` is the straightened page before its rules were erased (each
    zone erases its own, more thoroughly). None when no label was found, or
    too little time is left: the page's own reading then stands.
    """
    layout = locate(words, page.width, page.height)
    if not layout.labels and not layout.columns:
        return None
    try:
        if deadline.remaining() < _MIN_BUDGET_S:
            return None
        values = [_label_value(page, label, deadline) for label in layout.labels]
        table = _table_rows(page, layout, deadline)
    except RuntimeError:
        return None  # Tesseract failed or timed out on a zone: keep the page's reading
    zones = layout.zones
    kept = [s.word for s in words if not any(zone.holds(s.word) for zone in zones)]
    for label, value in zip(layout.labels, values, strict=True):
        first = label.words[0]
        kept.append(Word(value, label.zone.left, label.zone.right, first.top, first.bottom, True))
    return kept + table


def _label_value(page: Image.Image, label: Label, deadline: Deadline) -> str:
    multiline = label.field in _MULTILINE
    chars = _EMAIL_CHARS if label.field is Field.MANAGER_EMAIL else ""
    lines = read_lines(page, label.zone, deadline, psm=6 if multiline else 7, chars=chars)
    # A value has a few letters or digits; "pi," is a signature stroke read as text.
    lines = [line for line in lines if len(_ALNUM.findall(line.text)) >= 3]
    return (
        ", ".join(line.text for line in lines)
        if multiline
        else " ".join(line.text for line in lines[:1])
    )


def _table_rows(page: Image.Image, layout: Layout, deadline: Deadline) -> list[Word]:
    """The participants' rows: each column read as a block, lines matched across columns by height.

    Reading a whole column at once lets Tesseract find the lines itself (a
    pen line seldom sits exactly between the printed rules); a row is then
    the lines of the different columns that stand at about the same height.
    """
    read: list[tuple[int, ReadLine]] = []
    for index, column in enumerate(layout.columns):
        if column.field is None:
            continue
        chars = _EMAIL_CHARS if column.field is Field.EMAIL else ""
        read += [
            (index, line) for line in read_lines(page, column.zone, deadline, psm=6, chars=chars)
        ]
    if not read:
        return []
    pitch = median(line.height for _, line in read)
    rows: list[list[tuple[int, ReadLine]]] = []
    for index, line in sorted(read, key=lambda item: item[1].middle):
        # Rows are nearly twice as far apart as a line is tall; a pen line drifts up
        # or down by a third of a row, so 0.9 line height still tells rows apart.
        if rows and line.middle - fmean(x.middle for _, x in rows[-1]) < pitch * 0.9:
            rows[-1].append((index, line))
        else:
            rows.append([(index, line)])
    words: list[Word] = []
    for row in rows:
        middle = fmean(line.middle for _, line in row)
        top, bottom = middle - pitch / 3, middle + pitch / 3
        for index, column in enumerate(layout.columns):
            text = " ".join(line.text for i, line in row if i == index)
            if column.field is Field.CIVILITY and parse_civility(text) is None:
                text = ""  # a misread civility ("a.") would pass for a label ("à" of "Fait à")
            words.append(Word(text, column.zone.left, column.zone.right, top, bottom, True))
    return words
