"""Where a form can be: the new text of the body, a forwarded mail, each attachment.

Each place becomes a ``FormSource`` (the rows read plus how far to trust them);
choosing among them is ``understand``'s job.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TypeVar

from mailbot.understanding.amounts import parse_amount, parse_count
from mailbot.understanding.bodies import split_history
from mailbot.understanding.dates import find_dates
from mailbot.understanding.documents.html import html_to_text
from mailbot.understanding.documents.images import page_sized
from mailbot.understanding.documents.model import (
    SMALL_PICTURE_BYTES,
    Checkbox,
    Document,
    DocumentProblem,
    Source,
)
from mailbot.understanding.form_reader import RawForm, Row, read_rows, text_rows
from mailbot.understanding.labels import Field
from mailbot.understanding.mime import Attachment, MailView
from mailbot.understanding.vcards import is_vcard

Extractor = Callable[[Attachment], list[Document]]

# Little pictures in signatures (logo, social icons) are not forms.
_INLINE_IMAGE = re.compile(r"^(?:image\d{3}|outlook|logo|signature|icon)", re.IGNORECASE)


@dataclass(slots=True)
class FormSource:
    origin: str  # "body", "forwarded", or the attachment's file name
    form: RawForm
    text: str
    document: Document | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def ocr(self) -> bool:
        return self.document is not None and self.document.source is Source.OCR


@dataclass(frozen=True, slots=True)
class BodyText:
    new: str
    history: str
    forwarded: bool
    full: str
    history_header: str = ""  # the line naming who wrote the history


_MAILTO_ECHO = re.compile(r"([\w.+'-]+@[\w-]+(?:\.[\w-]+)+)\s*<mailto:\1>", re.IGNORECASE)


_STUB = 300  # characters: a text part this short beside a long HTML one stands in for it


def body_text(mail: MailView) -> BodyText:
    """The body as text (HTML converted when there is no plain part, or the plain one is poor)."""
    # Outlook's text part echoes every link: "a.roux@x.fr<mailto:a.roux@x.fr>". The
    # writer typed the address once; the echo is the client's.
    text = _MAILTO_ECHO.sub(r"\1", mail.plain) if "<mailto:" in mail.plain else mail.plain
    if mail.html and (not text.strip() or "<table" in mail.html.lower()):
        # Outlook's text part runs a cell's lines into one ("15 rue Vignat CS 40019 45010
        # Orléans"); the HTML keeps them: with as many cells, it is the better copy.
        converted = html_to_text(mail.html)
        if _table_rows(converted) >= max(_table_rows(text), 1) or not text.strip():
            text = converted
    elif mail.html and len(text.strip()) < _STUB:
        # "Ce message est au format HTML…": a stub text part, the mail is in the HTML.
        converted = html_to_text(mail.html)
        if len(converted.strip()) > 2 * len(text.strip()) + _STUB:
            text = converted
    split = split_history(text, mail.subject)
    return BodyText(split.new, split.history, split.forwarded, text, split.header)


_HEADER_LINE = re.compile(
    r"^\s*(?:de|from|envoy[ée]|sent|date|[àa]|to|cc|objet|subject)\s*:", re.IGNORECASE
)
_MAX_LAYERS = 4


def _table_rows(text: str) -> int:
    # A tab after a row's text is an empty last cell (see bodies._rstrip_row), still a row.
    return sum(1 for line in text.splitlines() if "\t" in line.lstrip())


def forwarded_texts(body: BodyText) -> list[str]:
    """The forwarded mail's own text, then the text of each mail it quotes, each apart.

    A forwarded reply carries the thread below it: read as one text, the
    quoted mails' header lines ("De : ipp@ipp.fr") became participants.
    """
    if not (body.forwarded and body.history.strip()):
        return []
    layers: list[str] = []
    text = body.history
    while text.strip() and len(layers) < _MAX_LAYERS:
        split = split_history(without_headers(text))
        layers.append(split.new)
        text = split.history
    return layers


def without_headers(text: str) -> str:
    """The text below a forwarded mail's own header block (De, Date, Objet, À...)."""
    return "\n".join(text.split("\n")[_header_end(text) :])


def headers_of(text: str) -> str:
    """A forwarded mail's own header block (De, Date, Objet, À...), the text below left out."""
    return "\n".join(text.split("\n")[: _header_end(text)])


def _header_end(text: str) -> int:
    lines = text.split("\n")
    start = 0
    while start < len(lines) and (not lines[start].strip() or _HEADER_LINE.match(lines[start])):
        start += 1
    return start


def document_rows(document: Document) -> list[Row]:
    rows: list[Row] = []
    if not document.text.strip():  # the text already shows the field values in place
        rows += [(name, value) for name, value in document.fields]
    rows += text_rows(document.text)
    if not document.text.strip():
        for table in document.tables:
            rows += [tuple(row) for row in table]
            rows.append(("",))
    return rows


def _boxes_seen_and_read(
    read: list[tuple[str, bool]], seen: tuple[Checkbox, ...]
) -> list[tuple[str, bool]]:
    """The boxes of a page: the extractor's drawn boxes are surer than glyphs read from the
    text, but it may miss some ("X jeudi 18 mars" typed over "☐ vendredi 8 octobre" shows
    it only the drawn box; a box larger than its line's letters is no box to it). A line
    it did not see keeps the mark read in the text."""
    drawn = {_days(box.label): (box.label, box.checked) for box in seen}
    boxes = [drawn.pop(days, (label, ticked)) for label, ticked in read if (days := _days(label))]
    return boxes + list(drawn.values())


