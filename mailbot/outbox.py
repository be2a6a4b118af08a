"""Create OutboundMail rows: fully rendered, with their final Message-ID. Never sends.

A mail is queued in the same transaction as the fact that causes it, under an
idempotency key: asking twice for the same mail returns the first one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.parser import BytesHeaderParser
from email.policy import SMTP, default
from email.utils import format_datetime, formataddr, make_msgid

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from mailbot.app import App
from mailbot.intake import header_block
from mailbot.mailings.shared_parts import SharedFile, locate, stand_in
from mailbot.records.models import (
    InboundMail,
    OutboundMail,
    OutboundPart,
    OutboundPurpose,
    OutboundStatus,
    Participant,
    Registration,
)


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str
    content_type: str  # "application/pdf"
    data: bytes
    params: tuple[tuple[str, str], ...] = ()  # e.g. (("method", "REQUEST"),) for an .ics


@dataclass(frozen=True, slots=True)
class Draft:
    """What a handler wants to send; ``queue`` turns it into an OutboundMail row."""

    key: str
    purpose: OutboundPurpose
    to: Sequence[str]
    subject: str
    text: str
    html: str | None = None
    cc: Sequence[str] = ()
    attachments: Sequence[Attachment] = ()
    in_reply_to: InboundMail | None = None
    registration: Registration | None = None
    participant: Participant | None = None
    # RFC 3834: "auto-replied" answers a mail, "auto-generated" is a scheduled mailing.
    auto_submitted: str = "auto-replied"
    headers: dict[str, str] = field(default_factory=dict)
    # Files many mails carry (a dossier): stored once, swapped in by the sender.
    shared_files: Sequence[SharedFile] = ()


def find(db: DbSession, key: str) -> OutboundMail | None:
    return db.scalar(select(OutboundMail).where(OutboundMail.idempotency_key == key))


def queue(db: DbSession, app: App, draft: Draft) -> OutboundMail:
    """Insert the mail once; a second call with the same key returns the existing row."""
    existing = find(db, draft.key)
    if existing is not None:
        return existing
    domain = app.settings.replies.message_id_domain
    message_id = make_msgid(idstring="mailbot", domain=domain)
    message = build_message(app, draft, message_id, app.clock.now())
    raw = message.as_bytes(policy=SMTP)
    row = OutboundMail(
        idempotency_key=draft.key,
        purpose=draft.purpose,
        message_id=message_id,
        mail_from=app.settings.smtp.from_address,
        recipients=sorted({*map(str.lower, draft.to), *map(str.lower, draft.cc)}),
        subject=draft.subject,
        raw=raw,
        status=OutboundStatus.QUEUED,
        created_at=app.clock.now(),
        inbound_mail=draft.in_reply_to,
        registration=draft.registration,
        participant_id=draft.participant.id if draft.participant else None,
    )
    db.add(row)
    db.flush()
    _record_shared_parts(db, row, raw, message, draft.shared_files)
    app.journal.record(
        db,
        "queued",
        outbound=row,
        inbound=draft.in_reply_to,
        registration=draft.registration,
        purpose=str(draft.purpose),
        recipients=", ".join(draft.to),
    )
    return row


def build_message(app: App, draft: Draft, message_id: str, now: dt.datetime) -> EmailMessage:
    smtp = app.settings.smtp
    message = EmailMessage()
    message["From"] = formataddr((smtp.from_name, smtp.from_address))
    message["To"] = ", ".join(draft.to)
    if draft.cc:
        message["Cc"] = ", ".join(draft.cc)
    message["Subject"] = draft.subject
    message["Date"] = format_datetime(now.astimezone(app.settings.tz))
    message["Message-ID"] = message_id
    message["Auto-Submitted"] = draft.auto_submitted
    # Ask Exchange not to answer us with its own auto-replies (loop prevention).
    message["X-Auto-Response-Suppress"] = "All"
    message["Content-Language"] = "fr"
    if draft.in_reply_to is not None and draft.in_reply_to.message_id:
        parent = draft.in_reply_to.message_id
        message["In-Reply-To"] = parent
        message["References"] = _references(draft.in_reply_to.raw, parent)
    for name, value in draft.headers.items():
        message[name] = value
    message.set_content(draft.text, subtype="plain", charset="utf-8")
    if draft.html is not None:
        message.add_alternative(draft.html, subtype="html", charset="utf-8")
    for attachment in draft.attachments:
        maintype, _, subtype = attachment.content_type.partition("/")
        message.add_attachment(
            attachment.data,
            maintype=maintype,
            subtype=subtype,
            filename=attachment.filename,
            params=dict(attachment.params),
        )
    if draft.shared_files:
        if message.get_content_type() != "multipart/mixed":
            message.make_mixed()
        for position, shared in enumerate(draft.shared_files):
            message.attach(stand_in(shared, position))
    return message


def _record_shared_parts(
    db: DbSession,
    row: OutboundMail,
    raw: bytes,
    message: EmailMessage,
    shared_files: Sequence[SharedFile],
) -> None:
    boundary = message.get_boundary()
    for position, shared in enumerate(shared_files):
        assert boundary is not None
        ref = locate(raw, boundary, shared, position)
        db.add(
            OutboundPart(
                outbound_mail_id=row.id,
                position=position,
                start=ref.start,
                end=ref.end,
                stored_file_sha256=shared.sha256,
                filename=shared.filename,
            )
        )


def _references(raw: bytes, parent: str) -> str:
    """The parent's References plus its Message-ID, so clients thread the reply."""
    try:
        refs = BytesHeaderParser(policy=default).parsebytes(header_block(raw)).get("References")
    except (ValueError, IndexError, TypeError):
        refs = None
    chain = " ".join(str(refs).split()) if refs else ""
    ids = [token for token in chain.split() if token.startswith("<")][-10:]
    if parent not in ids:
        ids.append(parent)
    return " ".join(ids)


def reply_subject(subject: str | None, fallback: str) -> str:
    base = " ".join((subject or "").split()) or fallback
    lowered = base.lower()
    if lowered.startswith(("re:", "re :", "réf :", "ref:")):
        return base
    return f"Re: {base}"
