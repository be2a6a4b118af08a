"""What staff see of a session's mailing: who is registered and what each participant got."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.engine import Row as DbRow
from sqlalchemy.orm import Session as DbSession

from mailbot.mailings.runner import participants_of
from mailbot.records.models import (
    MailingKind,
    OutboundMail,
    OutboundStatus,
    ParticipantMailing,
    ParticipantStatus,
)

STATUS_LABELS = {
    OutboundStatus.QUEUED: "en file",
    OutboundStatus.SENDING: "en cours d'envoi",
    OutboundStatus.RETRY_WAIT: "nouvel essai prévu",
    OutboundStatus.SENT: "envoyé",
    OutboundStatus.FAILED: "échec",
    OutboundStatus.CANCELLED: "annulé",
}


@dataclass(frozen=True, slots=True)
class Row:
    registration_id: int
    organisation: str
    civility: str
    first_name: str
    last_name: str
    email: str
    participant_status: str
    mailing: str  # "prévu" / "envoyé le …" / "échec" / "adresse en échec (bounce)"


def rows(db: DbSession, key: str) -> list[Row]:
    out = []
    for registration, participant in participants_of(db, key):
        mailings = db.execute(
            select(ParticipantMailing, OutboundMail)
            .join(OutboundMail, OutboundMail.id == ParticipantMailing.outbound_mail_id)
            .where(
                ParticipantMailing.participant_id == participant.id,
                ParticipantMailing.session_key == key,
            )
            .order_by(ParticipantMailing.id)
        ).all()
        out.append(
            Row(
                registration.id,
                registration.organisation_name,
                participant.civility or "",
                participant.first_name,
                participant.last_name,
                participant.email,
                str(participant.status),
                _status(participant.email_failing, participant.status, mailings),
            )
        )
    return out


def _status(
    failing: bool, status: str, mailings: Sequence[DbRow[ParticipantMailing, OutboundMail]]
) -> str:
    if status != ParticipantStatus.ACTIVE:
        return "remplacé(e) : plus aucun envoi" if status == ParticipantStatus.REPLACED else "—"
    if failing:
        return "adresse en échec (bounce)"
    if not mailings:
        return "prévu"
    parts = []
    for mailing, mail in mailings:
        label = {
            MailingKind.ACCESS: "accès",
            MailingKind.UPDATE: "mise à jour",
            MailingKind.REMINDER: "rappel",
            MailingKind.CANCELLATION: "annulation",
        }.get(MailingKind(mailing.kind), str(mailing.kind))
        when = f" {mail.sent_at:%d/%m %H:%M} UTC" if mail.sent_at else ""
        parts.append(f"{label} {STATUS_LABELS[OutboundStatus(mail.status)]}{when}")
    return " ; ".join(parts)


HEADER = ["inscription", "organisme", "civilité", "prénom", "nom", "courriel", "statut", "envoi"]


def to_csv(data: list[Row]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")  # Excel in French opens ';' directly
    writer.writerow(HEADER)
    for r in data:
        writer.writerow(
            [
                r.registration_id,
                r.organisation,
                r.civility,
                r.first_name,
                r.last_name,
                r.email,
                r.participant_status,
                r.mailing,
            ]
        )
    return buffer.getvalue()


def to_xlsx(data: list[Row], path: str) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Participants"
    sheet.append(HEADER)
    for r in data:
        sheet.append(
            [
                r.registration_id,
                r.organisation,
                r.civility,
                r.first_name,
                r.last_name,
                r.email,
                r.participant_status,
                r.mailing,
            ]
        )
    book.save(path)
