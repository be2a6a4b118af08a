"""Amounts as French forms write them: "1 905,00 €", "1905 euros", "1.905,00", "635.00"."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from mailbot.understanding.dates import fold

_NUMBER = re.compile(
    # "2,500.00": an English-locale spreadsheet's display; "1,500" alone is ambiguous,
    # but beside the euro sign ("€1,905", "1,250 EUR") three decimals of a euro are not
    # written, so it is English thousands. Then the French forms.
    r"\d{1,3}(?:,\d{3})+\.\d{2}(?!\d)"
    r"|(?:(?<=€)|(?<=€[ \u00a0]))\d{1,3}(?:,\d{3})+(?![\d.,])"
    r"|\d{1,3}(?:,\d{3})+(?=[ \u00a0]?(?:€|(?i:eur)))"
    r"|\d{1,3}(?:[ \u00a0\u202f.']\d{3})+(?:,\d{1,2})?|\d+(?:[.,]\d{1,2})?"
)


def parse_amount(text: str) -> Decimal | None:
    """The first amount in ``text`` (thousands separators and decimal comma understood)."""
    match = _NUMBER.search(text)
    if match is None:
        return None
    return _to_decimal(match.group(0))


def all_amounts(text: str) -> list[Decimal]:
    values = (_to_decimal(m.group(0)) for m in _NUMBER.finditer(text))
    return [v for v in values if v is not None]


def _to_decimal(raw: str) -> Decimal | None:
    cleaned = re.sub(r"[ \u00a0\u202f']", "", raw)
    if "," in cleaned and "." in cleaned and cleaned.rindex(".") > cleaned.rindex(","):
        cleaned = cleaned.replace(",", "")
    elif re.fullmatch(r"\d{1,3}(?:,\d{3})+", cleaned):
        cleaned = cleaned.replace(",", "")  # "€1,905", "1,250 EUR": English thousands
    elif "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(?:\.\d{3})+", cleaned):
        cleaned = cleaned.replace(".", "")  # "1.905" is thousands, not decimals
    try:
        return Decimal(cleaned).quantize(Decimal("0.01"))
    except InvalidOperation:
        return None


# French cardinals as a cheque spells them: "mille neuf cent cinq", "quatre-vingt-dix".
_UNITS = {
    "zero": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6,
    "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13,
    "quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20, "vingts": 20, "trente": 30,
    "quarante": 40, "cinquante": 50, "soixante": 60,
}  # fmt: skip
_WORD_AMOUNT_NOISE = frozenset({"et", "euro", "euros", "eur", "ttc", "net", "nets", "ht"})


def words_amount(text: str) -> Decimal | None:
    """A whole amount written in French words ("mille neuf cent cinq euros"); None unless
    every word of ``text`` is part of it (a currency word aside)."""
    words = [w for w in re.split(r"[\s\-().,€]+", fold(text)) if w]
    total = current = 0
    seen = False
    for word in words:
        if word in _WORD_AMOUNT_NOISE:
            continue
        seen = True
        if word in ("vingt", "vingts") and current % 100 == 4:
            current += 76  # "quatre-vingt": four twenties
        elif word in _UNITS:
            current += _UNITS[word]
        elif word in ("cent", "cents"):
            current = (current or 1) * 100
        elif word == "mille":
            total += (current or 1) * 1000
            current = 0
        else:
            return None
    return Decimal(total + current).quantize(Decimal("0.01")) if seen else None


_NUMBER_WORD = r"(?:" + "|".join([*_UNITS, "cents?", "mille", "et"]) + r")"
_SPELLED_RUN = re.compile(
    rf"(?<![\w-]){_NUMBER_WORD}(?:[\s-]+{_NUMBER_WORD})*[\s-]+euros?\b", re.IGNORECASE
)
_SPELLED_FLOOR = Decimal(100)  # "deux euros de frais postaux" is no amount of ours


def spelled_amounts(text: str) -> list[Decimal]:
    """The amounts of a hundred euros or more written in words anywhere in ``text``:
    "Arrêté à la somme de : mille deux cent soixante-dix euros", as an accountant writes."""
    found = (words_amount(match.group()) for match in _SPELLED_RUN.finditer(fold(text)))
    return [amount for amount in found if amount is not None and amount >= _SPELLED_FLOOR]


# The cardinals a count is written with, "un" to "douze": a larger count is in figures.
_NUMBER_WORDS = {word: number for word, number in _UNITS.items() if 1 <= number <= 12}
# The people a count counts, as a sentence names them ("soit 3 personnes", "2 agents").
PEOPLE_WORDS = r"(?:participant|personne|agent|inscrit|stagiaire|salari|collaborat|professionnel)"
# A count as a form's writer puts it: digits, or a number word ("deux", as on a cheque).
COUNT = rf"\d{{1,3}}|(?:{'|'.join(_NUMBER_WORDS)})\b"


def count_value(token: str) -> int:
    """The value of a token matched by ``COUNT``."""
    return int(token) if token.isdigit() else _NUMBER_WORDS[token.lower()]


def parse_count(text: str) -> int | None:
    """A small whole number (a participant count); None if the text holds none."""
    match = re.search(rf"\b(?:{COUNT})\b", text, re.IGNORECASE)
    return None if match is None else count_value(match.group(0))
