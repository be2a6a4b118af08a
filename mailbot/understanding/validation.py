"""The decision policy: each failed rule is a reason code; ``auto`` only when none failed.

Pure over an ``Understanding`` and the catalog, so the daemon can re-run it
after a staff member corrects a field.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from decimal import Decimal

from mailbot.catalog import Catalog
from mailbot.understanding.dates import compact
from mailbot.understanding.emails import is_valid
from mailbot.understanding.model import Decision, Kind, Person, Understanding
from mailbot.understanding.names import names_someone
from mailbot.understanding.sessions import is_past

# Reasons that stand for the whole mail; fields stay empty and nothing else is checked.
TERMINAL_REASONS = ("unreadable_attachment", "several_forms", "form_not_read", "form_behind_link")


def validate(u: Understanding, catalog: Catalog) -> Understanding:
    """``u`` with ``decision`` and ``reasons`` recomputed from its fields."""
    if u.kind is Kind.REGISTRATION:
        reasons = registration_reasons(u, catalog)
    elif u.kind is Kind.REPLACEMENT:
        reasons = replacement_reasons(u, catalog)
    else:
        return replace(u, decision=_fixed_decision(u.kind), reasons=u.reasons or (_kind_reason(u),))
    return replace(
        u, decision=Decision.REVIEW if reasons else Decision.AUTO, reasons=tuple(reasons)
    )


def _fixed_decision(kind: Kind) -> Decision:
    return Decision.IGNORE if kind in (Kind.AUTO_REPLY, Kind.OTHER) else Decision.REVIEW


def _kind_reason(u: Understanding) -> str:
    return {Kind.QUESTION: "question", Kind.AUTO_REPLY: "auto_reply", Kind.BOUNCE: "bounce"}.get(
        u.kind, "unrelated"
    )


def _mail_day(u: Understanding) -> dt.date | None:
    return None if u.mail_date is None else u.mail_date.date()


def _session_reasons(u: Understanding, catalog: Catalog, missing: str) -> list[str]:
    if u.session is None:
        return [u.session_problem or missing]
    if catalog.session(u.session.webinar_id, u.session.date) is None:
        return ["unknown_session"]
    if u.mail_date is None:
        # No Date header (or one that does not parse): "later than the mail" is unknown.
        return ["no_mail_date"]
    if is_past(u.session, _mail_day(u)):
        return ["past_session"]
    return []


def registration_reasons(u: Understanding, catalog: Catalog) -> list[str]:
    terminal = [r for r in u.reasons if r in TERMINAL_REASONS]
    if terminal:
        return terminal
    reasons = _session_reasons(u, catalog, "session_not_identified")
    organisation = u.organisation
    if organisation is None or not organisation.name:
        reasons.append("missing_field:organisation.name")
    if organisation is None or not organisation.address:
        reasons.append("missing_field:organisation.address")
    manager = u.manager
    if manager is None or not manager.full_name:
        reasons.append("missing_field:manager.full_name")
    reasons += _email_reasons(None if manager is None else manager.email, "manager.email")
    reasons += _participant_reasons(u.participants)
    # IPP's own mailbox read for the client's (a purchase order's supplier block): the
    # confirmation or the link would go back to IPP.
    addresses = [("manager.email", manager.email if manager else None)]
    addresses += [(f"participants[{i}].email", p.email) for i, p in enumerate(u.participants)]
    reasons += _own_address(addresses, catalog)
    reasons += _amount_reasons(u, catalog)
    if not ((u.signatory and names_someone(u.signatory)) or u.signed_or_stamped):
        reasons.append("unsigned")
    if u.handwritten:
        reasons.append("handwritten")
    reasons += [f"uncertain:{name}" for name in u.uncertain_fields]
    if u.listed_apart:
        reasons.append("participants_differ")
    if u.side_question:
        reasons.append("question_in_mail")
    if u.away_reply:
        reasons.append("auto_reply")
    if u.sent_again:
        reasons.append("form_sent_again")
    if u.remarks:
        reasons.append("document_remark")
    if u.letter:
        reasons.append("letter")
    return list(dict.fromkeys(reasons))


def _email_reasons(email: str | None, path: str) -> list[str]:
    if not email:
        return [f"missing_field:{path}"]
    if not is_valid(email):
        return [f"invalid_email:{path}"]
    if not email.isascii():
        # Valid by the RFCs (SMTPUTF8), but "hélène.faure@" is far more often a slip for
        # "helene.faure@", and most mail servers refuse it: the link would never arrive.
        return [f"accented_email:{path}"]
    if _NO_REPLY.match(email):
        # "noreply@", "ne-pas-repondre@": a box nobody reads; the confirmation or the link
        # sent there would be lost without a word.
        return [f"noreply_email:{path}"]
    return []


def _own_address(addresses: list[tuple[str, str | None]], catalog: Catalog) -> list[str]:
    """IPP's own mailbox read for a client's address: what is sent there comes back to IPP."""
    mailbox = catalog.mailbox.strip().lower()
    return [f"own_address:{path}" for path, email in addresses
            if email and email.strip().lower() == mailbox]  # fmt: skip


_NO_REPLY = re.compile(
    r"^(?:no[-_.]?reply|do[-_.]?not[-_.]?reply|ne[-_.]?pas[-_.]?r[eé]pondre|"
    r"nepasrepondre|pas[-_.]?de[-_.]?r[eé]ponse|mailer[-_.]?daemon|postmaster)"
    r"(?:[-_.+][^@]*)?@",
    re.IGNORECASE,
)


def _participant_reasons(participants: tuple[Person, ...]) -> list[str]:
    if not participants:
        return ["missing_field:participants"]
    reasons: list[str] = []
    for index, person in enumerate(participants):
        path = f"participants[{index}]"
        for name in ("civility", "first_name", "last_name"):
            if not getattr(person, name):
                reasons.append(f"missing_field:{path}.{name}")
        reasons += _email_reasons(person.email, f"{path}.email")
    emails = [p.email.strip().lower() for p in participants if p.email]
    # "Jean-Baptiste LOUVET" and "Jean Baptiste Louvet" with two addresses: one person
    # billed twice, as far as anyone can tell from the form.
    names = [compact(f"{p.first_name}{p.last_name}") for p in participants
             if p.first_name and p.last_name]  # fmt: skip
    if len(set(emails)) != len(emails):
        reasons.append("duplicate_participant")
    elif len(set(names)) != len(names):
        reasons.append("duplicate_name")
    return reasons


def _amount_reasons(u: Understanding, catalog: Catalog) -> list[str]:
    reasons: list[str] = []
    count = len(u.participants)
    if u.declared_count is not None and u.declared_count != count:
        reasons.append("count_mismatch")
    webinar = None if u.session is None else catalog.webinar(u.session.webinar_id)
    if u.declared_total_eur is not None:
        if webinar is None:
            reasons.append("total_unchecked")
        elif u.declared_total_eur.quantize(Decimal("0.01")) != webinar.price_eur * count:
            reasons.append("total_mismatch")
    return reasons


def replacement_reasons(u: Understanding, catalog: Catalog) -> list[str]:
    reasons = _session_reasons(u, catalog, "session_not_identified")
    if reasons and reasons[0] in ("no_session_chosen", "unknown_session"):
        reasons = ["session_not_identified"]
    for path, person in (("replaced", u.replaced), ("replacement", u.replacement)):
        if person is None:
            reasons.append(f"missing_field:{path}")
            continue
        for name in ("civility", "first_name", "last_name"):
            if not getattr(person, name):
                reasons.append(f"missing_field:{path}.{name}")
    if u.replacement is not None:
        reasons += _email_reasons(u.replacement.email, "replacement.email")
        reasons += _own_address([("replacement.email", u.replacement.email)], catalog)
    # "replacement" itself uncertain: the request names more people than one swap.
    reasons += [
        "replacement_ambiguous" if name == "replacement" else f"uncertain:{name}"
        for name in u.uncertain_fields
    ]
    if u.newcomer_listed:
        reasons.append("replacement_already_registered")
    if u.leaver_unlisted:
        reasons.append("replacement_unknown_participant")
    if u.side_question:
        reasons.append("question_in_mail")
    if u.remarks:
        reasons.append("document_remark")
    return list(dict.fromkeys(reasons))
