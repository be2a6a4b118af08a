"""What became of each demo mail, read back from the database and the SMTP sink.

Only facts are gathered here; every word the newcomer reads is in
templates/demo/ (French, like the rest of the staff-facing text).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from email.parser import BytesHeaderParser
from email.policy import default as default_policy
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from mailbot.app import App
from mailbot.demo.servers import KeptMail
from mailbot.records.db import unit_of_work
from mailbot.records.models import (
    InboundMail,
    Invoice,
    OutboundMail,
    Registration,
    ReviewItem,
    ReviewStatus,
)
from mailbot.understanding.model import Understanding


@dataclass
class SentReport:
    purpose: str
    recipients: list[str]
    status: str
    eml: Path | None = None  # where the SMTP sink wrote it
    pdfs: list[Path] = field(default_factory=list)


@dataclass
class MailReport:
    """One incoming mail and everything mailbot did about it."""

    label: str  # the demo's description of the sample ("" for mails dropped live)
    sender: str
    subject: str
    kind: str  # registration, question, auto_reply, other...
    disposition: str  # done, review, ignored, pending
    folder: str | None  # where it was moved in the mailbox (None: still in INBOX)
    organisation: str | None = None
    participants: list[str] = field(default_factory=list)
    session: dt.date | None = None
    invoice_number: str | None = None
    invoice_total: str | None = None
    chorus: bool = False  # public buyer: invoice goes to Chorus Pro
    review_id: int | None = None
    review_reason: str | None = None
    # "participants[1].email=a.b@c.fr": a likely correction to approve the item with.
    correction: str | None = None
    ignored_reason: str | None = None
    sent: list[SentReport] = field(default_factory=list)


def message_id_of(raw: bytes) -> str:
    headers = BytesHeaderParser(policy=default_policy).parsebytes(raw)
    return " ".join(str(headers["Message-ID"] or "").split())


def describe_mails(
    app: App, message_ids: list[tuple[str, str]], kept: list[KeptMail]
) -> list[MailReport]:
    """(Message-ID, label) pairs in, one report each, in the same order."""
    by_message_id = {mail.message_id: mail for mail in kept}
    with unit_of_work(app.db) as db:
        reports = []
        for message_id, label in message_ids:
            inbound = db.scalars(
                select(InboundMail).where(InboundMail.message_id == message_id)
            ).first()
            if inbound is not None:
                reports.append(_describe(db, inbound, label, by_message_id))
        return reports


def describe_inbound(app: App, inbound_id: int, kept: list[KeptMail]) -> MailReport:
    with unit_of_work(app.db) as db:
        inbound = db.get_one(InboundMail, inbound_id)
        return _describe(db, inbound, "", {mail.message_id: mail for mail in kept})


def _describe(
    db: DbSession, inbound: InboundMail, label: str, kept: dict[str, KeptMail]
) -> MailReport:
    report = MailReport(
        label=label,
        sender=inbound.from_address or "?",
        subject=inbound.subject or "",
        kind=inbound.kind or "?",
        disposition=str(inbound.disposition or "pending"),
        folder=inbound.target_folder if inbound.moved_at else None,
    )
    if inbound.understanding:
        understood = Understanding.from_dict(inbound.understanding)
        if understood.organisation is not None:
            report.organisation = understood.organisation.name
        report.participants = [
            " ".join(part for part in (p.first_name, p.last_name) if part)
            for p in understood.participants
        ]
        if understood.session is not None:
            report.session = understood.session.date
        report.correction = likely_correction(understood)
    if inbound.trail and report.disposition == "ignored":
        report.ignored_reason = inbound.trail[-1].get("detail")
    review = db.scalars(
        select(ReviewItem)
        .where(ReviewItem.inbound_mail_id == inbound.id, ReviewItem.status == ReviewStatus.OPEN)
        .order_by(ReviewItem.id)
    ).first()
    if review is not None:
        report.review_id, report.review_reason = review.id, review.reason_text
    registration = db.scalars(
        select(Registration).where(Registration.inbound_mail_id == inbound.id)
    ).first()
    if registration is not None:
        invoice = db.scalars(
            select(Invoice).where(Invoice.registration_id == registration.id).order_by(Invoice.id)
        ).first()
        if invoice is not None:
            report.invoice_number = invoice.number
            report.invoice_total = str(invoice.total)
            report.chorus = str(invoice.chorus_status) == "to_deposit"
    for outbound in db.scalars(
        select(OutboundMail)
        .where(OutboundMail.inbound_mail_id == inbound.id)
        .order_by(OutboundMail.id)
    ):
        file = kept.get(outbound.message_id)
        report.sent.append(
            SentReport(
                purpose=str(outbound.purpose),
                recipients=[str(r) for r in outbound.recipients],
                status=str(outbound.status),
                eml=file.eml if file else None,
                pdfs=list(file.pdfs) if file else [],
            )
        )
    return report


def purpose_lookup(app: App) -> Callable[[str], str]:
    """For the SMTP sink: a sent mail's purpose, found by its Message-ID."""

    def purpose_of(message_id: str) -> str:
        with unit_of_work(app.db) as db:
            purpose = db.scalar(
                select(OutboundMail.purpose).where(OutboundMail.message_id == message_id)
            )
        return str(purpose) if purpose else "courriel"

    return purpose_of


def likely_correction(understood: Understanding) -> str | None:
    """For a mistyped participant address, the ``--set`` a staff member would type."""
    for reason in understood.reasons:
        match = re.fullmatch(r"invalid_email:participants\[(\d+)\]\.email", reason)
        if match is None or int(match.group(1)) >= len(understood.participants):
            continue
        typed = understood.participants[int(match.group(1))].email or ""
        # The usual slips: a comma for a dot, a stray space.
        fixed = typed.replace(",", ".").replace(" ", "")
        return f"participants[{match.group(1)}].email={fixed}"
    return None


def shown(path: Path) -> str:
    """A path as short as possible for the newcomer's terminal."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