def _days(label: str) -> frozenset[tuple[int, int]]:
    return frozenset((d.month, d.day) for d in find_dates(label, 2026))


def from_document(origin: str, document: Document) -> FormSource:
    fuzzy = document.source is Source.OCR
    form = read_rows(document_rows(document), fuzzy=fuzzy, prefix_labels=True)
    if document.checkboxes:
        form.checkboxes[:] = _boxes_seen_and_read(form.checkboxes, document.checkboxes)
        form.faint_ticks = any(box.faint for box in document.checkboxes)
    _amounts_from_fields(form, document.fields)
    return FormSource(origin, form, document.text, document)


# A PDF form's own field names for the count and the total ("nb_participants",
# "montant_total"): their values are drawn wherever the page puts them, and the page's
# text may scatter them through the amounts line.
_COUNT_FIELD = re.compile(
    r"^(?:nb|nbre|nombre)[\W_]*(?:de[\W_]*)?(?:participants?|inscrits?|personnes?)$"
)
_TOTAL_FIELD = re.compile(r"^(?:montant|total)(?:[\W_]*(?:total|net|ttc|a[\W_]*payer))*$")


def _amounts_from_fields(form: RawForm, fields: tuple[tuple[str, str], ...]) -> None:
    """The count and the total from the form's fields, where the text gave none."""
    for name, value in fields:
        key = name.strip().lower()
        if form.declared_count is None and _COUNT_FIELD.match(key) and value.strip():
            form.declared_count = parse_count(value)
        elif form.declared_total is None and _TOTAL_FIELD.match(key) and value.strip():
            form.declared_total = parse_amount(value)


_T = TypeVar("_T")

# An amount or a head count written in prose: "total 2 540 €", "4 inscrits".
_AMOUNT = re.compile(
    r"\d[\d \u00a0\u202f.,]*\s*(?:€|euros?\b|eur\b)|"
    r"\b\d{1,3}\s+(?:participants?|inscrit|personnes?|agents?|salari)",
    re.IGNORECASE,
)


def with_covering_note(source: FormSource, note: FormSource) -> FormSource:
    """A roster (an export's rows) completed by the mail it came with: the count, the
    total, "Fait à", "Par" and the session are written in the mail, not in the export.
    The note fills what the rows leave empty; it overrides nothing they hold."""
    form, said = source.form, note.form
    merged = replace(
        form,
        values={**said.values, **form.values},
        declared_count=_first(form.declared_count, said.declared_count),
        declared_total=_first(form.declared_total, said.declared_total),
        unit_price=_first(form.unit_price, said.unit_price),
        unit_count=_first(form.unit_count, said.unit_count),
        checkboxes=form.checkboxes or said.checkboxes,
        faint_ticks=form.faint_ticks if form.checkboxes else said.faint_ticks,
        session_lines=[*form.session_lines, *said.session_lines],
        labels_seen=form.labels_seen | said.labels_seen,
        unreadable=form.unreadable | said.unreadable,
    )
    if (
        merged.declared_count is None
        and merged.declared_total is None
        and _AMOUNT.search(note.text)
    ):
        # "1 participant - 635 €" in the mail, read by nobody: the amount is a person's to check.
        merged.unreadable.add(Field.TOTAL)
    return replace(source, form=merged, text=f"{source.text}\n{note.text}")


def _first(own: _T | None, said: _T | None) -> _T | None:
    return own if own is not None else said


def from_text(origin: str, text: str) -> FormSource:
    return FormSource(origin, read_rows(text_rows(text)), text)


def attachment_sources(
    mail: MailView, extract: Extractor
) -> tuple[list[FormSource], list[tuple[Attachment, DocumentProblem | None]]]:
    """A source per readable document, and each attachment with its problem (if any)."""
    sources: list[FormSource] = []
    seen: list[tuple[Attachment, DocumentProblem | None]] = []
    for attachment in mail.attachments:
        if _decorative(attachment) or is_vcard(attachment):
            continue
        documents = extract(attachment)
        problem = next((d.problem for d in documents if d.problem is not None), None)
        seen.append((attachment, problem))
        for document in documents:
            if document.problem is None:
                sources.append(from_document(attachment.filename or "attachment", document))
    return sources, seen


# A signed mail's signature (S/MIME, OpenPGP) and a key sent along: no document.
_SIGNATURES = frozenset({
    "application/pkcs7-signature", "application/x-pkcs7-signature", "application/pgp-signature",
    "application/pgp-keys",
})  # fmt: skip


def may_hold_a_form(attachment: Attachment) -> bool:
    """Any document, or a picture big enough to be a page (a photo, a scan): a logo or a
    signature in the mail is none, nor a signed mail's cryptographic signature."""
    if attachment.content_type in _SIGNATURES or is_vcard(attachment):
        return False
    return not attachment.content_type.startswith("image/") or not _small_picture(attachment)


def _decorative(attachment: Attachment) -> bool:
    if not attachment.content_type.startswith("image/"):
        return False
    name = attachment.filename or ""
    return (not name or bool(_INLINE_IMAGE.match(name))) and _small_picture(attachment)


def _small_picture(attachment: Attachment) -> bool:
    return len(attachment.data) < SMALL_PICTURE_BYTES and not page_sized(attachment.data)
