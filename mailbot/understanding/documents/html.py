"""HTML mail bodies and .html attachments as text: a line per block, a table row as one line
of tab-separated cells (Outlook writes a form typed in a mail as a table)."""

from __future__ import annotations

import re
import warnings
from functools import lru_cache

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, XMLParsedAsHTMLWarning
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
from mailbot.understanding.documents.tables import Row, Table
from mailbot.understanding.labels import opens_block

_SKIPPED = frozenset(
    {"script", "style", "head", "title", "noscript", "template", "svg", "object", "iframe"}
)
_BLOCKS = {
    "p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "ul", "ol",
    "dl", "dt", "section", "article", "header", "footer", "blockquote",
}  # fmt: skip
_NOT_TEXT = (Comment, Declaration, Doctype, ProcessingInstruction)
_TICKABLE = ("checkbox", "radio")
_FONT_FAMILY = re.compile(r"(?:^|;)\s*font-family\s*:\s*([^;,]+)", re.IGNORECASE)


def _tag_symbol_font(tag: Tag) -> str | None:
    """The symbol font a tag sets (Outlook writes Word's tick boxes as Wingdings letters)."""
    declared = str(tag.get("style", "")) + ";font-family:" + str(tag.get("face", ""))
    if "wingdings" not in declared.lower():
        return None
    for family in _FONT_FAMILY.findall(declared):
        font = symbol_font(family)
        if font is not None:
            return font
    return None


def _fill_row_spans(soup: BeautifulSoup) -> None:
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
    """An HTML body as a document (its text as ``html_to_text`` writes it)."""
    return _document(_soup(html))


def extract_html_bytes(data: bytes, limits: Limits) -> Document:
    """An .html attachment; BeautifulSoup finds the charset from the meta tag or the bytes."""
    return _document(_soup(data))


@lru_cache(maxsize=4)
def html_to_text(html: str) -> str:
    """Text of an HTML body; each table row becomes one line of tab-separated cells.

    Cached: the mail's kind and its form both read the same body (one mail at a time)."""
    return _text(_soup(html))


# The signing block's last label, right before a picture: "Signature et cachet :", "Cachet".
_SIGNING_LABEL = re.compile(r"(?:signature|cachet|tampon|visa)[^\w]*$", re.IGNORECASE)
_PIXEL = 2  # pixels: an image this small is a tracking pixel, not a stamp


def stamp_in_html(html: str) -> bool:
    """Whether a picture stands right after the signing block's label ("Signature et
    cachet" | the stamp): a stamp or a signature pasted into a form typed in the mail.
    Any text between them (a "Cordialement", a name over a logo) leaves it out."""
    soup = _soup(html)
    for image in soup.find_all("img"):
        if any(_pixels(image.get(side)) <= _PIXEL for side in ("width", "height")):
            continue
        before = next((text for text in image.find_all_previous(string=True) if _shown(text)), None)
        if before is not None and _SIGNING_LABEL.search(str(before).strip()):
            return True
    return False


def _pixels(value: object) -> float:
    try:
        return float(str(value).removesuffix("px"))
    except ValueError:
        return float("inf")  # no size given, or "100%": not a tracking pixel


def _shown(text: NavigableString) -> bool:
    return (
        bool(str(text).strip())
        and not isinstance(text, _NOT_TEXT)
        and not any(parent.name in _SKIPPED for parent in text.parents if parent.name)
    )


def _soup(markup: str | bytes) -> BeautifulSoup:
    # A body that is only a link or a path makes BeautifulSoup warn that it looks like
    # one, an XHTML page that it looks like XML: it is what the client wrote, read as
    # HTML on purpose, and the warning would only fill the log.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        return BeautifulSoup(markup, "lxml")


def _document(soup: BeautifulSoup) -> Document:
    images = soup.find("img") is not None
    text = _text(soup)
    return Document(
        filename=None,
        content_type="text/html",
        source=Source.TYPED,
        text=text,
        tables=tuple(_table(table) for table in soup.find_all("table")),
        checkboxes=checkboxes_in_text(text),
        has_images=images,
    )


def _table(table: Tag) -> Table:
    rows: list[Row] = []
    for row in _own_rows(table):
        cells: list[str] = []
        for cell in row.find_all(["td", "th"], recursive=False):
            cells += [_cell_text(cell)] + [""] * (_colspan(cell) - 1)
        rows.append(tuple(cells))
    return tuple(rows)


