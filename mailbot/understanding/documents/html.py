"""HTML mail bodies and .html attachments: text in reading order and the tables' cells."""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning
from bs4.element import (
    Comment,
    Declaration,
    Doctype,
    NavigableString,
    ProcessingInstruction,
    Tag,
)

from mailbot.understanding.documents.glyphs import checkboxes_in_text, symbol_font, symbol_text
from mailbot.understanding.documents.guards import Limits
from mailbot.understanding.documents.model import Document, Source
from mailbot.understanding.documents.tables import Row, Table, clean_cell, render_table

_SKIPPED = frozenset(
    {"script", "style", "head", "title", "noscript", "template", "svg", "object", "iframe"}
)
_BLOCKS = frozenset(
    {
        "p", "div", "section", "article", "header", "footer", "main", "aside", "nav",
        "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd",
        "blockquote", "pre", "address", "form", "fieldset", "hr", "center", "tr", "caption",
    }
)  # fmt: skip
_WHITESPACE = re.compile(r"[ \t\r\n\f\u00a0\u200b]+")
_NOT_TEXT = (Comment, Declaration, Doctype, ProcessingInstruction)
_FONT_FAMILY = re.compile(r"(?:^|;)\s*font-family\s*:\s*([^;,]+)", re.IGNORECASE)


@dataclass
class _Renderer:
    """Walks the tree, cutting lines at block elements and <br>."""

    lines: list[str] = field(default_factory=list)
    current: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    images: int = 0
    font: str | None = None  # the symbol font the text being walked is drawn in

    def newline(self) -> None:
        line = _WHITESPACE.sub(" ", "".join(self.current)).strip()
        self.current.clear()
        if line:
            self.lines.append(line)

    def walk(self, node: Tag) -> None:
        for child in node.children:
            if isinstance(child, _NOT_TEXT):
                continue
            if isinstance(child, NavigableString):
                text = str(child)
                self.current.append(symbol_text(self.font, text) if self.font else text)
            elif isinstance(child, Tag):
                self.element(child)

    def element(self, tag: Tag) -> None:
        font = tag_symbol_font(tag)
        if font is None:
            self.read(tag)
            return
        outer, self.font = self.font, font
        self.read(tag)
        self.font = outer

    def read(self, tag: Tag) -> None:
        name = tag.name.lower()
        if name in _SKIPPED:
            return
        if name == "br":
            self.newline()
        elif name == "table":
            self.newline()
            rows = self.table(tag)
            self.tables.append(rows)
            rendered = render_table(rows)
            if rendered:
                self.lines.append(rendered)
        elif name == "img":
            self.images += 1
        elif name == "input" and str(tag.get("type", "")).lower() in ("checkbox", "radio"):
            self.current.append("☒ " if tag.has_attr("checked") else "☐ ")
        elif name in ("td", "th"):
            self.current.append(" ")
            self.walk(tag)
            self.current.append(" ")
        elif name in _BLOCKS:
            self.newline()
            if name == "li":
                self.current.append("- ")
            self.walk(tag)
            self.newline()
        else:
            self.walk(tag)

    def table(self, table: Tag) -> Table:
        rows: list[Row] = []
        for row in _own_rows(table):
            cells: list[str] = []
            for cell in row.find_all(["td", "th"], recursive=False):
                cells.append(self.cell(cell))
                cells.extend([""] * (_colspan(cell) - 1))
            rows.append(tuple(cells))
        return tuple(rows)

    def cell(self, cell: Tag) -> str:
        inner = _Renderer()
        inner.walk(cell)
        inner.newline()
        self.tables.extend(inner.tables)
        self.images += inner.images
        return clean_cell("\n".join(inner.lines))


def tag_symbol_font(tag: Tag) -> str | None:
    """The symbol font a tag sets (Outlook writes Word's tick boxes as Wingdings letters)."""
    declared = str(tag.get("style", "")) + ";font-family:" + str(tag.get("face", ""))
    if "wingdings" not in declared.lower():
        return None
    for family in _FONT_FAMILY.findall(declared):
        font = symbol_font(family)
        if font is not None:
            return font
    return None


def fill_row_spans(soup: BeautifulSoup) -> None:
    """Give each row the cells a cell spanning rows above takes from it, empty.

    A row under "Établissement" (rowspan=2) or "Organisme-client" beside its pairs
    has one cell fewer: without an empty one in its place, every value after it
    would sit in the next column.
    """
    for table in soup.find_all("table"):
        carried: dict[int, int] = {}  # column -> rows it still spans
        for row in _own_rows(table):
            column = 0
            cells = row.find_all(["td", "th"], recursive=False)
            index = 0
            while index < len(cells) or carried.get(column, 0) > 0:
                if carried.get(column, 0) > 0:
                    carried[column] -= 1
                    empty = soup.new_tag("td")
                    if index < len(cells):
                        cells[index].insert_before(empty)
                    else:
                        row.append(empty)
                    column += 1
                    continue
                cell = cells[index]
                spanned = _span(cell, "rowspan")
                for offset in range(_colspan(cell)):
                    if spanned > 1:
                        carried[column + offset] = spanned - 1
                column += _colspan(cell)
                index += 1


def _own_rows(table: Tag) -> list[Tag]:
    """Rows of this table, not of tables nested in its cells (thead/tbody/tfoot looked through)."""
    rows: list[Tag] = []
    for child in table.find_all(True, recursive=False):
        if child.name == "tr":
            rows.append(child)
        elif child.name in ("thead", "tbody", "tfoot"):
            rows.extend(child.find_all("tr", recursive=False))
    return rows


def _colspan(cell: Tag) -> int:
    return _span(cell, "colspan")


def _span(cell: Tag, attribute: str) -> int:
    try:
        return max(1, min(int(str(cell.get(attribute, "1"))), 64))
    except ValueError:
        return 1


def extract_html(html: str) -> Document:
    """An HTML body as text (line breaks at blocks and <br>, table rows as tab-separated lines)."""
    return _render(_soup(html))


def extract_html_bytes(data: bytes, limits: Limits) -> Document:
    """An .html attachment; BeautifulSoup finds the charset from the meta tag or the bytes."""
    return _render(_soup(data))


def _soup(markup: str | bytes) -> BeautifulSoup:
    # A body that is only a link or a path makes BeautifulSoup warn that it looks like
    # one: it is what the client wrote, and the warning would only fill the log.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        return BeautifulSoup(markup, "lxml")


def _render(soup: BeautifulSoup) -> Document:
    fill_row_spans(soup)
    renderer = _Renderer()
    renderer.walk(soup)
    renderer.newline()
    text = "\n".join(renderer.lines).strip("\n")
    return Document(
        filename=None,
        content_type="text/html",
        source=Source.TYPED,
        text=text,
        tables=tuple(renderer.tables),
        checkboxes=checkboxes_in_text(text),
        has_images=renderer.images > 0,
    )
