"""Staff-confirmed session changes: a cancellation or a move, announced to everyone once.

The planner never acts on a cancelled or moved session by itself; it opens a
review item and holds the session. ``confirm_change`` is the staff decision.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select, update

from mailbot.app import App
from mailbot.catalog import parse_session_key, session_key
from mailbot.mailings import planner
from mailbot.mailings.access import Target, queue_mailing
from mailbot.mailings.dossier import Dossiers
from mailbot.mailings.runner import participants_of
from mailbot.records.db import unit_of_work
from mailbot.records.models import (
    MailingKind,
    ParticipantMailing,
    ParticipantStatus,
    Registration,
    RegistrationStatus,
    ReviewItem,
    ReviewStatus,
    SessionState,
)
from mailbot.templating import day

# A cancellation staff confirmed and announced: the session stays held for good.
ANNOUNCED = "announced"


@dataclass(frozen=True, slots=True)
class ChangeResult:
    ok: bool
    message: str
    mailed: int = 0


def confirm_change(
    app: App, key: str, staff: str, *, new_date: dt.date | None = None
) -> ChangeResult:
    """Announce the catalog's current state of the session to every active participant."""
    webinar_id, old_date = parse_session_key(key)
    target_date = new_date or old_date
    webinar = app.catalog.webinar(webinar_id)
    session = app.catalog.session(webinar_id, target_date)
    if webinar is None or session is None:
        return ChangeResult(False, f"session {webinar_id}@{target_date} absente du catalogue")
    new_key = session_key(webinar_id, target_date)
    with unit_of_work(app.db) as db:
        state = db.get(SessionState, key)
        if new_date is not None and new_key != key:
            _move(db, key, new_key, webinar_id, old_date, new_date)
            if state is not None:
                db.delete(state)
                db.flush()
                state = SessionState(
                    session_key=new_key,
                    access_fingerprint="",
                    timing_fingerprint="",
                    sequence=state.sequence,
                    link="",
                    first_mailed_at=state.first_mailed_at,
                )
                db.add(state)
        files = Dossiers().files(session.dossier)
        access = planner.access_fingerprint(session.link, [f.sha256 for f in files])
        timing = planner.timing_fingerprint(
            session.date, session.start, session.end, session.cancelled
        )
        if (
            state is not None
            and state.pending_change in (None, ANNOUNCED)
            and (state.access_fingerprint, state.timing_fingerprint) == (access, timing)
        ):
            return ChangeResult(True, f"session {new_key} : rien de nouveau à annoncer")
        sequence = (state.sequence if state else 0) + 1
        if state is None:
            state = SessionState(session_key=new_key, sequence=0, link="")
            db.add(state)
        state.sequence = sequence
        state.access_fingerprint, state.timing_fingerprint = access, timing
        state.link = session.link
        state.updated_at = app.clock.now()
        # A cancelled session stays held: nothing else may go out for it.
        state.pending_change = ANNOUNCED if session.cancelled else None
        mailed_keys = {
            m.participant_id
            for m in db.scalars(
                select(ParticipantMailing).where(ParticipantMailing.session_key == new_key)
            )
        }
        count = 0
        for registration, participant in participants_of(db, new_key):
            if participant.status != ParticipantStatus.ACTIVE:
                continue
            if session.cancelled:
                kind = MailingKind.CANCELLATION
            elif participant.id in mailed_keys:
                kind = MailingKind.UPDATE
            else:
                continue  # never mailed: the planner sends the access mail on schedule
            target = Target(participant, registration, webinar, session)
            if queue_mailing(db, app, target, kind, sequence, sequence, files):
                count += 1
        change = "annulation" if session.cancelled else "modification"
        for item in db.scalars(
            select(ReviewItem).where(
                ReviewItem.idempotency_key.like(f"session:{key}:%"),
                ReviewItem.status == ReviewStatus.OPEN,
            )
        ):
            item.status = ReviewStatus.RESOLVED
            item.resolved_at = app.clock.now()
            item.resolved_by = staff
            item.resolution_note = f"{change} confirmée, {count} participant(s) prévenu(s)"
        app.journal.record(
            db,
            "session_change_confirmed",
            session=day(session.date),
            change=change,
            staff=staff,
            count=count,
        )
    return ChangeResult(
        True, f"{change} de la session {new_key} : {count} courriel(s) en file", count
    )


def _move(
    db: object, key: str, new_key: str, webinar_id: str, old_date: dt.date, new_date: dt.date
) -> None:
    from sqlalchemy.orm import Session as DbSession

    assert isinstance(db, DbSession)
    db.execute(
        update(Registration)
        .where(
            Registration.webinar_id == webinar_id,
            Registration.session_date == old_date,
            Registration.status == RegistrationStatus.CONFIRMED,
        )
        .values(session_date=new_date)
    )
    db.execute(
        update(ParticipantMailing)
        .where(ParticipantMailing.session_key == key)
        .values(session_key=new_key)
    )