def _text(soup: BeautifulSoup) -> str:
    """The text of ``soup``, which it cleans of what is not shown and completes with the
    cells that rows spanning from above take from the rows below."""
    for dead in soup(_SKIPPED):
        dead.decompose()
    _fill_row_spans(soup)
    lines: list[str] = []
    _walk(soup, lines)
    # A row's empty last cell keeps its tab: "jeudi 18 mars 2027\t" is a table row, not prose.
    text = "\n".join(_rstrip_row(line) for line in "".join(lines).split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


def _rstrip_row(line: str) -> str:
    stripped = line.rstrip()
    return stripped + "\t" if stripped and "\t" in line[len(stripped) :] else stripped


def _walk(node: Tag, out: list[str], font: str | None = None) -> None:
    """``font``: the symbol font (Wingdings) the text under ``node`` is drawn in."""
    for child in node.children:
        if isinstance(child, NavigableString):
            if isinstance(child, _NOT_TEXT):
                continue
            source = str(child)
            if not source.strip(" \t\r\n") and _at_line_start(out):
                continue  # the source's own line breaks between tags are not text
            if font is not None:
                source = symbol_text(font, source)
            out.append(re.sub(r"[ \t\r\n]+", " ", source).replace("\u00a0", " "))
        elif isinstance(child, Tag):
            inner = _tag_symbol_font(child) or font
            if child.name == "span" and "mso-tab-count" in str(child.get("style", "")):
                out.append("\t")  # Outlook's rendering of a typed tab: a cell separator
                continue
            if child.name == "tr":
                tds = child.find_all(["td", "th"], recursive=False)
                _line_break(out)
                if _layout(tds):
                    for td in tds:  # a page laid out in a table: its content, line by line
                        _walk(td, out, inner)
                        _line_break(out)
                    continue
                out.append("\t".join(_cell_text(td) for td in tds) + "\n")
                continue
            if child.name == "br":
                out.append("\n")
                continue
            if child.name == "input" and str(child.get("type", "")).lower() in _TICKABLE:
                out.append("☒" if child.has_attr("checked") else "☐")
                after = child.next_sibling
                if not (isinstance(after, NavigableString) and after[:1].isspace()):
                    out.append(" ")
                continue
            if child.name == "dd":  # "<dt>Dénomination</dt><dd>ACME</dd>": a label, its value
                if out and out[-1].endswith("\n"):
                    out[-1] = out[-1][:-1]
                out.append("\t")
                _walk(child, out, inner)
                continue
            if child.name not in _BLOCKS:
                _walk(child, out, inner)
                continue
            _line_break(out)
            start = len(out)
            _walk(child, out, inner)
            if child.name in ("p", "div") and not "".join(out[start:]).strip():
                out.append("\n")  # an empty paragraph (Outlook's &nbsp;) is a blank line
            else:
                _line_break(out)


# Pieces looked back at to find the last visible text: bounded so that a body of
# thousands of blank spans stays linear.
_LOOK_BACK = 64


def _at_line_start(out: list[str]) -> bool:
    for piece in reversed(out[-_LOOK_BACK:]):
        if piece.strip(" "):
            return piece.rstrip(" ").endswith("\n")
    return True


def _line_break(out: list[str]) -> None:
    """End the current line, but do not open an empty one.

    Outlook writes every line as its own <p>: a newline on both sides of each
    block would put a blank line between an address's lines, and a blank line
    ends a field's value. Only a <br> or an empty paragraph makes a blank line.
    """
    for piece in reversed(out[-_LOOK_BACK:]):
        stripped = piece.rstrip(" ")
        if stripped:
            if not stripped.endswith("\n"):
                out.append("\n")
            return
    if len(out) > _LOOK_BACK:  # only blanks in sight: a blank line is the safe guess
        out.append("\n")


def _layout(cells: list[Tag]) -> bool:
    """Cells that hold a page rather than a value: a table inside, or a row of one cell
    holding several lines (Outlook templates and signatures wrap the whole mail so)."""
    if any(cell.find("table") is not None for cell in cells):
        return True
    filled = [cell for cell in cells if cell.get_text(strip=True)]
    if len(filled) == 1 and len(filled[0].find_all(["br", "p", "div"])) >= _LAYOUT_LINES:
        return True
    # A section in each cell ("ÉTABLISSEMENT PAYEUR" / its name / "Adresse" / … beside
    # "RÉFÉRENT ADMINISTRATIF" / …): each cell is read down, one after the other.
    return any(_block(cell) for cell in filled)


_LAYOUT_LINES = 3


def _block(cell: Tag) -> bool:
    return opens_block(cell.get_text("\n", strip=True).split("\n"))


def _cell_text(cell: Tag) -> str:
    parts: list[str] = []
    _walk(cell, parts)
    text = "".join(parts)
    lines = [re.sub(r"\s+", " ", line).strip() for line in text.split("\n")]
    # A multi-line cell (an address) keeps its lines, joined the way the corpus joins them.
    return ", ".join(line for line in lines if line)
