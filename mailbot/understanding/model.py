"""What mailbot understood of one mail: immutable values, the corpus JSON, a lossless dict form.

``to_corpus_json`` is the exact shape ``mailbot parse --json`` prints (the scorer's
contract); ``to_dict``/``from_dict`` keep everything, daemon extras included, so
the daemon can store an Understanding in a JSON column and staff can correct it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    REGISTRATION = "registration"
    REPLACEMENT = "replacement"
    QUESTION = "question"
    AUTO_REPLY = "auto_reply"
    BOUNCE = "bounce"
    OTHER = "other"


class Decision(StrEnum):
    AUTO = "auto"
    REVIEW = "review"
    IGNORE = "ignore"


@dataclass(frozen=True, slots=True)
class Person:
    civility: str | None = None  # "M.", "Mme", or "Mlle"/"Melle" as written
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None

    def is_blank(self) -> bool:
        return not (self.civility or self.first_name or self.last_name or self.email)


@dataclass(frozen=True, slots=True)
class SessionRef:
    webinar_id: str
    date: dt.date


@dataclass(frozen=True, slots=True)
class Organisation:
    name: str | None = None
    address: str | None = None


@dataclass(frozen=True, slots=True)
class Manager:
    full_name: str | None = None
    email: str | None = None
    service: str | None = None
    phone: str | None = None


@dataclass(frozen=True, slots=True)
class Sender:
    address: str | None = None
    display_name: str | None = None


@dataclass(frozen=True, slots=True)
class BounceInfo:
    """A delivery failure: which of our mails, to whom, and why."""

    original_message_id: str | None = None
    failed_recipients: tuple[str, ...] = ()
    status: str | None = None  # RFC 3463 code, e.g. "5.1.1"
    diagnostic: str | None = None


@dataclass(frozen=True, slots=True)
class BuyerHints:
    """Public-sector invoicing identifiers the mail or form gave (Chorus Pro)."""

    siret: str | None = None
    service_code: str | None = None
    engagement_number: str | None = None


@dataclass(frozen=True, slots=True)
class AttachmentSummary:
    filename: str | None
    content_type: str
    size: int
    problem: str | None = None


@dataclass(frozen=True, slots=True)
class Understanding:
    kind: Kind
    decision: Decision
    reasons: tuple[str, ...] = ()
    session: SessionRef | None = None
    organisation: Organisation | None = None
    manager: Manager | None = None
    participants: tuple[Person, ...] = ()
    declared_count: int | None = None
    declared_total_eur: Decimal | None = None
    signed_place: str | None = None
    signed_date: dt.date | None = None
    signatory: str | None = None
    replaced: Person | None = None
    replacement: Person | None = None
    # Daemon-facing extras, not in the corpus JSON.
    message_id: str | None = None
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    sender: Sender = field(default_factory=Sender)
    mail_date: dt.datetime | None = None
    subject: str | None = None
    signed_or_stamped: bool = False
    handwritten: bool = False
    uncertain_fields: tuple[str, ...] = ()  # read, but not with certainty (OCR, repairs)
    session_problem: str | None = None  # reason code when no single session is designated
    side_question: str | None = None  # a question asked beside the form or the swap
    # Someone the mail or another attachment lists whom the form does not (or with
    # another address): which list is right is for a person to say.
    listed_apart: str | None = None
    # The form came with an out-of-office reply ("Réponse automatique : …"): most likely
    # the one already sent, sent back by a robot; a person says.
    away_reply: bool = False
    # The form went to IPP before (re-sent "au cas où", corrected, quoted under a reminder):
    # recorded again, it would be confirmed and invoiced twice; a person compares.
    sent_again: bool = False
    # The newcomer of a swap is already among the participants our confirmation quoted
    # below lists: the swap would leave one person registered twice; a person says.
    newcomer_listed: bool = False
    # The person to replace is not among the participants our confirmation quoted below
    # lists: someone else's place, or a name misspelt; a person says.
    leaver_unlisted: bool = False
    # Comments, sticky notes, struck-out text left on an attached document, and fields
    # that show another value than they hold: a remark a person must read first.
    remarks: tuple[str, ...] = ()
    # Written as a letter, not on IPP's form: each value was taken from where a letter
    # usually puts it (letterhead, "Dossier suivi par"), which a person confirms.
    letter: bool = False
    bounce: BounceInfo | None = None
    buyer: BuyerHints = field(default_factory=BuyerHints)
    attachments: tuple[AttachmentSummary, ...] = ()

    def to_corpus_json(self) -> dict[str, Any]:
        """The corpus format: every key present, nulls, ISO dates, the total as a float."""
        return {
            "kind": str(self.kind),
            "decision": str(self.decision),
            "reasons": list(self.reasons),
            "session": None
            if self.session is None
            else {"webinar": self.session.webinar_id, "date": self.session.date.isoformat()},
            "organisation": _plain(self.organisation),
            "manager": _plain(self.manager),
            "participants": [_plain(p) for p in self.participants],
            "declared_count": self.declared_count,
            "declared_total_eur": None
            if self.declared_total_eur is None
            else float(self.declared_total_eur),
            "signed_place": self.signed_place,
            "signed_date": None if self.signed_date is None else self.signed_date.isoformat(),
            "signatory": self.signatory,
            "replaced": _plain(self.replaced),
            "replacement": _plain(self.replacement),
        }

    def to_dict(self) -> dict[str, Any]:
        """Everything, JSON-serialisable; ``from_dict`` gives back an equal value."""
        encoded: dict[str, Any] = _encode(self)
        return encoded

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Understanding:
        return _decode_understanding(data)

    def with_changes(self, **changes: Any) -> Understanding:
        return replace(self, **changes)


def _plain(value: Any) -> dict[str, Any] | None:
    if value is None:
        return None
    return {f.name: getattr(value, f.name) for f in fields(value)}


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return str(value) if isinstance(value, StrEnum) else value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    return {f.name: _encode(getattr(value, f.name)) for f in fields(value)}


def _person(data: dict[str, Any] | None) -> Person | None:
    return None if data is None else Person(**data)


def _date(text: str | None) -> dt.date | None:
    return None if text is None else dt.date.fromisoformat(text)


def _decode_understanding(d: dict[str, Any]) -> Understanding:
    session = d.get("session")
    bounce = d.get("bounce")
    return Understanding(
        kind=Kind(d["kind"]),
        decision=Decision(d["decision"]),
        reasons=tuple(d.get("reasons", ())),
        session=None
        if session is None
        else SessionRef(session["webinar_id"], dt.date.fromisoformat(session["date"])),
        organisation=None if d.get("organisation") is None else Organisation(**d["organisation"]),
        manager=None if d.get("manager") is None else Manager(**d["manager"]),
        participants=tuple(Person(**p) for p in d.get("participants", ())),
        declared_count=d.get("declared_count"),
        declared_total_eur=None
        if d.get("declared_total_eur") is None
        else Decimal(str(d["declared_total_eur"])),
        signed_place=d.get("signed_place"),
        signed_date=_date(d.get("signed_date")),
        signatory=d.get("signatory"),
        replaced=_person(d.get("replaced")),
        replacement=_person(d.get("replacement")),
        message_id=d.get("message_id"),
        in_reply_to=d.get("in_reply_to"),
        references=tuple(d.get("references", ())),
        sender=Sender(**d.get("sender", {})),
        mail_date=None if d.get("mail_date") is None else dt.datetime.fromisoformat(d["mail_date"]),
        subject=d.get("subject"),
        signed_or_stamped=bool(d.get("signed_or_stamped", False)),
        handwritten=bool(d.get("handwritten", False)),
        uncertain_fields=tuple(d.get("uncertain_fields", ())),
        session_problem=d.get("session_problem"),
        side_question=d.get("side_question"),
        listed_apart=d.get("listed_apart"),
        away_reply=bool(d.get("away_reply", False)),
        sent_again=bool(d.get("sent_again", False)),
        newcomer_listed=bool(d.get("newcomer_listed", False)),
        leaver_unlisted=bool(d.get("leaver_unlisted", False)),
        letter=bool(d.get("letter", False)),
        remarks=tuple(d.get("remarks", ())),
        bounce=None
        if bounce is None
        else BounceInfo(
            original_message_id=bounce.get("original_message_id"),
            failed_recipients=tuple(bounce.get("failed_recipients", ())),
            status=bounce.get("status"),
            diagnostic=bounce.get("diagnostic"),
        ),
        buyer=BuyerHints(**d.get("buyer", {})),
        attachments=tuple(AttachmentSummary(**a) for a in d.get("attachments", ())),
    )
