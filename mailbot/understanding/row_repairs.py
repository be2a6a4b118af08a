"""Table rows a layout broke, mended before the form is read.

A participants table whose header takes two rows under a merged "Participant(e)" (or
sets that heading between "Prénom" and "NOM" when a PDF puts it on one line), and a
civility chosen by ticking one of two boxes ("☐ M. ☒ Mme"), are put back as the
one-row header and the one civility cell the form reader expects.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from mailbot.understanding.documents.glyphs import CHECKED_GLYPHS, UNCHECKED_GLYPHS
from mailbot.understanding.labels import Field, exact_column
from mailbot.understanding.names import parse_civility

Row = Sequence[str]


def mended_rows(rows: list[Row]) -> list[Row]:
    """``rows`` with ticked civilities as one cell and every header as one row."""
    return _headers_on_two_rows([_without_group_heading(_ticked_civility(row)) for row in rows])


def _headers_on_two_rows(rows: list[Row]) -> list[Row]:
    """ "N° | Civilité | Participant(e) | | Courriel" over " | | Prénom | NOM": a table's
    header whose merged cell heads the columns named in the row under it, as one row."""
    merged: list[Row] = []
    index = 0
    while index < len(rows):
        row = [cell.strip() for cell in rows[index]]
        below = [cell.strip() for cell in rows[index + 1]] if index + 1 < len(rows) else []
        named = [j for j, cell in enumerate(below) if cell]
        if (
            len(row) >= 3
            and sum(exact_column(cell) is not None for cell in row if cell) >= 2
            and len(named) >= 2
            and all(j < len(row) for j in named)
            and all(exact_column(below[j]) is not None for j in named)
            and all(_heads_the_one_below(row[j], below[j]) for j in named)
        ):
            merged.append(tuple(below[j] if j < len(below) and below[j] else row[j]
                                for j in range(len(row))))  # fmt: skip
            index += 2
            continue
        merged.append(rows[index])
        index += 1
    return merged


def _without_group_heading(row: Row) -> Row:
    """ "N° | Civilité | Prénom | Participant(e) | NOM | …": the heading of a header cell
    merged over "Prénom" and "NOM", set between them on one line by the PDF, is no
    column of its own."""
    cells = [cell.strip() for cell in row]
    columns = [exact_column(cell) if cell else None for cell in cells]
    if (
        len(cells) < 4
        or Field.FIRST_NAME not in columns
        or Field.LAST_NAME not in columns
        or columns.count(Field.FULL_NAME) != 1
        or sum(column is not None for column in columns) < len(cells) - 1
    ):
        return row
    at = columns.index(Field.FULL_NAME)
    beside = {columns[at - 1] if at > 0 else None, columns[at + 1] if at + 1 < len(cells) else None}
    if not beside & {Field.FIRST_NAME, Field.LAST_NAME}:
        return row
    return (*cells[:at], *cells[at + 1 :])


def _heads_the_one_below(head: str, below: str) -> bool:
    """Whether a header cell may stand over ``below`` in a header of two rows: empty, a
    group's heading ("Participant(e)" over "Prénom" and "NOM"), or no column at all."""
    found = exact_column(head) if head else None
    names = (Field.FIRST_NAME, Field.LAST_NAME)
    return found is None or (found is Field.FULL_NAME and exact_column(below) in names)


def _ticked_civility(row: Row) -> Row:
    """ "☐ | M. | ☒ | Mme | Nathalie | GUÉRIN | …": a civility chosen by ticking its box,
    as one cell ("Mme"); empty when no box or both are ticked (a person looks), and a row
    of unticked boxes alone is a blank row."""
    cells = [cell.strip() for cell in row]
    pairs: list[tuple[str, str]] = []
    index = 0
    while index < len(cells):
        paired = _BOXED_CIVILITY.fullmatch(cells[index])
        if paired is not None:
            pairs.append((paired["box"], paired["civility"]))
            index += 1
        elif (
            index + 1 < len(cells)
            and _BOX_ALONE.fullmatch(cells[index])
            and parse_civility(cells[index + 1]) is not None
        ):
            pairs.append((cells[index], cells[index + 1]))
            index += 2
        else:
            break
    if len(pairs) < 2:
        return row
    ticked = [civility for box, civility in pairs if box in CHECKED_GLYPHS]
    rest = cells[index:]
    if not any(rest):
        return ("",)
    return (ticked[0] if len(ticked) == 1 else "", *rest)


_BOX_ALONE = re.compile(f"[{CHECKED_GLYPHS}{UNCHECKED_GLYPHS}]")
_BOXED_CIVILITY = re.compile(
    f"(?P<box>[{CHECKED_GLYPHS}{UNCHECKED_GLYPHS}])\\s*(?P<civility>M\\.?|Mr|Mme|Mlle|Melle|"
    "Monsieur|Madame|Mademoiselle)"
)
