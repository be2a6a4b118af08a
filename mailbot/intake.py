"""Raw message -> InboundMail row, exactly once per mail.

A mail is stored, raw bytes and all, before anything else happens to it; the
row's ``dedup_key`` (its Message-ID, or a content hash when it has none) makes a
second delivery, a re-listing after a crash or a UIDVALIDITY change harmless.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from email.errors import HeaderParseError
from email.header import decode_header, make_header
from email.message import Message
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import parseaddr, parsedate_to_datetime

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session as DbSession

from mailbot.batching import chunked
from mailbot.clock import Clock
from mailbot.records.models import InboundMail
from mailbot.staff.journal import EventRefs, Journal


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
    headers = BytesHeaderParser(policy=compat32).parsebytes(header_block(raw))
    return Headline(
        message_id=_clean(_text(headers, "Message-ID")),
        sender=_address(_text(headers, "From")),
        subject=_clean(_decoded(_text(headers, "Subject"))),
        date=_date(_text(headers, "Date")),
    )


def header_block(raw: bytes) -> bytes:
    """The bytes up to the blank line: the parser need not wade through attachments."""
    crlf = raw.find(b"\r\n\r\n")
    # A bare-LF blank line only counts before the first CRLF one (which most mails have).
    lf = raw.find(b"\n\n", 0, crlf if crlf >= 0 else len(raw))
    ends = [i for i in (crlf, lf) if i >= 0]
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
    return address[:320] or None


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


@dataclass(frozen=True, slots=True)
class Incoming:
    """A mail as downloaded from the mailbox (or dropped in by hand: no UID)."""

    uid: int | None
    raw: bytes
    size: int | None = None  # on the server; differs from len(raw) when headers_only
    headers_only: bool = False  # too large to download: raw is its header block


@dataclass(frozen=True, slots=True)
class Arrival:
    """A fetched mail and the row that holds it."""

    uid: int | None
    inbound_id: int
    created: bool


@dataclass(frozen=True, slots=True)
class _Prepared:
    incoming: Incoming
    digest: str
    headline: Headline
    key: str

    @property
    def reused_id_key(self) -> str:
        """The key of a mail whose Message-ID another, different mail already carries."""
        return f"{self.key[:400]}#sha256:{self.digest}"


def _prepare(incoming: Incoming) -> _Prepared:
    digest = content_hash(incoming.raw)
    headline = read_headline(incoming.raw)
    return _Prepared(incoming, digest, headline, dedup_key_for(headline.message_id, digest))


def store_batch(
    db: DbSession,
    mails: Sequence[Incoming],
    *,
    journal: Journal,
    clock: Clock,
    uidvalidity: int | None = None,
) -> list[Arrival]:
    """Record the mails not already known, in a handful of statements.

    One SELECT finds the keys already stored, one INSERT adds the new rows and a
    SELECT reads their ids back, one more INSERT their "received" events: intake of
    a fetched batch costs about what writing its bytes costs. Never raises on bad mail.
    """
    prepared = [_prepare(incoming) for incoming in mails]
    keys = {p.key for p in prepared} | {p.reused_id_key for p in prepared}
    known: dict[str, tuple[int | None, str]] = dict(_stored(db, sorted(keys)))
    placed: list[tuple[_Prepared, str, bool]] = []
    relocated: list[tuple[int, int | None]] = []  # stored before, now under another UID
    for item in prepared:
        key = item.key
        hit = known.get(key)
        if hit is not None and hit[1] != item.digest:
            # Same Message-ID, different content: a client reusing IDs. A different mail.
            key = item.reused_id_key
            hit = known.get(key)
        if hit is None:
            known[key] = (None, item.digest)  # a second copy later in this batch is known
        elif hit[0] is not None:
            relocated.append((hit[0], item.incoming.uid))
        placed.append((item, key, hit is None))
    now = clock.now()
    new = [
        {
            "dedup_key": key,
            "message_id": item.headline.message_id,
            "content_hash": item.digest,
            "uidvalidity": uidvalidity,
            "uid": item.incoming.uid,
            "size": item.incoming.size or len(item.incoming.raw),
            "headers_only": item.incoming.headers_only,
            "from_address": item.headline.sender,
            "subject": item.headline.subject,
            "mail_date": item.headline.date,
            "raw": item.incoming.raw,
            "received_at": now,
            "attempts": 0,
        }
        for item, key, created in placed
        if created
    ]
    ids: dict[str, int] = {}
    if new:
        # A plain executemany and a SELECT of the new keys: INSERT ... RETURNING of
        # many rows goes through SQLAlchemy's "insertmanyvalues", twice the cost here.
        db.execute(insert(InboundMail), new)
        new_keys = [key for _item, key, created in placed if created]
        ids = {key: inbound_id for key, (inbound_id, _digest) in _stored(db, new_keys).items()}
    ids.update({key: hit[0] for key, hit in known.items() if hit[0] is not None})
    journal.record_many(
        db,
        "received",
        [
            (
                EventRefs(inbound_id=ids[key], message_id=item.headline.message_id),
                {"sender": item.headline.sender, "subject": item.headline.subject},
            )
            for item, key, created in placed
            if created
        ],
    )
    if uidvalidity is not None:
        _follow_new_uids(db, relocated, uidvalidity)
    return [Arrival(item.incoming.uid, ids[key], created) for item, key, created in placed]


def _stored(db: DbSession, keys: Sequence[str]) -> dict[str, tuple[int, str]]:
    """Id and content hash of the stored mails among these dedup keys."""
    found: dict[str, tuple[int, str]] = {}
    for chunk in chunked(keys, 400):
        rows = db.execute(
            select(InboundMail.dedup_key, InboundMail.id, InboundMail.content_hash).where(
                InboundMail.dedup_key.in_(chunk)
            )
        )
        found.update({key: (inbound_id, digest) for key, inbound_id, digest in rows})
    return found


def _follow_new_uids(
    db: DbSession, moved: Sequence[tuple[int, int | None]], uidvalidity: int
) -> None:
    """Remember where known mails are now, so the next pass knows them by UID.

    They were seen again under another UID: UIDVALIDITY changed, or staff put one back
    in INBOX.
    """
    for inbound_id, uid in moved:
        db.execute(
            update(InboundMail)
            .where(InboundMail.id == inbound_id)
            .values(uidvalidity=uidvalidity, uid=uid)
        )


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
    """Record one mail unless it is already known; never raises on bad mail."""
    [arrival] = store_batch(
        db, [Incoming(uid, raw)], journal=journal, clock=clock, uidvalidity=uidvalidity
    )
    return Stored(db.get_one(InboundMail, arrival.inbound_id), arrival.created)
