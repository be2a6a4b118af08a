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
        text = explain(reasons, ctx.app.templates)
        if u.side_question and "question_in_mail" in reasons:
            # The sentence itself, so staff see at a glance what to answer.
            text += f" Question : « {u.side_question[:_QUOTED]} »"
        if u.listed_apart and "participants_differ" in reasons:
            text += f" Écart : {u.listed_apart[:_QUOTED]}"
        if u.remarks and "document_remark" in reasons:
            text += f" Remarque : « {' ; '.join(u.remarks)[:_QUOTED]} »"
        return NeedsReview(reasons[0], text)


_QUOTED = 300
