"""Tick boxes typed as characters ("☒ jeudi 18 mars") read from plain text."""

from __future__ import annotations

import re

from mailbot.understanding.documents.model import Checkbox

CHECKED_GLYPHS = "☒☑✓✔✗✘⊠■▣"
UNCHECKED_GLYPHS = "☐□❑❏"
_BOX = re.compile(f"[{CHECKED_GLYPHS}{UNCHECKED_GLYPHS}]")
# "vendredi 8 octobre 2027 de 9h30 à 17h00 | X": a mark after the date, in the next cell
# or typed at the end of the line beside a box left as printed.
MARK_AFTER = re.compile(
    r"^(?P<label>.*\d.*?)\s+(?:(?P<ticked>\[\s*[xX✓✔]\s*\]|[xX✓✔☒☑■▣])|(?P<empty>\[\s*\]|[☐□]))$"
)

# Word's symbol dialog writes a tick box as a letter of a symbol font: in Wingdings
# "¨" is an empty box and "þ" a ticked one. Only boxes are mapped: the same fonts'
# arrows, bullets and bare check marks ("ü") start the lines of Word's bulleted lists.
_SYMBOL_BOXES = {
    "wingdings": {0x6F: "☐", 0x71: "☐", 0x72: "☐", 0xA8: "☐", 0x78: "☒", 0xFD: "☒", 0xFE: "☑"},
    "wingdings 2": {0xA3: "☐", 0x51: "☒", 0x52: "☑", 0x53: "☒", 0x54: "☒"},
    # A PDF form's check box drawn in ZapfDingbats, as Acrobat's styles draw it (check
    # "4", cross "8", square "n"), kept on the page when the form is flattened.
    "zapfdingbats": {0x34: "✔", 0x38: "✘", 0x6E: "■", 0x6F: "❏", 0x71: "❑"},
}
_PRIVATE_USE_SYMBOLS = 0xF000  # Word also stores a symbol font's letter as U+F0xx


def symbol_font(name: str) -> str | None:
    """The symbol font whose boxes we know, from a font name as a document gives it."""
    font = name.strip(" \t'\"").lower()
    return font if font in _SYMBOL_BOXES else None


def symbol_box(font: str, code: int) -> str | None:
    """The box glyph a symbol font's character draws, or None when it is no box."""
    if _PRIVATE_USE_SYMBOLS <= code <= _PRIVATE_USE_SYMBOLS + 0xFF:
        code -= _PRIVATE_USE_SYMBOLS
    return _SYMBOL_BOXES[font].get(code)


def symbol_text(font: str, text: str) -> str:
    """Text written in a symbol font, its box characters turned into box glyphs."""
    return "".join(symbol_box(font, ord(char)) or char for char in text)


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
            checked = mark.group() in CHECKED_GLYPHS
            # "☐ vendredi 8 octobre 2027 X" or "… 2027 ✓": ticked beside the box, not in it.
            ticked_at_end = (
                index + 2 == len(marks)
                and marks[-1].group() in CHECKED_GLYPHS
                and not line[marks[-1].end() :].strip()
                and any(c.isdigit() for c in label)  # a date, as MARK_AFTER asks
            )
            if not checked and (after := MARK_AFTER.match(label)):
                label, checked = after["label"].strip(" \t:-"), bool(after["ticked"])
            elif not checked and ticked_at_end:
                found.append(Checkbox(label=label, checked=True))
                break
            found.append(Checkbox(label=label, checked=checked))
    return tuple(found)
