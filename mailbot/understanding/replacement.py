"""Replacement requests: "Mme X ne pourra pas participer … remplacée par M. Y (y@x.fr)"."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, replace

from mailbot.understanding.dates import fold
from mailbot.understanding.emails import EMAIL_RE, find_emails
from mailbot.understanding.names import parse_civility, split_full_name

_NAME_WORD = r"(?:[A-ZÀ-ÖØ-Þ][\w'’\-]*|de|du|des|le|la|d'|van|von)"
# A name stays on its line: "Ancien : Mme Claire DUPONT" / "Nouveau : …" is two people.
_PERSON = re.compile(
    r"\b(?P<civ>Monsieur|Madame|Mademoiselle|Mme|Mlle|Melle|Mr|M)\b\.?[ \t\u00a0]+"
    rf"(?P<name>[A-ZÀ-ÖØ-Þ][\w'’\-]*(?:[ \t\u00a0]+{_NAME_WORD}){{1,4}})"
    r"(?P<tail>\s*(?:\(\s*|,\s*(?:adresse[^:]{0,40}:\s*|e-?mail\s*:\s*|courriel\s*:\s*|"
    r"(?=[\w.+'\-]+@))|\s*[-–:]\s*|\s*<))?"
)
# An address written wrongly ("p.martin@cg33,fr") is still the one written: reported as
# it is, the decision says it is invalid.
_WRITTEN_WRONG = re.compile(r"[^\s()<>;]+@[^\s()<>;]+")
# After "replaced by", the person named comes in; in "substituer Y à X" the order flips.
_FLIPPED = re.compile(r"substitu\w*\s", re.IGNORECASE)
# "Y, à la place de X" / "En remplacement de X, Y suivra…": whoever follows drops out.
_INSTEAD_OF = re.compile(
    r"(?:[àa] la place de|en remplacement de|en lieu et place de)\s*$", re.IGNORECASE
)
# "Ancien : Mme X" / "Nouveau participant : M. Y": labels say who is who, in any order.
_LEAVING = re.compile(
    r"(?:ancien(?:ne)?|sortant(?:e)?|remplac[ée]e?|participant(?:e)? (?:initial|absent)e?)"
    r"(?:\s+participant(?:e)?)?\s*:\s*$",
    re.IGNORECASE,
)
_COMING = re.compile(
    r"(?:nouveau|nouvelle|entrant(?:e)?|rempla[çc]ant(?:e)?)(?:\s+participant(?:e)?)?\s*:\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class PersonMention:
    civility: str | None
    first_name: str | None
    last_name: str | None
    email: str | None
    start: int
    end: int  # after the name (an address written after it not included)


def find_people(text: str) -> list[PersonMention]:
    """Civility-led names in ``text`` with the address written right after them, if any."""
    people: list[PersonMention] = []
    for match in _PERSON.finditer(text):
        name = re.sub(r"\s+(?:de|du|des|le|la|d')$", "", match.group("name").strip())
        first, last = split_full_name(name)
        email = None
        if match.group("tail"):
            after = text[match.end() : match.end() + 80]
            found = EMAIL_RE.match(after.lstrip()) or _WRITTEN_WRONG.match(after.lstrip())
            if found is not None:
                email = found.group(0).rstrip(".,;)")
        people.append(PersonMention(parse_civility(match.group("civ")), first, last, email,
                                    match.start(), match.end("name")))  # fmt: skip
    return people


def find_replacement(
    text: str, senders: Collection[str] = ()
) -> tuple[PersonMention | None, PersonMention | None]:
    """(replaced, replacement) from a request's text; None for whoever is not found.

    ``senders``: the mail's own addresses, never the newcomer's (a signature
    "Paul MARTIN - p.martin@x.fr" when Mme Anne MARTIN comes in)."""
    replaced, replacement = _swap(text)
    if replacement is not None and replacement.email is None:
        email = _address_given_later(text, replacement, replaced)
        email = None if email is not None and email.lower() in senders else email
        if email is not None:
            replacement = replace(replacement, email=email)
    return replaced, replacement


def _address_given_later(
    text: str, person: PersonMention, other: PersonMention | None
) -> str | None:
    """The address a later sentence gives for ``person`` ("Adresse de connexion de Mme
    ROUX : j.roux@x.fr"): the one address of a sentence that names them, when exactly
    one such address exists and it is not the other person's."""
    name = fold(person.last_name or "")
    if len(name) < 2:
        return None
    found = set()
    for sentence in _SENTENCES.split(text[person.end :]):
        addresses = find_emails(sentence)
        named = re.search(rf"\b{re.escape(name)}\b", fold(sentence)) is not None
        if named and len(addresses) == 1 and (other is None or addresses[0] != other.email):
            found.add(addresses[0])
    return found.pop() if len(found) == 1 else None


_SENTENCES = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-Þ])|\n")


