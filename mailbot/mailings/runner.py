"""One planner pass: gather the facts from the database and catalog, queue what is due.

Everything happens in one transaction, so a crash leaves either all of a pass's
mails queued and recorded, or none (the next pass does them). The scheduler job,
``run_once``, the confirmation path and ``mailbot mailing send`` all call this.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from mailbot import outbox
from mailbot.app import App
from mailbot.catalog import Session, Webinar, session_key
from mailbot.mailings import planner
from mailbot.mailings.access import Target, queue_mailing
from mailbot.mailings.dossier import DossierFile, Dossiers
from mailbot.records.db import unit_of_work
from mailbot.records.models import (
    MailingKind,
    OutboundPurpose,
    Participant,
    ParticipantMailing,
    ParticipantStatus,
    Registration,
    RegistrationStatus,
    ReviewItem,
    SessionState,
)
from mailbot.registrations import active_participants
from mailbot.staff import review as review_queue
from mailbot.templating import day

CHANGE_LABELS = {"cancelled": "annulée", "moved": "modifiée (date ou horaires)"}


@dataclass
class PassReport:
    queued: dict[str, int] = field(default_factory=dict)  # session key -> mails queued
    alerts: list[str] = field(default_factory=list)
    held: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.queued.values())


def schedule_of(app: App) -> planner.Schedule:
    s = app.settings.scheduler
    return planner.Schedule(
        tz=app.settings.tz,
        days_before=s.mailing_days_before,
        mailing_time=s.mailing_time,
        reminder=s.morning_reminder,
        reminder_time=s.morning_reminder_time,
    )


def run(app: App, *, send_now: Iterable[str] = (), only: str | None = None) -> PassReport:
    """A full pass, one transaction per registration.

    A 500-participant mailing in one transaction would hold SQLite's write lock for
    many seconds and stall intake; per registration, each commit is short and a crash
    between two leaves the rest for the next pass (the unique constraint still
    guarantees one mail per participant).
    """
    today = app.clock.now().astimezone(app.settings.tz).date()
    with unit_of_work(app.db) as db:
        ids = [reg.id for reg in _registrations(db, today, only, None)]
    report = PassReport()
    for registration_id in ids:
        with unit_of_work(app.db) as db:
            part = plan_and_queue(
                db,
                app,
                send_now=frozenset(send_now),
                only=only,
                registration=db.get_one(Registration, registration_id),
            )
        for key, count in part.queued.items():
            report.queued[key] = report.queued.get(key, 0) + count
        report.alerts.extend(a for a in part.alerts if a not in report.alerts)
        report.held.extend(h for h in part.held if h not in report.held)
    return report


def plan_and_queue(
    db: DbSession,
    app: App,
    *,
    send_now: frozenset[str] = frozenset(),
    only: str | None = None,
    registration: Registration | None = None,
) -> PassReport:
    """Queue every due mail inside ``db``'s transaction (the caller commits)."""
    report = PassReport()
    now = app.clock.now()
    today = now.astimezone(app.settings.tz).date()
    registrations = _registrations(db, today, only, registration)
    sessions: dict[str, tuple[Webinar, Session]] = {}
    for reg in registrations:
        key = session_key(reg.webinar_id, reg.session_date)
        if key in sessions:
            continue
        webinar = app.catalog.webinar(reg.webinar_id)
        found = app.catalog.session(reg.webinar_id, reg.session_date)
        if webinar is None or found is None:
            _hold(db, app, key, "missing", reg, report)
            continue
        sessions[key] = (webinar, found)
    dossiers = Dossiers()
    states = {
        s.session_key: s
        for s in db.scalars(
            select(SessionState).where(SessionState.session_key.in_(list(sessions)))
        )
    }
    facts = []
    for key, (_webinar, session) in sessions.items():
        files = dossiers.files(session.dossier)
        state = _refresh_state(db, app, key, session, files, states.get(key), report)
        facts.append(
            planner.SessionFacts(
                key=key,
                date=session.date,
                start=session.start,
                sequence=state.sequence if state else 0,
                on_hold=bool(state and state.pending_change) or session.cancelled,
            )
        )
        if session.cancelled and (state is None or not state.pending_change):
            _hold(db, app, key, "cancelled", None, report, state=state, session=session)
    participants = {p.id: (p, reg) for reg in registrations for p in active_participants(reg)}
    recipients = [
        planner.Recipient(p.id, session_key(reg.webinar_id, reg.session_date))
        for p, reg in participants.values()
    ]
    past = [
        planner.PastMailing(
            m.participant_id, m.session_key, MailingKind(m.kind), m.version, m.ics_sequence
        )
        for m in db.scalars(
            select(ParticipantMailing).where(ParticipantMailing.session_key.in_(list(sessions)))
        )
    ]
    result = planner.plan(facts, recipients, past, now, schedule_of(app), send_now=send_now)
    summaries: dict[tuple[int, MailingKind, int], Registration] = {}
    for due in result.due:
        participant, reg = participants[due.participant_id]
        webinar, session = sessions[due.session_key]
        files = dossiers.files(session.dossier)
        state = _ensure_state(db, app, due.session_key, session, files, states)
        target = Target(participant, reg, webinar, session)
        if queue_mailing(db, app, target, due.kind, due.version, due.ics_sequence, files):
            report.queued[due.session_key] = report.queued.get(due.session_key, 0) + 1
            if due.kind is not MailingKind.REMINDER:
                summaries[(reg.id, due.kind, due.version)] = reg
        state.first_mailed_at = state.first_mailed_at or now
    for (_, kind, version), reg in summaries.items():
        webinar, session = sessions[session_key(reg.webinar_id, reg.session_date)]
        queue_manager_summary(db, app, reg, webinar, session, kind, version)
    for key, count in report.queued.items():
        app.journal.record(db, "mailing_queued", session=_label(sessions[key]), count=count)
    for alert in result.alerts:
        _alert_late(db, app, alert, sessions[alert.session_key], states, report)
    return report


