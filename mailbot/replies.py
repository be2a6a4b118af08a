"""When mailbot may answer a mail automatically, and the acknowledgement it sends.

RFC 3834: never auto-reply to auto-submitted mail, mailing lists, bounces or
no-reply senders; plus a per-sender daily cap so two robots cannot loop.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from email.message import Message
from email.parser import BytesHeaderParser
from email.policy import compat32

from sqlalchemy import func, select
from sqlalchemy.orm import Session as DbSession

from mailbot import outbox
from mailbot.app import App
from mailbot.intake import header_block
from mailbot.records.models import InboundMail, OutboundMail, OutboundPurpose

NO_REPLY_LOCALPART = re.compile(
    r"^(mailer-daemon|postmaster|no[-_.]?reply|do[-_.]?not[-_.]?reply|ne[-_.]?pas[-_.]?repondre"
    r"|bounces?|notifications?|listserv|majordomo)([+-].*)?$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Verdict:
    allowed: bool
    reason: str = ""


def may_auto_reply(headers: Message, sender: str | None, own_address: str) -> Verdict:
    """Pure RFC 3834 check on a mail's headers (compat32 message: never raises on bad headers)."""
    if not sender:
        return Verdict(False, "expéditeur absent")
    if sender.lower() == own_address.lower():
        return Verdict(False, "courriel envoyé par notre propre adresse")
    if NO_REPLY_LOCALPART.match(sender.split("@", 1)[0]):
        return Verdict(False, "adresse d'expédition automatique (no-reply, MAILER-DAEMON…)")
    auto = str(headers.get("Auto-Submitted", "no")).strip().lower()
    if auto and not auto.startswith("no"):
        return Verdict(False, f"courriel automatique (Auto-Submitted: {auto})")
    precedence = str(headers.get("Precedence", "")).strip().lower()
    if precedence in {"bulk", "list", "junk", "auto_reply"}:
        return Verdict(False, f"courriel de masse (Precedence: {precedence})")
    for header in ("List-Id", "List-Unsubscribe", "X-Autoreply", "X-Autorespond"):
        if headers.get(header) is not None:
            return Verdict(False, f"liste de diffusion ou réponse automatique ({header})")
    if str(headers.get("X-Auto-Response-Suppress", "")).strip().lower() in {
        "all",
        "oof",
        "autoreply",
    }:
        return Verdict(False, "l'expéditeur demande à ne pas recevoir de réponse automatique")
    return Verdict(True)


def headers_of(raw: bytes) -> Message:
    return BytesHeaderParser(policy=compat32).parsebytes(header_block(raw))


def replies_sent_today(db: DbSession, app: App, address: str) -> int:
    """Automatic answers to mails from ``address`` in the last 24 hours."""
    since = app.clock.now() - dt.timedelta(days=1)
    count = db.scalar(
        select(func.count(OutboundMail.id))
        .join(InboundMail, OutboundMail.inbound_mail_id == InboundMail.id)
        .where(
            func.lower(InboundMail.from_address) == address.lower(),
            OutboundMail.created_at >= since,
        )
    )
    return count or 0


def check_reply(db: DbSession, app: App, mail: InboundMail) -> Verdict:
    """The RFC 3834 check plus the per-sender daily cap; records why when it says no."""
    verdict = may_auto_reply(
        headers_of(mail.raw), mail.from_address, app.settings.smtp.from_address
    )
    if verdict.allowed and mail.from_address:
        cap = app.settings.replies.max_replies_per_sender_per_day
        if replies_sent_today(db, app, mail.from_address) >= cap:
            verdict = Verdict(False, f"plus de {cap} réponses automatiques à cette adresse en 24 h")
    if not verdict.allowed:
        app.journal.record(
            db,
            "reply_suppressed",
            inbound=mail,
            recipient=mail.from_address or "expéditeur inconnu",
            reason=verdict.reason,
        )
    return verdict


def acknowledge(db: DbSession, app: App, mail: InboundMail) -> OutboundMail | None:
    """'Bien reçu, nous revenons vers vous' — once per mail, never to a robot."""
    if not check_reply(db, app, mail).allowed or mail.from_address is None:
        return None
    context = {"subject": mail.subject or "", "mailbox": app.catalog.mailbox}
    draft = outbox.Draft(
        key=f"acknowledgement:{mail.id}",
        purpose=OutboundPurpose.ACKNOWLEDGEMENT,
        to=[mail.from_address],
        subject=outbox.reply_subject(mail.subject, app.templates.subject("acknowledgement")),
        text=app.templates.render("mail/acknowledgement.txt", **context),
        html=app.templates.render("mail/acknowledgement.html", **context),
        in_reply_to=mail,
    )
    return outbox.queue(db, app, draft)
