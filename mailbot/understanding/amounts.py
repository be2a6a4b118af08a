"""Amounts as French forms write them: "1 905,00 €", "1905 euros", "1.905,00", "635.00"."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_NUMBER = re.compile(r"\d{1,3}(?:[ \u00a0\u202f.']\d{3})+(?:,\d{1,2})?|\d+(?:[.,]\d{1,2})?")


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
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(?:\.\d{3})+", cleaned):
        cleaned = cleaned.replace(".", "")  # "1.905" is thousands, not decimals
    try:
        return Decimal(cleaned).quantize(Decimal("0.01"))
    except InvalidOperation:
        return None


def parse_count(text: str) -> int | None:
    """A small whole number (a participant count); None if the text holds none."""
    match = re.search(r"\b\d{1,3}\b", text)
    return None if match is None else int(match.group(0))
