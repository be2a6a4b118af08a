"""Per-session figures for the dashboard and the sessions page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session as DbSession

from mailbot.catalog import Catalog, session_key
from mailbot.records.models import (
    OutboundMail,
    OutboundPurpose,
    OutboundStatus,
    Participant,
    ParticipantStatus,
    Registration,
    RegistrationStatus,
)


@dataclass(frozen=True, slots=True)
class SessionFigures:
    key: str
    webinar_id: str
    title: str
    date: dt.date
    start: dt.time
    cancelled: bool
    registrations: int
    participants: int
    access_sent: int

    @property
    def mailing(self) -> str:
        """The pre-session mailing in a few words."""
        if self.participants == 0:
            return "—"
        if self.access_sent >= self.participants:
            return "accès envoyés"
        if self.access_sent:
            return f"accès envoyés à {self.access_sent} sur {self.participants}"
        return "accès pas encore envoyés"


def session_figures(
    db: DbSession, catalog: Catalog, since: dt.date | None = None
) -> list[SessionFigures]:
    counts = {
        (w, d): (regs, people)
        for w, d, regs, people in db.execute(
            select(
                Registration.webinar_id,
                Registration.session_date,
                func.count(distinct(Registration.id)),
                func.count(Participant.id),
            )
            .join(Participant, Participant.registration_id == Registration.id)
            .where(
                Registration.status != RegistrationStatus.CANCELLED,
                Participant.status == ParticipantStatus.ACTIVE,
            )
            .group_by(Registration.webinar_id, Registration.session_date)
        )
    }
    access = {
        (w, d): sent
        for w, d, sent in db.execute(
            select(Registration.webinar_id, Registration.session_date, func.count(OutboundMail.id))
            .join(OutboundMail, OutboundMail.registration_id == Registration.id)
            .where(
                OutboundMail.purpose == OutboundPurpose.ACCESS,
                OutboundMail.status == OutboundStatus.SENT,
            )
            .group_by(Registration.webinar_id, Registration.session_date)
        )
    }
    figures = []
    for webinar, session in catalog.all_sessions():
        if since is not None and session.date < since:
            continue
        regs, people = counts.get((webinar.id, session.date), (0, 0))
        figures.append(
            SessionFigures(
                key=session_key(webinar.id, session.date),
                webinar_id=webinar.id,
                title=webinar.title,
                date=session.date,
                start=session.start,
                cancelled=session.cancelled,
                registrations=regs,
                participants=people,
                access_sent=access.get((webinar.id, session.date), 0),
            )
        )
    return sorted(figures, key=lambda f: f.date)
