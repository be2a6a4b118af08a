"""Apply a participant replacement asked by someone entitled to, or say why not.

The organisation paid for a seat, not for a person: the sender or the manager
of the registration, or a colleague writing from the same organisation's
domain, may name someone else. The old participant is kept (status
``replaced``) for history; the invoice does not change.
"""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select

from handlers.base import Continue, Done, MailContext, NeedsReview, Outcome
from mailbot import outbox
from mailbot.catalog import session_key
from mailbot.clock import local_instant
from mailbot.mailings import planner
from mailbot.mailings.access import Target
from mailbot.mailings.runner import plan_and_queue, schedule_of
from mailbot.records.models import (
    InboundMail,
    OutboundMail,
    OutboundPurpose,
    Participant,
    ParticipantStatus,
    Registration,
    RegistrationStatus,
)
from mailbot.registrations import canonical_civility, display_name
from mailbot.templating import day
from mailbot.understanding.dates import compact
from mailbot.understanding.model import Decision, Kind, Person, Understanding

# Shared mail providers: the same domain says nothing about the same organisation.
PUBLIC_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "yahoo.fr",
        "yahoo.com",
        "hotmail.fr",
        "hotmail.com",
        "outlook.fr",
        "outlook.com",
        "live.fr",
        "live.com",
        "msn.com",
        "orange.fr",
        "wanadoo.fr",
        "free.fr",
        "sfr.fr",
        "neuf.fr",
        "laposte.net",
        "icloud.com",
        "me.com",
        "aol.com",
        "gmx.fr",
        "gmx.com",
        "protonmail.com",
        "proton.me",
        "bbox.fr",
        "numericable.fr",
    }
)


class ApplyReplacement:
    name = "apply_replacement"
    description = "replace a registered participant when an entitled person asks"

    def handle(self, mail: InboundMail, ctx: MailContext) -> Outcome:
        u = ctx.understanding
        if u is None or u.kind is not Kind.REPLACEMENT:
            return Continue()
        if u.decision is not Decision.AUTO and ctx.approved_by is None:
            return Continue()  # the parser's own reasons go to review (park_for_review)
        app, db = ctx.app, ctx.db
        requester = (u.sender.address or mail.from_address or "").strip().lower()
        candidates = _registrations(db, u, mail)
        if not candidates:
            return NeedsReview(
                "replacement_unknown_registration",
                "demande de remplacement : aucune inscription confirmée ne correspond à la session "
                "indiquée.",
            )
        first = candidates[0]
        session = app.catalog.session(first.webinar_id, first.session_date)
        webinar = app.catalog.webinar(first.webinar_id)
        if session is None or webinar is None:
            return NeedsReview("replacement_unknown_session", "la session n'est plus au catalogue.")
        starts = local_instant(session.date, session.start, app.settings.tz)
        if app.clock.now() >= starts:
            return NeedsReview(
                "replacement_after_session",
                f"demande de remplacement reçue après le début de la session du {day(session.date)}.",
            )
        if u.replaced is None or u.replacement is None:
            return NeedsReview(
                "replacement_incomplete",
                "demande de remplacement : la personne remplacée ou son remplaçant n'est pas indiqué.",
            )
        matches = _matching(candidates, u.replaced)
        if not matches:
            return NeedsReview(
                "replacement_unknown_participant",
                f"demande de remplacement : {_who(u.replaced)} ne figure pas parmi les participants "
                f"inscrits à la session du {day(session.date)}.",
            )
        if len(matches) > 1:
            return NeedsReview(
                "replacement_ambiguous",
                f"demande de remplacement : plusieurs participants correspondent à {_who(u.replaced)} ; "
                "préciser l'adresse électronique.",
            )
        registration, old = matches[0]
        ctx.registration = registration
        if ctx.approved_by is None and not entitled(requester, registration):
            return NeedsReview(
                "replacement_no_authority",
                f"demande de remplacement envoyée par {requester or 'un expéditeur inconnu'}, qui n'est "
                f"ni l'expéditeur de l'inscription ni son gestionnaire, ni une adresse de "
                f"l'organisme ({registration.organisation_name}).",
            )
        email = _valid_email(u.replacement.email)
        if email is None or not (u.replacement.first_name or u.replacement.last_name):
            return NeedsReview(
                "replacement_invalid",
                "demande de remplacement : le remplaçant n'a pas de nom ou d'adresse électronique "
                "valable.",
            )
        if _already_registered(candidates, email):
            return NeedsReview(
                "replacement_already_registered",
                f"demande de remplacement : {email} est déjà inscrit(e) à cette session.",
            )
        new = _replace(ctx, registration, old, u.replacement, email)
        key = session_key(registration.webinar_id, registration.session_date)
        mailing_out = app.clock.now() >= planner.mailing_at(
            planner.SessionFacts(key, session.date, session.start), schedule_of(app)
        )
        queued = plan_and_queue(db, app, registration=registration).total if mailing_out else 0
        _confirm(ctx, mail, Target(new, registration, webinar, session), old, bool(queued))
        app.journal.record(
            db,
            "participant_replaced",
            inbound=mail,
            registration=registration,
            old=display_name(old),
            new=display_name(new),
            session=day(session.date),
        )
        return Done(f"participant {old.id} replaced by {new.id}")


