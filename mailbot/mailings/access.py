"""Render and queue one participant's pre-session mail, recorded exactly once.

The ParticipantMailing row is added in the same transaction as its OutboundMail:
its unique key (participant, session, kind, version) is what makes a mail
happen once, whatever the scheduler, a restart or a second planner does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from mailbot import outbox
from mailbot.app import App
from mailbot.catalog import Session, Webinar, session_key
from mailbot.mailings import ics
from mailbot.mailings.dossier import DossierFile, store
from mailbot.records.models import (
    MailingKind,
    OutboundMail,
    OutboundPurpose,
    Participant,
    ParticipantMailing,
    Registration,
)
from mailbot.registrations import display_name

PURPOSES = {
    MailingKind.ACCESS: OutboundPurpose.ACCESS,
    MailingKind.UPDATE: OutboundPurpose.ACCESS_UPDATE,
    MailingKind.CANCELLATION: OutboundPurpose.ACCESS_UPDATE,
    MailingKind.REMINDER: OutboundPurpose.REMINDER,
}
TEMPLATES = {
    MailingKind.ACCESS: "access",
    MailingKind.UPDATE: "access_update",
    MailingKind.CANCELLATION: "access_update",
    MailingKind.REMINDER: "reminder",
}


@dataclass(frozen=True, slots=True)
class Target:
    """Who and which session: everything a mail is about."""

    participant: Participant
    registration: Registration
    webinar: Webinar
    session: Session

    @property
    def key(self) -> str:
        return session_key(self.webinar.id, self.session.date)


def dossier_plan(
    app: App, files: Sequence[DossierFile]
) -> tuple[list[DossierFile], list[dict[str, Any]]]:
    """Attach the dossier, or give download links when it is too big for a mailbox."""
    settings = app.settings.scheduler
    described = [
        {
            "filename": f.filename,
            "size_kb": max(1, round(f.size / 1024)),
            "url": settings.dossier_download_url.format(filename=f.filename, sha256=f.sha256),
        }
        for f in files
    ]
    if sum(f.size for f in files) > settings.dossier_max_attach_bytes:
        return [], [{**d, "attached": False} for d in described]
    return list(files), [{**d, "attached": True} for d in described]


def draft(
    app: App,
    target: Target,
    kind: MailingKind,
    version: int,
    sequence: int,
    files: Sequence[DossierFile],
    *,
    previous: OutboundMail | None = None,
) -> outbox.Draft:
    """The personal mail, fully rendered: text, HTML, .ics and the dossier (by reference)."""
    participant, webinar, session = target.participant, target.webinar, target.session
    attached, dossier = dossier_plan(app, files)
    cancelled = kind is MailingKind.CANCELLATION
    context = {
        "participant": participant,
        "participant_name": display_name(participant),
        "registration": target.registration,
        "webinar": webinar,
        "session": session,
        "schedule": app.catalog.schedule,
        "dossier": dossier,
        "sequence": sequence,
        "cancelled": cancelled,
        "replaces": previous is not None,
        "previous_sent_at": previous.created_at if previous is not None else None,
        "mailbox": app.catalog.mailbox,
    }
    base = TEMPLATES[kind]
    text = app.templates.render(f"mail/{base}.txt", **context)
    html = app.templates.render(f"mail/{base}.html", **context)
    smtp = app.settings.smtp
    invitation = ics.Invitation(
        session_key=target.key,
        participant_id=participant.id,
        attendee_email=participant.email,
        attendee_name=display_name(participant),
        title=webinar.title,
        day=session.date,
        start=session.start,
        end=session.end,
        link=session.link,
        sequence=sequence,
        organizer_email=smtp.from_address,
        organizer_name=smtp.from_name,
        cancelled=cancelled,
    )
    calendar = ics.build(
        invitation, app.settings.tz, app.clock.now(), app.settings.replies.message_id_domain
    )
    headers = {}
    if previous is not None:
        # Threads the update under the mail it replaces in the participant's client.
        headers["References"] = previous.message_id
        headers["In-Reply-To"] = previous.message_id
    return outbox.Draft(
        key=f"mailing:{kind}:{target.key}:{participant.id}:v{version}",
        purpose=PURPOSES[kind],
        to=[participant.email],
        subject=app.templates.subject(str(kind), webinar=webinar, session=session),
        text=text,
        html=html,
        attachments=[
            outbox.Attachment(
                "invitation.ics",
                "text/calendar",
                calendar,
                (("method", "CANCEL" if cancelled else "REQUEST"),),
            )
        ],
        shared_files=[f.shared() for f in attached] if kind is not MailingKind.REMINDER else [],
        registration=target.registration,
        participant=participant,
        auto_submitted="auto-generated",
        headers=headers,
    )


def queue_mailing(
    db: DbSession,
    app: App,
    target: Target,
    kind: MailingKind,
    version: int,
    sequence: int,
    files: Sequence[DossierFile],
) -> ParticipantMailing | None:
    """Queue the mail and its record together; None if it was already recorded."""
    already = db.scalar(
        select(ParticipantMailing).where(
            ParticipantMailing.participant_id == target.participant.id,
            ParticipantMailing.session_key == target.key,
            ParticipantMailing.kind == kind,
            ParticipantMailing.version == version,
        )
    )
    if already is not None:
        return None
    previous = (
        last_mail(db, target.participant.id, target.key)
        if kind
        in (
            MailingKind.UPDATE,
            MailingKind.CANCELLATION,
        )
        else None
    )
    store(db, files)
    row = outbox.queue(
        db, app, draft(app, target, kind, version, sequence, files, previous=previous)
    )
    mailing = ParticipantMailing(
        participant_id=target.participant.id,
        session_key=target.key,
        kind=kind,
        version=version,
        ics_sequence=sequence,
        outbound_mail_id=row.id,
        created_at=app.clock.now(),
    )
    db.add(mailing)
    db.flush()  # the unique constraint speaks here, inside the transaction
    return mailing


def last_mail(db: DbSession, participant_id: int, key: str) -> OutboundMail | None:
    """The latest access or update this participant received for the session."""
    return db.scalar(
        select(OutboundMail)
        .join(ParticipantMailing, ParticipantMailing.outbound_mail_id == OutboundMail.id)
        .where(
            ParticipantMailing.participant_id == participant_id,
            ParticipantMailing.session_key == key,
            ParticipantMailing.kind.in_([MailingKind.ACCESS, MailingKind.UPDATE]),
        )
        .order_by(ParticipantMailing.id.desc())
        .limit(1)
    )


def now_local(app: App) -> dt.datetime:
    return app.clock.now().astimezone(app.settings.tz)
