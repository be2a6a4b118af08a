"""E-mail addresses: find them, judge their syntax (no DNS), repair OCR slips only when unambiguous."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from functools import cache, lru_cache
from importlib.resources import files

from email_validator import EmailNotValidError, validate_email

from mailbot.understanding.dates import fold
from mailbot.understanding.names import PARTICLES, letters

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
    """Addresses written in ``text`` (strict: no spaces inside).

    An address whose local part a space cut ("pierre-yves.le cam@x.fr": the space of
    a family name kept) is given whole, space included, so that it fails the syntax
    check: its tail alone ("cam@x.fr") is a valid address that no one owns.
    """
    found = []
    for match in _STRICT_RE.finditer(text):
        cut = _CUT_LOCAL_PART.search(text, max(0, match.start() - 80), match.start())
        start = cut.start(1) if cut is not None else match.start()
        # "x@ars.sante,fr": a comma typed for the domain's last dot. Given whole, so that it
        # fails the syntax check; "x@ars.sante" alone would pass it.
        comma = _COMMA_ENDING.match(text, match.end())
        end = comma.end() if comma is not None else match.end()
        found.append(text[start:end].strip("."))
    return found


# A comma then a domain's ending, glued to an address: not the next address of a list.
_COMMA_ENDING = re.compile(r",[a-z]{2,6}(?![\w@\-]|\.\w)", re.IGNORECASE)


# A dotted word right before an address, one space apart: the address's own first half.
# A web address ("www.x.fr contact@x.fr") or a civility ("M. dupont@…") is no such half.
# So is a word ending on the dot, the hyphen or the underscore that joined it to the
# rest ("arnaud. courvoisier@x.fr"), unless it is a civility or a label ("Mél. x@…").
_CUT_LOCAL_PART = re.compile(
    r"(?<![\w.@/:])(?!www\.)([\w+'\-]*[a-z0-9][._][\w+'\-]*\w"
    r"|(?!(?:mr?|mme|mlle|dr|pr|me|m[eé]l|t[eé]l|e-?mail|mail|courriel|adr|cf|ex|etc)[._-])"
    r"[\w+'\-]*[a-z0-9]{2}[._-])[ \u00a0]\Z",
    re.IGNORECASE,
)


def looks_like_email(text: str) -> bool:
    return "@" in text and " " not in text.strip()


def repair_ocr(address: str, known_domains: frozenset[str] = frozenset()) -> tuple[str, bool]:
    """(address, repaired?) — fixes OCR slips only when a single reading is left.

    The readings tried: spaces and "," read inside the address ("a.b @ c.fr",
    "jean,dupont@x.fr"), "©" or "(at)" for "@", and a stray word that the OCR
    glued before or after the address (a stamp's or signature's letters). When
    several readings are valid ("x@y.fr Pire" also reads "x@y.frPire"), the
    one on a domain the form's other addresses use wins; if that does not
    settle it, the address stays as read and validation sends it to review.
    """
    candidate = address.strip()
    joined = re.sub(r"\s+", "", candidate).replace("©", "@").replace("(at)", "@").rstrip(".,;")
    readings = {joined, joined.replace(",", ".")}
    # A word glued on is a separate word: "laetitia. lebris@x.fr" is one address cut by a
    # space after its dot, not "lebris@x.fr" behind the junk word "laetitia.".
    first = _STRICT_RE.match(candidate)
    after = candidate[first.end() :] if first is not None else ""
    if (
        first is not None
        and after[:1].isspace()
        and "@" not in after
        and after.strip()[:1].isalnum()
    ):
        readings.add(first.group(0))
    last = _LAST_ADDRESS.search(candidate)
    before = candidate[: last.start()] if last is not None else ""
    if last is not None and "@" not in before and before.strip()[-1:].isalnum():
        readings.add(last.group(1).rstrip("."))
    valid = sorted(r for r in readings if r != candidate and r.count("@") == 1 and is_valid(r))
    if len(valid) > 1:
        valid = [r for r in valid if r.rsplit("@", 1)[1].lower() in known_domains]
    if len(valid) == 1:
        return valid[0], True
    return candidate, False


def misread_tld(address: str) -> bool:
    """Whether the address ends in a top-level domain that does not exist but is
    a letter or two off a usual one: ".orq" for ".org", ".fn" for ".fr".

    OCR makes such slips with a high confidence; the address is valid syntax
    and a confirmation sent to it is lost. A domain the writer really typed
    without a usual ending ("ars.sante") is left to the syntax check.
    """
    tld = address.rsplit(".", 1)[-1].strip().lower()
    if tld.upper() in _tlds():
        return False
    return any(_edits(tld, usual) <= (1 if len(usual) <= 2 else 2) for usual in _USUAL_TLDS)


def near_miss(address: str, domains: frozenset[str]) -> bool:
    """Whether the address's domain is one or two letters off a domain the mail uses.

    A misread domain ("enfance-avenir86.orq" in a mail from
    "enfance-avenir86.org") is the OCR's, not the writer's.
    """
    domain = address.rsplit("@", 1)[-1].lower()
    return any(
        domain != known and len(known) >= 6 and _edits(domain, known) <= 2 for known in domains
    )


def split_in_name(address: str, name: str | None) -> bool:
    """Whether ``name`` holds a space where its owner's address writes it whole.

    "DESCHAMP S-LAFARGE" beside "jean-baptiste.deschamps-lafarge@", "DE SAINT-EXU PÉRY"
    beside "jean-baptiste.desaintexupery@": a cell too narrow wrapped the name mid-word and
    the reading joined its lines with a space. Only a hyphenated name tells: "NGUYEN VAN" or
    "BEN SAÏD" are written whole in an address by choice ("nguyenvan@"), and so is a
    particle ("LE GALL", "legall"; "KERBRAT-LE DANTEC", "kerbrat-ledantec").
    """
    words = (name or "").split()
    local = letters(address.split("@", 1)[0])
    for before, after in itertools.pairwise(words):
        whole = fold(before + after)
        if fold(before).split("-")[-1] in PARTICLES or "-" not in whole.strip("-"):
            continue
        if letters(whole) in local:
            return True
    return False


def slipped_name(address: str, names: Iterable[str | None]) -> bool:
    """Whether a piece of the address's local part is one letter off its owner's name.

    "ean-marie.bonnafous" written by Jean-Marie BONNAFOUS, "ple-all" by Pierre
    LE GALL: an OCR that drops or swaps a letter leaves a valid address that is
    nobody's. An initial before or after the name ("jdupont", "dupontj") is the
    usual pattern, not a slip; an initial beside a slipped name is one.
    """
    words = [w for name in names if name for w in re.split(r"[^a-z]+", fold(name)) if w]
    candidates = {w for w in words if len(w) >= 4}
    for start in range(len(words)):  # "marie-christine", "legall", "thomassimon"
        for end in range(start + 2, len(words) + 1):
            candidates.add("".join(words[start:end]))
    local = fold(address.split("@", 1)[0])
    # Hyphens are the writer's choice ("hervede-la-fontaine"): compared without them.
    pieces = {p.replace("-", "") for p in (*re.split(r"[._]", local), *re.split(r"[._-]", local))}
    # Digits after a name are the writer's ("khelifi33", a webmail's free name); a letter
    # OCR read as a digit ("dupon7") is still one letter off once they are cut.
    pieces = {re.sub(r"(?<=[a-z])\d+$", "", p) for p in pieces}
    for piece in pieces:
        if len(piece) < 3 or piece in candidates or piece[1:] in candidates:
            continue
        if piece[:-1] in candidates:
            continue
        if any(_edits(piece, c) == 1 for c in candidates):
            return True
        # "viournier" for "vfournier": the initial kept, the name after it slipped.
        if any(_edits(piece[1:], c) == 1 or _edits(piece[:-1], c) == 1 for c in candidates):
            return True
    return False


def _edits(a: str, b: str) -> int:
    """Levenshtein distance (the domains compared are a few dozen letters)."""
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


_USUAL_TLDS = ("fr", "com", "org", "net", "eu", "info", "asso")  # asso: asso.fr, a typo magnet


@cache
def _tlds() -> frozenset[str]:
    # IANA's tlds-alpha-by-domain.txt, as vendored by hypothesis; refresh it from
    # https://data.iana.org/TLD/tlds-alpha-by-domain.txt
    text = files("mailbot.understanding").joinpath("tlds.txt").read_text(encoding="ascii")
    return frozenset(line.strip() for line in text.splitlines() if line and line[0] != "#")


def domain_of(address: str | None) -> str | None:
    """The lower-cased domain of a valid address, else None."""
    if not address or not is_valid(address):
        return None
    return address.rsplit("@", 1)[1].lower()


_LAST_ADDRESS = re.compile(r"\s([\w.+'\-]+@[\w\-]+(?:\.[\w\-]+)+)\W*$")