def _registrations(
    db: DbSession, today: dt.date, only: str | None, registration: Registration | None
) -> list[Registration]:
    if registration is not None:
        return [registration]
    query = select(Registration).where(
        Registration.status == RegistrationStatus.CONFIRMED,
        # Yesterday too: a session that started late in the evening is still "today" somewhere.
        Registration.session_date >= today - dt.timedelta(days=1),
    )
    if only is not None:
        webinar_id, _, date = only.partition("@")
        query = query.where(
            Registration.webinar_id == webinar_id,
            Registration.session_date == dt.date.fromisoformat(date),
        )
    return list(db.scalars(query.order_by(Registration.id)))


def _label(pair: tuple[Webinar, Session]) -> str:
    return f"{day(pair[1].date)} ({pair[0].title})"


def _fingerprints(session: Session, files: list[DossierFile]) -> tuple[str, str]:
    return (
        planner.access_fingerprint(session.link, [f.sha256 for f in files]),
        planner.timing_fingerprint(session.date, session.start, session.end, session.cancelled),
    )


def _ensure_state(
    db: DbSession,
    app: App,
    key: str,
    session: Session,
    files: list[DossierFile],
    states: dict[str, SessionState],
) -> SessionState:
    """The baseline is what the first access mail said; later differences are changes."""
    state = states.get(key)
    if state is None:
        access, timing = _fingerprints(session, files)
        state = SessionState(
            session_key=key,
            access_fingerprint=access,
            timing_fingerprint=timing,
            sequence=0,
            link=session.link,
            updated_at=app.clock.now(),
        )
        db.add(state)
        states[key] = state
    return state


def _refresh_state(
    db: DbSession,
    app: App,
    key: str,
    session: Session,
    files: list[DossierFile],
    state: SessionState | None,
    report: PassReport,
) -> SessionState | None:
    """Notice a catalog change after the mailing: link/dossier -> update; timing -> staff."""
    if state is None or state.pending_change:
        return state
    access, timing = _fingerprints(session, files)
    if timing != state.timing_fingerprint:
        _hold(
            db,
            app,
            key,
            "cancelled" if session.cancelled else "moved",
            None,
            report,
            state=state,
            session=session,
        )
        return state
    if access != state.access_fingerprint:
        state.sequence += 1
        state.access_fingerprint = access
        state.link = session.link
        state.updated_at = app.clock.now()
        app.journal.record(
            db, "session_changed", session=day(session.date), sequence=state.sequence
        )
    return state


