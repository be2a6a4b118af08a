"""Tick boxes typed as characters ("☒ jeudi 18 mars") read from plain text."""

from __future__ import annotations

import re

from mailbot.understanding.documents.model import Checkbox

CHECKED_GLYPHS = "☒☑✓✔✗✘⊠■▣"
UNCHECKED_GLYPHS = "☐□❑❏"
_BOX = re.compile(f"[{CHECKED_GLYPHS}{UNCHECKED_GLYPHS}]")


def checkboxes_in_text(text: str) -> tuple[Checkbox, ...]:
    """Each box glyph with the text that follows it on its line (or precedes it, at line end).

    Plain "X" or "[x]" marks are left to the form reader: without a glyph we
    cannot tell a tick from a letter.
    """
    found: list[Checkbox] = []
    for line in text.splitlines():
        marks = list(_BOX.finditer(line))
        for index, mark in enumerate(marks):
            end = marks[index + 1].start() if index + 1 < len(marks) else len(line)
            label = line[mark.end() : end].strip(" \t:-")
            if not label and index == 0:
                label = line[: mark.start()].strip(" \t:-")
            found.append(Checkbox(label=label, checked=mark.group() in CHECKED_GLYPHS))
    return tuple(found)
