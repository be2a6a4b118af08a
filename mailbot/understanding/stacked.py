"""Cells that come one per line, put back in the order the form reader reads.

A Word table saved as text, or an HTML form turned into plain text by a mail
client, gives every cell its own line: "Dénomination" then "ADAPEI de la
Gironde"; "Civilité", "Prénom", "NOM", "Adresse e-mail de connexion" then
four lines per participant. The form reader pairs labels and values on one
row, so a participant header stacked over several lines takes the lines after it
by groups of its width, as long as each group looks like a participant (a
civility and an address where the header puts them), and a participant's
unlabelled lines under "Participant 1" are joined into one. Anything else is left
as it came; a label alone on its line is the form reader's (``_pending``).

Word text boxes may come out value first, label after ("aurelien@x.org" then
"Adresse e-mail"): when the values that can be told by their look (an e-mail
address, a phone number, a postcode) sit above their labels and none below, every label
takes the lines above it (``values_first``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from mailbot.understanding.emails import EMAIL_RE
from mailbot.understanding.labels import (
    Field,
    Section,
    column_for,
    exact_column,
    exact_field,
    field_for,
    is_heading,
    section_for,
)
from mailbot.understanding.names import parse_civility

Row = tuple[str, ...]

_MIN_HEADER = 3  # "Civilité", "Prénom", "NOM", ... stacked: at least three of them


def unstack(rows: Sequence[Sequence[str]]) -> list[Sequence[str]]:
    """``rows`` with stacked participant tables joined into rows."""
    out: list[Sequence[str]] = []
    index = 0
    while index < len(rows):
        numbered = _numbered_detail(rows, index)
        if numbered is not None:
            number, label, value, used = numbered
            if number != _last_number(out):
                out.append((f"Participant {number}",))
            out.append((f"{label} : {value}",))
            index += used
            continue
        block = _participant_block(rows, index)
        if block:
            out.append(rows[index])
            out.append((" ".join(block),))
            index += 1 + len(block)
            continue
        header = _stacked_header(rows, index)
        if header:
            people, used = _stacked_people(rows, index + len(header), header)
            if people:
                out.append(tuple(header))
                out.extend(people)
                index += len(header) + used
                continue
        out.append(rows[index])
        index += 1
    return out


def _single(row: Sequence[str]) -> str | None:
    cells = [c.strip() for c in row if c.strip()]
    return cells[0] if len(cells) == 1 else None


def _is_label(text: str) -> bool:
    key = text.rstrip(" :")
    return field_for(key) is not None or column_for(key) is not None or section_for(key) is not None


def _stacked_header(rows: Sequence[Sequence[str]], start: int) -> list[str]:
    header: list[str] = []
    for row in rows[start:]:
        text = _single(row)
        if text is None or exact_column(text.rstrip(" :")) is None:
            break
        header.append(text)
    columns = [exact_column(text.rstrip(" :")) for text in header]
    named = {Field.FIRST_NAME, Field.LAST_NAME, Field.FULL_NAME} & set(columns)
    if len(header) < _MIN_HEADER or not named or Field.EMAIL not in columns:
        return []
    return header


def _stacked_people(
    rows: Sequence[Sequence[str]], start: int, header: list[str]
) -> tuple[list[Row], int]:
    """Rows of ``len(header)`` cells taken from the lines after the header, and how many
    lines they used.

    A group that does not look like a participant ends the table. When it still
    holds a participant's cell (a civility, an address), it is kept as one more
    row, padded: a blank cell made it fall short, and that participant must
    reach a person as incomplete rather than vanish from the list.
    """
    columns = [exact_column(text.rstrip(" :")) for text in header]
    width = len(header)
    people: list[Row] = []
    index = start
    while index < len(rows):
        probe = index
        while probe < len(rows) and not any(c.strip() for c in rows[probe]):
            probe += 1  # blank lines between rows
        group = [_single(row) for row in rows[probe : probe + width]]
        complete = len(group) == width and all(cell and not _is_label(cell) for cell in group)
        cells = tuple(cell or "" for cell in group)
        if complete and _participant_like(cells, columns):
            people.append(cells)
            index = probe + width
            continue
        if people:
            rest: list[str] = []
            for cell in group:
                if cell is not None and _is_label(cell):
                    break
                rest.append(cell or "")
            if any(parse_civility(c) or "@" in c for c in rest):
                people.append(tuple(rest) + ("",) * (width - len(rest)))
                index = probe + len(rest)
        break
    return people, index - start


# "Participant 1 - Civilité": an online form's question for each detail of each participant.
_QUESTION = r"^participant(?:e)?\s*(?:n°\s*|no\s*)?(?P<n>\d{1,2})\s*[-–:]\s*(?P<label>[^:]{2,40}?)"
# The answer on the next line or in the next cell ...
_NUMBERED = re.compile(_QUESTION + r"\s*:?$", re.IGNORECASE)
# ... or after a colon on the same line: "Participant 1 – Title : Ms".
_NUMBERED_PAIR = re.compile(_QUESTION + r"\s*:\s*(?P<value>\S.*)$", re.IGNORECASE)


def _numbered_detail(rows: Sequence[Sequence[str]], index: int) -> tuple[str, str, str, int] | None:
    """(number, label, answer, rows used) for one participant's detail, or None."""
    head = _single(rows[index])
    cells = [c.strip() for c in rows[index] if c.strip()]
    following = _single(rows[index + 1]) if index + 1 < len(rows) else None
    found = None
    if (pair := _NUMBERED_PAIR.match(head or "")) is not None:
        found = pair["n"], pair["label"], pair["value"].strip(), 1
    elif len(cells) == 2 and (question := _NUMBERED.match(cells[0])) is not None:
        found = question["n"], question["label"], cells[1], 1  # an HTML table's row
    elif (question := _NUMBERED.match(head or "")) is not None and not (
        following is None or _is_label(following) or _NUMBERED.match(following)
    ):
        found = question["n"], question["label"], following, 2
    return found if found is not None and exact_column(found[1]) is not None else None