# "… sera remplacée par Julie MARCHAND (j.marchand@x.fr)": a newcomer named without a
# civility is still the newcomer; the missing civility is for a person to ask about.
_UNTITLED_NEWCOMER = re.compile(
    r"(?i:remplac\w*\s+par|c[èe]de\s+sa\s+place\s+[àa])[ \t\u00a0]+"
    r"(?P<name>[A-ZÀ-ÖØ-Þ][\w'’\-]+(?:[ \t\u00a0]+[A-ZÀ-ÖØ-Þ][\w'’\-]+){1,3})"
    r"(?P<tail>\s*(?:\(\s*|[-–:,]\s*|<))?"
)


def _untitled_newcomer(text: str, after: PersonMention) -> PersonMention | None:
    match = _UNTITLED_NEWCOMER.search(text, after.end)
    if match is None or parse_civility(match["name"].split()[0]) is not None:
        return None  # "remplacée par Mme X" is found with its civility
    first, last = split_full_name(match["name"])
    email = None
    if match["tail"]:
        found = EMAIL_RE.match(text[match.end() : match.end() + 80].lstrip())
        email = found.group(0).rstrip(".,;)") if found else None
    return PersonMention(None, first, last, email, match.start("name"), match.end("name"))


def _swap(text: str) -> tuple[PersonMention | None, PersonMention | None]:
    people = find_people(text)
    if len(people) == 1:
        return people[0], _untitled_newcomer(text, people[0])
    if len(people) < 2:
        return (None, None)
    first, second = people[0], people[1]
    before_first = text[max(0, first.start - 30) : first.start]
    before_second = text[max(first.end, second.start - 30) : second.start]
    if _COMING.search(before_first) or _LEAVING.search(before_second):
        return second, first
    if _LEAVING.search(before_first) or _COMING.search(before_second):
        return first, second
    if _INSTEAD_OF.search(before_first):
        return first, second
    between = text[max(0, first.start - 60) : second.start]
    if (
        _FLIPPED.search(between)
        or _INSTEAD_OF.search(text[first.end : second.start])
        or _TAKES_OVER.match(_bare(text[first.end : second.start]))
    ):
        return second, first
    return first, second


# "Mme Y (y@x.fr) remplacera M. X": the verb right between the two, the newcomer first.
# Anything more ("M. X, que remplacera Mme Y") keeps the usual order and its wording.
_TAKES_OVER = re.compile(
    r"^[\s,]*(?:remplacera|remplace|va remplacer|prendra la place de)\s*$", re.IGNORECASE
)


def _bare(between: str) -> str:
    """``between`` without the addresses and brackets written after a name."""
    return re.sub(r"\([^)]*\)|<[^>]*>|" + EMAIL_RE.pattern, " ", between)


def others_named(text: str, signers: tuple[str, ...] = ()) -> list[PersonMention]:
    """People named besides the replaced one and the replacement: a second swap, or a
    participant to add. The request is then no plain replacement and a person reads it.

    ``signers`` are the senders' display names: a signature "Mme Anne ROUX" is no one's place.
    """
    people = find_people(text)
    signed = {w for name in signers for w in fold(name).split() if len(w) > 1}
    seen: set[tuple[str, str]] = set()
    others: list[PersonMention] = []
    for index, person in enumerate(people):
        key = (fold(person.first_name or ""), fold(person.last_name or ""))
        if key in seen:
            continue
        seen.add(key)
        if index >= 2 and not (set(" ".join(key).split()) <= signed):
            others.append(person)
    return others
