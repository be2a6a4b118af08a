"""Mail bodies to plain lines: HTML tables become tab-separated rows; replies lose their history.

A form typed in a reply is in the new part; a form typed in a *forwarded*
part is the content, so ``split_history`` returns both and the caller chooses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bs4 import BeautifulSoup, Tag
from bs4.element import NavigableString

from mailbot.understanding.documents.glyphs import symbol_text
from mailbot.understanding.documents.html import fill_row_spans, tag_symbol_font

_BLOCKS = {
    "p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "ul", "ol",
    "dl", "dt", "section", "article", "header", "footer", "blockquote",
}  # fmt: skip
_REPLY_HEADER = re.compile(
    r"^\s*(?:le\s.{4,120}a\s+[ée]crit\s*:|on\s.{4,120}wrote\s*:|"
    r"-{2,}\s*(?:original message|message d'origine)\s*-{2,})\s*$",
    re.IGNORECASE,
)
_FORWARD_MARKER = re.compile(
    r"^\s*-{2,}\s*(?:message transf[ée]r[ée]|forwarded message|message d'origine|"
    r"original message|mail transf[ée]r[ée])\s*-{2,}\s*$|^\s*d[ée]but du message r[ée]exp[ée]di[ée]",
    re.IGNORECASE,
)
_OUTLOOK_FROM = re.compile(r"^\s*(?:de|from)\s*:\s*\S", re.IGNORECASE)
_OUTLOOK_NEXT = re.compile(r"^\s*(?:envoy[ée]|sent|date|[àa]|to|objet|subject)\s*:", re.IGNORECASE)
_FORWARD_SUBJECT = re.compile(r"^\s*(?:(?:re|tr|fw|fwd|wg)\s*:\s*)*(?:tr|fw|fwd|wg)\s*:", re.I)
# A subject a person answering or forwarding writes: "RE:", "TR:", "Fwd:", "AW:", "WG:".
REPLY_OR_FORWARD = re.compile(r"^\s*(?:re|r[ée]f|tr|fw|fwd|aw|wg)\s*:", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class SplitBody:
    new: str  # what the sender wrote now
    history: str  # the quoted or forwarded mail below, quote marks removed
    forwarded: bool  # the history is a forwarded mail (its content counts)
    header: str = ""  # "Le …, IPP <ipp@ipp.fr> a écrit :", "De : …": who wrote the history


@lru_cache(maxsize=4)
def html_to_text(html: str) -> str:
    """Text of an HTML body; each table row becomes one line of tab-separated cells.

    Cached: the mail's kind and its form both read the same body (one mail at a time)."""
    soup = BeautifulSoup(html, "lxml")
    for dead in soup(["style", "script", "head", "title"]):
        dead.decompose()
    fill_row_spans(soup)
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
            if child.__class__.__name__ in ("Comment", "Doctype", "Declaration"):
                continue
            source = str(child)
            if not source.strip(" \t\r\n") and _at_line_start(out):
                continue  # the source's own line breaks between tags are not text
            if font is not None:
                source = symbol_text(font, source)
            out.append(re.sub(r"[ \t\r\n]+", " ", source).replace("\u00a0", " "))
        elif isinstance(child, Tag):
            inner = tag_symbol_font(child) or font
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
    return len(filled) == 1 and len(filled[0].find_all(["br", "p", "div"])) >= _LAYOUT_LINES


_LAYOUT_LINES = 3


def _cell_text(cell: Tag) -> str:
    parts: list[str] = []
    _walk(cell, parts)
    text = "".join(parts)
    lines = [re.sub(r"\s+", " ", line).strip() for line in text.split("\n")]
    # A multi-line cell (an address) keeps its lines, joined the way the corpus joins them.
    return ", ".join(line for line in lines if line)


def split_history(text: str, subject: str = "") -> SplitBody:
    """Separate the new text from a quoted reply or a forwarded mail."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        marker = _FORWARD_MARKER.match(line) is not None
        reply = _REPLY_HEADER.match(line) is not None
        outlook = _OUTLOOK_FROM.match(line) is not None and _outlook_block(lines, index)
        if marker or reply or outlook:
            forwarded = (marker and not _is_plain_original(line)) or bool(
                _FORWARD_SUBJECT.match(subject)
            )
            history = "\n".join(_unquote(rest) for rest in lines[index + 1 :])
            header = "\n".join(lines[max(index - 1, 0) : index + 1])  # a wrapped "a écrit :"
            return SplitBody("\n".join(lines[:index]), history, forwarded, header)
    quoted = [i for i, line in enumerate(lines) if line.lstrip().startswith(">")]
    if quoted:
        first = quoted[0]
        history = "\n".join(_unquote(rest) for rest in lines[first:])
        return SplitBody("\n".join(lines[:first]), history, bool(_FORWARD_SUBJECT.match(subject)))
    return SplitBody(text, "", False)


def _is_plain_original(line: str) -> bool:
    """Outlook writes "Message d'origine" for replies and forwards alike."""
    return re.search(r"origin", line, re.IGNORECASE) is not None


def _outlook_block(lines: list[str], index: int) -> bool:
    following = lines[index + 1 : index + 4]
    return any(_OUTLOOK_NEXT.match(line) for line in following)


def _unquote(line: str) -> str:
    return re.sub(r"^\s*(?:>\s?)+", "", line)
