"""A delivery failure: find the mail of ours it concerns, flag the address, ask a person."""

from __future__ import annotations

from sqlalchemy import select

from handlers.base import Continue, MailContext, NeedsReview, Outcome
from mailbot.records.models import InboundMail, OutboundMail, Participant, Registration
from mailbot.understanding.model import Kind


class HandleBounce:
    name = "handle_bounce"
    description = "link a bounce to the outgoing mail, flag the failing address"

    def handle(self, mail: InboundMail, ctx: MailContext) -> Outcome:
        u = ctx.understanding
        if u is None or u.kind is not Kind.BOUNCE:
            return Continue()
        info = u.bounce
        failed = [a.lower() for a in (info.failed_recipients if info else ())]
        original = self._original(ctx, info.original_message_id if info else None, failed)
        registration = original.registration if original else None
        if original is not None and not failed:
            failed = list(original.recipients)
        for participant in ctx.db.scalars(select(Participant).where(Participant.email.in_(failed))):
            participant.email_failing = True
            registration = registration or ctx.db.get(Registration, participant.registration_id)
        ctx.registration = registration
        what = str(original.purpose) if original else "unknown"
        addresses = ", ".join(failed) or "adresse inconnue"
        ctx.app.journal.record(
            ctx.db,
            "bounce_received",
            level="warning",
            inbound=mail,
            outbound=original,
            registration=registration,
            recipient=addresses,
            purpose=what,
        )
        where = (
            f" (inscription n° {registration.id}, {registration.organisation_name})"
            if registration
            else ""
        )
        detail = f" — {info.diagnostic}" if info and info.diagnostic else ""
        return NeedsReview(
            "bounce",
            ctx.app.journal.sentence(
                "bounce_review",
                purpose=what,
                recipients=addresses,
                where=where,
                detail=detail[:200],
            ),
            acknowledge=False,
        )

    @staticmethod
    def _original(
        ctx: MailContext, message_id: str | None, failed: list[str]
    ) -> OutboundMail | None:
        if message_id:
            found = ctx.db.scalar(select(OutboundMail).where(OutboundMail.message_id == message_id))
            if found is not None:
                return found
        for address in failed:
            rows = ctx.db.scalars(select(OutboundMail).order_by(OutboundMail.id.desc()).limit(500))
            for row in rows:
                if address in [r.lower() for r in row.recipients]:
                    return row
        return None
