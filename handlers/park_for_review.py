"""The end of the route: whatever no handler could finish goes to a person."""

from __future__ import annotations

from handlers.base import MailContext, NeedsReview, Outcome
from mailbot.records.models import InboundMail
from mailbot.staff.reasons import explain


class ParkForReview:
    name = "park_for_review"
    description = "send to the review queue with the parser's reasons in plain French"

    def handle(self, mail: InboundMail, ctx: MailContext) -> Outcome:
        u = ctx.understanding
        if u is None:
            return NeedsReview("not_understood", "le courriel n'a pas pu être lu.")
        reasons = list(u.reasons) or [str(u.kind)]
        return NeedsReview(reasons[0], explain(reasons, ctx.app.templates))
