"""Erase the ruled lines of a form's tables before OCR.

Tesseract reads the text of a bordered cell badly, or not at all, when the
border runs a few pixels from the letters; forms are mostly bordered cells.
A pixel on a horizontal (vertical) ink run longer than any letter stroke is
a rule, and becomes paper.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from numpy.typing import NDArray
from PIL import Image

from mailbot.understanding.documents.lines import Box

_INK = 150  # grey level under which a pixel is ink, after autocontrast
_RULE_FRACTION = 1 / 25  # a run this long (relative to the page side) is no letter


@dataclass(frozen=True, slots=True)
class Ruled:
    """A page without its rules, and the table cells those rules drew."""

    cleaned: Image.Image
    cells: list[Box]  # page pixels


def erase_rules(page: Image.Image) -> Image.Image:
    return read_rules(page).cleaned


def read_rules(page: Image.Image) -> Ruled:
    # Rules are found on a half-size copy (four times less work); the mask is
    # scaled back up, which also widens it by a pixel or two: welcome on blurry scans.
    half = page.convert("L").reduce(2)
    ink = np.asarray(half) < _INK
    horizontal = long_runs(ink, max(half.width * _RULE_FRACTION, 10))
    vertical = long_runs(ink.T, max(half.height * _RULE_FRACTION, 10)).T
    mask = Image.fromarray(((horizontal | vertical) * 255).astype(np.uint8), mode="L")
    mask = mask.resize(page.size, Image.Resampling.NEAREST)
    cleaned = page.convert("L").copy()
    cleaned.paste(255, mask=mask)
    return Ruled(cleaned, _cells(horizontal, vertical, scale=page.width / half.width))


_COVERED = 0.8  # share of a cell's side that its rule must draw (scans break rules)
_MIN_SIDE = 8  # half-size pixels: two rules closer than this are one thick rule


def _cells(
    horizontal: NDArray[np.bool_], vertical: NDArray[np.bool_], *, scale: float
) -> list[Box]:
    """The boxes closed by rules on all four sides: between two horizontal rules, each
    stretch between two vertical rules that both cross it, under a top and over a bottom
    rule that both run along it. Wrapped cell text is put back together in them."""
    rows = _bands(_any(horizontal, 1))
    walls = _bands(_any(vertical, 0))
    along = [_any(horizontal[a:b], 0) for a, b in rows]
    down = [_any(vertical[:, a:b], 1) for a, b in walls]
    cells: list[Box] = []
    for i in range(len(rows) - 1):
        top, bottom = rows[i][1], rows[i + 1][0]
        if bottom - top < _MIN_SIDE:
            continue
        crossing = [w for w, d in zip(walls, down, strict=True) if d[top:bottom].mean() >= _COVERED]
        for (_, left), (right, _) in pairwise(crossing):
            if right - left < _MIN_SIDE:
                continue
            if min(along[i][left:right].mean(), along[i + 1][left:right].mean()) >= _COVERED:
                cells.append((left * scale, top * scale, right * scale, bottom * scale))
    return cells


def _any(mask: NDArray[np.bool_], axis: int) -> NDArray[np.bool_]:
    return np.asarray(mask.any(axis=axis), dtype=np.bool_)


def _bands(filled: NDArray[np.bool_]) -> list[tuple[int, int]]:
    """Runs of True as (start, end) index pairs."""
    edges = np.diff(np.concatenate(([0], filled.astype(np.int8), [0])))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


def long_runs(ink: NDArray[np.bool_], length: float, *, thicken: bool = True) -> NDArray[np.bool_]:
    """Pixels on a run of at least ``length`` ink pixels along each row.

    A rule scanned slightly thick or tilted still has, on some row, a run
    that long; unless told not to, we also thicken the mask by one pixel up
    and down so the rule's fuzzy edges go with it.
    """
    size = int(length)
    width = ink.shape[1]
    if size >= width:
        return np.zeros_like(ink)
    summed = np.zeros((ink.shape[0], width + 1), dtype=np.int32)
    np.cumsum(ink, axis=1, out=summed[:, 1:])
    full = (summed[:, size:] - summed[:, :-size]) == size  # window starting at column j
    starts = np.zeros((ink.shape[0], width + 1), dtype=np.int32)
    starts[:, : full.shape[1]] += full
    starts[:, size : size + full.shape[1]] -= full
    mask = np.cumsum(starts, axis=1)[:, :width] > 0
    if not thicken:
        return mask
    mask[1:] |= mask[:-1].copy()
    mask[:-1] |= mask[1:].copy()
    return mask
