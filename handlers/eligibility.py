"""The one rule deciding whether a registration may be recorded without a person."""

from __future__ import annotations

from handlers.base import MailContext
from mailbot.understanding.model import Decision, Kind, Understanding


def may_record(u: Understanding, ctx: MailContext) -> bool:
    """A registration the parser judged certain, or one a staff member approved."""
    if u.kind is not Kind.REGISTRATION or u.session is None:
        return False
    if u.organisation is None or u.manager is None or not u.participants:
        return False
    return u.decision is Decision.AUTO or ctx.approved_by is not None
