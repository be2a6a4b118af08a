"""Table rows as text lines, so a reader of ``Document.text`` sees tables too."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from mailbot.understanding.labels import is_label, opens_block

Row = tuple[str, ...]
Table = tuple[Row, ...]

_SPACES = re.compile(r"[ \t\u00a0\u202f]+")


def clean_cell(text: str) -> str:
    """One cell's text: inner lines kept, spaces collapsed, blank lines and Word's prompts
    dropped."""
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line and not WORD_PROMPT.fullmatch(line))


# What a Word content control shows until it is filled ("Cliquez ou appuyez ici pour
# entrer du texte."), kept as plain text once the file went through LibreOffice or a
# printer: a blank cell.
WORD_PROMPT = re.compile(
    r"(?:cliquez|appuyez)(?: ou appuyez)? ici pour (?:entrer|saisir|taper) (?:du texte|une date)\.?|"
    r"choisissez un [ée]l[ée]ment\.?|click(?: or tap)? here to enter (?:text|a date)\.?|"
    r"choose an item\.?",
    re.IGNORECASE,
)


def render_table(rows: Iterable[Sequence[str]]) -> str:
    """Tab-separated lines, one per row; empty rows are skipped.

    A cell's inner lines (an address typed on three lines) are joined with
    ", " so one row stays one line, which is how the form reader expects a
    postal address anyway; a line going on in lower case joins with a space.
    """
    lines = []
    for row in rows:
        if any(_block(cell) for cell in row):
            # Blocks laid side by side ("L'ORGANISME / Dénomination : / …" | "LE
            # GESTIONNAIRE / …"): each cell is read down, one after the other.
            for cell in row:
                lines.extend([*_labels_with_values(cell.split("\n")), ""])
            continue
        cells = [join_cell_lines(cell.split("\n")) for cell in row]
        if any(cells):
            lines.append("\t".join(cells).rstrip("\t"))
    return "\n".join(lines).strip("\n")


# A line that goes on the one above: a long name wrapped in lower case
# ("…de l'Enseignement Public" / "de la Haute-Garonne (PEP 31)"), "Délégation" / "des Landes".
GOES_ON = re.compile(r"(?:et|de|du|des|la|le|les|à|au|aux|en|pour|sur)\s|[dl]'\w")


_HYPHENATED = re.compile(r"\w{3}- [a-zà-ÿ]")


def join_cell_lines(lines: Sequence[str]) -> str:
    """A cell's lines as one: ", " between the lines of an address, a space before a
    line that goes on the one above, and between a label's ("Adresse de" / "facturation"
    / "(voie, BP, code postal, ville)", "Civi-" / "lité")."""
    if len(lines) > 1 and is_label(spoken := " ".join(line.strip() for line in lines)):
        return spoken.replace("- ", "") if _HYPHENATED.search(spoken) else spoken
    joined = lines[0] if lines else ""
    for line in lines[1:]:
        # "Thierry VIDAL," over "Directeur du village": the comma is written already.
        written = joined.rstrip().endswith((",", ";"))
        joined = joined.rstrip() + (" " if GOES_ON.match(line) or written else ", ") + line
    return joined


def _labels_with_values(lines: list[str]) -> list[str]:
    """ "Dénomination :" over "ACME": in a block the value sits under its label."""
    out: list[str] = []
    for line in lines:
        if out and out[-1].rstrip().endswith(":") and ":" not in line:
            out[-1] = f"{out[-1].rstrip()} {line}"
        else:
            out.append(line)
    return out


def _block(cell: str) -> bool:
    """A cell holding a block of the form: several lines, two of them labelled ("Fait à :
    Aurillac" / "Le : 30 septembre 2026"), or under a section's heading
    ("Organisme-client" / "Dénomination" / "ACME" / …)."""
    lines = cell.split("\n")
    labelled = sum(1 for line in lines if re.search(r"\S\s*:(?:\s|$)", line))
    return labelled >= 2 or opens_block(lines)


def trim_table(rows: Iterable[Sequence[str]]) -> Table:
    """Drop blank sheet areas: trailing empty cells, fully empty rows, and the
    leading columns empty in every row (a margin left before the form)."""
    kept: list[Row] = []
    for row in rows:
        cells = list(row)
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            kept.append(tuple(cells))
    margin = min((_leading_blanks(row) for row in kept), default=0)
    return tuple(row[margin:] for row in kept) if margin else tuple(kept)


def _leading_blanks(row: Row) -> int:
    return next((i for i, cell in enumerate(row) if cell), len(row))
