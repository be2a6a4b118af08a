"""Tick boxes on a scanned page: a printed square next to a dated line, empty or marked.

Tesseract reads text, not drawings: an empty box comes out as "[]" or "O" at
best, a ticked one as "X", "IX]" or nothing at all. So, for each line that
reads like a date ("jeudi 18 mars 2027 de 9h30 à 17h00"), we look at the
pixels just before (or after) its words for a square frame about the size of
a letter, and measure how much ink lies inside the frame.

Only dated lines are examined: that is what a session choice looks like, it
keeps the cost to a few small windows per page, and a tick box elsewhere on a
form (a civility box, "je souhaite recevoir…") carries no scored value.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from statistics import median

import numpy as np
from numpy.typing import NDArray
from PIL import Image

from mailbot.understanding.documents.lines import Word
from mailbot.understanding.documents.model import Checkbox

_MONTHS = (
    "janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|d[ée]cembre|"
    "janv|f[ée]vr?|avr|juil|sept?|oct|nov|d[ée]c"
)
_DATED = re.compile(
    rf"\b\d{{1,2}}(?:er)?\s+(?:{_MONTHS})\b|\b\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}}\b", re.IGNORECASE
)
# A word of the label: three letters or digits in a row, or a bare number ("18").
# Box glyphs as Tesseract spells them ("[]", "IX]", "O", "&", "Xx") never qualify.
_LABEL_WORD = re.compile(r"\w{3,}|^\d{1,2}(?:er)?$")

_INK = 140  # grey level under which a pixel is ink (the page was autocontrasted)
_EDGE = 0.8  # share of a frame side that must be ink
# Share of ink inside the frame above which the box counts as marked. Empty
# boxes measure 0-1 % (dust), a typed or pen cross 15-70 %, a light tick ~5 %.
# A doubtful smudge counts as a mark: with the other box ticked too the form
# goes to review ("several_sessions_chosen"), which is the safe side.
_EMPTY = 0.02
_GAP = 2.5  # letter heights between two words that part a line in two


@dataclass(frozen=True, slots=True)
class _Frame:
    left: int
    top: int
    right: int  # exclusive
    bottom: int  # exclusive


def find_checkboxes(page: Image.Image, words: Sequence[Word]) -> tuple[Checkbox, ...]:
    """Boxes in front of (or after) dated lines, with the line's text as their label."""
    ink = np.asarray(page.convert("L")) < _INK
    found: list[Checkbox] = []
    for row in (part for line in _rows(words) for part in _apart(line)):
        label_words = [w for w in row if _LABEL_WORD.search(w.text)]
        if not label_words:
            continue
        # The label runs from its first real word: a box Tesseract spelled "[]" is left out.
        label = " ".join(w.text for w in row[row.index(label_words[0]) :])
        if not _DATED.search(label):
            continue
        height = median(w.height for w in label_words)
        first, last = label_words[0], label_words[-1]
        top, bottom = min(w.top for w in row), max(w.bottom for w in row)
        before = (first.x0 - 4 * height, first.x0 - 0.1 * height)
        after = (last.x1 + 0.1 * height, last.x1 + 4 * height)
        for x0, x1 in (before, after):
            window = _window(ink, x0, x1, top - 0.6 * height, bottom + 0.6 * height)
            if window is None:
                continue
            frame = _frame(window, height)
            if frame is None:
                continue
            found.append(Checkbox(label=label, checked=_fill(window, frame) >= _EMPTY))
            break
    return tuple(found)


def _rows(words: Sequence[Word]) -> list[list[Word]]:
    """Words grouped into visual lines, left to right (as ``lines.build_lines`` groups them)."""
    rows: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        if rows and min(w.top for w in rows[-1]) <= word.middle <= max(w.bottom for w in rows[-1]):
            rows[-1].append(word)
        else:
            rows.append([word])
    return [sorted(row, key=lambda w: w.x0) for row in rows]


def _apart(row: list[Word]) -> list[list[Word]]:
    """A line cut where a wide gap parts its words: "Session choisie   [X] jeudi 18 mars"
    holds a heading and, further right, the box and its label."""
    if len(row) < 2:
        return [row]
    gap = _GAP * median(w.height for w in row)
    parts = [[row[0]]]
    for before, word in pairwise(row):
        if word.x0 - before.x1 > gap:
            parts.append([])
        parts[-1].append(word)
    return parts


def _window(
    ink: NDArray[np.bool_], x0: float, x1: float, y0: float, y1: float
) -> NDArray[np.bool_] | None:
    height, width = ink.shape
    left, right = max(0, int(x0)), min(width, int(x1))
    top, bottom = max(0, int(y0)), min(height, int(y1))
    if right - left < 4 or bottom - top < 4:
        return None
    return ink[top:bottom, left:right]


def _frame(pixels: NDArray[np.bool_], letter: float) -> _Frame | None:
    """The square whose four sides are ink runs, about the size of a letter, if there is one.

    Found from runs, not blobs: a tick that spills over the frame or a cross
    touching it leaves the frame's long straight runs intact, while letters
    and diagonal strokes have no long horizontal run.
    """
    shortest, longest = 0.5 * letter, 1.9 * letter
    runs = [_longest_run(row) for row in pixels]
    edges = [(y, start, end) for y, (start, end) in enumerate(runs) if end - start >= shortest]
    best: _Frame | None = None
    for i, (y_top, start_a, end_a) in enumerate(edges):
        for y_bottom, start_b, end_b in edges[i + 1 :]:
            side = y_bottom - y_top + 1
            if side < shortest:
                continue
            if side > longest:
                break
            left, right = max(start_a, start_b), min(end_a, end_b)
            if right - left < 0.7 * min(end_a - start_a, end_b - start_b):
                continue  # the two runs do not line up: not one box
            left, right = min(start_a, start_b), max(end_a, end_b)
            if not 0.7 <= (right - left) / side <= 1.4:
                continue
            if min(end_a - start_a, end_b - start_b) < 0.8 * (right - left):
                continue  # a square's top and bottom span its width; an "O" or a "0" does not
            if not (
                _column_ink(pixels, left, y_top, y_bottom)
                and _column_ink(pixels, right - 1, y_top, y_bottom)
            ):
                continue
            frame = _Frame(left, y_top, right, y_bottom + 1)
            if best is None or side > best.bottom - best.top:
                best = frame  # the outer edges of a thick frame make the largest square
    return best


def _longest_run(row: NDArray[np.bool_]) -> tuple[int, int]:
    """Start and end (exclusive) of the longest run of ink in a row of pixels."""
    if not row.any():
        return 0, 0
    padded = np.concatenate(([False], row, [False])).astype(np.int8)
    changes = np.flatnonzero(np.diff(padded))
    starts, ends = changes[0::2], changes[1::2]
    longest = int(np.argmax(ends - starts))
    return int(starts[longest]), int(ends[longest])


def _column_ink(pixels: NDArray[np.bool_], x: int, top: int, bottom: int) -> bool:
    """Whether a vertical side of the frame stands near column ``x`` (a pixel of slack either way)."""
    band = pixels[top : bottom + 1, max(0, x - 2) : x + 3]
    return band.shape[1] > 0 and float(band.any(axis=1).mean()) >= _EDGE


def _fill(pixels: NDArray[np.bool_], frame: _Frame) -> float:
    """Share of ink inside the frame, its border (and a margin for a thick or blurred one) left out."""
    side = frame.bottom - frame.top
    inset = max(2, round(side * 0.22))
    inside = pixels[
        frame.top + inset : frame.bottom - inset, frame.left + inset : frame.right - inset
    ]
    return float(inside.mean()) if inside.size else 0.0
