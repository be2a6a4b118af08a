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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from mailbot.understanding.dates import fold
from mailbot.understanding.emails import find_emails

SIMILAR = 0.75  # ratio from which a reading is taken for a clean string
MARGIN = 0.1  # the best candidate must beat the runner-up by this much
LENGTH_SPREAD = 0.3  # a candidate much longer or shorter is another value, not a reading of it
SIGNATURE_LINES = 12  # the signature is at the end of what the sender wrote
PHONE_NUMBER = re.compile(r"(?:\+33\s?|\b0)[1-9](?:[\s.-]?\d{2}){4}\b")
# What OCR makes of pen digits; only used to compare, never written back.
_DIGIT_LOOKALIKES = str.maketrans("OoQDIl|!ZzSsGbBgqA", "000011112255668894")


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Strings the mail spells cleanly, by kind."""

    texts: tuple[str, ...]  # names, services, organisations
    emails: tuple[str, ...]
    phones: tuple[str, ...]


def lexicon_of(from_name: str | None, from_address: str | None, own_text: str) -> Lexicon:
    """``own_text``: what the sender wrote, quoted and forwarded text already set aside
    (``bodies.split_history``), so that a name in the thread is not taken for theirs."""
    signature = _signature_lines(own_text)
    texts = [line for line in signature if not PHONE_NUMBER.search(line) and "@" not in line]
    if from_name:
        texts.insert(0, from_name)
    emails = [from_address] if from_address else []
    emails += [address for line in signature for address in find_emails(line)]
    phones = [m.group(0) for line in signature for m in PHONE_NUMBER.finditer(line)]
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
    return "".join(c for c in fold(value) if c.isalnum())


def _digits(value: str) -> str:
    digits = "".join(c for c in value.translate(_DIGIT_LOOKALIKES) if c.isdigit())
    # +33 3 94 30 34 33 and 03 94 30 34 33 are the same line.
    return "0" + digits[2:] if digits.startswith("33") and len(digits) == 11 else digits


def _signature_lines(own_text: str) -> list[str]:
    """The last lines the sender wrote."""
    lines = [" ".join(line.split()) for line in own_text.splitlines() if line.strip()]
    # Greetings and sentences are not names: "Bien à vous," or "Veuillez trouver ci-joint ...".
    return [
        line
        for line in lines[-SIGNATURE_LINES:]
        if len(line) <= 80 and not line.endswith((",", ".", ":")) and len(line.split()) <= 8
    ]


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))
