"""Pure understanding of one mail: bytes + catalog -> ``Understanding``. Never raises."""

from __future__ import annotations

from mailbot.catalog import Catalog
from mailbot.understanding.model import Decision, Kind, Understanding
from mailbot.understanding.validation import validate

__all__ = ["Decision", "Kind", "Understanding", "understand", "validate"]


def understand(raw: bytes, catalog: Catalog) -> Understanding:
    """What ``raw`` is and what it says; an internal error becomes a review, never an exception."""
    from mailbot.understanding.reading import read_mail

    try:
        return validate(read_mail(raw, catalog), catalog)
    except Exception as error:
        return Understanding(
            kind=Kind.OTHER,
            decision=Decision.REVIEW,
            reasons=(f"parser_error_{type(error).__name__.lower()}"[:60],),
        )
