"""Which pre-session mails are due now: a pure function of the database's facts and ``now``.

No clock, no database, no network: the runner gathers the facts, this module
decides, so the schedule (DST, catch-up, lateness) is tested without a server.
Nothing here remembers anything between runs; a run that was missed is simply
caught up by the next one, because "due" means "its time has passed and it has
not been recorded as queued".
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from mailbot.clock import local_instant
from mailbot.records.models import MailingKind


@dataclass(frozen=True, slots=True)
class Schedule:
    """When mails go out, in the organisers' local time (J-N at HH:MM)."""

    tz: ZoneInfo
    days_before: int = 2
    mailing_time: dt.time = dt.time(10, 0)
    reminder: bool = False
    reminder_time: dt.time = dt.time(8, 0)


@dataclass(frozen=True, slots=True)
class SessionFacts:
    key: str
    date: dt.date
    start: dt.time
    sequence: int = 0  # SEQUENCE of the current invitation (raised on every change)
    on_hold: bool = False  # cancelled, moved, or a change staff have not confirmed yet


@dataclass(frozen=True, slots=True)
class Recipient:
    participant_id: int
    session_key: str


@dataclass(frozen=True, slots=True)
class PastMailing:
    participant_id: int
    session_key: str
    kind: MailingKind
    version: int
    ics_sequence: int


@dataclass(frozen=True, slots=True)
class Due:
    participant_id: int
    session_key: str
    kind: MailingKind
    version: int
    ics_sequence: int


@dataclass(frozen=True, slots=True)
class Alert:
    """The session started and these participants never got their access mail."""

    session_key: str
    participant_ids: tuple[int, ...]


@dataclass
class Plan:
    due: list[Due] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)


def mailing_at(session: SessionFacts, schedule: Schedule) -> dt.datetime:
    day = session.date - dt.timedelta(days=schedule.days_before)
    return local_instant(day, schedule.mailing_time, schedule.tz)


def starts_at(session: SessionFacts, schedule: Schedule) -> dt.datetime:
    return local_instant(session.date, session.start, schedule.tz)


def reminder_at(session: SessionFacts, schedule: Schedule) -> dt.datetime:
    return local_instant(session.date, schedule.reminder_time, schedule.tz)


def plan(
    sessions: Iterable[SessionFacts],
    recipients: Iterable[Recipient],
    past: Iterable[PastMailing],
    now: dt.datetime,
    schedule: Schedule,
    *,
    send_now: frozenset[str] = frozenset(),
) -> Plan:
    """The mails due at ``now``; ``send_now`` names sessions staff asked to mail early."""
    by_session: dict[str, list[int]] = {}
    for recipient in recipients:
        by_session.setdefault(recipient.session_key, []).append(recipient.participant_id)
    history: dict[tuple[int, str], list[PastMailing]] = {}
    for mailing in past:
        history.setdefault((mailing.participant_id, mailing.session_key), []).append(mailing)
    result = Plan()
    for session in sessions:
        participants = sorted(set(by_session.get(session.key, ())))
        if session.on_hold or not participants:
            continue
        _plan_session(session, participants, history, now, schedule, send_now, result)
    return result


def _plan_session(
    session: SessionFacts,
    participants: Sequence[int],
    history: dict[tuple[int, str], list[PastMailing]],
    now: dt.datetime,
    schedule: Schedule,
    send_now: frozenset[str],
    result: Plan,
) -> None:
    opens = mailing_at(session, schedule)
    if session.key in send_now:
        opens = min(opens, now)
    if now < opens:
        return  # planned, not yet due
    if now >= starts_at(session, schedule):
        # Too late to be useful by mail alone: a person must phone or forward the link.
        missing = tuple(
            p for p in participants if not _has(history, p, session, MailingKind.ACCESS)
        )
        if missing:
            result.alerts.append(Alert(session.key, missing))
        return
    reminder_due = schedule.reminder and now >= reminder_at(session, schedule)
    for participant in participants:
        mailings = history.get((participant, session.key), [])
        if not any(m.kind == MailingKind.ACCESS for m in mailings):
            result.due.append(
                Due(participant, session.key, MailingKind.ACCESS, 0, session.sequence)
            )
        elif max(m.ics_sequence for m in mailings) < session.sequence:
            result.due.append(
                Due(
                    participant, session.key, MailingKind.UPDATE, session.sequence, session.sequence
                )
            )
        if reminder_due and not any(m.kind == MailingKind.REMINDER for m in mailings):
            result.due.append(
                Due(participant, session.key, MailingKind.REMINDER, 0, session.sequence)
            )


def _has(
    history: dict[tuple[int, str], list[PastMailing]],
    participant: int,
    session: SessionFacts,
    kind: MailingKind,
) -> bool:
    return any(m.kind == kind for m in history.get((participant, session.key), []))


def access_fingerprint(link: str, dossier_sha256: Sequence[str]) -> str:
    """What an access mail says that may change later: the link and the dossier's contents."""
    return _digest(["link", link, "dossier", *dossier_sha256])


def timing_fingerprint(day: dt.date, start: dt.time, end: dt.time, cancelled: bool) -> str:
    """When the session happens, and whether it does: never changed without staff."""
    return _digest([day.isoformat(), start.isoformat(), end.isoformat(), str(cancelled)])


def _digest(parts: Sequence[str]) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