def _last_number(out: list[Sequence[str]]) -> str | None:
    for row in reversed(out):
        heading = _single(row)
        found = re.fullmatch(r"Participant (\d{1,2})", heading or "")
        if found:
            return found.group(1)
    return None


_BLOCK_LINES = range(2, 6)  # "Mme" / "Gaëlle" / "LEMARCHAND" / address, a function at most


def _participant_block(rows: Sequence[Sequence[str]], start: int) -> list[str]:
    """The unlabelled lines of one participant under its own heading ("Participant 1",
    then "Mme", "Gaëlle", "LEMARCHAND", the address), or nothing.

    Only a run of short lines with the address last, none a label nor labelled
    ("Prénom : Gaëlle" is the reader's own), is taken: the reader then sees the
    person on one line, as when it is typed that way.
    """
    heading = _single(rows[start])
    if heading is None or section_for(heading.rstrip(" :")) is not Section.PARTICIPANT:
        return []
    block: list[str] = []
    for row in rows[start + 1 : start + 1 + max(_BLOCK_LINES)]:
        text = _single(row)
        if text is None or ":" in text or _is_label(text) or len(text.split()) > 4:
            return []
        block.append(text)
        if "@" in text:
            break
    if len(block) not in _BLOCK_LINES or "@" not in block[-1] or any("@" in t for t in block[:-1]):
        return []
    return block


def _participant_like(cells: Row, columns: list[Field | None]) -> bool:
    for cell, column in zip(cells, columns, strict=True):
        if column is Field.CIVILITY and parse_civility(cell) is None:
            return False
        if column is Field.EMAIL and "@" not in cell:
            return False
        if column is not Field.EMAIL and "@" in cell:
            return False
    return True


# What a value looks like, for the fields whose values can be told by their look.
_LOOKS = {
    Field.MANAGER_EMAIL: re.compile(rf"^\s*{EMAIL_RE.pattern}\s*$"),
    Field.PHONE: re.compile(r"^[\s+().]*(?:\d[\s.\-/]*){9,14}$"),
    Field.ADDRESS: re.compile(r"\b\d{5}\b"),
}
_EVIDENCE = 2  # values above their label, none below: one alone may be a coincidence

# A row that is no value, and the values under it.
Run = tuple[Sequence[str] | None, list[Sequence[str]]]


def looks_like(field: Field | None, text: str) -> bool | None:
    """Whether ``text`` looks like a value of ``field``; None for a field whose values
    cannot be told by their look (a name, a service)."""
    look = _LOOKS.get(field) if field is not None else None
    return None if look is None else look.search(text) is not None


def values_first(rows: Sequence[Sequence[str]]) -> list[Sequence[str]]:
    """``rows`` with each label put back above its value when the form writes values
    first; as they came otherwise."""
    runs = _runs(rows)
    above = below = 0
    for index, (head, values) in enumerate(runs):
        found = exact_field(head[0]) if head and _bare(head) else None
        if looks_like(found, "") is None or index == 0:
            continue
        before = looks_like(found, " ".join(" ".join(v) for v in runs[index - 1][1]))
        after = looks_like(found, " ".join(" ".join(v) for v in values))
        above += bool(before) and not after
        below += bool(after) and not before
    if above < _EVIDENCE or below:
        return list(rows)
    out: list[Sequence[str]] = []
    for index, (head, values) in enumerate(runs):
        if head is not None:
            out.append(head)
            if _takes_above(runs, index):
                out.extend(runs[index - 1][1])
        if not _takes_above(runs, index + 1):
            out.extend(values)
    return out


_MAX_VALUE_LINES = 3  # a postal address on three lines; more is a page's text


def _takes_above(runs: list[Run], index: int) -> bool:
    """Whether the run at ``index`` opens on a label that takes the lines above it."""
    if not 0 < index < len(runs):
        return False
    head, above = runs[index][0], runs[index - 1][1]
    filled = [row for row in above if any(c.strip() for c in row)]
    return head is not None and _bare(head) and 0 < len(filled) <= _MAX_VALUE_LINES


def _runs(rows: Sequence[Sequence[str]]) -> list[Run]:
    runs: list[Run] = [(None, [])]
    for row in rows:
        text = _single(row)
        value = text is not None and ":" not in text and not _is_label(text)
        if value or not any(c.strip() for c in row):
            runs[-1][1].append(row)
        else:
            runs.append((row, []))
    return runs


def _bare(row: Sequence[str]) -> bool:
    """A label alone on its row, its value elsewhere."""
    text = _single(row)
    return (
        text is not None
        and ":" not in text
        and exact_field(text) is not None
        and not is_heading(text)  # "Organisme-client" heads a section, whatever it names
    )