def entitled(requester: str, registration: Registration) -> bool:
    """The registration's sender or manager, or an address of the same organisation's domain."""
    known = {registration.sender_email.lower(), registration.manager_email.lower()} - {""}
    if requester in known:
        return True
    domain = requester.rpartition("@")[2]
    domains = {address.rpartition("@")[2] for address in known}
    return bool(domain) and domain not in PUBLIC_DOMAINS and domain in domains


def _registrations(db: object, u: Understanding, mail: InboundMail) -> list[Registration]:
    """The session's confirmed registrations; from the thread when the mail names no session."""
    from sqlalchemy.orm import Session as DbSession

    assert isinstance(db, DbSession)
    query = select(Registration).where(Registration.status == RegistrationStatus.CONFIRMED)
    if u.session is not None:
        query = query.where(
            Registration.webinar_id == u.session.webinar_id,
            Registration.session_date == u.session.date,
        )
    else:
        parents = [*u.references, *([u.in_reply_to] if u.in_reply_to else [])]
        if not parents:
            return []
        ids = db.scalars(
            select(OutboundMail.registration_id).where(OutboundMail.message_id.in_(parents))
        ).all()
        query = query.where(Registration.id.in_([i for i in ids if i is not None]))
    return list(db.scalars(query.order_by(Registration.id)))


def _matching(
    registrations: list[Registration], person: Person
) -> list[tuple[Registration, Participant]]:
    active = [
        (r, p)
        for r in registrations
        for p in r.participants
        if p.status == ParticipantStatus.ACTIVE
    ]
    email = (person.email or "").strip().lower()
    if email:
        by_email = [(r, p) for r, p in active if p.email == email]
        if by_email:
            return by_email
    first, last = compact(person.first_name), compact(person.last_name)
    if not last:
        return []
    return [
        (r, p)
        for r, p in active
        if compact(p.last_name) == last and (not first or compact(p.first_name) == first)
    ]


def _already_registered(registrations: list[Registration], email: str) -> bool:
    return any(
        p.email == email and p.status == ParticipantStatus.ACTIVE
        for r in registrations
        for p in r.participants
    )


def _valid_email(value: str | None) -> str | None:
    try:
        return validate_email((value or "").strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        return None


def _who(person: Person) -> str:
    name = " ".join(x for x in (person.first_name, person.last_name) if x)
    return f"{name} <{person.email}>" if person.email else name or "la personne indiquée"


def _replace(
    ctx: MailContext, registration: Registration, old: Participant, person: Person, email: str
) -> Participant:
    old.status = ParticipantStatus.REPLACED
    new = Participant(
        registration_id=registration.id,
        position=max(p.position for p in registration.participants) + 1,
        civility=canonical_civility(person.civility),
        first_name=(person.first_name or "").strip(),
        last_name=(person.last_name or "").strip(),
        email=email,
        status=ParticipantStatus.ACTIVE,
        replaces_id=old.id,
        created_at=ctx.app.clock.now(),
    )
    ctx.db.add(new)
    ctx.db.flush()
    ctx.db.refresh(registration)
    return new


def _confirm(
    ctx: MailContext, mail: InboundMail, target: Target, old: Participant, access_sent: bool
) -> None:
    app = ctx.app
    context = {
        "webinar": target.webinar,
        "session": target.session,
        "old": old,
        "new": target.participant,
        "old_name": display_name(old),
        "new_name": display_name(target.participant),
        "access_sent": access_sent,
    }
    to = [mail.from_address] if mail.from_address else [target.registration.manager_email]
    outbox.queue(
        ctx.db,
        app,
        outbox.Draft(
            key=f"replacement:{mail.id}",
            purpose=OutboundPurpose.REPLACEMENT_CONFIRMATION,
            to=to,
            subject=outbox.reply_subject(
                mail.subject, app.templates.subject("replacement", webinar=target.webinar)
            ),
            text=app.templates.render("mail/replacement_confirmation.txt", **context),
            html=app.templates.render("mail/replacement_confirmation.html", **context),
            in_reply_to=mail,
            registration=target.registration,
        ),
    )
