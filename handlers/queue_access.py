"""A registration confirmed after the access mailing: its participants get their mails now.

Runs just after ``queue_confirmation``, in the same transaction: the access mails
and the confirmation are queued together or not at all, the confirmation first.
Before the mailing time it does nothing; the planner sends them on time.
"""

from __future__ import annotations

from handlers.base import Continue, MailContext, Outcome
from mailbot.mailings.runner import plan_and_queue
from mailbot.records.models import InboundMail


class QueueAccess:
    name = "queue_access"
    description = "queue the access mails of a late registration's participants right away"

    def handle(self, mail: InboundMail, ctx: MailContext) -> Outcome:
        registration = ctx.registration
        if registration is None or registration.inbound_mail_id != mail.id:
            return Continue()
        report = plan_and_queue(ctx.db, ctx.app, registration=registration)
        if report.total:
            return Continue(f"{report.total} access mail(s) queued (mailing already out)")
        return Continue()
