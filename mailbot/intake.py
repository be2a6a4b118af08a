"""Raw message -> InboundMail row, exactly once per mail.

A mail is stored, raw bytes and all, before anything else happens to it; the
row's ``dedup_key`` (its Message-ID, or a content hash when it has none) makes a
second delivery, a re-listing after a crash or a UIDVALIDITY change harmless.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from email.errors import HeaderParseError
from email.header import decode_header, make_header
from email.headerregistry import Address
from email.message import Message
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import parseaddr, parsedate_to_datetime

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from mailbot.clock import Clock
from mailbot.records.models import InboundMail
from mailbot.staff.journal import Journal


@dataclass(frozen=True, slots=True)
class Headline:
    """The few headers intake records; parsed leniently, a broken header is just None."""

    message_id: str | None
    sender: str | None
    subject: str | None
    date: dt.datetime | None


def read_headline(raw: bytes) -> Headline:
    # compat32 only splits the header block: it cannot fail on a malformed header and
    # costs a fraction of the default policy; we decode the four fields we keep.
    headers = BytesHeaderParser(policy=compat32).parsebytes(_header_block(raw))
    return Headline(
        message_id=_clean(_text(headers, "Message-ID")),
        sender=_address(_text(headers, "From")),
        subject=_clean(_decoded(_text(headers, "Subject"))),
        date=_date(_text(headers, "Date")),
    )


def _header_block(raw: bytes) -> bytes:
    """The bytes up to the blank line: the parser need not wade through attachments."""
    ends = [i for i in (raw.find(b"\r\n\r\n"), raw.find(b"\n\n")) if i >= 0]
    return raw[: min(ends) + 4] if ends else raw


def _text(headers: Message, name: str) -> str | None:
    value = headers.get(name)  # a str, or a Header when the raw value has 8-bit bytes
    return None if value is None else str(value)


def _decoded(value: str | None) -> str | None:
    """RFC 2047 words decoded ('=?utf-8?q?Inscription?=' -> 'Inscription'), leniently."""
    if value is None:
        return None
    try:
        return str(make_header(decode_header(value)))
    except (HeaderParseError, UnicodeDecodeError, LookupError, ValueError):
        return value


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    text = " ".join(value.split())
    return text[:2000] or None


def _address(value: str | None) -> str | None:
    if not value:
        return None
    _name, address = parseaddr(value)
    if not address:
        return None
    try:
        return str(Address(addr_spec=address).addr_spec)[:320]
    except (ValueError, IndexError):
        return address[:320]


def _date(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def content_hash(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def dedup_key_for(message_id: str | None, digest: str) -> str:
    return message_id[:480] if message_id else f"sha256:{digest}"


def _find(db: DbSession, key: str) -> InboundMail | None:
    """The mail with this key: stored before, or added earlier in this same batch.

    No autoflush: flushing one row per lookup would cost more than the lookup, and
    the rows of the current batch are found in the session instead.
    """
    for pending in db.new:
        if isinstance(pending, InboundMail) and pending.dedup_key == key:
            return pending
    with db.no_autoflush:
        return db.scalar(select(InboundMail).where(InboundMail.dedup_key == key))


@dataclass(frozen=True, slots=True)
class Stored:
    mail: InboundMail
    created: bool


def store(
    db: DbSession,
    raw: bytes,
    *,
    journal: Journal,
    clock: Clock,
    uidvalidity: int | None = None,
    uid: int | None = None,
) -> Stored:
    """Record ``raw`` unless this very mail is already known; never raises on bad mail."""
    digest = content_hash(raw)
    headline = read_headline(raw)
    key = dedup_key_for(headline.message_id, digest)
    existing = _find(db, key)
    if existing is not None and existing.content_hash != digest:
        # Same Message-ID, different content: a client reusing IDs. A different mail.
        key = f"{key[:400]}#sha256:{digest}"
        existing = _find(db, key)
    if existing is not None:
        return Stored(existing, created=False)
    mail = InboundMail(
        dedup_key=key,
        message_id=headline.message_id,
        content_hash=digest,
        uidvalidity=uidvalidity,
        uid=uid,
        size=len(raw),
        from_address=headline.sender,
        subject=headline.subject,
        mail_date=headline.date,
        raw=raw,
        received_at=clock.now(),
    )
    db.add(mail)
    journal.record(db, "received", inbound=mail, sender=headline.sender, subject=headline.subject)
    return Stored(mail, created=True)
