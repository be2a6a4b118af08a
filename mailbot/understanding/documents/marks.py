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

The same ink tells where a stamp may hide a value: unread ink where the date or the
signatory's name is typed, right of "Le" or "Par", leaves that value in doubt, read or not.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
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
_ABOVE = 1.5  # lines above the label's top where a mark beside it may begin
_REACH = 12.0  # lines under the signing label where a signature or a stamp may stand
_MIN_HEIGHT = 2.0  # lines: a signature or a stamp is at least this high ...
_MAX_HEIGHT = 15.0  # ... and a block of ink higher than this is the page's background
_MIN_WIDTH = 2.0  # lines: as wide as two letter heights at least
_MAX_WIDTH = 0.6  # share of the page's width: a background spreads over all of it
_FILL = (0.01, 0.5)  # share of the block's box that is ink: strokes, not a smudge


@dataclass(frozen=True, slots=True)
class Signing:
    """What ink no printed word is made of says about a scan's signing block."""

    marked: bool = False  # a signature or a stamp by the signing label
    # "signed_date", "signatory": lines whose value place holds ink no word was read
    # from (a stamp laid over the date, a scribble over the name): their values are doubted.
    covered: frozenset[str] = frozenset()


def read_signing(
    page: Image.Image, words: Sequence[Word], printed: Sequence[Word] | None = None
) -> Signing:
    """The signing block of ``page`` as its ink shows it. ``words`` are the words read
    on ``page``, in its pixels; ``printed`` those read with confidence (all by default):
    a scribble Tesseract read as a word, poorly, is still ink to look at."""
    lines = [w.height for w in words if len(w.text) > 2]
    if not lines:
        return Signing()
    line = float(median(lines))
    ink = np.asarray(page.convert("L")) < _INK
    width = ink.shape[1]
    left, right = int(width * _MARGIN), int(width * (1 - _MARGIN))
    unprinted = ink.copy()
    unprinted[:, :left] = False
    unprinted[:, right:] = False
    pad = _WORD_PAD * line
    for word in words if printed is None else printed:
        y0, y1 = max(int(word.top - pad), 0), max(int(word.bottom + pad) + 1, 0)
        x0, x1 = max(int(word.x0 - pad), 0), max(int(word.x1 + pad) + 1, 0)
        unprinted[y0:y1, x0:x1] = False
    return Signing(_marked(unprinted, words, line), _covered(unprinted, words, line))


def _marked(unprinted: NDArray[np.bool_], words: Sequence[Word], line: float) -> bool:
    found = _signing_block(words)
    if found is None:
        return False
    # A signature beside the label rises above it: the region opens a line and a half up.
    # A signature or a stamp sits by the label; the organisation's footer and its logo, at
    # the foot of the page, are left out.
    top = max(0, int(found[0] - _ABOVE * line))
    bottom = min(int(unprinted.shape[0] * (1 - _MARGIN)), int(top + (found[1] + _ABOVE) * line))
    if bottom - top < _MIN_HEIGHT * line:
        return False
    width = unprinted.shape[1]
    region = unprinted[top:bottom, int(width * _MARGIN) : int(width * (1 - _MARGIN))]
    for a, b in _blocks(region, line):
        if _shaped_like_a_mark(region[a:b], line):
            return True
        # A signature on the left and the stamp on the right, side by side: their rows
        # make one block as wide as a background. Each one alone has a mark's shape.
        for c, d in _side_by_side(region[a:b], line):
            piece = region[a:b, c:d]
            if any(
                _shaped_like_a_mark(piece[e:f], line, region.shape[1])
                for e, f in _blocks(piece, line)
            ):
                return True
    return False


# The "Le" and "Par (nom du signataire)" labels: the word that opens each line, and
# the words the label is made of (folded, as OCR reads them one by one).
_LINE_LABELS = {
    "signed_date": ("le", frozenset({"le", "le:", ":"})),
    "signatory": ("par", frozenset({"par", "par:", "(nom", "nom", "du", "signataire)",
                                    "signataire", ":", "signataire):"})),
}  # fmt: skip
# Lines: how far right of its label a typed date or name runs ("Le Directeur général,
# Jean-Pierre DUPONT-MARTIN"); a stamp further right, beside the lines, covers none.
_VALUE_WIDTH = 25.0
# Lines right of a value's last read word where a word hidden under ink would begin: a
# stamp that far from "Aurélie TRAN" hides none of its words.
_NEXT_WORD = 2.0
_COLUMN_GAP = 8.0  # lines of blank inside a row that part a value from the next column's words
_INDENT = 3.0  # lines right of its label's start where a value under it may begin
_UNDER = 2.5  # lines under its label where a value typed under it stands, at most
_COVERING_INK = 0.5  # share of a line's height squared: a few letters' worth of ink
_NOT_A_VALUE = frozenset({"signature", "signatures", "cachet", "fait", "le", "par", "date"})


