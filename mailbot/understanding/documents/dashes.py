"""Which dash a scanned dash between two words is: a hyphen, an en dash or an em dash.

Word turns " - " typed between two words into " – ", so "Fédération – Pôle
enfance" is a common way to write a name; Tesseract reads that en dash as a
hyphen, and a name with the wrong dash is a wrong value on an invoice. The
dash's length against the height of the line's capitals tells them apart. On
DejaVu Sans, Serif and Sans Bold rendered at 150 and 300 dpi, and by the
metrics of Arial, Times and Calibri: a hyphen is 0.35-0.44 of a capital's
height, an en dash 0.55-0.8, an em dash 1.2 and over. A dash measured between
those bands is reported unsure, for a person to read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from statistics import median

from mailbot.understanding.documents.lines import Word

HYPHEN, EN_DASH, EM_DASH = "-", "–", "—"
_DASHES = frozenset({HYPHEN, EN_DASH, EM_DASH, "‒", "―", "−"})
_HYPHEN_UP_TO = 0.47
_EN_DASH_BAND = (0.51, 0.95)
_EM_DASH_FROM = 1.05
# Words whose box is the capitals' height: a capital, a digit or a tall letter, and
# nothing hanging under the line or standing over a capital.
_CAPITAL_HIGH = re.compile(r"[A-Za-z0-9éèêëàâîïôûùüç'’.:]{2,}")
_REACHES_UP = re.compile(r"[A-Z0-9bdfhklt]")
_HANGS = re.compile(r"[gjpqyQJ]")
_LETTER = re.compile(r"[^\W\d_]")
_NEAR = 3.0  # a neighbour's gap to the dash, in capital heights


def settle(words: Sequence[Word]) -> tuple[list[Word], set[str]]:
    """``words`` with each dash standing between two words given the character its
    length says, and the dashes whose length says neither (to be doubted)."""
    settled = list(words)
    unsure: set[str] = set()
    for i, word in enumerate(words):
        if word.text not in _DASHES:
            continue
        row = [w for w in words if w is not word and w.top <= word.middle <= w.bottom]
        left = [w for w in row if w.x1 <= word.x0]
        right = [w for w in row if w.x0 >= word.x1]
        heights = [w.bottom - w.top for w in row if _is_capital_high(w.text)]
        if not (left and right and heights):
            continue
        height = median(heights)
        before = max(left, key=lambda w: w.x1)
        after = min(right, key=lambda w: w.x0)
        if not (_LETTER.search(before.text) and _LETTER.search(after.text)):
            continue  # "9h30 - 12h45", "05 - 56": times and numbers, no name
        if word.x0 - before.x1 > _NEAR * height or after.x0 - word.x1 > _NEAR * height:
            continue
        dash = _dash_of((word.x1 - word.x0) / height)
        if dash is None:
            unsure.add(word.text)
        else:
            settled[i] = replace(word, text=dash)
    return settled, unsure


def _is_capital_high(text: str) -> bool:
    return bool(
        _CAPITAL_HIGH.fullmatch(text) and _REACHES_UP.search(text) and not _HANGS.search(text)
    )


def _dash_of(length: float) -> str | None:
    if length <= _HYPHEN_UP_TO:
        return HYPHEN
    if _EN_DASH_BAND[0] <= length <= _EN_DASH_BAND[1]:
        return EN_DASH
    if length >= _EM_DASH_FROM:
        return EM_DASH
    return None
