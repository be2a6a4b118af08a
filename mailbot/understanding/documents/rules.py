"""Erase the ruled lines of a form's tables before OCR.

Tesseract reads the text of a bordered cell badly, or not at all, when the
border runs a few pixels from the letters; forms are mostly bordered cells.
A pixel on a horizontal (vertical) ink run longer than any letter stroke is
a rule, and becomes paper.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from PIL import Image

_INK = 150  # grey level under which a pixel is ink, after autocontrast
_RULE_FRACTION = 1 / 25  # a run this long (relative to the page side) is no letter


def erase_rules(page: Image.Image) -> Image.Image:
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
    return cleaned


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
