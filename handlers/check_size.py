"""A mail too large to download was recorded from its header block: a person handles it."""

from __future__ import annotations

from handlers.base import Continue, MailContext, NeedsReview, Outcome
from mailbot.records.models import InboundMail
from mailbot.staff.reasons import explain


class CheckSize:
    name = "check_size"
    description = "send a mail over the size limit to review without reading it"

    def handle(self, mail: InboundMail, ctx: MailContext) -> Outcome:
        if not mail.headers_only:
            return Continue("downloaded whole")
        return NeedsReview("mail_too_large", explain(["mail_too_large"], ctx.app.templates))
