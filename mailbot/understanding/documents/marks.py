"""A signature or a stamp on a scanned form: ink around "Signature et cachet" that no word
Tesseract read is made of.

The form counts as signed when it names its signatory ("Par") *or* carries a signature
or a stamp. A typed form signed by hand and scanned often leaves "Par" empty: the
stamp and the scribble are then the only signs, and they are pictures, not words.

A mark is told from what else a page holds by its shape. Letters Tesseract did not
read are one line high; a stamp or a signature is a block of ink several lines high,
unbroken from top to bottom, and narrower than the page. Dust is gone before
(``dust.py``), rules are erased (``rules.py``), and a grey or dithered background
spreads ink over the whole width: none of them makes such a block.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from statistics import median

import numpy as np
from numpy.typing import NDArray
from PIL import Image

from mailbot.understanding.dates import fold
from mailbot.understanding.documents.lines import Word

_INK = 128  # grey level under which a pixel is ink (the page is cleaned already)
_LABEL = re.compile(r"^(?:signature|cachet)s?\W*$")
_MARGIN = 0.04  # share of the page's side left out at its edges: scanner shadows live there
_WORD_PAD = 0.25  # a word's box is grown by this share of a line's height before it is masked
_ROW_INK = 2  # pixels of ink that make a row of the block inked
_GAP = 0.15  # a blank this share of a line high still belongs to the same mark
_MIN_HEIGHT = 2.0  # lines: a signature or a stamp is at least this high ...
_MAX_HEIGHT = 15.0  # ... and a block of ink higher than this is the page's background
_MIN_WIDTH = 2.0  # lines: as wide as two letter heights at least
_MAX_WIDTH = 0.6  # share of the page's width: a background spreads over all of it
_FILL = (0.01, 0.5)  # share of the block's box that is ink: strokes, not a smudge


def signing_mark(page: Image.Image, words: Sequence[Word]) -> bool:
    """Whether ink that is no word stands from the signing label ("Signature et cachet")
    down to the foot of ``page``, shaped like a signature or a stamp. ``words`` are the
    words read on ``page``, in its pixels."""
    labels = [w for w in words if _LABEL.match(fold(w.text))]
    lines = [w.height for w in words if len(w.text) > 2]
    if not labels or not lines:
        return False
    line = float(median(lines))
    ink = np.asarray(page.convert("L")) < _INK
    height, width = ink.shape
    left, right = int(width * _MARGIN), int(width * (1 - _MARGIN))
    top, bottom = int(max(w.top for w in labels)), int(height * (1 - _MARGIN))
    if bottom - top < _MIN_HEIGHT * line:
        return False
    region = ink[top:bottom, left:right].copy()
    pad = _WORD_PAD * line
    for word in words:
        y0, y1 = int(word.top - pad) - top, int(word.bottom + pad) - top + 1
        x0, x1 = int(word.x0 - pad) - left, int(word.x1 + pad) - left + 1
        if y1 > 0 and x1 > 0:
            region[max(y0, 0) : max(y1, 0), max(x0, 0) : max(x1, 0)] = False
    return any(_shaped_like_a_mark(region[a:b], line) for a, b in _blocks(region, line))


def _blocks(region: NDArray[np.bool_], line: float) -> list[tuple[int, int]]:
    """(first, last + 1) rows of each run of inked rows, short blanks bridged."""
    inked = np.flatnonzero(region.sum(axis=1) >= _ROW_INK)
    if inked.size == 0:
        return []
    breaks = np.flatnonzero(np.diff(inked) > max(2.0, _GAP * line))
    starts = [inked[0], *inked[breaks + 1]]
    ends = [*inked[breaks], inked[-1]]
    return [(int(a), int(b) + 1) for a, b in zip(starts, ends, strict=True)]


def _shaped_like_a_mark(block: NDArray[np.bool_], line: float) -> bool:
    rows = block.shape[0]
    if not _MIN_HEIGHT * line <= rows <= _MAX_HEIGHT * line:
        return False
    columns = np.flatnonzero(block.any(axis=0))
    span = int(columns[-1] - columns[0] + 1)
    if not _MIN_WIDTH * line <= span <= _MAX_WIDTH * block.shape[1]:
        return False
    fill = block.sum() / (rows * span)
    return bool(_FILL[0] <= fill <= _FILL[1])
