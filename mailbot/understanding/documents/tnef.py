"""TNEF (Outlook's winmail.dat): the attachments inside, and the message body, as documents."""

from __future__ import annotations

from collections.abc import Callable

from tnefparse import TNEF

from mailbot.understanding.documents import html, rtf
from mailbot.understanding.documents.guards import ExtractionRefused, Limits
from mailbot.understanding.documents.model import Document, DocumentProblem, Source
from mailbot.understanding.documents.textcodec import decode

Extract = Callable[[bytes, str | None, str], list[Document]]


def extract_tnef(data: bytes, limits: Limits, extract_inner: Extract) -> list[Document]:
    """Each attachment extracted on its own (so a DOCX inside is read as a DOCX), then the body."""
    message = TNEF(data, do_checksum=False)
    documents: list[Document] = []
    for attachment in message.attachments:
        name = _name(attachment)
        documents.extend(extract_inner(bytes(attachment.data), name, "application/octet-stream"))
    body = _body(message, limits)
    if body is not None:
        documents.append(body)
    if not documents:
        raise ExtractionRefused(DocumentProblem.EMPTY, "winmail.dat sans corps ni pièce jointe")
    return documents


def _name(attachment: object) -> str | None:
    try:
        name = attachment.long_filename()  # type: ignore[attr-defined]
    except (UnicodeDecodeError, AttributeError):
        return None
    if isinstance(name, bytes):
        name = decode(name)
    return str(name).strip("\x00") or None


def _body(message: TNEF, limits: Limits) -> Document | None:
    """The richest body Outlook kept: HTML, else RTF, else plain text."""
    if message.htmlbody:
        body = message.htmlbody
        return html.extract_html(body if isinstance(body, str) else decode(body))
    rtf_body = message.rtfbody
    if rtf_body and rtf_body.lstrip().startswith(b"{\\rtf"):
        return rtf.extract_rtf(rtf_body, limits)
    if message.body:
        text = message.body if isinstance(message.body, str) else decode(message.body)
        return Document(
            filename=None, content_type="text/plain", source=Source.TYPED, text=text.strip("\x00")
        )
    return None
