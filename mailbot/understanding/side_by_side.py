"""Two sections set side by side in a table, read one after the other.

A form retyped in two columns puts "Organisme-client" and "Gestionnaire de
l'inscription" on one row, then each label over its value, row by row:
"Dénomination | Adresse e-mail", "ACME | a.roux@acme.fr", "Adresse postale |
Prénom et NOM"... Read row by row, a label meets the other column's value. A row
of two headings and nothing else opens such a block; each column is then read
down, the left one first, up to a heading alone ("Participants") or a row of
three cells or more (a table). A page's lines laid out the same way are put apart
by their geometry before they get here (``documents.lines.columns_apart``). A mail
that flattened the two blocks one after the other under their row of headings
(``blocks_flattened``) gets each heading put back over its own block.
"""

from __future__ import annotations

from collections.abc import Sequence

from mailbot.understanding.labels import (
    MANAGER_FIELDS,
    Field,
    Section,
    exact_field,
    is_heading,
    section_for,
)

Row = Sequence[str]


def sections_apart(rows: Sequence[Row]) -> list[Row]:
    """``rows`` with every block of two sections side by side read column by column."""
    out: list[Row] = []
    index = 0
    while index < len(rows):
        columns = _headings(rows[index])
        if not columns:
            out.append(rows[index])
            index += 1
            continue
        paired = _pairs_below(rows, index, columns)
        if paired:
            # "Dénomination | ACME | | Prénom et NOM | Anne ROUX": each block's label and
            # value side by side, the blocks too; each block read down, the left one first.
            end = index + 1 + paired
            left = [row[: columns[1]] for row in rows[index:end]]
            right = [row[columns[1] :] for row in rows[index:end]]
            out += [*(row for row in left if _filled(row)), ("",)]
            out += [*(row for row in right if _filled(row)), ("",)]
            index = end
            continue
        end = next((i for i in range(index + 1, len(rows)) if _ends(rows[i])), len(rows))
        out += _down(rows[index:end], columns)
        index = end
    return out


def _pairs_below(rows: Sequence[Row], index: int, columns: list[int]) -> int:
    """How many rows under the headings hold label/value pairs in each heading's two
    columns and nowhere else (an address's next line beside the other block's pair
    included); none unless the first of them labels both blocks."""
    left, right = columns
    if right - left < 2:
        return 0
    allowed = {left, left + 1, right, right + 1}
    count = 0
    for row in rows[index + 1 :]:
        filled = set(_filled(row))
        if not filled or not filled <= allowed:
            break
        if len(filled) == 1 and is_heading(row[min(filled)]):
            break
        count += 1
    if not count:
        return 0
    first = rows[index + 1]
    labels = [exact_field(first[i].strip(" :")) for i in (left, right) if i < len(first)]
    return count if len(labels) == 2 and all(labels) else 0


def _filled(row: Row) -> list[int]:
    return [i for i, cell in enumerate(row) if cell.strip()]


def _headings(row: Row) -> list[int]:
    """The columns of a row holding two headings and nothing else."""
    filled = _filled(row)
    return filled if len(filled) == 2 and all(is_heading(row[i]) for i in filled) else []


def _ends(row: Row) -> bool:
    filled = _filled(row)
    return len(filled) >= 3 or (len(filled) == 1 and is_heading(row[filled[0]]))


def _down(rows: Sequence[Row], columns: list[int]) -> list[Row]:
    """Each column's cells top to bottom, one column after the other, a blank row
    between; a cell belongs to the nearest heading at or left of it (a cell left of
    the first heading, to the first)."""
    out: list[Row] = []
    for number in range(len(columns)):
        start = columns[number] if number else 0
        stop = columns[number + 1] if number + 1 < len(columns) else None
        for row in rows:
            out += [(cell.strip(),) for cell in row[start:stop] if cell.strip()]
        out.append(("",))
    return out


def blocks_flattened(rows: Sequence[Row]) -> list[Row]:
    """ "Organisme-client | Gestionnaire de l'inscription" over the organisation's rows, then
    the manager's: two blocks set side by side that a mail flattened one after the other.
    Each heading is put back over its own block, before the first of the manager's labels."""
    for index, row in enumerate(rows):
        cells = [c.strip() for c in row if c.strip()]
        if len(cells) != 2 or [section_for(c) for c in cells] != [
            Section.ORGANISATION,
            Section.MANAGER,
        ]:
            continue
        block = rows[index + 1 :]
        fields = [exact_field(r[0].strip(" :")) if r and r[0].strip() else None for r in block]
        if not fields or fields[0] not in (Field.ORG_NAME, Field.ADDRESS):
            return list(rows)
        at = next((i for i, f in enumerate(fields) if f in MANAGER_FIELDS), None)
        if at is None or any(len([c for c in r if c.strip()]) > 2 for r in block[: at + 1]):
            return list(rows)  # the blocks still side by side: ``sections_apart``'s case
        return [*rows[:index], (cells[0],), *block[:at], (cells[1],), *block[at:]]
    return list(rows)
