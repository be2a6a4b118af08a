"""The pen-written count and total of IPP's formula line, read as digits and checked against each other.

The line reads "nombre de participants ( n ) x 635 euros = total euros", the
price printed and n and the total filled by hand. On a full page Tesseract
takes a pen "1" for "|" and a "2" for "9"; read alone with only digits
allowed, each blank gives a few candidates, and the printed price tells
which count goes with which total: a pair where total = n x price is what
was written, barring a slip of the writer, which then stays as read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from mailbot.understanding.amounts import parse_amount
from mailbot.understanding.dates import fold
from mailbot.understanding.documents import candidates, zones
from mailbot.understanding.documents.lines import Word
from mailbot.understanding.documents.zones import Box

_COUNT_CHARS = "0123456789()"  # the printed brackets stay in the zone: let them be read as such
_TOTAL_CHARS = "0123456789,."


@dataclass(frozen=True, slots=True)
class Formula:
    count: Box  # where the count is written, brackets left out
    brackets: Box  # the count with its printed brackets: what the written count replaces
    total: Box
    price: Decimal | None  # the printed unit price, when read
    top: float  # of the printed words: the values are put back on their line
    bottom: float


def locate(rows: list[list[Word]], width: float) -> Formula | None:
    """The formula line's two blanks: between "participants" and "x", between "=" and "euros"."""
    for row in rows:
        texts = [fold(word.text) for word in row]
        start = next((i for i, t in enumerate(texts) if t.startswith("participant")), None)
        if start is None:
            continue
        times = next((i for i in range(start + 1, len(row)) if texts[i] in ("x", "×")), None)
        if times is None:
            continue
        equals = next((i for i in range(times + 1, len(row)) if texts[i].endswith("=")), None)
        if equals is None:
            continue
        price = parse_amount(" ".join(texts[times + 1 : equals]))
        tail = [i for i in range(equals + 1, len(row)) if texts[i].startswith(("euro", "€"))]
        anchor = row[start]
        size = anchor.height
        top, bottom = anchor.top - size, anchor.bottom + size
        # The printed brackets stay out of the blank when read apart: a pen "1" is a bare
        # stroke, and next to a bracket Tesseract takes it for part of "()".
        opening = [row[i] for i in range(start + 1, times) if texts[i] == "("]
        closing = [row[i] for i in range(start + 1, times) if texts[i].startswith(")")]
        left = opening[0].x1 if opening else anchor.x1 + size * 0.2
        count = Box(left, top, closing[-1].x0 if closing else row[times].x0 - size * 0.1, bottom)
        right = row[tail[-1]].x0 - size * 0.2 if tail else width * 0.97
        total = Box(row[equals].x1 + size * 0.2, top, right, bottom)
        brackets = Box(anchor.x1 + size * 0.2, top, row[times].x0 - size * 0.1, bottom)
        return Formula(count, brackets, total, price, anchor.top, anchor.bottom)
    return None


def requests(formula: Formula) -> list[zones.Request]:
    """The count read twice (digits only, and free for a bare stroke), then the total."""
    return [
        zones.Request(formula.count, 7, _COUNT_CHARS),
        zones.Request(formula.count, 7),
        zones.Request(formula.total, 7, _TOTAL_CHARS),
    ]


def read(
    formula: Formula, readings: list[list[zones.Reading]], rows: int
) -> tuple[list[Word], list[Box]]:
    """The words to put on the line, and the zones whose page words they replace.

    ``rows`` is the number of participants read in the table: when no count
    read agrees with a total read, a total that is ``rows`` times the price
    tells that the count, not the total, was misread.
    """
    counts = [n for n in (_count(r.text) for r in readings[0]) if n is not None]
    counts += [n for n in (_count(_as_digits(r.text)) for r in readings[1]) if n is not None]
    totals = [t for t in (parse_amount(r.text) for r in readings[2]) if t is not None and t > 0]
    count, total = _pair(counts, totals, formula.price, rows)
    words: list[Word] = []
    cleared: list[Box] = []
    if count is not None:
        box = formula.brackets
        words.append(Word(f"( {count} )", box.left, box.right, formula.top, formula.bottom))
        cleared.append(box)
    if total is not None:
        box = formula.total
        amount = f"{total:.2f}".replace(".", ",")
        words.append(Word(amount, box.left, box.right, formula.top, formula.bottom))
        cleared.append(box)
    return words, cleared


# A digit's pen strokes as Tesseract names them when it may use letters.
_LOOKALIKES = str.maketrans(
    {"|": "1", "l": "1", "I": "1", "!": "1", "]": "1", "[": "1", "O": "0", "o": "0"}
)


def _as_digits(text: str) -> str:
    """A free reading of a number blank in digits: only a reading made of lookalikes counts."""
    # Quotes, commas and dots in a short blank are dust on the scan, not writing.
    digits = re.sub(r"[\s'‘’`\",.]", "", text).translate(_LOOKALIKES)
    return digits if digits.isdigit() else ""


def _count(text: str) -> int | None:
    digits = re.sub(r"\D", "", text)
    return int(digits) if digits and 0 < int(digits) < 1000 else None


def _pair(
    counts: list[int], totals: list[Decimal], price: Decimal | None, rows: int
) -> tuple[int | None, Decimal | None]:
    """The count and total that agree with the price, else each the most common reading."""
    if price is not None:
        for count in sorted(set(counts), key=counts.count, reverse=True):
            if count * price in totals:
                return count, count * price
        if rows and rows * price in totals:
            return rows, rows * price
    return (
        candidates.most_common(counts) if counts else None,
        candidates.most_common(totals) if totals else None,
    )
