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

from PIL import Image

from mailbot.understanding.documents import candidates, totals, zones
from mailbot.understanding.documents.guards import Deadline
from mailbot.understanding.documents.lines import COLUMN_GAP, Word
from mailbot.understanding.documents.zones import Box
from mailbot.understanding.labels import Field, column_for, field_for, section_for
from mailbot.understanding.names import parse_civility

PRINTED = 80.0  # Tesseract scores printed label words 85-96 on these scans, pen 0-70
_MIN_BUDGET_S = 4.0  # zone reading is skipped when less time than this is left for the document
# Fields whose value a person writes in a box right of (or under) the label.
_ZONED = (
    Field.ORG_NAME, Field.ADDRESS, Field.MANAGER_EMAIL, Field.MANAGER_NAME, Field.SERVICE,
    Field.PHONE, Field.PLACE, Field.SIGNED_DATE, Field.SIGNATORY,
)  # fmt: skip
_MULTILINE = (Field.ADDRESS, Field.ORG_NAME, Field.SIGNATORY)
_EMAIL_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@.-_"  # what an address is written with
_WORDLIKE = re.compile(r"\w")


@dataclass(frozen=True, slots=True)
class ScoredWord:
    word: Word
    confidence: float

    @property
    def printed(self) -> bool:
        return self.confidence >= PRINTED


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
    if deadline.work_left() < _MIN_BUDGET_S:
        return None
    formula = totals.locate([[s.word for s in row] for row in rows_of(words)], page.width)
    requests = [_label_request(label) for label in layout.labels]
    requests += [_label_request(label, _DIGITS[label.field]) for label in _restricted(layout)]
    requests += _column_requests(layout)
    if formula is not None:
        requests += totals.requests(formula)
    try:
        readings = zones.read_zones(page, requests, deadline)
    except RuntimeError:
        return None  # Tesseract failed or timed out: keep the page's reading
    free = iter(readings[: len(layout.labels)])
    restricted = iter(readings[len(layout.labels) :])
    values = [
        _label_value(label, next(free), next(restricted) if label.field in _DIGITS else [])
        for label in layout.labels
    ]
    cut = len(layout.labels) + len(_restricted(layout))
    end = cut + len(layout.columns)
    table = _table_rows(layout, readings[cut:end])
    added: list[Word] = []
    cleared: list[Box] = []
    if formula is not None:
        participants = len({word.top for word in table if word.text})
        added, cleared = totals.read(formula, readings[end:], participants)
    areas = layout.zones + cleared
    kept = [s.word for s in words if not any(zone.holds(s.word) for zone in areas)]
    for label, value in zip(layout.labels, values, strict=True):
        first = label.words[0]
        kept.append(Word(value, label.zone.left, label.zone.right, first.top, first.bottom, True))
    return kept + added + table


# Fields whose zone is read a second time with only the characters a number or date needs.
_DIGITS = {Field.PHONE: "0123456789+.", Field.SIGNED_DATE: "0123456789/.-"}


def _label_request(label: Label, chars: str = "") -> zones.Request:
    psm = 6 if label.field in _MULTILINE else 7
    if label.field is Field.MANAGER_EMAIL:
        chars = _EMAIL_CHARS
    return zones.Request(label.zone, psm, chars)


def _restricted(layout: Layout) -> list[Label]:
    return [label for label in layout.labels if label.field in _DIGITS]


def _column_requests(layout: Layout) -> list[zones.Request]:
    return [
        zones.Request(column.zone, 6, _EMAIL_CHARS if column.field is Field.EMAIL else "")
        for column in layout.columns
    ]


def _label_value(label: Label, free: list[zones.Reading], restricted: list[zones.Reading]) -> str:
    field = label.field
    value: str | None = None
    if field is Field.MANAGER_EMAIL:
        value = candidates.first_valid(free, candidates.email)
    elif field is Field.PHONE:
        value = candidates.first_valid(restricted, candidates.phone)
        value = value or candidates.first_valid(free, candidates.phone)
    elif field is Field.SIGNED_DATE:
        value = candidates.first_valid(free, candidates.date)
        value = value or candidates.first_valid(restricted, candidates.date)
    if value is not None:
        return value
    lines = candidates.vote(free)
    return ", ".join(lines) if field in _MULTILINE else " ".join(lines[:1])


def _table_rows(layout: Layout, readings: list[list[zones.Reading]]) -> list[Word]:
    """The participants' rows: each column read as a block, lines matched across columns by height.

    Reading a whole column at once lets Tesseract find the lines itself (a
    pen line seldom sits exactly between the printed rules); a row is then
    the lines of the different columns that stand at about the same height.
    """
    read: list[tuple[int, zones.ReadLine]] = []
    for index, column in enumerate(layout.columns):
        if column.field is not None:
            read += [(index, line) for line in _column_lines(column.field, readings[index])]
    if not read:
        return []
    pitch = median(line.height for _, line in read)
    rows: list[list[tuple[int, zones.ReadLine]]] = []
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


def _column_lines(field: Field, readings: list[zones.Reading]) -> list[zones.ReadLine]:
    """One column's lines, each the cleanings' agreed reading of it.

    The reading with the most common number of lines gives the lines; each
    is matched with the other readings' line at about the same height.
    """
    if not readings:
        return []
    count = candidates.most_common([len(reading.lines) for reading in readings])
    reference = next(reading for reading in readings if len(reading.lines) == count)
    lines: list[zones.ReadLine] = []
    for line in reference.lines:
        same = [
            other for reading in readings for other in reading.lines
            if abs(other.middle - line.middle) < line.height * 0.5
        ]  # fmt: skip
        texts = [other.text for other in same]
        check = _COLUMN_CHECKS.get(field)
        valid = [v for v in (check(t) for t in texts) if v is not None] if check else []
        text = candidates.most_common(valid) if valid else candidates.vote_line(texts)
        lines.append(zones.ReadLine(text, line.middle, line.height, line.confidence))
    return lines


_COLUMN_CHECKS = {Field.EMAIL: candidates.email, Field.CIVILITY: parse_civility}
