"""Contact cards (.vcf) sent along a mail: "sa fiche contact en pièce jointe".

A card is no form: it never makes a mail a registration that could not be read. Its
person is given back as the lines a writer would have pasted under her name (civility,
name, then the address), so the readers of a replacement's newcomer find her there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import vobject

from mailbot.understanding.documents.textcodec import decode
from mailbot.understanding.mime import Attachment

_TYPES = frozenset({"text/vcard", "text/x-vcard", "text/directory", "application/vcard"})
_CIVILITY = re.compile(
    r"^(?:M\.?|Mr\.?|Mme|Mlle|Melle|Monsieur|Madame|Mademoiselle|Dr\.?|Docteur|Pr\.?)$", re.I
)
_CARDS = 20  # a mail's worth: a larger address book is no one's details for us


def is_vcard(attachment: Attachment) -> bool:
    name = (attachment.filename or "").lower()
    return attachment.content_type in _TYPES or name.endswith((".vcf", ".vcard"))


@dataclass(frozen=True, slots=True)
class Card:
    name: str  # "M. Ludovic CHARPENTIER", as a writer would paste it
    addresses: tuple[str, ...]

    @property
    def lines(self) -> list[str]:
        return [line for line in (self.name, *self.addresses) if line]


def read_cards(attachment: Attachment) -> list[Card]:
    """The cards of ``attachment`` that name someone or give an address; nothing for a
    card that does not parse."""
    text = decode(attachment.data)
    cards: list[Card] = []
    try:
        for count, card in enumerate(vobject.readComponents(text, ignoreUnreadable=True)):
            if count >= _CARDS:
                break
            if (person := _person(card)).lines:
                cards.append(person)
    except Exception:  # a broken card is read as far as it goes
        pass
    return cards


def card_lines(attachment: Attachment) -> list[str]:
    """Each card as "M. Ludovic CHARPENTIER" / "ludovic.charpentier@x.fr" lines, a blank
    line after each."""
    return [line for card in read_cards(attachment) for line in (*card.lines, "")]


def _person(card: vobject.base.Component) -> Card:
    name = _value(card, "n")
    civility = family = given = ""
    if isinstance(name, vobject.vcard.Name):
        civility = " ".join(_words(name.prefix))
        given, family = " ".join(_words(name.given)), " ".join(_words(name.family))
    full = str(_value(card, "fn") or "").strip()
    if not civility:
        first = full.split(" ", 1)[0] if full else ""
        civility = first if _CIVILITY.match(first) else ""
    shown = " ".join(part for part in (civility, given, family) if part) if family else full
    if civility and not shown.startswith(civility):
        shown = f"{civility} {shown}"
    addresses = tuple(str(e.value).strip() for e in card.contents.get("email", []) if e.value)
    return Card(shown, tuple(a for a in addresses if a))


def _value(card: vobject.base.Component, key: str) -> object:
    found = card.contents.get(key)
    return found[0].value if found else None


def _words(part: object) -> list[str]:
    items = part if isinstance(part, list) else [part]
    return [str(item).strip() for item in items if item and str(item).strip()]
