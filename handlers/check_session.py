"""The parser judges a form against the mail's date; we act today. Is the session still ahead?"""

from __future__ import annotations

from handlers.base import Continue, MailContext, NeedsReview, Outcome
from handlers.eligibility import may_record
from mailbot.invoices import today
from mailbot.records.models import InboundMail
from mailbot.templating import day


class CheckSession:
    name = "check_session"
    description = "refuse to act alone on a session that is over or cancelled by now"

    def handle(self, mail: InboundMail, ctx: MailContext) -> Outcome:
        u = ctx.understanding
        if u is None or not may_record(u, ctx):
            return Continue()
        assert u.session is not None
        session = ctx.app.catalog.session(u.session.webinar_id, u.session.date)
        if session is None:
            return NeedsReview("unknown_session", "la session demandée n'est plus au catalogue.")
        if session.cancelled:
            return NeedsReview(
                "session_cancelled", f"la session du {day(session.date)} est annulée."
            )
        if session.date <= today(ctx.app):
            return NeedsReview(
                "past_session",
                f"la session du {day(session.date)} a déjà eu lieu ou a lieu aujourd'hui ; "
                "le formulaire est arrivé trop tard pour être traité automatiquement.",
            )
        return Continue()
