"""Tick boxes drawn on a text PDF page: a small square, and a cross or a check inside it.

A PDF editor, a form made in a drawing tool or LibreOffice's export draws the
session boxes of the SAAD form as squares, and the tick as strokes ("X" as two
diagonals, "✓" as a path) or a filled square: no character, no form field, so
neither the text nor the widgets tell which box is ticked.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from mailbot.understanding.dates import find_dates
from mailbot.understanding.documents.lines import Word
from mailbot.understanding.documents.model import Checkbox

Shape = Mapping[str, Any]

_SIDE = (5.0, 16.0)  # points: a tick box is a few millimetres wide
_SQUARE = 2.5  # points of difference allowed between its width and height
_OVERFLOW = 4.0  # a hand-drawn check runs past the box's top and right edges
_EDGE = 1.0  # a stroke this close to an edge, along it, is the box's own frame
_TICK_GLYPHS = frozenset("Xx✓✔✗✘■●")
_LABEL_GAP = 40.0  # points between the box and the first word of its label
_ANY_YEAR = 2000  # only whether a label holds a date matters here, not which year


def drawn_boxes(
    rects: Sequence[Shape], strokes: Iterable[Shape], chars: Iterable[Shape], words: Sequence[Word]
) -> tuple[Checkbox, ...]:
    """The page's drawn boxes whose label holds a date (the sessions), ticked or not;
    nothing when none does, so that the other ways of reading boxes are tried."""
    squares = [r for r in rects if _is_box(r)]
    strokes = list(strokes)
    marks = [s for s in [*strokes, *(r for r in rects if not _is_box(r))] if _small(s)]
    inked = [s for s in strokes if s.get("object_type") == "ink" and _hand_sized(s)]
    ticks = [c for c in chars if c.get("text") in _TICK_GLYPHS]
    found = []
    for box in squares:
        label = _label(box, words, squares)
        if not label or not find_dates(label, _ANY_YEAR):
            continue
        inside = [mark for mark in marks if _inside(mark, box) and not _frame(mark, box)]
        specks = [mark for mark in inside if _speck(mark, box)]
        ticked = (
            len(inside) > len(specks)
            or any(_centred(char, box) for char in ticks)
            # A check or a cross drawn with a viewer's pen runs past the square, on any
            # side: it covers the square's middle.
            or any(_centred(box, ink) for ink in inked)
            # "x ☐ 18 mars 2027": typed just left of the square.
            or any(_just_left(word, box) for word in words if word.text in _TICK_GLYPHS)
        )
        # "☐ 8 octobre 2027 de 9h30 à 17h00 ✓": the tick typed beside the date, not in
        # the square.
        tokens = label.split()
        if tokens[0] in _TICK_GLYPHS or tokens[-1] in _TICK_GLYPHS:
            label = " ".join(t for t in tokens if t not in _TICK_GLYPHS)
            ticked = True
        faint = not ticked and bool(specks)
        found.append(Checkbox(label=label, checked=ticked or faint, faint=faint))
    return tuple(found)


_SPECK = 0.35  # of the box's side: a dot, not a stroke across the square


def _speck(mark: Shape, box: Shape) -> bool:
    return max(_width(mark), _height(mark)) < _SPECK * min(_width(box), _height(box))


_HAND_SIZE = (60.0, 40.0)  # points: a pen's tick or cross, not a signature
_LEFT_GAP = 15.0  # points between a typed tick and the square on its right


def _hand_sized(shape: Shape) -> bool:
    return _width(shape) <= _HAND_SIZE[0] and _height(shape) <= _HAND_SIZE[1]


def _just_left(word: Word, box: Shape) -> bool:
    middle = (box["top"] + box["bottom"]) / 2
    return bool(word.top <= middle <= word.bottom and 0 <= box["x0"] - word.x1 <= _LEFT_GAP + _EDGE)


def _is_box(shape: Shape) -> bool:
    width, height = _width(shape), _height(shape)
    low, high = _SIDE
    return bool(low <= width <= high and low <= height <= high and abs(width - height) <= _SQUARE)


def _small(shape: Shape) -> bool:
    return _width(shape) <= _SIDE[1] + _OVERFLOW and _height(shape) <= _SIDE[1] + _OVERFLOW


def _inside(shape: Shape, box: Shape) -> bool:
    return bool(
        shape["x0"] >= box["x0"] - _EDGE
        and shape["x1"] <= box["x1"] + _OVERFLOW
        and shape["top"] >= box["top"] - _OVERFLOW
        and shape["bottom"] <= box["bottom"] + _EDGE
    )


def _centred(inner: Shape, outer: Shape) -> bool:
    """Whether ``inner``'s middle lies within ``outer``: a typed "X" in the box (a
    character's box is the font's, taller than the glyph), or the box under a pen's
    stroke that covers its middle."""
    x, y = (inner["x0"] + inner["x1"]) / 2, (inner["top"] + inner["bottom"]) / 2
    return bool(outer["x0"] <= x <= outer["x1"] and outer["top"] <= y <= outer["bottom"])


def _frame(shape: Shape, box: Shape) -> bool:
    """A stroke along one of the box's edges: part of the square, not a tick."""
    flat = _height(shape) <= _EDGE and (
        abs(shape["top"] - box["top"]) <= _EDGE or abs(shape["bottom"] - box["bottom"]) <= _EDGE
    )
    upright = _width(shape) <= _EDGE and (
        abs(shape["x0"] - box["x0"]) <= _EDGE or abs(shape["x1"] - box["x1"]) <= _EDGE
    )
    # A path as large as the square, unfilled, is the square drawn again; a straight line
    # as large is a diagonal: half of an "X" drawn corner to corner; a stroke drawn by
    # hand over the page is never the printed square.
    whole = (
        abs(_width(shape) - _width(box)) <= _EDGE
        and abs(_height(shape) - _height(box)) <= _EDGE
        and shape.get("object_type") not in ("line", "ink")
    )
    return flat or upright or (whole and not shape.get("fill"))


def _label(box: Shape, words: Sequence[Word], squares: Sequence[Shape]) -> str:
    """The words on the box's line, to its right, up to the next box on that line."""
    middle = (box["top"] + box["bottom"]) / 2
    after = [s["x0"] for s in squares if s["x0"] > box["x1"] and s["top"] <= middle <= s["bottom"]]
    end = min(after, default=float("inf"))
    beside = sorted(
        (w for w in words
         if w.top <= middle <= w.bottom and box["x1"] - _EDGE <= w.x0 and w.x1 <= end),
        key=lambda w: w.x0,
    )  # fmt: skip
    if not beside or beside[0].x0 - box["x1"] > _LABEL_GAP:
        return ""
    return " ".join(w.text for w in beside)


def _width(shape: Shape) -> float:
    return float(shape["x1"]) - float(shape["x0"])


def _height(shape: Shape) -> float:
    return float(shape["bottom"]) - float(shape["top"])
