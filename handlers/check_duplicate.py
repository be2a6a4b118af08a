"""A form already recorded is answered 'déjà enregistrée', never recorded or invoiced again."""

from __future__ import annotations

from handlers.base import Continue, Done, MailContext, NeedsReview, Outcome
from handlers.eligibility import may_record
from mailbot import outbox, replies
from mailbot.records.models import InboundMail, OutboundPurpose, Registration
from mailbot.registrations import find_conflict
from mailbot.templating import day


class CheckDuplicate:
    name = "check_duplicate"
    description = "recognise a form sent twice, or a participant already registered"

    def handle(self, mail: InboundMail, ctx: MailContext) -> Outcome:
        u = ctx.understanding
        if u is None or not may_record(u, ctx):
            return Continue()
        conflict = find_conflict(ctx.db, u)
        if conflict is None:
            return Continue()
        registration = conflict.registration
        if registration.inbound_mail_id == mail.id:
            return Continue("already recorded from this very mail")
        if conflict.code == "participant_already_registered":
            if ctx.approved_by is not None:
                return Continue(f"{', '.join(conflict.emails)} also registered: approved by staff")
            ctx.registration = registration
            return NeedsReview(
                "participant_already_registered",
                f"{', '.join(conflict.emails)} déjà inscrit(e) à cette session par l'inscription "
                f"n° {registration.id} ({registration.organisation_name}).",
            )
        ctx.app.journal.record(
            ctx.db,
            "registration_duplicate",
            inbound=mail,
            registration=registration,
            organisation=registration.organisation_name,
            session=day(registration.session_date),
            registration_id=registration.id,
        )
        self._answer(mail, ctx, registration)
        return Done(f"same form as registration {registration.id}")

    @staticmethod
    def _answer(mail: InboundMail, ctx: MailContext, registration: Registration) -> None:
        if not replies.check_reply(ctx.db, ctx.app, mail).allowed or not mail.from_address:
            return
        webinar = ctx.app.catalog.webinar(registration.webinar_id)
        context = {
            "registration": registration,
            "webinar_title": webinar.title if webinar else registration.webinar_id,
            "mailbox": ctx.app.catalog.mailbox,
        }
        outbox.queue(
            ctx.db,
            ctx.app,
            outbox.Draft(
                key=f"already_registered:{mail.id}",
                purpose=OutboundPurpose.ALREADY_REGISTERED,
                to=[mail.from_address],
                subject=outbox.reply_subject(
                    mail.subject, ctx.app.templates.subject("already_registered")
                ),
                text=ctx.app.templates.render("mail/already_registered.txt", **context),
                html=ctx.app.templates.render("mail/already_registered.html", **context),
                in_reply_to=mail,
                registration=registration,
            ),
        )
