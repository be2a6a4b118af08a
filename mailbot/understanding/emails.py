"""E-mail addresses: find them, judge their syntax (no DNS), repair OCR slips only when unambiguous."""

from __future__ import annotations

import re
from functools import lru_cache

from email_validator import EmailNotValidError, validate_email

EMAIL_RE = re.compile(r"[\w.+'\-]+(?:\s?\.\s?[\w+\-]+)*\s?@\s?[\w\-]+(?:\.[\w\-]+)+", re.UNICODE)
_STRICT_RE = re.compile(r"[\w.+'\-]+@[\w\-]+(?:\.[\w\-]+)+")


@lru_cache(maxsize=4096)
def is_valid(address: str | None) -> bool:
    """Syntax only (email-validator rules), never a network check."""
    if not address:
        return False
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def find_emails(text: str) -> list[str]:
    """Addresses written in ``text`` (strict: no spaces inside)."""
    return [m.group(0).strip(".") for m in _STRICT_RE.finditer(text)]


def looks_like_email(text: str) -> bool:
    return "@" in text and " " not in text.strip()


def repair_ocr(address: str) -> tuple[str, bool]:
    """(address, repaired?) — fixes only slips with a single reading (spaces, "©" for "@")."""
    candidate = address.strip()
    fixed = re.sub(r"\s+", "", candidate).replace("©", "@").replace("(at)", "@")
    fixed = fixed.rstrip(".,;")
    if fixed != candidate and is_valid(fixed) and fixed.count("@") == 1:
        return fixed, True
    return candidate, False
