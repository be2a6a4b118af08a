"""AcroForm widgets of a PDF: field name, value, tick state and where they sit on the page."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import pypdf
from pypdf.generic import DictionaryObject

from mailbot.understanding.documents.lines import COLUMN_GAP, Word

_OFF = ("/Off", "Off", "")


@dataclass(frozen=True, slots=True)
class Widget:
    """One visible form field, in top-left page coordinates (pdfplumber's)."""

    page: int
    name: str
    value: str
    is_checkbox: bool
    checked: bool
    x0: float
    top: float
    x1: float
    bottom: float
    label: str = ""

    def as_word(self) -> Word | None:
        """What the reader sees on the page: the typed value or the box's tick."""
        if self.is_checkbox:
            text = "☒" if self.checked else "☐"
        else:
            # A multi-line field (a postal address) becomes one line: the form
            # reader joins address lines with ", " anyway.
            text = ", ".join(part.strip() for part in self.value.splitlines() if part.strip())
        if not text:
            return None
        return Word(
            text=text, x0=self.x0, x1=self.x1, top=self.top, bottom=self.bottom, is_field=True
        )


def read_widgets(reader: pypdf.PdfReader) -> list[Widget]:
    """All field widgets, page by page, in the order they appear in each page's annotations."""
    found: list[Widget] = []
    for index, page in enumerate(reader.pages):
        page_top = float(page.mediabox.top)
        for reference in page.get("/Annots") or []:
            annotation = reference.get_object()
            if isinstance(annotation, DictionaryObject) and annotation.get("/Subtype") == "/Widget":
                widget = _widget(annotation, index, page_top)
                if widget is not None:
                    found.append(widget)
    return found


def read_typed_notes(reader: pypdf.PdfReader) -> list[Widget]:
    """Text typed over the page with Acrobat's "Remplir et signer" or typewriter tool:
    FreeText annotations, shown where they sit like a field's value."""
    found: list[Widget] = []
    for index, page in enumerate(reader.pages):
        page_top = float(page.mediabox.top)
        for reference in page.get("/Annots") or []:
            annotation = reference.get_object()
            if not isinstance(annotation, DictionaryObject):
                continue
            text = _as_text(annotation.get("/Contents"))
            if annotation.get("/Subtype") != "/FreeText" or not text:
                continue
            x0, y0, x1, y1 = (float(v) for v in annotation.get("/Rect", [0, 0, 0, 0]))
            note = Widget(
                page=index, name="", value=text, is_checkbox=False, checked=False,
                x0=min(x0, x1), top=page_top - max(y0, y1), x1=max(x0, x1),
                bottom=page_top - min(y0, y1),
            )  # fmt: skip
            found.append(note)
    return found


def _widget(annotation: DictionaryObject, page: int, page_top: float) -> Widget | None:
    kind = _inherited(annotation, "/FT")
    name = _full_name(annotation)
    if kind is None or not name:
        return None
    x0, y0, x1, y1 = (float(v) for v in annotation.get("/Rect", [0, 0, 0, 0]))
    is_checkbox = kind == "/Btn"
    if is_checkbox:
        state = str(annotation.get("/AS", _inherited(annotation, "/V") or "/Off"))
        checked = state not in _OFF
        value = state.lstrip("/")
    else:
        checked = False
        value = _as_text(_inherited(annotation, "/V"))
    label = _as_text(_inherited(annotation, "/TU"))
    return Widget(
        page=page,
        name=name,
        value=value,
        is_checkbox=is_checkbox,
        checked=checked,
        x0=min(x0, x1),
        top=page_top - max(y0, y1),
        x1=max(x0, x1),
        bottom=page_top - min(y0, y1),
        label=label,
    )


def label_from_words(widget: Widget, words: list[Word]) -> Widget:
    """Name a tick box by the words printed just right of it (or left, at a line's end)."""
    if not widget.is_checkbox:
        return widget
    height = widget.bottom - widget.top
    row = sorted(
        (w for w in words if widget.top - height / 2 <= w.middle <= widget.bottom + height / 2),
        key=lambda w: w.x0,
    )
    right = _run([w for w in row if w.x0 >= widget.x1 - 1], forward=True)
    left = _run([w for w in row if w.x1 <= widget.x0 + 1], forward=False)
    label = right or left or widget.label or widget.name
    return replace(widget, label=label)


def _run(words: list[Word], *, forward: bool) -> str:
    """Adjacent words until the first column-sized gap."""
    ordered = words if forward else list(reversed(words))
    taken: list[Word] = []
    for word in ordered:
        if taken:
            gap = word.x0 - taken[-1].x1 if forward else taken[-1].x0 - word.x1
            if gap > COLUMN_GAP * word.height:
                break
        taken.append(word)
    if not forward:
        taken.reverse()
    return " ".join(w.text for w in taken)


def _inherited(annotation: DictionaryObject, key: str) -> Any:
    """A field attribute, looked up the /Parent chain as the PDF spec says."""
    node: Any = annotation
    for _ in range(32):  # a cyclic /Parent chain must not loop forever
        if node is None:
            return None
        if key in node:
            return node[key]
        parent = node.get("/Parent")
        node = parent.get_object() if parent is not None else None
    return None


def _full_name(annotation: DictionaryObject) -> str:
    parts: list[str] = []
    node: Any = annotation
    for _ in range(32):
        if node is None:
            break
        if "/T" in node:
            parts.append(str(node["/T"]))
        parent = node.get("/Parent")
        node = parent.get_object() if parent is not None else None
    return ".".join(reversed(parts))


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):  # a multi-select choice
        return ", ".join(str(v) for v in value)
    return str(value).strip()
