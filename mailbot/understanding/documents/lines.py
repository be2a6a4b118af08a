"""Rebuild text lines from positioned words (PDF text layer, OCR), keeping table columns apart."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from statistics import median


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    is_field: bool = False  # a form field's value: always its own cell

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 1.0)

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(frozen=True, slots=True)
class Line:
    text: str
    top: float


# A gap wider than this many line heights separates two cells, not two words:
# a space is about a third of the font size, a table column gap is much wider.
COLUMN_GAP = 1.2


def build_lines(words: Iterable[Word]) -> list[Line]:
    """Words grouped into visual lines, top to bottom; wide gaps become a TAB.

    We group by geometry rather than by the producer's blocks because forms
    put a label and its value in separate cells (separate blocks) that a
    reader needs on one line.
    """
    rows: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        if rows and _same_row(rows[-1], word):
            rows[-1].append(word)
        else:
            rows.append([word])
    return [Line(text=_join(row), top=min(w.top for w in row)) for row in rows]


def _same_row(row: list[Word], word: Word) -> bool:
    top = min(w.top for w in row)
    bottom = max(w.bottom for w in row)
    return top <= word.middle <= bottom


def _join(row: list[Word]) -> str:
    ordered = sorted(row, key=lambda w: w.x0)
    height = median(w.height for w in ordered)
    parts = [ordered[0].text]
    for previous, word in pairwise(ordered):
        gap = word.x0 - previous.x1
        own_cell = word.is_field or previous.is_field
        parts.append("\t" if own_cell or gap > COLUMN_GAP * height else " ")
        parts.append(word.text)
    return "".join(parts)


def text_of(lines: Iterable[Line]) -> str:
    return "\n".join(line.text for line in lines)
