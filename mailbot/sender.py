"""The outbox worker: claims queued mails, sends them with aiosmtplib, records the result.

Claim (queued -> sending) and result are separate commits around the SMTP
exchange, so a crash between them leaves a row "sending": after
``stale_claim_s`` it is re-queued and sent again with the same Message-ID,
the one duplicate SMTP cannot rule out and mail clients fold.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import random
import ssl
from collections.abc import Sequence
from dataclasses import dataclass, field

import aiosmtplib
from sqlalchemy import or_, select, update

from mailbot.app import App
from mailbot.clock import as_aware
from mailbot.faults import crash_point
from mailbot.mailings.shared_parts import PartCache, PartRef
from mailbot.records.db import unit_of_work
from mailbot.records.models import (
    OutboundMail,
    OutboundPart,
    OutboundStatus,
    ServiceHealth,
    StoredFile,
)
from mailbot.settings import Security, SmtpSettings
from mailbot.staff import review as review_queue
from mailbot.staff.journal import EventRefs

log = logging.getLogger("mailbot.sender")


@dataclass(frozen=True, slots=True)
class Failure:
    temporary: bool
    code: int | None
    text: str


def classify(exc: BaseException) -> Failure:
    """Temporary (retry later) or permanent (a person must act)? Pure."""
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        codes = [r.code for r in exc.recipients]
        temporary = bool(codes) and all(400 <= c < 500 for c in codes)
        detail = "; ".join(f"{r.recipient}: {r.code} {r.message}" for r in exc.recipients)
        return Failure(temporary, codes[0] if codes else None, detail or str(exc))
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        return Failure(400 <= exc.code < 500, exc.code, f"{exc.code} {exc.message}")
    if isinstance(exc, (ConnectionError, TimeoutError, OSError, aiosmtplib.SMTPException)):
        # Refused, reset, timed out, disconnected: the server may be back soon.
        return Failure(
            True, None, f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        )
    return Failure(False, None, f"{type(exc).__name__}: {exc}")


def retry_delay(attempts: int, base: float, cap: float, rng: random.Random) -> float:
    """Exponential back-off with full jitter (attempts counted from 1)."""
    ceiling = min(cap, base * (2 ** max(attempts - 1, 0)))
    return rng.uniform(ceiling / 2, ceiling)


@dataclass(frozen=True, slots=True)
class Claimed:
    id: int
    mail_from: str
    recipients: tuple[str, ...]
    raw: bytes
    parts: tuple[PartRef, ...] = ()  # stored files to swap in (see mailings.shared_parts)
    # What the "sent" record needs, read at claim time so recording costs no query.
    purpose: str = ""
    message_id: str = ""
    registration_id: int | None = None


@dataclass
class DrainReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def smtp_client(settings: SmtpSettings) -> aiosmtplib.SMTP:
    return aiosmtplib.SMTP(
        hostname=settings.host,
        port=settings.port,
        use_tls=settings.security is Security.TLS,
        start_tls=settings.security is Security.STARTTLS,
        tls_context=ssl.create_default_context()
        if settings.security is not Security.PLAIN
        else None,
        username=settings.username,
        password=settings.password.get_secret_value() if settings.password else None,
        timeout=settings.timeout_s,
    )


class Sender:
    def __init__(self, app: App, rng: random.Random | None = None) -> None:
        self.app = app
        self.settings = app.settings.smtp
        self.rng = rng or random.Random()
        # Last successful send, written to ServiceHealth once per drain, not once per mail.
        self._last_ok_at: dt.datetime | None = None
        # One per sender: a mailing's dossier is encoded once, not once per participant.
        self.parts = PartCache(self._load_stored_file)

    def _load_stored_file(self, sha256: str) -> tuple[bytes, str]:
        with unit_of_work(self.app.db) as db:
            stored = db.get_one(StoredFile, sha256)
            return stored.data, stored.content_type

    # -- database side ------------------------------------------------------------------
    def requeue_stale(self) -> int:
        """Give back rows whose worker died mid-send (the one place a resend can happen)."""
        cutoff = self.app.clock.now() - dt.timedelta(seconds=self.settings.stale_claim_s)
        with unit_of_work(self.app.db) as db:
            rows = db.scalars(
                select(OutboundMail).where(
                    OutboundMail.status == OutboundStatus.SENDING,
                    OutboundMail.claimed_at < cutoff,
                )
            ).all()
            for row in rows:
                row.status = OutboundStatus.QUEUED
                row.claimed_at = None
                self.app.journal.record(
                    db,
                    "send_requeued",
                    level="warning",
                    outbound=row,
                    purpose=str(row.purpose),
                    recipients=", ".join(row.recipients),
                )
            return len(rows)

    def claim(self, limit: int) -> list[Claimed]:
        now = self.app.clock.now()
        with unit_of_work(self.app.db) as db:
            query = (
                select(OutboundMail)
                .where(
                    or_(
                        OutboundMail.status == OutboundStatus.QUEUED,
                        (OutboundMail.status == OutboundStatus.RETRY_WAIT)
                        & (OutboundMail.next_attempt_at <= now),
                    )
                )
                .order_by(OutboundMail.id)
                .limit(limit)
            )
            if db.bind is not None and db.get_bind().dialect.name == "postgresql":
                query = query.with_for_update(skip_locked=True)
            rows = db.scalars(query).all()
            parts = _parts_of(db, [row.id for row in rows])
            claimed = []
            for row in rows:
                row.status = OutboundStatus.SENDING
                row.claimed_at = now
                row.attempts += 1
                claimed.append(
                    Claimed(
                        row.id,
                        row.mail_from,
                        tuple(row.recipients),
                        row.raw,
                        tuple(parts.get(row.id, ())),
                        purpose=str(row.purpose),
                        message_id=row.message_id,
                        registration_id=row.registration_id,
                    )
                )
            return claimed

    def record_sent(self, claimed: Claimed, refused: dict[str, str]) -> None:
        if not refused:
            self._record_delivered(claimed)
            return
        with unit_of_work(self.app.db) as db:
            row = db.get_one(OutboundMail, claimed.id)
            row.status = OutboundStatus.SENT
            row.sent_at = self.app.clock.now()
            row.next_attempt_at = None
            delivered = [r for r in row.recipients if r not in refused]
            self.app.journal.record(
                db,
                "sent",
                outbound=row,
                registration=row.registration,
                purpose=str(row.purpose),
                recipients=", ".join(delivered),
            )
            if refused:
                row.last_error = "; ".join(f"{k}: {v}" for k, v in refused.items())
                review_queue.open_item(
                    db,
                    self.app,
                    "recipient_refused",
                    f"le serveur d'envoi a refusé {', '.join(refused)} ({row.last_error}).",
                    outbound=row,
                    registration=row.registration,
                    inbound=row.inbound_mail,
                )
            self._last_ok_at = self.app.clock.now()

    def _record_delivered(self, claimed: Claimed) -> None:
        """The common case, on the hot path of a mailing: one UPDATE and one event, no reads."""
        with unit_of_work(self.app.db) as db:
            db.execute(
                update(OutboundMail)
                .where(OutboundMail.id == claimed.id)
                .values(
                    status=OutboundStatus.SENT, sent_at=self.app.clock.now(), next_attempt_at=None
                )
            )
            self.app.journal.record(
                db,
                "sent",
                refs=EventRefs(
                    outbound_id=claimed.id,
                    registration_id=claimed.registration_id,
                    message_id=claimed.message_id,
                ),
                purpose=claimed.purpose,
                recipients=", ".join(claimed.recipients),
            )
        self._last_ok_at = self.app.clock.now()

    def record_failure(self, claimed: Claimed, failure: Failure) -> bool:
        """Returns True when the mail will be retried."""
        with unit_of_work(self.app.db) as db:
            row = db.get_one(OutboundMail, claimed.id)
            row.last_error = failure.text[:2000]
            row.last_error_code = failure.code
            label = str(row.purpose)
            recipients = ", ".join(row.recipients)
            retry = failure.temporary and row.attempts < self.settings.max_attempts
            if retry:
                delay = retry_delay(
                    row.attempts, self.settings.retry_base_s, self.settings.retry_max_s, self.rng
                )
                row.status = OutboundStatus.RETRY_WAIT
                row.next_attempt_at = self.app.clock.now() + dt.timedelta(seconds=delay)
                self.app.journal.record(
                    db,
                    "send_retry",
                    level="warning",
                    outbound=row,
                    purpose=label,
                    recipients=recipients,
                    error=failure.text[:200],
                    next_attempt=row.next_attempt_at.astimezone(self.app.settings.tz).strftime(
                        "%d/%m/%Y à %H:%M"
                    ),
                )
            else:
                row.status = OutboundStatus.FAILED
                self.app.journal.record(
                    db,
                    "send_failed",
                    level="error",
                    outbound=row,
                    purpose=label,
                    recipients=recipients,
                    error=failure.text[:200],
                )
                why = (
                    "refus définitif du serveur"
                    if not failure.temporary
                    else (f"{row.attempts} tentatives sans succès")
                )
                review_queue.open_item(
                    db,
                    self.app,
                    "send_failed",
                    self.app.journal.sentence(
                        "send_failed_review",
                        purpose=label,
                        recipients=recipients,
                        why=why,
                        error=failure.text[:200],
                    ),
                    outbound=row,
                    registration=row.registration,
                    inbound=row.inbound_mail,
                )
            if failure.code is None or failure.code >= 500 or failure.code == 421:
                self._mark_health(db, ok=False, error=failure.text)
            return retry

    def _mark_health(
        self, db: object, *, ok: bool, error: str = "", at: dt.datetime | None = None
    ) -> None:
        from sqlalchemy.orm import Session as DbSession

        assert isinstance(db, DbSession)
        health = db.get(ServiceHealth, "smtp") or ServiceHealth(component="smtp")
        now = at or self.app.clock.now()
        if ok:
            health.last_ok_at = now
        else:
            health.last_error_at, health.last_error = now, error[:1000]
        db.add(health)

    def _record_contact(self) -> None:
        """Write the time of the drain's last successful send (errors are written at once)."""
        ok_at, self._last_ok_at = self._last_ok_at, None
        if ok_at is not None:
            with unit_of_work(self.app.db) as db:
                self._mark_health(db, ok=True, at=ok_at)

    # -- network side -------------------------------------------------------------------
    async def drain(self, max_mails: int | None = None) -> DrainReport:
        """Send everything due now (or up to ``max_mails``) over a few reused connections."""
        report = DrainReport()
        self.requeue_stale()
        try:
            while max_mails is None or report.sent + report.failed + report.retried < max_mails:
                batch_size = self.settings.batch_size
                if max_mails is not None:
                    batch_size = min(
                        batch_size, max_mails - report.sent - report.failed - report.retried
                    )
                batch = self.claim(batch_size)
                if not batch:
                    break
                crash_point("after_claim")
                await self._send_batch(batch, report)
                if report.retried and not report.sent:
                    break  # the server is unhappy: let the back-off work instead of hammering it
        finally:
            self._record_contact()
        return report

    async def _send_batch(self, batch: Sequence[Claimed], report: DrainReport) -> None:
        queue: asyncio.Queue[Claimed] = asyncio.Queue()
        for claimed in batch:
            queue.put_nowait(claimed)
        workers = min(self.settings.connections, len(batch))
        await asyncio.gather(*(self._connection(queue, report) for _ in range(workers)))

    async def _connection(self, queue: asyncio.Queue[Claimed], report: DrainReport) -> None:
        client: aiosmtplib.SMTP | None = None
        try:
            while not queue.empty():
                claimed = queue.get_nowait()
                try:
                    if client is None or not client.is_connected:
                        client = smtp_client(self.settings)
                        await client.connect()
                    errors, _ = await client.sendmail(
                        claimed.mail_from,
                        list(claimed.recipients),
                        self.parts.assemble(claimed.raw, claimed.parts),
                    )
                except Exception as exc:
                    failure = classify(exc)
                    report.errors.append(failure.text)
                    if self.record_failure(claimed, failure):
                        report.retried += 1
                    else:
                        report.failed += 1
                    if failure.temporary:
                        await _discard(client)
                        client = None
                    if failure.temporary and failure.code is None:
                        # Connection-level trouble: give the rest back untouched for later.
                        self._release_rest(queue)
                        return
                    continue
                crash_point("after_smtp_send")
                refused = {addr: f"{resp.code} {resp.message}" for addr, resp in errors.items()}
                self.record_sent(claimed, refused)
                report.sent += 1
        finally:
            await _discard(client)

    def _release_rest(self, queue: asyncio.Queue[Claimed]) -> None:
        ids = []
        while not queue.empty():
            ids.append(queue.get_nowait().id)
        if not ids:
            return
        with unit_of_work(self.app.db) as db:
            db.execute(
                update(OutboundMail)
                .where(OutboundMail.id.in_(ids), OutboundMail.status == OutboundStatus.SENDING)
                .values(
                    status=OutboundStatus.QUEUED,
                    claimed_at=None,
                    attempts=OutboundMail.attempts - 1,
                )
            )


def _parts_of(db: object, outbound_ids: list[int]) -> dict[int, list[PartRef]]:
    from sqlalchemy.orm import Session as DbSession

    assert isinstance(db, DbSession)
    parts: dict[int, list[PartRef]] = {}
    if not outbound_ids:
        return parts
    for part in db.scalars(
        select(OutboundPart).where(OutboundPart.outbound_mail_id.in_(outbound_ids))
    ):
        parts.setdefault(part.outbound_mail_id, []).append(
            PartRef(part.start, part.end, part.stored_file_sha256, part.filename)
        )
    return parts


async def _discard(client: aiosmtplib.SMTP | None) -> None:
    if client is None or not client.is_connected:
        return
    try:
        await client.quit()
    except (aiosmtplib.SMTPException, OSError):
        client.close()


def oldest_due(app: App) -> dt.datetime | None:
    with unit_of_work(app.db) as db:
        value = db.scalar(
            select(OutboundMail.next_attempt_at)
            .where(OutboundMail.status == OutboundStatus.RETRY_WAIT)
            .order_by(OutboundMail.next_attempt_at)
            .limit(1)
        )
    return as_aware(value) if value else None
