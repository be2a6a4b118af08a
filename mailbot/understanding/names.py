"""People's names: civilities, "Prénom NOM" / "NOM Prénom" splitting."""

from __future__ import annotations

import re

from mailbot.understanding.dates import fold

_CIVILITIES = {
    "m": "M.", "mr": "M.", "monsieur": "M.", "mon": "M.", "mm": "M.",
    "mme": "Mme", "madame": "Mme", "mde": "Mme", "mlle": "Mlle", "melle": "Melle",
    "mademoiselle": "Mlle",
}  # fmt: skip
_CIVILITY_AT_START = re.compile(
    r"^\s*(monsieur|madame|mademoiselle|mme|mlle|melle|mr|m)\b\.?\s*", re.IGNORECASE
)


def parse_civility(text: str | None) -> str | None:
    """Canonical civility ("M.", "Mme"; "Mlle"/"Melle" kept) or None."""
    if not text:
        return None
    key = re.sub(r"[^a-z]", "", fold(text))
    return _CIVILITIES.get(key)


def split_civility(text: str) -> tuple[str | None, str]:
    """("Mme", "Anne ROUX") from "Mme Anne ROUX"; (None, text) when none leads."""
    match = _CIVILITY_AT_START.match(text)
    if match is None:
        return None, text.strip()
    rest = text[match.end() :].strip()
    if not rest:
        return parse_civility(match.group(1)), ""
    return parse_civility(match.group(1)), rest


# Words that open a family name ("LE BRIS", "de La Fontaine"), never a first name alone.
PARTICLES = frozenset(
    {"de", "du", "des", "le", "la", "les", "van", "von", "der", "den", "da", "di", "dos", "el", "y"}
)


def is_upper_word(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def split_full_name(text: str) -> tuple[str | None, str | None]:
    """(first, last) from one cell: capitals mark the family name, wherever it stands."""
    words = text.split()
    if not words:
        return None, None
    if len(words) == 1:
        return None, words[0]
    upper = [is_upper_word(w) for w in words]
    if any(upper) and not all(upper):
        if upper[0]:
            cut = upper.index(False)
            return " ".join(words[cut:]), " ".join(words[:cut])
        cut = upper.index(True)
        if all(upper[cut:]):
            return " ".join(words[:cut]), " ".join(words[cut:])
    # No capitals to go by: French usage puts the first name first, unless the name opens
    # on a particle ("LE BRIS"): that is a family name alone, its first name left blank.
    if words[0].lower() in PARTICLES or words[0].lower().startswith(("d'", "d’")):
        return None, text.strip()
    return words[0], " ".join(words[1:])


def clean_value(text: str | None) -> str | None:
    """Stripped text, None for blanks and placeholder dots/underscores."""
    if text is None:
        return None
    # "|" at either end is a table rule an OCR or a text layer read as a character.
    cleaned = text.strip().strip("\u00a0").strip(" \t|¦│")
    # A box's or a rule's edge read as a bracket: "[La Rochelle", "Pau]".
    if cleaned.startswith("[") and "]" not in cleaned:
        cleaned = cleaned[1:].strip()
    if cleaned.endswith("]") and "[" not in cleaned:
        cleaned = cleaned[:-1].strip()
    if not cleaned or re.fullmatch(r"[\s._\-…:/]*", cleaned):
        return None
    # "____01 73 62 78 07", "……… Département de…": the dotted line the value was
    # typed on or after, read with it.
    cleaned = _LEADERS.sub("", cleaned).strip()
    # "Bordeaux {", "financière .": a speck or a box's corner read as a sign of its own.
    return _STRAY_SIGNS.sub("", cleaned) or cleaned


# Two leader signs or more (OCR mixes "." and "…"), or one "…" or "_".
_LEADERS = re.compile(
    r"^(?:[._…]\s?){2,}[\s._…]*|^[…_][\s._…]*|[\s._…]*(?:\s?[._…]){2,}$|[\s._…]*[…_]$"
)
_STRAY_SIGNS = re.compile(r"^[{}()\[\]|.,;:'`~«»\-]+\s+|\s+[{}()\[\]|.,;:'`~«»\-]+$")
