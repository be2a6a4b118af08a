"""DOCX: paragraphs and tables in body order, tick boxes, pictures.

We walk the body's XML ourselves (python-docx opens the package and gives us
the body element) because python-docx's ``paragraphs`` and ``tables`` lists
lose the order between them, skip content controls and repeat merged cells.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

import docx
from lxml import etree

from mailbot.understanding.documents.glyphs import (
    checkboxes_in_text,
    symbol_box,
    symbol_font,
    symbol_text,
)
from mailbot.understanding.documents.guards import ExtractionRefused, Limits, check_zip
from mailbot.understanding.documents.model import Checkbox, Document, DocumentProblem, Source
from mailbot.understanding.documents.tables import Row, Table, clean_cell, render_table

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _w(tag: str) -> str:
    return f"{{{_W}}}{tag}"


# Elements that only wrap content: we look through them.
_WRAPPERS = frozenset({_w("sdt"), _w("sdtContent"), _w("customXml"), _w("smartTag")})
_PICTURES = frozenset(
    {
        "{http://schemas.openxmlformats.org/drawingml/2006/main}blip",
        "{urn:schemas-microsoft-com:vml}imagedata",
    }
)
_BOX_GLYPH = {True: "☒", False: "☐"}


_DOCUMENT_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
# A macro-enabled document (.docm) or a template (.dotx, .dotm) is the same body under
# another name, which python-docx refuses.
_OTHER_MAINS = (
    b"application/vnd.ms-word.document.macroEnabled.main+xml",
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    b"application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
)


def _as_document(data: bytes) -> bytes:
    """The package renamed a plain document when it is a .docm or a template."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        types = package.read("[Content_Types].xml")
        if not any(main in types for main in _OTHER_MAINS):
            return data
        for main in _OTHER_MAINS:
            types = types.replace(main, _DOCUMENT_MAIN)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as renamed:
            for member in package.infolist():
                content = (
                    types if member.filename == "[Content_Types].xml" else package.read(member)
                )
                renamed.writestr(member, content)
    return out.getvalue()


def _open(data: bytes) -> docx.document.Document:
    """The document; a package that names a part it does not hold (``docProps/app.xml``
    listed, never written, by some exporters) is opened without that link, as Word's
    repair does. Without ``word/document.xml`` it stays a KeyError."""
    try:
        return docx.Document(io.BytesIO(data))
    except KeyError:
        return docx.Document(io.BytesIO(_without_dangling_links(data)))


