"""The handler contract: a name, a one-line description, and ``handle(mail, ctx) -> Outcome``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from sqlalchemy.orm import Session as DbSession

if TYPE_CHECKING:
    from mailbot.app import App
    from mailbot.records.models import InboundMail, Registration
    from mailbot.understanding.model import Understanding


@dataclass(frozen=True, slots=True)
class Continue:
    """Go on with the next handler."""

    note: str = ""


@dataclass(frozen=True, slots=True)
class Done:
    """The mail is fully handled; file it as done."""

    note: str = ""


@dataclass(frozen=True, slots=True)
class NeedsReview:
    """A person must look at it; ``reason_code`` is stable, ``reason_text`` is French."""

    reason_code: str
    reason_text: str
    acknowledge: bool = True  # may we tell the sender we got it (if the config allows)?


@dataclass(frozen=True, slots=True)
class Ignore:
    """Nothing to do (auto-reply, spam, newsletter); filed as ignored."""

    reason: str


Outcome = Continue | Done | NeedsReview | Ignore


@dataclass
class MailContext:
    """What earlier handlers learnt, typed; handed from one handler to the next."""

    app: App
    db: DbSession
    understanding: Understanding | None = None
    registration: Registration | None = None
    approved_by: str | None = None  # set when a staff member approved a review item
    notes: list[str] = field(default_factory=list)


class Handler(Protocol):
    name: str
    description: str

    def handle(self, mail: InboundMail, ctx: MailContext) -> Outcome: ...
