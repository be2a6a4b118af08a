"""`mailbot status`: is the daemon healthy, what did it do, what waits for a person."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import func, select

from mailbot.app import App
from mailbot.clock import as_aware, local_instant
from mailbot.records.db import unit_of_work
from mailbot.records.models import (
    Disposition,
    Event,
    InboundMail,
    OutboundMail,
    OutboundStatus,
    ReviewItem,
    ReviewStatus,
    ServiceHealth,
)


@dataclass
class ServiceState:
    last_ok_at: str | None
    last_error_at: str | None
    last_error: str | None
    healthy: bool


@dataclass
class Status:
    now: str
    imap: ServiceState
    smtp: ServiceState
    outbox: dict[str, int]
    inbound_today: dict[str, int]
    inbound_total: int
    inbound_unfiled: int
    review_open: int
    recent_errors: list[dict[str, Any]] = field(default_factory=list)
    recent_events: list[dict[str, Any]] = field(default_factory=list)

    @property
    def healthy(self) -> bool:
        return self.imap.healthy and self.smtp.healthy

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["healthy"] = self.healthy
        return data


def _iso(value: dt.datetime | None) -> str | None:
    return as_aware(value).isoformat() if value else None


def _service(row: ServiceHealth | None, now: dt.datetime, max_age: dt.timedelta) -> ServiceState:
    if row is None:
        return ServiceState(None, None, None, healthy=True)  # never used yet: nothing wrong
    ok_at = as_aware(row.last_ok_at) if row.last_ok_at else None
    err_at = as_aware(row.last_error_at) if row.last_error_at else None
    recent_error = err_at is not None and (ok_at is None or err_at > ok_at)
    stale = ok_at is not None and now - ok_at > max_age
    return ServiceState(
        _iso(ok_at), _iso(err_at), row.last_error, healthy=not recent_error and not stale
    )


def collect(app: App, *, events: int = 15) -> Status:
    now = app.clock.now()
    imap = app.settings.imap
    imap_age = dt.timedelta(
        seconds=(imap.idle_renew_s if imap.use_idle else imap.poll_interval_s) * 2 + 300
    )
    # In UTC: a local midnight compared as text left the hour after it out of "today".
    midnight = local_instant(now.astimezone(app.settings.tz).date(), dt.time(), app.settings.tz)
    with unit_of_work(app.db) as db:
        outbox = {
            str(status): count
            for status, count in db.execute(
                select(OutboundMail.status, func.count()).group_by(OutboundMail.status)
            )
        }
        today = {
            str(disposition or "pending"): count
            for disposition, count in db.execute(
                select(InboundMail.disposition, func.count())
                .where(InboundMail.received_at >= midnight)
                .group_by(InboundMail.disposition)
            )
        }
        errors = db.scalars(
            select(Event).where(Event.level == "error").order_by(Event.id.desc()).limit(5)
        ).all()
        recent = db.scalars(select(Event).order_by(Event.id.desc()).limit(events)).all()
        return Status(
            now=now.isoformat(),
            imap=_service(db.get(ServiceHealth, "imap"), now, imap_age),
            smtp=_service(db.get(ServiceHealth, "smtp"), now, dt.timedelta(days=3650)),
            outbox={s.value: outbox.get(s.value, 0) for s in OutboundStatus},
            inbound_today={d.value: today.get(d.value, 0) for d in Disposition}
            | {"pending": today.get("pending", 0)},
            inbound_total=db.scalar(select(func.count(InboundMail.id))) or 0,
            inbound_unfiled=db.scalar(
                select(func.count(InboundMail.id)).where(InboundMail.moved_at.is_(None))
            )
            or 0,
            review_open=db.scalar(
                select(func.count(ReviewItem.id)).where(ReviewItem.status == ReviewStatus.OPEN)
            )
            or 0,
            recent_errors=[_event(e) for e in errors],
            recent_events=[_event(e) for e in reversed(recent)],
        )


def _event(row: Event) -> dict[str, Any]:
    return {
        "at": _iso(row.at),
        "kind": row.kind,
        "level": row.level,
        "sentence": row.sentence,
        "message_id": row.message_id,
    }