def _covered(unprinted: NDArray[np.bool_], words: Sequence[Word], line: float) -> frozenset[str]:
    """Lines of the signing block ("Le", "Par (nom du signataire)") whose value place, right
    of the label or under it, holds ink no printed word is made of."""
    covered = set()
    for path, (opener, vocabulary) in _LINE_LABELS.items():
        for word in words:
            if fold(word.text).rstrip(":") != opener or _after_words(word, words):
                continue
            row = sorted((w for w in words if _same_row(w, word) and w.x0 > word.x0),
                         key=lambda w: w.x0)  # fmt: skip
            label_end = word.x1
            for w in row:  # the label's words, up to the first that is not one of them
                if fold(w.text) not in vocabulary or w.x0 - label_end > _NEXT_WORD * line:
                    break
                label_end = w.x1
            x0, x1 = int(label_end + 0.5 * line), int(label_end + _VALUE_WIDTH * line)
            value = _one_run([w for w in row if label_end < w.x0 <= x1], line)
            under = [] if value else _value_under(word, label_end, words, line)
            if value or under:
                # Read in its place, beside the label or on the row under it: only ink
                # touching the value may hide part of it.
                x1 = int(max(w.x1 for w in value or under) + _NEXT_WORD * line)
            zones = [(word, x0)] if not under else [(word, x0), (under[0], int(under[0].x0))]
            for anchor, start in zones:
                y0, y1 = int(anchor.top - 0.3 * line), int(anchor.bottom + 0.3 * line)
                zone = unprinted[max(y0, 0) : max(y1, 0), max(start, 0) : max(x1, 0)]
                if zone.sum() >= _COVERING_INK * line * line:
                    covered.add(path)
    return frozenset(covered)


def _value_under(label: Word, label_end: float, words: Sequence[Word], line: float) -> list[Word]:
    """The words of the row right under ``label`` that begin under it ("Par (nom du
    signataire)" over "P/le Président, Corinne DUFFAU"), left to right; none when that
    row is the block's next label or nothing is written there."""
    below = [w for w in words
             if label.bottom < w.middle <= label.bottom + _UNDER * line and w.x0 >= label.x0 - line]  # fmt: skip
    starts = [w for w in below if w.x0 <= max(label_end, label.x0 + _INDENT * line)]
    if not starts:
        return []
    first = min(starts, key=lambda w: w.top)
    row = _one_run([w for w in below if _same_row(w, first) and w.x0 >= first.x0], line)
    return [] if fold(row[0].text).rstrip(":") in _NOT_A_VALUE else row


def _one_run(row: Sequence[Word], line: float) -> list[Word]:
    """The words of ``row`` from its leftmost on, up to a blank as wide as a column's
    gap: a value, and not the stamp's words in the next column."""
    run: list[Word] = []
    for word in sorted(row, key=lambda w: w.x0):
        if run and word.x0 - run[-1].x1 > _COLUMN_GAP * line:
            break
        run.append(word)
    return run


def _same_row(one: Word, other: Word) -> bool:
    middle = (one.top + one.bottom) / 2
    return other.top <= middle <= other.bottom


def _after_words(word: Word, words: Sequence[Word]) -> bool:
    """``word`` is not the first of its line ("… par courriel", "Fait à Paris le …")."""
    return any(_same_row(other, word) and other.x1 <= word.x0 for other in words)


def _signing_block(words: Sequence[Word]) -> tuple[int, float] | None:
    """Where marks are looked for (the first row, and how many lines down): from the
    signing label, or, when a stamp laid over it kept Tesseract from reading it, from
    under the block's first line ("Fait à …"), the lines between being read words or
    ink no taller than a line."""
    labels = [w for w in words if _LABEL.match(fold(w.text))]
    if labels:
        return int(max(w.top for w in labels)), _REACH
    made = [w for w in words if fold(w.text) == "fait"]
    return (int(max(w.bottom for w in made)) + 1, _REACH + 3) if made else None


def _blocks(region: NDArray[np.bool_], line: float) -> list[tuple[int, int]]:
    """(first, last + 1) rows of each run of inked rows, short blanks bridged."""
    inked = np.flatnonzero(region.sum(axis=1) >= _ROW_INK)
    if inked.size == 0:
        return []
    breaks = np.flatnonzero(np.diff(inked) > max(2.0, _GAP * line))
    starts = [inked[0], *inked[breaks + 1]]
    ends = [*inked[breaks], inked[-1]]
    return [(int(a), int(b) + 1) for a, b in zip(starts, ends, strict=True)]


def _side_by_side(block: NDArray[np.bool_], line: float) -> list[tuple[int, int]]:
    """(first, last + 1) columns of each part of ``block`` that a blank as wide as a mark's
    smallest width parts from the others; none when the block is all of a piece."""
    inked = np.flatnonzero(block.any(axis=0))
    if inked.size == 0:
        return []
    breaks = np.flatnonzero(np.diff(inked) > _MIN_WIDTH * line)
    if breaks.size == 0:
        return []
    starts = [inked[0], *inked[breaks + 1]]
    ends = [*inked[breaks], inked[-1]]
    return [(int(a), int(b) + 1) for a, b in zip(starts, ends, strict=True)]


def _shaped_like_a_mark(block: NDArray[np.bool_], line: float, across: int = 0) -> bool:
    """Whether ``block`` has a signature's or a stamp's shape; ``across`` is the width of
    the region it was cut from (its own width by default)."""
    rows = block.shape[0]
    if not _MIN_HEIGHT * line <= rows <= _MAX_HEIGHT * line:
        return False
    columns = np.flatnonzero(block.any(axis=0))
    span = int(columns[-1] - columns[0] + 1)
    if not _MIN_WIDTH * line <= span <= _MAX_WIDTH * (across or block.shape[1]):
        return False
    fill = block.sum() / (rows * span)
    return bool(_FILL[0] <= fill <= _FILL[1])
