"""Queue the confirmation mail with the invoice: to the sender, copy to the manager."""

from __future__ import annotations

from sqlalchemy import select

from handlers.base import Continue, MailContext, NeedsReview, Outcome
from mailbot import outbox, replies
from mailbot.invoicing.model import BuyerCategory
from mailbot.records.models import (
    InboundMail,
    Invoice,
    InvoiceKind,
    OutboundPurpose,
    Registration,
    RegistrationStatus,
)
from mailbot.registrations import active_participants


class QueueConfirmation:
    name = "queue_confirmation"
    description = "queue the confirmation e-mail with the invoice attached"

    def handle(self, mail: InboundMail, ctx: MailContext) -> Outcome:
        registration = ctx.registration
        if registration is None or registration.inbound_mail_id != mail.id:
            return Continue()
        app = ctx.app
        to, cc = recipients(mail, ctx)
        if not to:
            return NeedsReview(
                "no_reply_address",
                "aucune adresse valable pour envoyer la confirmation (expéditeur automatique "
                "et gestionnaire sans adresse).",
            )
        invoice = ctx.db.scalar(
            select(Invoice).where(
                Invoice.registration_id == registration.id, Invoice.kind == InvoiceKind.INVOICE
            )
        )
        webinar = app.catalog.webinar(registration.webinar_id)
        assert webinar is not None and invoice is not None
        session = app.catalog.session(registration.webinar_id, registration.session_date)
        category = BuyerCategory(registration.buyer_category)
        context = {
            "registration": registration,
            "participants": active_participants(registration),
            "webinar": webinar,
            "session": session,
            "schedule": app.catalog.schedule,
            "invoice": invoice,
            "public_buyer": category.uses_chorus_pro,
            "missing_public_refs": _missing_public_refs(registration)
            if category.uses_chorus_pro
            else [],
            "mailbox": app.catalog.mailbox,
        }
        text = app.templates.first(f"mail/confirmation-{webinar.id}.txt", "mail/confirmation.txt")
        html = app.templates.first(f"mail/confirmation-{webinar.id}.html", "mail/confirmation.html")
        outbox.queue(
            ctx.db,
            app,
            outbox.Draft(
                key=f"confirmation:{registration.id}",
                purpose=OutboundPurpose.CONFIRMATION,
                to=to,
                cc=cc,
                subject=outbox.reply_subject(
                    mail.subject, app.templates.subject("confirmation", webinar=webinar)
                ),
                text=app.templates.render(text, **context),
                html=app.templates.render(html, **context),
                attachments=[
                    outbox.Attachment(
                        f"Facture-IPP-{invoice.number}.pdf", "application/pdf", invoice.pdf
                    )
                ],
                in_reply_to=mail,
                registration=registration,
            ),
        )
        registration.status = RegistrationStatus.CONFIRMED
        return Continue(f"confirmation queued for registration {registration.id}")


def recipients(mail: InboundMail, ctx: MailContext) -> tuple[list[str], list[str]]:
    """The sender (unless a robot), with the form's manager in copy when different."""
    registration = ctx.registration
    assert registration is not None
    manager = (registration.manager_email or "").strip()
    sender = (mail.from_address or "").strip()
    if sender and replies.check_reply(ctx.db, ctx.app, mail).allowed:
        cc = [manager] if manager and manager.lower() != sender.lower() else []
        return [sender], cc
    return ([manager] if manager else []), []


def _missing_public_refs(registration: Registration) -> list[str]:
    """Which Chorus Pro references the mail did not give (the template words the request)."""
    given = {
        "siret": registration.buyer_siret,
        "service_code": registration.chorus_service_code,
        "engagement_number": registration.engagement_number,
    }
    return [code for code, value in given.items() if not value]
