"""A stored mail as staff see it: text body, sanitised HTML, attachments as downloads."""

from __future__ import annotations

from dataclasses import dataclass

import nh3

from mailbot.understanding.mime import Attachment, MailView, parse_mail

# Content types a browser will not execute; anything else is served as raw bytes.
SAFE_TYPES = frozenset(
    {
        "application/pdf",
        "application/msword",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.ms-excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.oasis.opendocument.text",
        "application/vnd.oasis.opendocument.spreadsheet",
        "application/rtf",
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/tiff",
        "text/plain",
        "text/csv",
    }
)
FALLBACK_TYPE = "application/octet-stream"
# Formatting only: no images (tracking pixels), no forms, no styles, no scripts.
HTML_TAGS = frozenset(
    {"p", "br", "div", "span", "b", "strong", "i", "em", "u", "ul", "ol", "li", "table",
     "thead", "tbody", "tr", "td", "th", "blockquote", "pre", "h1", "h2", "h3", "h4", "a"}
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class ShownAttachment:
    index: int
    filename: str
    content_type: str
    size: int


@dataclass(frozen=True, slots=True)
class ShownMail:
    headers: dict[str, str]
    text: str
    safe_html: str | None
    attachments: tuple[ShownAttachment, ...]


def all_attachments(view: MailView) -> list[Attachment]:
    """Attachments of the mail and of the mails forwarded inside it, in a stable order."""
    found = list(view.attachments)
    for inner in view.forwarded:
        found.extend(all_attachments(inner))
    return found


def show(raw: bytes) -> ShownMail:
    view = parse_mail(raw)
    text = view.plain or "\n\n".join(inner.plain for inner in view.forwarded if inner.plain)
    safe_html = None
    if not text and view.html:
        # Only when there is no text part: the sanitised HTML is rendered inside our page.
        safe_html = nh3.clean(view.html, tags=set(HTML_TAGS), link_rel="noopener noreferrer")
    attachments = tuple(
        ShownAttachment(i, download_name(a, i), a.content_type, len(a.data))
        for i, a in enumerate(all_attachments(view))
    )
    headers = {
        name: view.headers.get(name.lower(), "")
        for name in ("From", "To", "Cc", "Date", "Subject", "Message-ID")
        if view.headers.get(name.lower())
    }
    return ShownMail(headers, text, safe_html, attachments)


def attachment(raw: bytes, index: int) -> tuple[str, str, bytes] | None:
    """(file name, content type to serve, bytes) of attachment ``index``, or None."""
    found = all_attachments(parse_mail(raw))
    if not 0 <= index < len(found):
        return None
    chosen = found[index]
    ctype = chosen.content_type.lower()
    return (
        download_name(chosen, index),
        ctype if ctype in SAFE_TYPES else FALLBACK_TYPE,
        chosen.data,
    )


def download_name(part: Attachment, index: int) -> str:
    name = (part.filename or "").replace("/", "_").replace("\\", "_").strip()
    return name or f"piece-jointe-{index + 1}"
