"""Record the registration and its participants, as the form gives them."""

from __future__ import annotations

from handlers.base import Continue, MailContext, Outcome
from handlers.eligibility import may_record
from mailbot.records.models import InboundMail
from mailbot.registrations import active_participants, display_name, record
from mailbot.templating import day


class RecordRegistration:
    name = "record_registration"
    description = "create the Registration and its Participants"

    def handle(self, mail: InboundMail, ctx: MailContext) -> Outcome:
        u = ctx.understanding
        if u is None or not may_record(u, ctx):
            return Continue()
        registration = record(ctx.db, ctx.app.catalog, mail, u, approved_by=ctx.approved_by)
        ctx.registration = registration
        people = active_participants(registration)
        ctx.app.journal.record(
            ctx.db,
            "registration_recorded",
            inbound=mail,
            registration=registration,
            organisation=registration.organisation_name,
            participants=", ".join(display_name(p) for p in people),
            session=day(registration.session_date),
        )
        return Continue(f"registration {registration.id} with {len(people)} participant(s)")
