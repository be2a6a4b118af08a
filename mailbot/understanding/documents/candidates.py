"""Which of a pen zone's readings to believe: the one that passes its field's check, else a vote.

Each zone comes back from ``zones.py`` read in several cleanings, and
Tesseract's misreadings of handwriting differ from one cleaning to the next
("93 octobre 2026", "23 ectsbre 2026"). A value that must have a shape (a
date that exists, a phone number of ten digits, an e-mail address) is taken
from the readings that have it; other text is voted word by word, so a word
that most cleanings agree on wins over one cleaning's slip. Nothing here makes
a value up: every character comes from some reading.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import Counter
from collections.abc import Callable, Sequence
from typing import TypeVar

from mailbot.understanding.amounts import parse_amount
from mailbot.understanding.dates import MONTHS, find_dates, fold
from mailbot.understanding.documents.zones import Reading
from mailbot.understanding.emails import is_valid

_ALNUM = re.compile(r"\w")
_MONTH_NAMES = tuple(name for name in MONTHS if len(name) >= 4)
_T = TypeVar("_T")


def meaningful(reading: Reading) -> list[str]:
    """The reading's lines that hold writing: "pi," is a signature stroke read as text."""
    return [line.text for line in reading.lines if len(_ALNUM.findall(line.text)) >= 3]


def vote(readings: Sequence[Reading]) -> list[str]:
    """The lines most readings agree on, each voted word by word.

    The number of lines, then each line's number of words, is the most
    common among the readings; at each place the most common word wins.
    Ties go to the earlier reading (the cleaning listed first).
    """
    texts = [meaningful(reading) for reading in readings]
    if not texts:
        return []
    count = most_common([len(lines) for lines in texts])
    agreeing = [lines for lines in texts if len(lines) == count]
    return [vote_line([lines[i] for lines in agreeing]) for i in range(count)]


def vote_line(lines: list[str]) -> str:
    if not lines:
        return ""
    split = [line.split() for line in lines]
    size = most_common([len(words) for words in split])
    agreeing = [words for words in split if len(words) == size]
    return " ".join(most_common([words[i] for words in agreeing]) for i in range(size))


def most_common(values: list[_T]) -> _T:
    counts = Counter(values)
    best = max(counts.values())
    return next(value for value in values if counts[value] == best)


def first_valid(readings: Sequence[Reading], check: Callable[[str], str | None]) -> str | None:
    """The value most readings give that passes ``check`` (which returns it tidied), or None."""
    values = [check(" ".join(meaningful(reading))) for reading in readings]
    valid = [value for value in values if value is not None]
    return most_common(valid) if valid else None


# ---------------------------------------------------------------- checks


def email(text: str) -> str | None:
    joined = re.sub(r"\s+", "", text).strip(".,;|")
    return joined if joined.count("@") == 1 and is_valid(joined) else None


def phone(text: str) -> str | None:
    """A French number: ten digits from 0, or +33 and nine; kept as written."""
    digits = re.sub(r"\D", "", text)
    national = len(digits) == 10 and digits.startswith("0")
    international = text.lstrip().startswith("+") and len(digits) == 11 and digits.startswith("33")
    return text.strip(" .,;|") if national or international else None


def date(text: str) -> str | None:
    """Text holding a complete date that exists, month names mended ("ectobre" -> "octobre")."""
    mended = " ".join(_month(word) for word in text.split())
    for mention in find_dates(mended, 2000):
        if mention.date is not None and mention.year_written and _plausible(mention.date):
            return mended
    return None


def _month(word: str) -> str:
    folded = fold(word)
    if len(folded) < 5 or not folded.isalpha() or folded in MONTHS:
        return word
    close = difflib.get_close_matches(folded, _MONTH_NAMES, n=1, cutoff=0.7)
    return close[0] if close else word


def _plausible(day: dt.date) -> bool:
    return 2000 <= day.year <= 2099


def amount(text: str) -> str | None:
    value = parse_amount(text)
    return text.strip() if value is not None and value > 0 else None