def _without_dangling_links(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = set(package.namelist())
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as repaired:
            for member in package.infolist():
                content = package.read(member)
                if member.filename.endswith(".rels"):
                    content = _kept_links(content, member.filename, names)
                repaired.writestr(member, content)
    return out.getvalue()


def _kept_links(rels: bytes, path: str, names: set[str]) -> bytes:
    """``rels`` without the internal links whose target is not in the package."""
    # "word/_rels/document.xml.rels" links from "word/"; "_rels/.rels" from the root.
    base = posixpath.dirname(posixpath.dirname(path))
    root = etree.fromstring(rels)
    for link in list(root):
        target = link.get("Target", "")
        if link.get("TargetMode") == "External" or not target:
            continue
        part = target.lstrip("/") if target.startswith("/") else posixpath.join(base, target)
        if posixpath.normpath(part) not in names:
            root.remove(link)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


@dataclass
class _Reading:
    """What the walk has collected so far."""

    lines: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    checkboxes: list[Checkbox] = field(default_factory=list)
    image_offsets: list[int] = field(default_factory=list)

    def offset(self) -> int:
        return sum(len(line) + 1 for line in self.lines)


def extract_docx(data: bytes, limits: Limits) -> Document:
    check_zip(data, limits)
    try:
        package = _open(_as_document(data))
        body = package.element.body
    except KeyError as error:  # a zip without word/document.xml
        raise ExtractionRefused(DocumentProblem.UNREADABLE, f"pas un DOCX ({error})") from error
    reading = _Reading()
    header, footer = _page_margins(package, body)
    for part in (header, list(_blocks(body)), footer):
        for block in part:
            _read_block(block, reading)
        if part:
            reading.lines.append("")  # a page margin's block ends where the body begins
    text = "\n".join(reading.lines).strip("\n")
    has_controls = bool(reading.checkboxes)
    return Document(
        filename=None,
        content_type="",
        source=Source.TYPED,
        text=text,
        tables=tuple(reading.tables),
        checkboxes=tuple(reading.checkboxes) or checkboxes_in_text(text),
        has_images=bool(reading.image_offsets),
        image_offsets=tuple(reading.image_offsets),
        notes=("cases à cocher Word",) if has_controls else (),
        remarks=tuple(_comments(package)),
    )


_COMMENTS_PART = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"


def _comments(package: docx.document.Document) -> list[str]:
    """Word comments (Révision > Nouveau commentaire), each as one line of its text."""
    remarks = []
    for relation in package.part.rels.values():
        if relation.reltype != _COMMENTS_PART or relation.is_external:
            continue
        root = etree.fromstring(relation.target_part.blob)
        for comment in root.iter(_w("comment")):
            text = " ".join("".join(t.text or "" for t in comment.iter(_w("t"))).split())
            if text:
                author = comment.get(_w("author"))
                remarks.append(
                    f"commentaire de {author} : {text}" if author else f"commentaire : {text}"
                )
    return remarks


# Labels of the form's own fields: a page header or footer holding one is part of the form
# ("Organisme de formation n° …" in a letterhead is not).
_FORM_LABELS = re.compile(
    r"d[ée]nomination|organisme[- ]client|adresse postale|gestionnaire de l'inscription|"
    r"fait [àa]\s*:|nom du signataire",
    re.IGNORECASE,
)


# The organisation's own labels: a form without them names it in its letterhead, if at all.
_ORGANISATION_LABELS = re.compile(
    r"d[ée]nomination|organisme[- ]client|raison sociale|nom de (?:la structure|l'organisme)|"
    r"adresse postale",
    re.IGNORECASE,
)
# A line of a letterhead's address: a postcode, then the town.
_TOWN_LINE = re.compile(r"(?m)^\s*\d{5}\s+[^\W\d]")


def _page_margins(
    package: docx.document.Document, body: etree._Element
) -> tuple[list[etree._Element], list[etree._Element]]:
    """The first section's page header and footer blocks, when they hold the form's own
    fields: a template may put the organisation block in the header and the signing
    block in the footer. A page number is left out, and so is a letterhead, unless
    the form names its organisation nowhere: the letterhead's name and address are then
    the organisation's, set at the top of the text as on the page."""
    if not package.sections:
        return [], []
    section = package.sections[0]
    found: list[list[etree._Element]] = []
    for number, margin in enumerate((section.header, section.footer)):
        try:
            element = margin._element
        except (KeyError, ValueError):  # a header part referenced but missing
            found.append([])
            continue
        text = "".join(t.text or "" for t in element.iter(_w("t")))
        kept = _FORM_LABELS.search(text) or (number == 0 and _letterhead_needed(element, body))
        found.append(list(_blocks(element)) if kept else [])
    return found[0], found[1]


def _letterhead_needed(header: etree._Element, body: etree._Element) -> bool:
    lines = "\n".join("".join(t.text or "" for t in p.iter(_w("t"))) for p in header.iter(_w("p")))
    written = "".join(t.text or "" for t in body.iter(_w("t")))
    return _TOWN_LINE.search(lines) is not None and _ORGANISATION_LABELS.search(written) is None


def _blocks(container: etree._Element) -> Iterator[etree._Element]:
    """Paragraphs, tables and rows of ``container``, looking through content controls."""
    for child in container:
        if _placeholder(child):
            continue
        if child.tag in _WRAPPERS:
            yield from _blocks(child)
        elif child.tag in (_w("p"), _w("tbl"), _w("tr"), _w("tc")):
            yield child


def _read_block(block: etree._Element, reading: _Reading) -> None:
    if block.tag == _w("tbl") and _lays_out(block):
        # A table that places tables side by side (the organisation beside the manager):
        # its cells are pages of their own, read one after the other.
        for row in _blocks(block):
            for cell in _blocks(row) if row.tag == _w("tr") else ():
                for inner in _blocks(cell):
                    _read_block(inner, reading)
    elif block.tag == _w("tbl"):
        rows, nested = _read_table(block, reading)
        reading.tables.append(rows)
        reading.tables.extend(nested)
        rendered = render_table(rows)
        if rendered:
            reading.lines.append(rendered)
    else:
        reading.lines.append(_paragraph_text(block, reading))


def _lays_out(table: etree._Element) -> bool:
    """Whether the table only places blocks: one or two cells a row, a table in one."""
    rows = [[c for c in _blocks(row) if c.tag == _w("tc")] for row in _blocks(table)
            if row.tag == _w("tr")]  # fmt: skip
    return all(len(cells) <= 2 for cells in rows) and any(
        inner.tag == _w("tbl") for cells in rows for cell in cells for inner in _blocks(cell)
    )


def _read_table(table: etree._Element, reading: _Reading) -> tuple[Table, list[Table]]:
    rows: list[Row] = []
    nested: list[Table] = []
    for row in _blocks(table):
        if row.tag != _w("tr") or _deleted_row(row):
            continue
        cells: list[str] = []
        for cell in _blocks(row):
            if cell.tag != _w("tc"):
                continue
            span = _grid_span(cell)
            if _continues_vertical_merge(cell):
                cells.extend([""] * span)  # the text sits in the first row of the merge
                continue
            cells.append(_cell_text(cell, reading, nested))
            cells.extend([""] * (span - 1))  # keep columns aligned with the other rows
        rows.append(tuple(cells))
    return tuple(rows), nested


def _cell_text(cell: etree._Element, reading: _Reading, nested: list[Table]) -> str:
    parts: list[str] = []
    for block in _blocks(cell):
        if block.tag == _w("tbl"):
            rows, deeper = _read_table(block, reading)
            nested.append(rows)
            nested.extend(deeper)
            parts.append(render_table(rows))
        elif block.tag == _w("p"):
            parts.append(_paragraph_text(block, reading))
    return clean_cell("\n".join(parts))


def _grid_span(cell: etree._Element) -> int:
    span = cell.find(f"{_w('tcPr')}/{_w('gridSpan')}")
    try:
        return max(1, min(int(span.get(_w("val"), "1")), 64)) if span is not None else 1
    except ValueError:
        return 1


def _continues_vertical_merge(cell: etree._Element) -> bool:
    merge = cell.find(f"{_w('tcPr')}/{_w('vMerge')}")
    return merge is not None and merge.get(_w("val"), "continue") == "continue"


def _paragraph_text(paragraph: etree._Element, reading: _Reading) -> str:
    """The paragraph's visible text; tick boxes become ☒/☐ and are recorded with their label."""
    pieces: list[str] = []
    boxes: list[tuple[int, bool]] = []  # (index in pieces, checked)
    for element in _visible(paragraph):
        tag = element.tag
        if tag == _w("t"):
            pieces.append(_run_text(element))
        elif tag == _w("sym"):  # a character from Word's symbol dialog
            pieces.append(_symbol(element))
        elif tag in (_w("tab"), _w("ptab")):
            pieces.append("\t")
        elif tag in (_w("br"), _w("cr"), _w("p")):  # a nested p is a text box line
            pieces.append("\n")
        elif tag in _PICTURES:
            reading.image_offsets.append(reading.offset() + len("".join(pieces)))
        elif tag == _w("sdt") or tag == _w("checkBox"):
            state = _checkbox_state(element)
            if state is not None:
                boxes.append((len(pieces), state))
                if tag == _w("checkBox"):  # legacy fields draw no glyph of their own
                    pieces.append(_BOX_GLYPH[state] + " ")
    for index, checked in boxes:
        label = "".join(pieces[index:]).lstrip("☒☐☑ \t").split("\t")[0].strip()
        label = label or "".join(pieces[:index]).strip()
        reading.checkboxes.append(Checkbox(label=label, checked=checked))
    return "".join(pieces)


def _symbol(sym: etree._Element) -> str:
    """The tick box a <w:sym> draws ("Wingdings" F0FE is ☑), or nothing: other symbols
    (arrows, phones, scissors) carry no value."""
    font = symbol_font(sym.get(_w("font"), ""))
    try:
        code = int(sym.get(_w("char"), ""), 16)
    except ValueError:
        return ""
    return (symbol_box(font, code) or "") if font else ""


_SYMBOL_RUN = 3  # characters: a tick box typed in a symbol font is a run of its own


def _run_text(text: etree._Element) -> str:
    """A <w:t>'s text; a box typed as a letter in Wingdings ("þ") becomes its glyph."""
    value = text.text or ""
    if not value or len(value) > _SYMBOL_RUN:
        return value
    run = text.getparent()
    fonts = None if run is None else run.find(f"{_w('rPr')}/{_w('rFonts')}")
    if fonts is None:
        return value
    for attribute in ("ascii", "hAnsi", "cs"):
        font = symbol_font(fonts.get(_w(attribute), ""))
        if font is not None:
            return symbol_text(font, value)
    return value


def _visible(element: etree._Element) -> Iterator[etree._Element]:
    """Descendants in order, skipping the duplicate fallback of compatibility blocks."""
    for child in element:
        if not isinstance(child.tag, str):
            continue  # comments and processing instructions
        if child.tag in _NOT_SHOWN or (child.tag == _w("r") and _struck_or_hidden(child)):
            continue
        yield child  # before its content: a checkbox control comes before its glyph
        if not _placeholder(child):
            yield from _visible(child)


# What Word does not show as the document's text: a compatibility block's duplicate,
# tracked deletions and the old place of moved text (the new place is shown).
_NOT_SHOWN = frozenset({f"{{{_MC}}}Fallback", _w("delText"), _w("del"), _w("moveFrom")})
_STRUCK_OR_HIDDEN = (_w("vanish"), _w("strike"), _w("dstrike"))


def _struck_or_hidden(run: etree._Element) -> bool:
    """A run of hidden text, or struck through: a writer strikes what no longer holds
    ("rayer la mention inutile", a participant who withdrew)."""
    properties = run.find(_w("rPr"))
    if properties is None:
        return False
    for tag in _STRUCK_OR_HIDDEN:
        mark = properties.find(tag)
        if mark is not None and mark.get(_w("val"), "true") not in ("0", "false", "off"):
            return True
    return False


def _deleted_row(row: etree._Element) -> bool:
    return row.find(f"{_w('trPr')}/{_w('del')}") is not None


def _placeholder(element: etree._Element) -> bool:
    """A content control still showing Word's prompt ("Cliquez ou appuyez ici pour entrer
    du texte.", "Choisissez un élément."): nothing was typed in it."""
    return (
        element.tag == _w("sdt")
        and element.find(f"{_w('sdtPr')}/{_w('showingPlcHdr')}") is not None
        and _checkbox_state(element) is None
    )


def _checkbox_state(element: etree._Element) -> bool | None:
    """Checked state of a content-control (w14) or legacy form-field tick box."""
    if element.tag == _w("sdt"):
        box = element.find(f"{_w('sdtPr')}/{{{_W14}}}checkbox")
        if box is None:
            return None
        checked = box.find(f"{{{_W14}}}checked")
        value = checked.get(f"{{{_W14}}}val", "1") if checked is not None else "0"
        return value in ("1", "true", "on")
    for name in ("checked", "default"):
        found = element.find(_w(name))
        if found is not None:
            return found.get(_w("val"), "1") in ("1", "true", "on")
    return False
