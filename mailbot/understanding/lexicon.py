"""Pen-written readings set right by what the same mail spells in type.

OCR reads handwriting with letters swapped or lost ("Réni DUBOIS", "Serice contrée
el tariPialion", "herveferand@drndieneFr"). The same strings are often typed in
the mail that carries the form: the sender's name and address, and the signature
block ("Hervé FERRAND / Service contrôle et tarification / Conseil départemental de
la Dordogne / Tél : 05 93 11 47 41"). A reading close to one of them, of about
the same length, and clearly closer to it than to any other, is replaced by it.

Nothing is invented: an empty or unreadable value stays as it was. Only
handwritten forms are touched, and those always go to a person, who sees the
scan next to the values.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

SIMILAR = 0.75  # ratio from which a reading is taken for a clean string
MARGIN = 0.1  # the best candidate must beat the runner-up by this much
LENGTH_SPREAD = 0.3  # a candidate much longer or shorter is another value, not a reading of it
SIGNATURE_LINES = 12  # the signature is at the end of what the sender wrote
_QUOTE = re.compile(
    r"^(?:>|-{2,}|_{5,}|le .{0,80} a écrit|on .{0,80} wrote|de\s*:|from\s*:)", re.IGNORECASE
)
_PHONE = re.compile(r"(?:\+33\s?|0)[1-9](?:[\s.-]?\d{2}){4}")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# What OCR makes of pen digits; only used to compare, never written back.
_DIGIT_LOOKALIKES = str.maketrans("OoQDIl|!ZzSsGbBgqA", "000011112255668894")


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Strings the mail spells cleanly, by kind."""

    texts: tuple[str, ...]  # names, services, organisations
    emails: tuple[str, ...]
    phones: tuple[str, ...]


def lexicon_of(from_name: str | None, from_address: str | None, body: str) -> Lexicon:
    signature = _signature_lines(body)
    texts = [line for line in signature if not _PHONE.search(line) and "@" not in line]
    if from_name:
        texts.insert(0, from_name)
    emails = [from_address] if from_address else []
    emails += [m.group(0) for line in signature for m in _EMAIL.finditer(line)]
    phones = [m.group(0) for line in signature for m in _PHONE.finditer(line)]
    return Lexicon(_unique(texts), _unique(e.lower() for e in emails), _unique(phones))


def snap_text(value: str | None, lexicon: Lexicon) -> str | None:
    """The clean string ``value`` is a reading of, or None."""
    return _closest(value, lexicon.texts, _letters)


def snap_email(value: str | None, lexicon: Lexicon) -> str | None:
    return _closest(value, lexicon.emails, _letters)


def snap_phone(value: str | None, lexicon: Lexicon) -> str | None:
    return _closest(value, lexicon.phones, _digits)


def _closest(value: str | None, candidates: Sequence[str], key: Callable[[str], str]) -> str | None:
    if not value:
        return None
    reading = key(value)
    if len(reading) < 3:
        return None
    scored = []
    for candidate in candidates:
        clean = key(candidate)
        if not clean or abs(len(clean) - len(reading)) > LENGTH_SPREAD * len(clean):
            continue
        scored.append((SequenceMatcher(None, reading, clean, autojunk=False).ratio(), candidate))
    scored.sort(reverse=True)
    if scored and scored[0][0] == 1.0:
        return scored[0][1]  # read right: at most case and accents change
    if not scored or scored[0][0] < SIMILAR:
        return None
    if (
        len(scored) > 1
        and scored[1][0] > scored[0][0] - MARGIN
        and key(scored[1][1]) != key(scored[0][1])
    ):
        return None  # two clean strings fit: the reading cannot choose
    return scored[0][1]


def _letters(value: str) -> str:
    """Case, accents, spaces and punctuation set aside: what pen and OCR keep of a word."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return "".join(c for c in decomposed if c.isalnum())


def _digits(value: str) -> str:
    digits = "".join(c for c in value.translate(_DIGIT_LOOKALIKES) if c.isdigit())
    # +33 3 94 30 34 33 and 03 94 30 34 33 are the same line.
    return "0" + digits[2:] if digits.startswith("33") and len(digits) == 11 else digits


def _signature_lines(body: str) -> list[str]:
    """The last lines the sender wrote, above any quoted or forwarded text."""
    own: list[str] = []
    for line in body.splitlines():
        if _QUOTE.match(line.strip()):
            break
        own.append(line)
    lines = [" ".join(line.split()) for line in own if line.strip()]
    # Greetings and sentences are not names: "Bien à vous," or "Veuillez trouver ci-joint ...".
    return [
        line
        for line in lines[-SIGNATURE_LINES:]
        if len(line) <= 80 and not line.endswith((",", ".", ":")) and len(line.split()) <= 8
    ]


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))
