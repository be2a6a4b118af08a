"""A participant table whose cells come one per line, put back into rows.

A Word table saved as text, or an HTML form turned into plain text by a mail
client, gives every cell its own line: "Dénomination" then "ADAPEI de la
Gironde"; "Civilité", "Prénom", "NOM", "Adresse e-mail de connexion" then
four lines per participant. The form reader pairs labels and values on one
row, so a participant header stacked over several lines takes the lines after it
by groups of its width, as long as each group looks like a participant (a
civility and an address where the header puts them). Anything else is left
as it came; a label alone on its line is the form reader's (``_pending``).
"""

from __future__ import annotations

from collections.abc import Sequence

from mailbot.understanding.labels import (
    Field,
    column_for,
    exact_column,
    field_for,
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


def _participant_like(cells: Row, columns: list[Field | None]) -> bool:
    for cell, column in zip(cells, columns, strict=True):
        if column is Field.CIVILITY and parse_civility(cell) is None:
            return False
        if column is Field.EMAIL and "@" not in cell:
            return False
        if column is not Field.EMAIL and "@" in cell:
            return False
    return True