def _hold(
    db: DbSession,
    app: App,
    key: str,
    change: str,
    registration: Registration | None,
    report: PassReport,
    *,
    state: SessionState | None = None,
    session: Session | None = None,
) -> None:
    """No guessing: a cancelled, moved or vanished session waits for a person."""
    if state is not None:
        state.pending_change = change
        state.updated_at = app.clock.now()
    report.held.append(key)
    when = key.partition("@")[2]
    reasons = {
        "cancelled": f"la session {key} est marquée annulée dans le catalogue. Après vérification, "
        f"prévenir les participants avec « mailbot mailing confirm-change {key} ».",
        "moved": f"la date ou les horaires de la session {key} ont changé dans le catalogue après "
        f"l'envoi des accès. Après vérification, prévenir les participants avec "
        f"« mailbot mailing confirm-change {key} ».",
        "missing": f"des inscriptions confirmées visent la session {key}, absente du catalogue "
        f"(déplacée ?). Indiquer la nouvelle date avec « mailbot mailing confirm-change {key} "
        f"--to AAAA-MM-JJ », ou annuler.",
    }
    if _open_once(
        db, app, f"session_{change}", reasons[change], f"session:{key}:{change}", registration
    ):
        app.journal.record(
            db,
            "session_change_pending",
            session=when,
            change=CHANGE_LABELS.get(change, "introuvable"),
        )


def _alert_late(
    db: DbSession,
    app: App,
    alert: planner.Alert,
    pair: tuple[Webinar, Session],
    states: dict[str, SessionState],
    report: PassReport,
) -> None:
    report.alerts.append(alert.session_key)
    names = [
        f"{p.first_name} {p.last_name} <{p.email}>"
        for p in db.scalars(select(Participant).where(Participant.id.in_(alert.participant_ids)))
    ]
    opened = _open_once(
        db,
        app,
        "mailing_late",
        f"la session {alert.session_key} a commencé et {len(names)} participant(s) n'ont pas reçu "
        f"leur courriel d'accès : {', '.join(names[:20])}. Leur transmettre le lien "
        f"({pair[1].link}) par téléphone ou par courriel.",
        f"session:{alert.session_key}:mailing_late",
    )
    if opened:
        app.journal.record(db, "mailing_late", level="error", session=_label(pair))
    state = states.get(alert.session_key)
    if state is not None and state.late_alerted_at is None:
        state.late_alerted_at = app.clock.now()


def _open_once(
    db: DbSession,
    app: App,
    code: str,
    text: str,
    key: str,
    registration: Registration | None = None,
) -> bool:
    """Open a review item unless one with this key exists; True when it is new."""
    if db.scalar(select(ReviewItem.id).where(ReviewItem.idempotency_key == key)) is not None:
        return False
    review_queue.open_item(db, app, code, text, registration=registration, key=key)
    return True


def queue_manager_summary(
    db: DbSession,
    app: App,
    registration: Registration,
    webinar: Webinar,
    session: Session,
    kind: MailingKind,
    version: int,
) -> None:
    """One summary per registration and mailing, to the manager (the sender in copy)."""
    manager = (registration.manager_email or registration.sender_email).strip()
    if not manager:
        return
    sender = registration.sender_email.strip()
    cc = [sender] if sender and sender.lower() != manager.lower() else []
    context = {
        "registration": registration,
        "participants": active_participants(registration),
        "webinar": webinar,
        "session": session,
        "update": kind is not MailingKind.ACCESS,
    }
    outbox.queue(
        db,
        app,
        outbox.Draft(
            key=f"mailing:summary:{registration.id}:{kind}:v{version}",
            purpose=OutboundPurpose.MANAGER_SUMMARY,
            to=[manager],
            cc=cc,
            subject=app.templates.subject("manager_summary", session=session),
            text=app.templates.render("mail/manager_summary.txt", **context),
            html=app.templates.render("mail/manager_summary.html", **context),
            registration=registration,
            auto_submitted="auto-generated",
        ),
    )


def participants_of(db: DbSession, key: str) -> list[tuple[Registration, Participant]]:
    """Every participant (any status) of the confirmed registrations of one session."""
    webinar_id, _, date = key.partition("@")
    rows = db.execute(
        select(Registration, Participant)
        .join(Participant, Participant.registration_id == Registration.id)
        .where(
            Registration.webinar_id == webinar_id,
            Registration.session_date == dt.date.fromisoformat(date),
            Registration.status == RegistrationStatus.CONFIRMED,
        )
        .order_by(Registration.id, Participant.position)
    ).all()
    return [(r, p) for r, p in rows]


__all__ = ["ParticipantStatus", "PassReport", "participants_of", "plan_and_queue", "run"]
