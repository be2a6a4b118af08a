"""Number, render and store the registration's invoice (Factur-X PDF)."""

from __future__ import annotations

from handlers.base import Continue, MailContext, Outcome
from mailbot.invoices import issue_invoice
from mailbot.records.models import InboundMail


class IssueInvoice:
    name = "issue_invoice"
    description = "issue the invoice of a just-recorded registration"

    def handle(self, mail: InboundMail, ctx: MailContext) -> Outcome:
        if ctx.registration is None or ctx.registration.inbound_mail_id != mail.id:
            return Continue()
        invoice = issue_invoice(ctx.db, ctx.app, ctx.registration)
        return Continue(f"invoice {invoice.number}")
