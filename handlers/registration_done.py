"""The end of an automatic registration's route: recorded, invoiced, confirmed — filed as done."""

from __future__ import annotations

from handlers.base import Continue, Done, MailContext, Outcome
from mailbot.records.models import InboundMail, RegistrationStatus


class RegistrationDone:
    name = "registration_done"
    description = "file the mail as done once its registration is confirmed"

    def handle(self, mail: InboundMail, ctx: MailContext) -> Outcome:
        registration = ctx.registration
        if (
            registration is not None
            and registration.inbound_mail_id == mail.id
            and registration.status == RegistrationStatus.CONFIRMED
        ):
            return Done(f"registration {registration.id} confirmed")
        return Continue()
