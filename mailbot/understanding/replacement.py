"""Replacement requests: "Mme X ne pourra pas participer … remplacée par M. Y (y@x.fr)"."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, replace

from mailbot.understanding.bodies import split_history
from mailbot.understanding.dates import fold
from mailbot.understanding.emails import EMAIL_RE, find_emails
from mailbot.understanding.labels import Field, exact_column
from mailbot.understanding.names import (
    letters,
    parse_civility,
    split_full_name,
    split_full_name_checked,
)

# Civilities as written, English ones too ("Ms Hannah WEBER"), in capitals too ("MR").
_CIVILITY = (
    r"Monsieur|Madame|Mademoiselle|Mme|Mlle|Melle|Mrs|Mr|Ms|Miss|M|MONSIEUR|MADAME|MME|MLLE|MR"
)
# "DIJOUX-K/BIDI": Réunion's family names shorten "Ker" to "K/", a slash inside the word.
_REST = r"[\w'’\-]*(?:(?<=\b[A-Z])/[A-ZÀ-ÖØ-Þ][\w'’\-]*)?"
_NAME_WORD = rf"(?:[A-ZÀ-ÖØ-Þ]{_REST}|d['’][A-ZÀ-ÖØ-Þ]{_REST}|(?:de|du|des|le|la|van|von)\b|d')"
# A name stays on its line: "Ancien : Mme Claire DUPONT" / "Nouveau : …" is two people.
_PERSON = re.compile(
    rf"\b(?P<civ>{_CIVILITY})\b\.?[ \t\u00a0]+"
    # A tab before a civility is the next column's person ("Mme Isabelle ROCHE\tM. …").
    rf"(?P<name>[A-ZÀ-ÖØ-Þ]{_REST}(?:(?:[ \u00a0]|\t(?!(?:{_CIVILITY})\b))+{_NAME_WORD}){{1,4}})"
    r"(?P<tail>\s*(?:[(\[]\s*|,\s*(?:(?:son\s+|sa\s+)?adresse[^:]{0,40}:\s*|e-?mail\s*:\s*|courriel\s*:\s*|"
    r"(?=[\w.+'\-]+@))|\s*[-–:]\s*|\s*<|[ ]*\t\s*(?=[^\s@]+@)))?"
)
# "Mme Dupin ne pourra pas venir": a civility and a family name alone.
_SHORT_PERSON = re.compile(
    rf"\b(?P<civ>{_CIVILITY})\b\.?[ \t\u00a0]+"
    r"(?P<name>[A-ZÀ-ÖØ-Þ][\w'’\-]+)\b"
)
# An address written wrongly ("p.martin@cg33,fr") is still the one written: reported as
# it is, the decision says it is invalid.
_WRITTEN_WRONG = re.compile(r"[^\s()<>\[\];]+@[^\s()<>\[\];]+")
# After "replaced by", the person named comes in; in "substituer Y à X" the order flips.
_FLIPPED = re.compile(r"substitu\w*\s", re.IGNORECASE)
# "Y, à la place de X" / "En remplacement de X, Y suivra…": whoever follows drops out.
_INSTEAD_OF = re.compile(
    r"(?:[àa] la place de|en remplacement de|en lieu et place de|au lieu de|instead of|"
    r"in place of)\s*$",
    re.IGNORECASE,
)


# "Ancien : Mme X" / "Nouveau participant : M. Y": labels say who is who, in any order;
# a label alone on its line ("Participant remplacé" over "Mme X") too, but not one that
# heads a column ("Ancien participant<TAB>Nouveau participant" over the people's row).
def _label(words: str) -> re.Pattern[str]:
    label = rf"(?:{words})(?:\s+participant(?:e)?)?"
    return re.compile(
        rf"(?:{label}(?:\(e\))?\s*(?::|\t)\s*|(?:^|\n)[ \t]*{label}(?:\(e\))?[ \t]*\n\s*)$",
        re.IGNORECASE,
    )


_LEAVING_WORDS = (
    # "remplace" unaccented stands for "remplacé(e)", but not in "la remplace :", which
    # names the one who comes in.
    r"ancien(?:ne)?|sortant(?:e)?|(?<!\bla\s)(?<!\ble\s)(?<!\bl')(?<!\bme\s)remplac[ée]e?|"
    r"participant(?:e)? (?:initial|absent|sortant)e?|ne\s+participera\s+pas|"
    r"(?:participant(?:e)?\s+)?annul[ée]e?|"
    r"participant(?:e)?\s+d[ée]sinscrit(?:e)?|"
    r"(?:participant(?:e)?\s+)?initialement\s+inscrit(?:e)?|"
    r"participant(?:e|\(e\))?\s+remplac[ée](?:e|\(e\))?"
)
_LEAVING = _label(_LEAVING_WORDS)
_COMING_WORDS = (
    r"nouveau|nouvelle|nouvel(?:le)?\s+inscrit(?:e)?|entrant(?:e)?|rempla[çc]ant(?:e)?|"
    r"(?:qui\s+)?(?:la|le|l'|me)\s*remplace(?:ra)?|"
    r"participant(?:e)? entrant(?:e)?|"
    r"participant(?:e)?\s+ajout[ée]e?(?:\s+en\s+remplacement)?"
)
_COMING = _label(_COMING_WORDS)
# Words right before the newcomer's name ("remplacée par", "inscrire à sa place") and
# right after it ("M. Y la remplacera").
# The words that hand a place over to the newcomer named next: "remplacée par", "cède sa
# place à", "laisse sa place à", "replaced by".
# "remplacée pour la journée du 26 novembre par", "remplacée par ma collègue": a few
# words may come between, within the sentence.
_HANDS_OVER = (
    # "remplacée par notre psychomotricien, Monsieur X": the newcomer's job may come first.
    r"remplac\w*(?:\(e\))?(?:\s+[^\s.;:!?]+){0,10}?\s+par"
    r"(?:\s+(?:ma|mon|sa|son|notre|leur)\s+[\w'’-]+(?:\s+[\w'’-]+)?\s*,?)?|"
    r"(?:c[èe]de|laisse)\s+sa\s+place\s+[àa]|replaced\s+(?:by|with)|"
    r"replace\s+(?:her|him|them)\s+(?:by|with)|"
    # "nous souhaitons que sa place soit attribuée à M. Y", "transférer sa place à".
    r"sa\s+place\s+(?:soit|sera|puisse\s+[êe]tre)\s+(?:r?[ée]?attribu[ée]e|donn[ée]e|"
    r"transf[ée]r[ée]e|r[ée]affect[ée]e)\s+[àa]|"
    r"(?:attribuer|r[ée]attribuer|donner|transf[ée]rer|r[ée]affecter)\s+sa\s+place\s+[àa]"
)
# "À ma place, merci d'inscrire M. Y", "à sa place, pourriez-vous inscrire Mme Y".
_BEFORE_NEWCOMER = re.compile(
    rf"(?:{_HANDS_OVER}|[àa] [sm]a place(?:[\s,]+[^.;!?\n]{{0,40}}?\binscri\w*)?|"
    r"en remplacement)[\s:]*$",
    re.IGNORECASE,
)
# "Mme Y (y@x.fr), cheffe de service, la remplacera": her address and job may come first.
# "Mon adjoint, M. Y (y@x.fr), me remplacera": a comma closing the aside after her address.
_NEWCOMER_TAIL = r"^\s*(?:\([^)]*\)\s*)?(?:,[^,.;:!?\n]{1,60},\s*|,\s*)?"
_AFTER_NEWCOMER = re.compile(
    _NEWCOMER_TAIL + r"(?:(?:qui\s+)?(?:la|le|l'|me)\s*remplace(?:ra)?\b|"
    r"(?:qui\s+)?prendra\s+(?:ma|sa|la|leur)\s+place\b|"
    # "M. Y suivra le webinaire à sa place", "participera à la journée à ma place".
    r"(?:qui\s+)?(?:suivra|participera|assistera|viendra|ira)\b[^.;!?\n]{0,50}?\b[àa]\s+[sm]a\s+place\b|"
    r"will\s+(?:replace\s+(?:her|him|me)|take\s+(?:her|his|my)\s+place)\b)",
    re.IGNORECASE,
)
# "Ma collègue Mme Y me remplacera", "… qui suivra le webinaire à ma place": the writer
# is the one who goes.
_REPLACES_WRITER = re.compile(
    _NEWCOMER_TAIL + r"(?:(?:qui\s+)?me\s+remplace(?:ra)?\b|(?:qui\s+)?prendra\s+ma\s+place\b|"
    r"(?:qui\s+)?(?:suivra|participera|"
    r"assistera|viendra|ira)\b[^.;!?\n]{0,50}?\b[àa]\s+ma\s+place\b)",
    re.IGNORECASE,
)
# "Je vous écris de la part de Mme X", "pour Mme X, Directrice": who asks, not who comes.
_ON_BEHALF = re.compile(
    r"(?:de la part de|[àa] la demande de|pour|p\s*/\s*o|par d[ée]l[ée]gation de|"
    # "Je vous transfère la demande de Mme X": the one who asks, not one who comes.
    r"(?:la|sa|une) demande de|(?:le|un) (?:message|mail|courriel) de)\s*$",
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


def on_behalf(text: str, person: PersonMention) -> bool:
    """Named as the one a mail is written for ("de la part de Mme X"), not as a person
    who comes or goes."""
    return _ON_BEHALF.search(text[max(0, person.start - 30) : person.start]) is not None


# The person's line ends with the name; the next line holds an address and nothing else.
_EMAIL_LABEL = re.compile(
    r"^(?:adresse\s+)?(?:e-?mail|m[ée]l|courriel)(?:\s+de\s+connexion)?\s*:\s*", re.IGNORECASE
)
_ADDRESS_BELOW = re.compile(r"[ \t]*\n[ \t]*(?P<address>\S+)[ \t]*(?:\n|$)")


def find_people(text: str) -> list[PersonMention]:
    """Civility-led names in ``text`` with the address written right after them, if any."""
    people: list[PersonMention] = []
    for match in _PERSON.finditer(text):
        # "Mme Claire HUET la remplace": a particle ending the name is the sentence's word.
        name = re.sub(r"(?:\s+(?:de|du|des|le|la|d'))+$", "", match.group("name").strip())
        first, last = split_full_name(name)
        email = None
        if match.group("tail"):
            # "Mme LAMBERT Isabelle – courriel : i.lambert@…": the address's own label.
            after = _EMAIL_LABEL.sub("", text[match.end() : match.end() + 100].lstrip(), count=1)
            found = EMAIL_RE.match(after) or _WRITTEN_WRONG.match(after)
            if found is not None:
                email = found.group(0).rstrip(".,;)")
        below = _ADDRESS_BELOW.match(text, match.end())
        if email is None and below is not None and EMAIL_RE.fullmatch(below["address"]):
            email = below["address"]  # "Mme Nadège POUJADE" / "n.poujade@x.fr", a block
        end = match.start("name") + len(name)
        people.append(PersonMention(parse_civility(match.group("civ")), first, last, email,
                                    match.start(), end))  # fmt: skip
    return people


def find_replacement(
    text: str, senders: Collection[str] = ()
) -> tuple[PersonMention | None, PersonMention | None]:
    """(replaced, replacement) from a request's text; None for whoever is not found.

    ``senders``: the mail's own addresses, never the newcomer's (a signature
    "Paul MARTIN - p.martin@x.fr" when Mme Anne MARTIN comes in)."""
    text = text.replace("\r\n", "\n")  # a body decoded as sent: lines are what matter here
    # "… le remplacer par Mme" / "Mélanie GUERET, …": a letter's line broke after the
    # civility; the same length keeps every position.
    text = _CIVILITY_AT_END.sub(lambda m: m[0].replace("\n", " "), text)
    table = _side_by_side(text) or _labelled_blocks(text)
    if table is not None:
        return table
    replaced, replacement = _swap(text)
    if replaced is not None and replacement is None:
        # "Pouvez-vous le remplacer … par :" over "Civilité : Mme" / "Prénom : …" lines.
        # From the line's start: "nous souhaitons remplacer M. X par :" names him between.
        below = _BY_BELOW.search(text, text.rfind("\n", 0, replaced.start) + 1)
        below = below if below is not None and below.end() > replaced.end else None
        replacement = _labelled_person(text, below.end()) if below is not None else None
    if replaced is not None and replaced.email is None:
        replaced = _address_on_line(text, replaced, replacement)
    if replacement is not None and replacement.email is None:
        email = _address_given_later(text, replacement, replaced)
        first_name = replacement.first_name
        if email is None:
            email, first_name = _their_card(text, replacement, replaced)
        if email is not None and email.lower() not in senders:
            replacement = replace(replacement, email=email, first_name=first_name)
    return replaced, replacement


def _address_on_line(
    text: str, person: PersonMention, other: PersonMention | None
) -> PersonMention:
    """``person`` with the address further on her line, set apart by the spaces of a
    plain-text table ("Ancien : M.  Régis  FONTAINE  regis.fontaine@x.org"): only one
    that bears her family name, with nobody else named between."""
    end = text.find("\n", person.end)
    line = text[person.end : end if end >= 0 else len(text)]
    found = find_emails(line)
    if len(found) != 1 or not _bears(found[0], person.last_name or ""):
        return person
    at = person.end + line.index(found[0])
    if other is not None and person.end <= other.start < at:
        return person
    return replace(person, email=found[0])


# Within a sentence (a space before, a name of words after): never a table's cells.
_CIVILITY_AT_END = re.compile(
    r"(?<=\w )(?:M\.|Mme|Mlle|Monsieur|Madame) ?\n(?=[A-ZÀ-Þ][\w'’-]+ +[A-ZÀ-Þ])"
)
_DETAILS = {Field.CIVILITY, Field.FIRST_NAME, Field.LAST_NAME, Field.EMAIL}


def _detail(label: str) -> str | None:
    """The person's detail a row's label names ("Prénom", "Adresse e-mail de
    connexion"), in the form's own words; nothing for any other label."""
    column = exact_column(label.strip(" :"))
    return column.value if column in _DETAILS else None


def _side_by_side(text: str) -> tuple[PersonMention, PersonMention] | None:
    """A table whose columns are the two people: "| Participant inscrit | Remplaçant",
    then a row per detail ("Prénom | Valérie | Grégory"), or a row per line of each
    ("Madame Nadia BENSAÏD | Monsieur Loïc TANGUY"). Cells are split by tabs or by the
    spaces a plain-text mail aligns its columns with."""
    rows = [[cell.strip() for cell in _CELLS.split(line.rstrip())] for line in text.splitlines()]
    for index, row in enumerate(rows):
        below = rows[index + 1 : index + 7]
        # The header's empty corner cell may be lost (a PDF's text): the detail rows'
        # three cells still tell a table of labelled rows.
        labelled = (len(row) == 3 and not row[0]) or (
            len(row) == 2 and bool(below) and len(below[0]) == 3
        )
        header = row[-2:] if len(row) in (2, 3) else None
        if header is None or (len(row) == 3 and row[0]):
            continue
        if _heads_a_swap(header):
            found = (_by_detail if labelled else _by_line)(below)
        elif _heads_a_swap(header[::-1]):  # "Remplaçant(e) | Participant inscrit"
            found = (_by_detail if labelled else _by_line)(below)
            found = None if found is None else (found[1], found[0])
        else:
            continue
        if found is not None:
            return found
    return None


_CELLS = re.compile(r"\t| {2,}")


def _heads_a_swap(header: list[str]) -> bool:
    leaving = _LEAVING.search(header[0] + ":") or re.search(r"inscrit", header[0], re.I)
    coming = _COMING.search(header[1] + ":") or _REPLACED_BY.fullmatch(header[1])
    return bool(leaving and coming)


# "Participant inscrit | Remplacé(e) par": the newcomer's column, headed by the words before her.
_REPLACED_BY = re.compile(r"\s*remplac[ée]e?(?:\(e\))?\s+par\s*:?\s*", re.IGNORECASE)


def _by_detail(rows: list[list[str]]) -> tuple[PersonMention, PersonMention] | None:
    people: list[dict[str, str]] = [{}, {}]
    # "E-mail | b.x@y.fr |": the newcomer's cell left empty, dropped from the row's end.
    padded = [[*row, ""] if len(row) == 2 and _detail(row[0]) is not None else row for row in rows]
    for detail in padded:
        if len(detail) == 3 and exact_column(detail[0].strip(" :")) is Field.IGNORED:
            continue  # "Fonction | Chef de service | Cheffe de service"
        name = _detail(detail[0]) if len(detail) == 3 else None
        if name is None:
            break
        people[0][name], people[1][name] = detail[1], detail[2]
    if not all({"first_name", "last_name"} <= set(p) for p in people):
        return None
    old, new = (PersonMention(parse_civility(p.get("civility", "")), p["first_name"],
                              p["last_name"], p.get("email") or None, 0, 0)
                for p in people)  # fmt: skip
    return old, new


def _by_line(rows: list[list[str]]) -> tuple[PersonMention, PersonMention] | None:
    """ "Madame Nadia BENSAÏD | Monsieur Loïc TANGUY", then their addresses below."""
    columns: list[list[str]] = [[], []]
    for row in rows:
        if len(row) != 2:
            break
        columns[0].append(row[0])
        columns[1].append(row[1])
    people = [_column_person(cells) for cells in columns]
    if people[0] is None or people[1] is None:
        return None
    return people[0], people[1]


def _column_person(cells: list[str]) -> PersonMention | None:
    email = next((cell for cell in cells if "@" in cell), None)
    named = find_people(" ".join(cell for cell in cells if "@" not in cell))
    if len(named) != 1:
        return None
    return replace(named[0], email=email, start=0, end=0)


# "C'est moi qui la remplacerai": the newcomer writes, and signs, the request.
_MYSELF = re.compile(
    # "remplacerai" says "I" whatever comes before: "C'est moi-même, Mme X, qui le remplacerai".
    r"c'est moi(?:-m[êe]me)? qui (?:la |le |l')?remplace|\bremplacerai\b|"
    r"je prendrai sa place|je participerai [àa] sa place|je me substituerai",
    re.IGNORECASE,
)


# "J'ai été remplacée par Mme Y": the writer is the one who left; "Je remplace ma
# collègue Mme X": the writer comes. Only the agreement of "remplacé(e)" tells a civility.
_WRITER_LEFT = re.compile(
    r"\bj'ai\s+(?:[ée]t[ée]|d[ûu]\s+[êe]tre)\s+remplac(?P<agreement>[ée]e?)\b", re.IGNORECASE
)
_WRITER_COMES = re.compile(
    r"\bje\s+(?:remplace|remplacerai|vais\s+remplacer)(?:\s+(?:ma|mon|notre)\s+coll[èe]gue)?[\s,]*$",
    re.IGNORECASE,
)


# "À ma place, merci d'inscrire M. Y": the writer is the one who goes.
_IN_MY_PLACE = re.compile(r"\b[àa] ma place\b[^.;!?\n]{0,40}?\binscri\w*[\s:]*$", re.IGNORECASE)


def with_writer(
    text: str,
    pair: tuple[PersonMention | None, PersonMention | None],
    writer_name: str | None,
    writer_address: str | None,
    listed: Collection[PersonMention] = (),
    own_end: int | None = None,
) -> tuple[PersonMention | None, PersonMention | None]:
    """The writer as the missing side of a swap, named by the mail's sender: "je remplace
    Mme X" (the writer comes, at the sender's address) or "j'ai été remplacée par Mme Y"
    (the writer left). Nothing changes without a sender's name to go by.

    ``own_end``: where the sender's own words end in ``text``; what follows is a
    forwarded mail, whose "je" is its own writer. ``listed``: the people our confirmation
    quoted below lists. When the sender's name does not tell which word is the family
    name ("Hervé Pujol-Sarrat"), the one of them with the same words does ("M. Hervé
    PUJOL-SARRAT"), with a civility."""
    replaced, replacement = pair
    first, last, sure = split_full_name_checked(writer_name or "")
    civility = None
    if not sure:
        words = sorted(fold(writer_name or "").split())
        same = {
            (p.civility, p.first_name, p.last_name)
            for p in listed
            if p.first_name and p.last_name
            and sorted(fold(f"{p.first_name} {p.last_name}").split()) == words
        }  # fmt: skip
        if len(same) == 1:
            (civility, first, last), sure = same.pop(), True
    if last is None or first is None or not sure:
        return pair  # "gisele fabre": which word is the family name is not told
    named = replaced or replacement
    if named is not None and (
        (own_end is not None and named.start >= own_end) or _under_another_writer(text, named.start)
    ):
        return pair  # "… qui ira à ma place" in the director's mail the assistant forwards
    text = text.replace("’", "'")
    if (
        replacement is None
        and replaced is not None
        and _WRITER_COMES.search(text[max(0, replaced.start - 60) : replaced.start])
    ):
        return replaced, PersonMention(None, first, last, writer_address, 0, 0)
    if replaced is None and replacement is not None:
        left = _WRITER_LEFT.search(text[max(0, replacement.start - 120) : replacement.start])
        if left is not None:
            civility = "Mme" if left["agreement"].lower() in ("ée", "ee") else "M."
            return PersonMention(civility, first, last, None, 0, 0), replacement
        if _REPLACES_WRITER.match(text[replacement.end :]) or _IN_MY_PLACE.search(
            text[max(0, replacement.start - 80) : replacement.start]
        ):
            # No word tells the writer's civility; a confirmation quoted below may.
            return PersonMention(civility, first, last, None, 0, 0), replacement
    return pair


def _under_another_writer(text: str, position: int) -> bool:
    """Whether ``position`` lies in a quoted or forwarded mail: its "I" is that mail's
    writer, not the sender's."""
    split = split_history(text[:position])
    return bool(split.history or split.header)


def writes_for_self(text: str, person: PersonMention, sender_name: str | None) -> bool:
    """The request says its writer comes, and ``person`` is the writer (by name)."""
    name = fold(person.last_name or "")
    return (
        bool(_MYSELF.search(text.replace("’", "'")))
        and len(name) > 1
        and re.search(rf"\b{re.escape(name)}\b", fold(sender_name or "")) is not None
    )


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
    announced = False  # the newcomer's line ended on a colon: the address comes next
    for index, sentence in enumerate(_SENTENCES.split(text[person.end :])):
        addresses = find_emails(sentence)
        named = re.search(rf"\b{re.escape(name)}\b", fold(sentence)) is not None
        # The rest of the newcomer's own sentence ("Mme Morgane LE PAPE, responsable de
        # secteur : morgane.lepape@x.fr"), or the next one when it opens on "Son adresse
        # mail : …" or follows a line ending on ":", names them too, when the address
        # bears the name.
        theirs = index == 0 or (
            index == 1
            and (
                announced
                or _THEIR_ADDRESS.match(sentence) is not None
                or _an_address_line(sentence)
            )
        )
        announced = index == 0 and sentence.rstrip().endswith(":")
        named = named or (theirs and len(addresses) == 1 and _bears(addresses[0], name))
        if named and len(addresses) == 1 and (other is None or addresses[0] != other.email):
            found.add(addresses[0])
    return found.pop() if len(found) == 1 else None


_CARD_LINES = 8  # name, function, service, structure, two address lines, phone, e-mail
_RULE = re.compile(r"[\s\-–—_=*~·.]+")


def _their_card(
    text: str, person: PersonMention, other: PersonMention | None
) -> tuple[str | None, str | None]:
    """The address on the newcomer's card, and the first name it gives if the mail did not.

    A card is the run of lines under the newcomer's own line, or under a line holding
    their name and nothing else: the block written for them ("Mme Laurence X" /
    function / address / e-mail) or their signature pasted below ("Sandrine X" /
    "Responsable de secteur" / … / "s.x@…"). It ends at a blank line or a rule. Its
    address counts when it is the card's only one and bears the name.
    """
    name = fold(person.last_name or "")
    if len(name) < 2 or (other is not None and fold(other.last_name or "") == name):
        return None, person.first_name
    lines = text[person.start :].split("\n")
    for index, line in enumerate(lines):
        first_name = person.first_name if index == 0 else _named_alone(line, name)
        if index > 0 and first_name is None:
            continue
        addresses = {address for below in _card(lines, index) for address in find_emails(below)}
        if len(addresses) != 1:
            continue
        address = addresses.pop()
        if _bears(address, name) and (other is None or address != other.email):
            return address, person.first_name or first_name
        return None, person.first_name
    return None, person.first_name


def addresses_beside(
    text: str, person: PersonMention, other: PersonMention | None = None
) -> set[str]:
    """The person's address and those of the card of lines under their line ("Mme Agathe
    SORIN" / function / "agathe.sorin@…" / "karine.morel@…"), the other person's left
    out: more than one, and which is theirs is for a person to tell."""
    found = {person.email} if person.email else set()
    for below in _card(text[person.start :].split("\n"), 0):
        found.update(find_emails(below))
    theirs = (other.email or "").lower() if other is not None else ""
    return {address.lower() for address in found} - {theirs}


def _card(lines: list[str], index: int) -> list[str]:
    """The run of lines under ``lines[index]``, to a blank line or a rule."""
    card: list[str] = []
    for below in lines[index + 1 : index + 1 + _CARD_LINES]:
        if not below.strip() or _RULE.fullmatch(below):
            break
        card.append(below)
    return card


def _named_alone(line: str, name: str) -> str | None:
    """The first name on a line holding a full name and nothing else ("Sandrine Le
    Bihan-Quéré" for "le bihan-quere"), else None."""
    words, family = line.split(), name.split()
    if len(words) > 5 or len(words) <= len(family):
        return None
    if [fold(word) for word in words[-len(family) :]] != family:
        return None
    first = " ".join(words[: -len(family)])
    return first if _FIRST_NAME.fullmatch(first) else None


_FIRST_NAME = re.compile(r"[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+(?:-[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+)?")


_THEIR_ADDRESS = re.compile(
    r"\s*(?:son|sa)\s+(?:adresse|mail|e-?mail|courriel|m[ée]l)\b", re.IGNORECASE
)


def _an_address_line(line: str) -> bool:
    """ "- Mail de connexion : lisa.esteve@x.fr", on the line under the newcomer's."""
    labelled = _LABELLED_LINE.match(line)
    return labelled is not None and exact_column(labelled["label"]) is Field.EMAIL


def _bears(address: str, name: str) -> bool:
    """Whether the address's local part holds the family name ("lepape" for "le pape"),
    or one long piece of a compound one ("maelys.lebihan" for "LE BIHAN-TANGUY",
    "manuel.ferreira" for "FERREIRA DA SILVA")."""
    local = letters(address.rsplit("@", 1)[0])
    family = letters(name)
    pieces = {letters(piece) for piece in [*name.split("-"), *name.split()]}
    long_pieces = {piece for piece in pieces if len(piece) >= _LONG_PIECE}
    return any(piece in local for piece in {family, *long_pieces} if piece)


_LONG_PIECE = 4  # letters: "Silva" or "Pape" may stand for the name, "da" or "le" not


_SENTENCES = re.compile(r"(?<=[.!?])(?<!\bM\.)\s+(?=[A-ZÀ-Þ])|\n")  # "M. Paul" goes on


# "… sera remplacée par Julie MARCHAND (j.marchand@x.fr)": a newcomer named without a
# civility is still the newcomer; the missing civility is for a person to ask about.
_NAME_RUN = r"(?P<name>[A-ZÀ-ÖØ-Þ][\w'’\-]+(?:[ \t\u00a0]+[A-ZÀ-ÖØ-Þ][\w'’\-]+){1,3})"
_UNTITLED = r"[ \t\u00a0]+" + _NAME_RUN + r"(?P<tail>\s*(?:\(\s*|[-–:,]\s*|<))?"
_UNTITLED_NEWCOMER = re.compile(rf"(?i:{_HANDS_OVER})" + _UNTITLED)
# "Remplacement de M. X par Laura PETIT": "par" right after the one dropping out.
_BY_NEXT = re.compile(r"[ \t\u00a0]*(?:\([^)]*\)[ \t\u00a0]*)?par" + _UNTITLED)
_REPLACEMENT_OF = re.compile(r"(?:remplacement\s+de|remplacer|remplacez)\s*$", re.IGNORECASE)


# "Camille JOUBERT, qui reprend son poste, suivra le webinaire à sa place".
_UNTITLED_NAME = re.compile(r"(?<![\w'’\-])" + _NAME_RUN + r"(?P<tail>)")


def _untitled_newcomer(text: str, after: PersonMention) -> PersonMention | None:
    match = None
    if _REPLACEMENT_OF.search(text[max(0, after.start - 30) : after.start]):
        match = _BY_NEXT.match(text, after.end)
    match = match or _UNTITLED_NEWCOMER.search(text, after.end)
    if match is None:
        match = next(
            (
                m
                for m in _UNTITLED_NAME.finditer(text, after.end)
                if _AFTER_NEWCOMER.match(text[m.end() : m.end() + 160])
            ),
            None,
        )
    if match is None or parse_civility(match["name"].split()[0]) is not None:
        return None  # "remplacée par Mme X" is found with its civility
    first, last = split_full_name(match["name"])
    email = None
    if match["tail"]:
        found = EMAIL_RE.match(text[match.end() : match.end() + 80].lstrip())
        email = found.group(0).rstrip(".,;)") if found else None
    return PersonMention(None, first, last, email, match.start("name"), match.end("name"))


# "Camille ROSSIGNOL (c.rossignol@x.fr) remplace M. Pascal GIMENEZ": the newcomer first,
# untitled, the verb right before the one who leaves.
_UNTITLED_REPLACES = re.compile(
    r"(?<![\w'’\-])" + _NAME_RUN + r"(?:[ \t\u00a0]*\((?P<email>[^()\s]+@[^()\s]+)\))?"
    r"[ \t\u00a0]+remplace(?:ra)?[ \t\u00a0]+$"
)


def _untitled_before(text: str, leaving: PersonMention) -> PersonMention | None:
    offset = max(0, leaving.start - _BEFORE_LEAVER)
    match = _UNTITLED_REPLACES.search(text[offset : leaving.start])
    if match is None or parse_civility(match["name"].split()[0]) is not None:
        return None
    first, last = split_full_name(match["name"])
    return PersonMention(None, first, last, match["email"], offset + match.start("name"),
                         offset + match.end("name"))  # fmt: skip


_BEFORE_LEAVER = 160  # characters: a name, an address in brackets, the verb


# "Il sera remplacé par :" over "Civilité : Mme" / "Prénom : Héloïse" / "NOM : …" lines.
# "Nouvelle participante :" over them, too.
_HANDED_TO_LINES = re.compile(
    rf"(?i:{_HANDS_OVER})\s*:?[ \t]*\n|"
    # "… sera remplacé par une collègue. Voici ses coordonnées :" then the lines.
    rf"(?i:{_HANDS_OVER})[^\n]{{0,80}}?(?i:\bcoordonn[ée]es\b)[ \t]*:[ \t]*\n\s*|"
    rf"(?im:^[ \t]*(?:[-–•*][ \t]*)?(?:{_COMING_WORDS})(?:\s+participant(?:e)?)?[ \t]*:[ \t]*\n)"
)
# "Prénom : Sabrina", or "Prénom | Sabrina" as a two-column table pasted in the mail.
_LABELLED_LINE = re.compile(
    r"^\s*(?:[-–•*]\s*)?(?P<label>[^:\t\n]{2,40}?)[ ]*(?::|\t)\s*(?P<value>\S[^\n]*?)\s*$"
)


def _labelled_newcomer(text: str, after: PersonMention) -> PersonMention | None:
    """The newcomer written as the form's labelled lines, right under the words that
    hand the place over; only when civility, first and last name are all labelled."""
    handed = _HANDED_TO_LINES.search(text, after.end)
    return None if handed is None else _labelled_person(text, handed.end())


def _heading_line(words: str) -> re.Pattern[str]:
    return re.compile(
        rf"(?im:^[ \t]*(?:[-–•*][ \t]*)?(?:{words})(?:\s+participant(?:e)?)?[ \t]*:?[ \t]*\n)"
    )


_LEAVING_LINE = _heading_line(_LEAVING_WORDS)
_COMING_LINE = _heading_line(_COMING_WORDS)


def _labelled_blocks(text: str) -> tuple[PersonMention, PersonMention] | None:
    """ "Sortant :" and "Entrant :" (or "Participante remplacée :", "Nouvelle
    participante :"), each over the person's labelled lines or one line naming them."""
    leaving, coming = _LEAVING_LINE.search(text), _COMING_LINE.search(text)
    if leaving is None or coming is None:
        return None
    people = [
        _labelled_person(text, m.end())
        or _person_on_line(text, m.end())
        or _person_under_header(text, m.end())
        for m in (leaving, coming)
    ]
    if people[0] is None or people[1] is None:
        return None
    return people[0], people[1]


def _person_under_header(text: str, start: int) -> PersonMention | None:
    """ "Civilité | Prénom | NOM | Adresse e-mail" over the person's row: a table under
    each heading ("Participant(e) remplacé(e)", "Nouveau participant")."""
    header, _, rest = text[start:].partition("\n")
    cells = [cell.strip() for cell in _CELLS.split(header) if cell.strip()]
    if len(cells) < 3 or not all(exact_column(cell) is not None for cell in cells):
        return None
    return _person_on_line(text, start + len(header) + 1) if rest else None


def _person_on_line(text: str, start: int) -> PersonMention | None:
    line = text[start:].split("\n", 1)[0]
    found = find_people(line)
    if len(found) != 1:
        return None
    email = find_emails(line)
    person = found[0]
    return replace(person, email=person.email or (email[0] if len(email) == 1 else None),
                   start=start + person.start, end=start + person.end)  # fmt: skip


# "… le remplacer, pour le webinaire du 8 octobre, par :" ending its line: she is below.
# "… le remplacer par :", "Il sera remplacé par la personne suivante :" over the lines.
_BY_BELOW = re.compile(
    r"\bremplac\w*\b(?:[^.\n]|(?<=\bM)\.){0,120}?\bpar(?:\s+(?:la|le|les)\s+(?:personne|coll[èe]gue|agent|"
    r"participant)\w*\s+suivant\w*)?\s*:[ \t]*\n(?:[ \t]*\n)*",
    re.IGNORECASE,
)


def _labelled_person(text: str, start: int) -> PersonMention | None:
    """A person written as the form's labelled lines from ``start``; only when civility,
    first and last name are all labelled."""
    found: dict[str, str] = {}
    for line in text[start:].split("\n")[:6]:
        match = _LABELLED_LINE.match(line)
        if match is None:
            break
        field = _detail(match["label"])
        if field is not None and field not in found:
            found[field] = match["value"]
        elif (
            exact_column(match["label"].strip(" :")) is Field.FULL_NAME and "last_name" not in found
        ):
            # "Nom et prénom : GIRAUDEAU Denis": the capitals tell the family name.
            first, last, sure = split_full_name_checked(match["value"])
            if sure and first and last:
                found |= {"first_name": first, "last_name": last}
    civility = parse_civility(found.get("civility"))
    if civility is None or not found.keys() >= {"first_name", "last_name"}:
        return None
    return PersonMention(
        civility, found["first_name"], found["last_name"], found.get("email"), start, start
    )


def _swap(text: str) -> tuple[PersonMention | None, PersonMention | None]:
    # "M. Grégoire Vasseur reste inscrit sans changement": named, and neither side.
    people = [p for p in _once(find_people(text)) if not _STAYS.match(_after(text, p))]
    if len(people) == 1:
        if _is_newcomer(text, people[0]):
            return _short_before(text, people[0]), people[0]
        return people[0], (
            _untitled_newcomer(text, people[0])
            or _labelled_newcomer(text, people[0])
            or _untitled_before(text, people[0])
        )
    if len(people) < 2:
        return (None, None)
    if len(people) > 2:
        pair = _around_newcomer(text, people)
        if pair is not None:
            return pair
    substituted = _substituted(text, people)
    if substituted is not None:
        return substituted
    first, second = people[0], people[1]
    before_first = text[max(0, first.start - 30) : first.start]
    before_second = text[max(first.end, second.start - 30) : second.start]
    if _COMING.search(before_first) or _LEAVING.search(before_second):
        return second, first
    if _LEAVING.search(before_first) or _COMING.search(before_second):
        return first, second
    if _SUCCEEDS.search(before_second):
        return second, first
    if _INSTEAD_OF.search(before_first):
        return first, second
    if _is_newcomer(text, first) and not _is_newcomer(text, second):
        # "elle sera remplacée par notre psychomotricien, M. Mathis ROUX … l'inscription
        # de Mme Hélène CHAZALON est à annuler": the one the hand-over points at comes in.
        return second, first
    between = text[max(0, first.start - 60) : second.start]
    if (
        _FLIPPED.search(between)
        or _INSTEAD_OF.search(text[first.end : second.start])
        or _TAKES_OVER.match(_bare(text[first.end : second.start]))
    ):
        return second, first
    return first, second


def _once(people: list[PersonMention]) -> list[PersonMention]:
    """Each person at their first mention ("M. Hugo BARBIER, malade, … :" then "M. Hugo
    BARBIER --> Mme Solène GRANGER"), with the address a later mention gives, if one."""
    kept: list[PersonMention] = []
    for person in people:
        index = next((i for i, known in enumerate(kept) if _same(known, person)), None)
        if index is None:
            kept.append(person)
        elif kept[index].email is None and person.email is not None:
            kept[index] = replace(kept[index], email=person.email)
    return kept


# "substituer Mme Y (y@…) à M. X": the one substituted comes in; "substituer M. X par
# Mme Y", as people also write it, the one substituted goes.
_SUBSTITUTE_VERB = re.compile(r"substitu(?:er|ez|ons)\s+$", re.IGNORECASE)
# "Merci de lui substituer M. Y": whoever "lui" stands for goes, the one named comes in.
_SUBSTITUTE_FOR_HER = re.compile(r"\b(?:lui|leur)\s+substitu(?:er|ez|ons)\s+$", re.IGNORECASE)
_THEN_TO = re.compile(r"^\s*,?\s*[àa]\s")
_THEN_BY = re.compile(r"^\s*,?\s*par\s")


def _substituted(
    text: str, people: list[PersonMention]
) -> tuple[PersonMention, PersonMention] | None:
    """(replaced, replacement) when one of two people is the object of "substituer"."""
    if len(people) != 2:
        return None
    for index, person in enumerate(people):
        if not _SUBSTITUTE_VERB.search(text[max(0, person.start - 20) : person.start]):
            continue
        other = people[1 - index]
        after = _bare(text[person.end : person.end + 120])
        if _SUBSTITUTE_FOR_HER.search(text[max(0, person.start - 30) : person.start]):
            return other, person
        if _THEN_TO.match(after):
            return other, person
        if _THEN_BY.match(after):
            return person, other
    return None


def _is_newcomer(text: str, person: PersonMention) -> bool:
    before = text[max(0, person.start - 120) : person.start]
    return bool(_BEFORE_NEWCOMER.search(before) or _AFTER_NEWCOMER.match(_after(text, person)))


def _after(text: str, person: PersonMention) -> str:
    """What follows a name, its address written after it left out."""
    rest = text[person.end : person.end + 120]
    if person.email and person.email in rest:
        rest = rest[rest.index(person.email) + len(person.email) :].lstrip(")> ")
    return rest


def _short_before(text: str, newcomer: PersonMention) -> PersonMention | None:
    """ "Mme Dupin ne pourra pas venir ; M. Paul ROUX la remplacera": the one person
    named by a civility and a family name alone before the newcomer."""
    found = list(_SHORT_PERSON.finditer(text, 0, newcomer.start))
    if len(found) != 1:
        return None
    match = found[0]
    civility = parse_civility(match["civ"])
    return PersonMention(civility, None, match["name"], None, match.start(), match.end())


def _around_newcomer(
    text: str, people: list[PersonMention]
) -> tuple[PersonMention, PersonMention] | None:
    """With more people named (the director the request is written for), the newcomer
    is the one the replacing words point at, the replaced one the last named before."""
    comers = [i for i, p in enumerate(people) if i > 0 and _is_newcomer(text, p)]
    if len(comers) != 1:
        return None
    index = comers[0]
    before = [p for p in people[:index] if not on_behalf(text, p)]
    return (before[-1], people[index]) if before else None


# "Mme Y, qui reprend le poste de M. X, suivra le webinaire": the one succeeded goes.
_SUCCEEDS = re.compile(
    r"(?:reprend|reprendra|reprenant)\s+(?:le\s+poste|les\s+fonctions|le\s+dossier)\s+"
    r"(?:de|d')\s*$|succ[èe]de(?:ra)?\s+[àa]\s*$|succ[ée]dant\s+[àa]\s*$|"
    r"(?:successeur|successeure|successrice)\s+de\s*$",
    re.IGNORECASE,
)


# "Mme Y (y@x.fr) remplacera M. X": the verb right between the two, the newcomer first;
# her job may come between ("Mlle Y, éducatrice spécialisée, remplacera Mme X"), and so
# may "qui". Anything else ("M. X, que remplacera Mme Y") keeps the usual order.
_TAKES_OVER = re.compile(
    r"^[\s,]*(?:,?[^,.;:!?\n]{1,60},\s*)?(?:qui\s+)?(?:remplacera|remplace|va remplacer|"
    r"prendra la place de|will replace|replaces|is replacing|will take the place of)\s*$",
    re.IGNORECASE,
)


def _bare(between: str) -> str:
    """``between`` without the addresses and brackets written after a name."""
    return re.sub(r"\([^)]*\)|\[[^\]]*\]|<[^>]*>|" + EMAIL_RE.pattern, " ", between)


def others_named(
    text: str,
    pair: tuple[PersonMention | None, PersonMention | None],
    signers: tuple[str, ...] = (),
) -> list[PersonMention]:
    """People named besides the replaced one and the replacement: a second swap, or a
    participant to add. The request is then no plain replacement and a person reads it.

    ``signers`` are the senders' display names: a signature "Mme Anne ROUX" is no one's
    place; nor is the director a request is written for ("de la part de Mme X").
    """
    signed = {w for name in signers for w in fold(name).split() if len(w) > 1}
    known = [p for p in pair if p is not None]
    known_names = set().union(_TITLES, *(_words(other) for other in known))
    others: list[PersonMention] = []
    for person in find_people(text):
        if any(_same(person, other) for other in [*known, *others]):
            continue
        words = _words(person)
        after = _after(text, person)
        if words <= signed or on_behalf(text, person) or _STAYS.match(after):
            continue
        if _MANAGES.match(after):
            continue  # "En l'absence de Mme X, gestionnaire de notre inscription, …": no seat
        # Two cells of a table read as one name ("Nadia BENSAÏD | Monsieur Loïc TANGUY"):
        # it holds the people already known, and no one else.
        if words <= known_names:
            continue
        others.append(person)
    return others


_TITLES = frozenset({"monsieur", "madame", "mademoiselle", "mme", "mlle", "m", "mr", "m."})
# "Mme Lucie BARRAL reste inscrite", "Mr Marc THILL remains registered": a colleague the
# swap leaves as she was.
_STAYS = re.compile(
    r"^[\s,]*(?:(?:reste|demeure|est\s+toujours|restera)\s+inscrite?\b|"
    r"(?:maintient|conserve|garde)\s+son\s+inscription\b|"
    r"(?:participera|assistera)\s+(?:toujours|bien|comme\s+pr[ée]vu)\b|"
    r"(?:remains|stays|is\s+still)\s+registered\b|will\s+(?:still|also)\s+attend\b)",
    re.IGNORECASE,
)


# "Mme Valérie GIRAUD, gestionnaire de notre inscription": who manages the registration,
# named to say why someone else writes; she holds no seat the swap changes.
_MANAGES = re.compile(
    r"^[\s,]*(?:\([^)]*\)[\s,]*)?(?:gestionnaire|responsable|r[ée]f[ée]rente?|"
    r"interlocut\w+)\s+(?:de\s+|du\s+)(?:notre\s+|l'|la\s+|cette\s+|ce\s+)?"
    r"(?:inscription|dossier)\b",
    re.IGNORECASE,
)


def _words(person: PersonMention) -> set[str]:
    return set(fold(f"{person.first_name or ''} {person.last_name or ''}").split())


def _same(one: PersonMention, other: PersonMention) -> bool:
    """The same person named again, perhaps without the first name ("Mme DE LA COSTE");
    not "M. MARTIN" and "Mme Anne MARTIN"."""
    if fold(one.last_name or "") != fold(other.last_name or ""):
        return False
    if one.civility and other.civility and one.civility != other.civility:
        return False
    firsts = {fold(one.first_name or ""), fold(other.first_name or "")}
    return len(firsts - {""}) <= 1
