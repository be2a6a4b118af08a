"""Read the mail: what it is, what its form says, and what the parser decided."""

from __future__ import annotations

from handlers.base import Continue, MailContext, Outcome
from mailbot.records.models import InboundMail
from mailbot.understanding.model import Understanding

KIND_LABELS = {
    "registration": "une inscription",
    "replacement": "une demande de remplacement",
    "question": "une question",
    "auto_reply": "une réponse automatique",
    "bounce": "un avis de non-distribution",
    "other": "un courriel sans rapport (publicité, lettre d'information…)",
}
DECISION_LABELS = {
    "auto": "traitement automatique",
    "review": "vérification par l'équipe",
    "ignore": "aucune action",
}


class Understand:
    name = "understand"
    description = "classify the mail and extract its registration form"

    def handle(self, mail: InboundMail, ctx: MailContext) -> Outcome:
        if mail.understanding:
            # Already read by an earlier attempt or corrected by staff: keep it.
            ctx.understanding = Understanding.from_dict(mail.understanding)
        else:
            ctx.understanding = ctx.app.understand(mail.raw)
            mail.understanding = ctx.understanding.to_dict()
        u = ctx.understanding
        mail.kind = str(u.kind)
        ctx.app.journal.record(
            ctx.db,
            "classified",
            inbound=mail,
            kind_label=KIND_LABELS.get(str(u.kind), str(u.kind)),
            decision_label=DECISION_LABELS.get(str(u.decision), str(u.decision)),
            data={"kind": str(u.kind), "decision": str(u.decision), "reasons": list(u.reasons)},
        )
        return Continue(f"{u.kind}/{u.decision}")
