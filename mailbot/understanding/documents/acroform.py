"""A PDF's annotations: AcroForm widgets (field name, value, tick state and where they sit on
the page), text typed over the page, and the remarks a person left on it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import pypdf
from pypdf.generic import ContentStream, DictionaryObject, TextStringObject

from mailbot.understanding.dates import compact
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


def _annotations(reader: pypdf.PdfReader) -> Iterator[tuple[int, float, DictionaryObject]]:
    """Each page's annotations in order, with the page's index and top (for coordinates)."""
    for index, page in enumerate(reader.pages):
        page_top = float(page.mediabox.top)
        for reference in page.get("/Annots") or []:
            annotation = reference.get_object()
            if isinstance(annotation, DictionaryObject):
                yield index, page_top, annotation


def read_widgets(reader: pypdf.PdfReader) -> list[Widget]:
    """All field widgets, page by page, in the order they appear in each page's annotations."""
    found: list[Widget] = []
    for index, page_top, annotation in _annotations(reader):
        if annotation.get("/Subtype") == "/Widget":
            widget = _widget(annotation, index, page_top)
            if widget is not None:
                found.append(widget)
    return found


def read_typed_notes(reader: pypdf.PdfReader) -> list[Widget]:
    """Text typed over the page with Acrobat's "Remplir et signer" or typewriter tool:
    FreeText annotations, shown where they sit like a field's value."""
    found: list[Widget] = []
    for index, page_top, annotation in _annotations(reader):
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


def read_ink_strokes(reader: pypdf.PdfReader) -> dict[int, list[dict[str, object]]]:
    """Where each stroke drawn by hand over a page sits, page by page: a check drawn in a
    session's box with "Remplir et signer" is no character and no field."""
    found: dict[int, list[dict[str, object]]] = {}
    for index, page_top, annotation in _annotations(reader):
        if annotation.get("/Subtype") != "/Ink":
            continue
        # The strokes' own points: the /Rect has room for the pen's width around them.
        points = [float(v) for stroke in annotation.get("/InkList") or [] for v in stroke]
        xs, ys = points[0::2], points[1::2]
        if not xs:
            xs, ys = _corners(annotation)
        x0, y0, x1, y1 = min(xs), min(ys), max(xs), max(ys)
        found.setdefault(index, []).append(
            {"x0": x0, "x1": x1, "top": page_top - y1, "bottom": page_top - y0,
             "object_type": "ink"}
        )  # fmt: skip
    return found


def _corners(annotation: DictionaryObject) -> tuple[list[float], list[float]]:
    x0, y0, x1, y1 = (float(v) for v in annotation.get("/Rect", [0, 0, 0, 0]))
    return [x0, x1], [y0, y1]


# Annotations a reader adds to comment on a page, the remark in their /Contents.
_COMMENTS = frozenset({
    "/Text", "/Highlight", "/Underline", "/Squiggly", "/Caret", "/Square", "/Circle",
    "/Line", "/Polygon", "/PolyLine",
})  # fmt: skip


def ink_drawn(reader: pypdf.PdfReader) -> bool:
    """A stroke drawn by hand over a page (Acrobat's "Remplir et signer" signature)."""
    return any(a.get("/Subtype") == "/Ink" for _, _, a in _annotations(reader))


def read_remarks(reader: pypdf.PdfReader) -> list[str]:
    """What someone left on the pages for the reader, in French: sticky notes and comments,
    struck-out text, a file pinned to a page, and a field that shows another value than
    the one it holds (a viewer shows the drawing, our reader the value)."""
    remarks: list[str] = []
    redrawn = _regenerated(reader)
    for index, _, annotation in _annotations(reader):
        where = f"page {index + 1}"
        subtype = annotation.get("/Subtype")
        text = _as_text(annotation.get("/Contents"))
        if subtype == "/StrikeOut":
            remarks.append(f"texte barré {where}" + (f" : {text}" if text else ""))
        elif subtype in _COMMENTS and text:
            remarks.append(f"note {where} : {text}")
        elif subtype == "/FileAttachment":
            remarks.append(f"fichier épinglé {where}")
        elif subtype == "/Widget" and not redrawn:
            remarks += _shown_otherwise(annotation, reader, where)
    return remarks


def _regenerated(reader: pypdf.PdfReader) -> bool:
    """/NeedAppearances: the viewer draws every field from its value, old drawings unseen."""
    form = reader.root_object.get("/AcroForm")
    form = form.get_object() if form is not None else None
    if not isinstance(form, DictionaryObject):
        return False
    return getattr(form.get("/NeedAppearances"), "value", False) is True  # a BooleanObject


def _shown_otherwise(
    annotation: DictionaryObject, reader: pypdf.PdfReader, where: str
) -> list[str]:
    if _inherited(annotation, "/FT") != "/Tx" or "/AA" in annotation:
        return []  # a tick box, or a value the viewer formats ("1250" shown "1 250,00 €")
    value = _as_text(_inherited(annotation, "/V"))
    shown = _drawn_text(annotation, reader)
    if not value or not shown or compact(shown) == compact(value):
        return []
    return [f"le champ « {_full_name(annotation)} » ({where}) affiche « {shown} » "
            f"mais contient « {value} »"]  # fmt: skip


def _drawn_text(annotation: DictionaryObject, reader: pypdf.PdfReader) -> str:
    """The strings a field's normal appearance draws, or "" when it draws none we can read
    (glyph codes of an embedded font say nothing of the letters)."""
    appearance = annotation.get("/AP")
    appearance = appearance.get_object() if appearance is not None else None
    if not isinstance(appearance, DictionaryObject) or "/N" not in appearance:
        return ""
    normal = appearance["/N"].get_object()
    if not hasattr(normal, "get_data"):
        return ""
    pieces: list[str] = []
    for operands, operator in ContentStream(normal, reader).operations:
        if operator in (b"Tj", b"'", b'"') and operands:
            pieces.append(_string(operands[-1]))
        elif operator == b"TJ" and operands:
            pieces.append(
                "".join(_string(o) for o in operands[0] if not isinstance(o, float | int))
            )
    shown = " ".join(p for p in pieces if p).strip()
    legible = sum(c.isprintable() for c in shown)
    return shown if shown and legible >= 0.9 * len(shown) else ""


def _string(operand: Any) -> str:
    if isinstance(operand, TextStringObject):
        return str(operand)
    if isinstance(operand, bytes):
        return operand.decode("cp1252", "replace")
    return ""


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
