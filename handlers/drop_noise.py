"""Out-of-office replies, spam and newsletters: file them, answer nothing."""

from __future__ import annotations

from handlers.base import Continue, Ignore, MailContext, Outcome
from mailbot.records.models import InboundMail

REASONS = {
    "auto_reply": "réponse automatique (absence, accusé de réception)",
    "other": "publicité, lettre d'information ou courriel sans rapport",
}
# A reason of the parser that says more than the kind does.
BY_REASON = {"thanks": "simple remerciement, sans question ni demande"}


class DropNoise:
    name = "drop_noise"
    description = "ignore auto-replies, spam and newsletters"

    def handle(self, mail: InboundMail, ctx: MailContext) -> Outcome:
        u = ctx.understanding
        if u is not None and str(u.decision) == "ignore":
            told = next((BY_REASON[r] for r in u.reasons if r in BY_REASON), None)
            return Ignore(told or REASONS.get(str(u.kind), "aucune action nécessaire"))
        return Continue()
