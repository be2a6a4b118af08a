"""Accents OCR may have dropped from words in capitals.

On a poor scan the acute accent of a capital ("PEYRÉ", "LÉGER") is a few
pixels sitting just under the table rule above the cell: the dust filter
erodes it, the rule eraser takes it with the rule, and Tesseract reads
"PEYRE" with a high confidence. A name spelt wrong on an invoice or a
certificate is a wrong answer sent without a human, so a word in capitals
read without an accent while ink sits just above one of its letters is
reported as unsure. The page looked at is the one before cleaning.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
from numpy.typing import NDArray
from PIL import Image

from mailbot.understanding.documents.lines import Word

_INK = 150  # grey level under which a pixel is ink, after autocontrast
_CAPITALS = re.compile(r"[A-ZÀ-ÖØ-Þ'’-]*[AEIOUY][A-ZÀ-ÖØ-Þ'’-]*")
_INITIAL = re.compile(
    r"[AEIOU][a-zà-ÿ'’-]+"
)  # "Elodie" for "Élodie": only its initial can carry it
_ACCENTED = re.compile(r"[À-ÖØ-Þà-öø-þ]")
_ABOVE = 0.6  # how far above the capitals' top an accent reaches, in letter heights
_RULE_SHARE = 0.85  # a row this inked along and beside the word is a table rule (text: < 0.7)
_MARK_SHARE = 0.005  # ink, as a share of the letter height squared, that makes a mark
_GAP = 0.3  # an accent starts this close over the capitals, in letter heights
_TALL = 0.4  # and is no taller than this
_INITIAL_WIDTH = 0.5  # of a capital initial, in word-box heights
_WIDE = 0.6  # marks over one word span at most this share of it (or one letter height)


def missed_accents(plain: Image.Image, words: Iterable[Word]) -> set[str]:
    """Texts of the words in capitals read bare while a mark sits over them."""
    ink = np.asarray(plain.convert("L")) < _INK
    found = set()
    for word in words:
        text = word.text.strip('.,;:()«»"')
        if len(text) < 2 or _ACCENTED.search(text):
            continue
        if _CAPITALS.fullmatch(text):
            right = word.x1
        elif _INITIAL.fullmatch(text):
            # Lower-case ascenders may rise over the capitals: look over the initial alone.
            right = word.x0 + _INITIAL_WIDTH * (word.bottom - word.top)
        else:
            continue
        if _marked_above(ink, word, right):
            found.add(word.text)
    return found


def _marked_above(ink: NDArray[np.bool_], word: Word, right: float) -> bool:
    """Whether a small mark, apart from anything higher, sits just over the word.

    The mark must start close to the letters' top, end before the strip does
    (a blank row over it), and be narrow: the bottoms of a line of text set
    tight above are as close but spread along the whole word.
    """
    height = word.bottom - word.top
    top, x0, x1 = int(word.top), max(0, int(word.x0)), int(right) + 1
    first = max(0, int(word.top - _ABOVE * height))
    if top - first < 3 or x1 - x0 < 2:
        return False
    margin = int(4 * height)
    wide = ink[first:top, max(0, x0 - margin) : x1 + margin]
    region = ink[first:top, x0:x1].copy()
    rule = wide.mean(axis=1) > _RULE_SHARE
    # The rule's fuzzy edges are ink too; an accent touching it keeps its lower part.
    rule[1:] |= rule[:-1].copy()
    rule[:-1] |= rule[1:].copy()
    if rule.any():
        region[: np.flatnonzero(rule).max() + 1] = False  # above the rule: another cell
    inked: NDArray[np.bool_] = np.asarray(region.any(axis=1))[::-1]  # upward from the letters
    gap = int(np.argmax(inked)) if inked.any() else len(inked)
    if gap > _GAP * height:
        return False
    run = int(np.argmin(inked[gap:])) if not inked[gap:].all() else len(inked) - gap
    if gap + run >= len(inked) or run > _TALL * height:
        return False  # reaches the strip's top: the foot of something above, no accent
    if run < 2:
        return False  # one row of specks: the letters' own blurred tops, or dust
    mark = region[len(inked) - gap - run : len(inked) - gap]
    columns = np.flatnonzero(mark.any(axis=0))
    if columns.size == 0 or columns[-1] - columns[0] > max(_WIDE * (x1 - x0), height):
        return False
    return int(mark.sum()) >= max(3, _MARK_SHARE * height * height)
