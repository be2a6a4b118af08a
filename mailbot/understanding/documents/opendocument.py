"""ODT and ODS (LibreOffice): text in body order, tables with their cells.

We read ``content.xml`` with lxml rather than odfpy's DOM: the DOM builds
slowly on big sheets and its text helper flattens tables; the XML is plain
and its few rules (spaces, spans, repeated cells) are spelled out below.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

from lxml import etree

from mailbot.understanding.documents.glyphs import checkboxes_in_text
from mailbot.understanding.documents.guards import ExtractionRefused, Limits, check_zip
from mailbot.understanding.documents.model import Document, DocumentProblem, Source
from mailbot.understanding.documents.spreadsheet import MAX_COLUMNS, MAX_ROWS, sheets_document
from mailbot.understanding.documents.tables import Row, Table, clean_cell, render_table, trim_table

_NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
}
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def _q(prefix: str, name: str) -> str:
    return f"{{{_NS[prefix]}}}{name}"


_PARAGRAPHS = (_q("text", "p"), _q("text", "h"))
_TABLE = _q("table", "table")
_ROW = _q("table", "table-row")
_CELLS = (_q("table", "table-cell"), _q("table", "covered-table-cell"))
_IMAGE = _q("draw", "image")


def extract_odt(data: bytes, limits: Limits) -> Document:
    body = _body(data, limits, "text")
    lines: list[str] = []
    tables: list[Table] = []
    images: list[int] = []
    for block in _laid_out(_blocks(body)):
        if block.tag == _TABLE:
            nested: list[Table] = []
            rows = _table(block, nested)
            tables.append(rows)
            tables.extend(nested)
            lines.append(render_table(rows))
        else:
            if block.find(f".//{_IMAGE}") is not None:
                images.append(sum(len(line) + 1 for line in lines))
            lines.append(_paragraph(block))
    text = "\n".join(lines).strip("\n")
    return Document(
        filename=None,
        content_type="",
        source=Source.TYPED,
        text=text,
        tables=tuple(tables),
        checkboxes=checkboxes_in_text(text),
        has_images=bool(images),
        image_offsets=tuple(images),
    )


def extract_ods(data: bytes, limits: Limits) -> Document:
    body = _body(data, limits, "spreadsheet")
    sheets = [_sheet(table) for table in body.iter(_TABLE)]
    return sheets_document(sheets)


def _body(data: bytes, limits: Limits, kind: str) -> etree._Element:
    check_zip(data, limits)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if "content.xml" not in archive.namelist():
            raise ExtractionRefused(DocumentProblem.UNREADABLE, "content.xml absent du fichier")
        root = etree.fromstring(archive.read("content.xml"), _PARSER)
    body = root.find(f"{_q('office', 'body')}/{_q('office', kind)}")
    if body is None:
        raise ExtractionRefused(DocumentProblem.UNREADABLE, f"pas de contenu office:{kind}")
    return body


def _blocks(container: etree._Element) -> Iterator[etree._Element]:
    """Paragraphs, headings and tables in order, looking through lists and sections."""
    for child in container:
        if child.tag in _PARAGRAPHS or child.tag == _TABLE:
            yield child
        elif isinstance(child.tag, str):
            yield from _blocks(child)


def _paragraph(element: etree._Element) -> str:
    """Text of a paragraph: <text:s c="3"/> is three spaces, <text:tab/> a TAB."""
    parts: list[str] = [element.text or ""]
    for child in element:
        if child.tag == _q("text", "s"):
            parts.append(" " * min(int(child.get(_q("text", "c"), "1")), 100))
        elif child.tag == _q("text", "tab"):
            parts.append("\t")
        elif child.tag == _q("text", "line-break"):
            parts.append("\n")
        elif child.tag in _PARAGRAPHS:  # inside a frame or a note
            parts.append("\n" + _paragraph(child))
        elif isinstance(child.tag, str) and child.tag != _q("text", "note-citation"):
            parts.append(_paragraph(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _laid_out(blocks: Iterator[etree._Element]) -> Iterator[etree._Element]:
    """The blocks, with a table that only places others ("ORGANISME" over a table of its
    labels and values, in one cell) opened: its cells' blocks read one after the other,
    as Word's are (``word._lays_out``); flattened into one cell, the inner table's label
    and value ran together."""
    for block in blocks:
        if block.tag == _TABLE and _lays_out(block):
            for row in _rows(block):
                for cell in row:
                    if cell.tag in _CELLS:
                        yield from _laid_out(_blocks(cell))
        else:
            yield block


def _lays_out(table: etree._Element) -> bool:
    """Whether the table only places blocks: one or two cells a row, a table in one."""
    rows = [[cell for cell in row if cell.tag in _CELLS] for row in _rows(table)]
    return all(len(cells) <= 2 for cells in rows) and any(
        block.tag == _TABLE for cells in rows for cell in cells for block in _blocks(cell)
    )


def _rows(table: etree._Element) -> Iterator[etree._Element]:
    for child in table:
        if child.tag == _ROW:
            yield child
        elif isinstance(child.tag, str) and child.tag != _TABLE:  # header-rows, row-group
            yield from _rows(child)


def _table(table: etree._Element, nested: list[Table]) -> Table:
    """A text document's table; tables nested in its cells are added to ``nested``."""
    rows: list[Row] = []
    for row in _rows(table):
        cells: list[str] = []
        for cell in row:
            if cell.tag not in _CELLS:
                continue
            parts = []
            for block in _blocks(cell):
                if block.tag == _TABLE:
                    inner = _table(block, nested)
                    nested.append(inner)
                    parts.append(render_table(inner))
                else:
                    parts.append(_paragraph(block))
            cells.append(clean_cell("\n".join(parts)))
        rows.append(tuple(cells))
    return tuple(rows)


def _sheet(table: etree._Element) -> Table:
    """A sheet; repeated rows and cells are expanded only while they hold something."""
    rows: list[list[str]] = []
    for row in _rows(table):
        cells: list[str] = []
        for cell in row:
            if cell.tag not in _CELLS:
                continue
            value = clean_cell("\n".join(_paragraph(p) for p in _blocks(cell)))
            repeat = int(cell.get(_q("table", "number-columns-repeated"), "1"))
            # Empty filler cells are "repeated" 16 000 times to the sheet's edge.
            cells.extend([value] * (min(repeat, MAX_COLUMNS) if value else min(repeat, 1)))
        repeat = int(row.get(_q("table", "number-rows-repeated"), "1"))
        rows.extend([cells[:MAX_COLUMNS]] * (min(repeat, 100) if any(cells) else 1))
        if len(rows) >= MAX_ROWS:
            break
    return trim_table(rows)
