"""The daemon's records, in the domain's words.

Every side effect is first a row here (an InboundMail to move, an OutboundMail to
send), written in the same transaction as the decision that causes it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads this class attribute
        dt.datetime: DateTime(timezone=True),
        dict[str, Any]: JSON,
        list[Any]: JSON,
    }


class Disposition(StrEnum):
    """How a mail's handling ended; decides the IMAP folder it goes to."""

    DONE = "done"
    REVIEW = "review"
    IGNORED = "ignored"


class OutboundStatus(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    RETRY_WAIT = "retry_wait"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"


class OutboundPurpose(StrEnum):
    CONFIRMATION = "confirmation"
    ALREADY_REGISTERED = "already_registered"
    ACKNOWLEDGEMENT = "acknowledgement"
    ACCESS = "access"
    ACCESS_UPDATE = "access_update"
    REMINDER = "reminder"
    MANAGER_SUMMARY = "manager_summary"
    REPLACEMENT_CONFIRMATION = "replacement_confirmation"
    INVOICE_COPY = "invoice_copy"
    OTHER = "other"


class ReviewStatus(StrEnum):
    OPEN = "open"
    APPROVED = "approved"
    REJECTED = "rejected"
    RESOLVED = "resolved"


class RegistrationStatus(StrEnum):
    RECORDED = "recorded"
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"


class ParticipantStatus(StrEnum):
    ACTIVE = "active"
    REPLACED = "replaced"
    CANCELLED = "cancelled"


class InvoiceKind(StrEnum):
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"


class ChorusStatus(StrEnum):
    NOT_APPLICABLE = "not_applicable"
    TO_DEPOSIT = "to_deposit"
    DEPOSITED = "deposited"


class InboundMail(Base):
    """A mail as it arrived, stored before anything else happens to it."""

    __tablename__ = "inbound_mail"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Message-ID, or a hash-derived key for mails without one; the idempotency key of intake.
    dedup_key: Mapped[str] = mapped_column(String(512), unique=True)
    message_id: Mapped[str | None] = mapped_column(String(512))
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    uidvalidity: Mapped[int | None] = mapped_column(BigInteger)
    uid: Mapped[int | None] = mapped_column(BigInteger)
    size: Mapped[int] = mapped_column(Integer)  # on the server
    # Over the size limit: only the header block was downloaded, the mail waits for a person.
    headers_only: Mapped[bool] = mapped_column(default=False, server_default=false())
    from_address: Mapped[str | None] = mapped_column(String(320))
    subject: Mapped[str | None] = mapped_column(Text)
    mail_date: Mapped[dt.datetime | None]
    # Deferred: most reads of a mail (filing, status, lists) need its headline, not its bytes.
    raw: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    processed_at: Mapped[dt.datetime | None]
    disposition: Mapped[Disposition | None] = mapped_column(String(16))
    kind: Mapped[str | None] = mapped_column(String(32))
    target_folder: Mapped[str | None] = mapped_column(String(255))
    moved_at: Mapped[dt.datetime | None]
    understanding: Mapped[dict[str, Any] | None]
    # Which handlers ran and what each returned, so a decision can be explained later.
    trail: Mapped[list[Any] | None]
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        Index("ix_inbound_mail_pending", "processed_at", "moved_at"),
        Index("ix_inbound_mail_uid", "uidvalidity", "uid"),
    )


class OutboundMail(Base):
    """A fully rendered mail waiting to be sent, or sent; never sent twice on purpose."""

    __tablename__ = "outbound_mail"

    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(255), unique=True)
    purpose: Mapped[OutboundPurpose] = mapped_column(String(32))
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    mail_from: Mapped[str] = mapped_column(String(320))
    recipients: Mapped[list[Any]]
    subject: Mapped[str] = mapped_column(Text)
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[OutboundStatus] = mapped_column(String(16), default=OutboundStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[dt.datetime | None]
    claimed_at: Mapped[dt.datetime | None]
    sent_at: Mapped[dt.datetime | None]
    saved_to_sent_at: Mapped[dt.datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_code: Mapped[int | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    inbound_mail_id: Mapped[int | None] = mapped_column(ForeignKey("inbound_mail.id"))
    registration_id: Mapped[int | None] = mapped_column(ForeignKey("registration.id"))
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id"))

    inbound_mail: Mapped[InboundMail | None] = relationship()
    registration: Mapped[Registration | None] = relationship()

    __table_args__ = (Index("ix_outbound_mail_due", "status", "next_attempt_at"),)


class ReviewItem(Base):
    """Something a person must look at; nothing is dropped without one."""

    __tablename__ = "review_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(255), unique=True)
    reason_code: Mapped[str] = mapped_column(String(64))
    reason_text: Mapped[str] = mapped_column(Text)
    status: Mapped[ReviewStatus] = mapped_column(String(16), default=ReviewStatus.OPEN)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[dt.datetime | None]
    resolved_by: Mapped[str | None] = mapped_column(String(255))
    resolution_note: Mapped[str | None] = mapped_column(Text)
    inbound_mail_id: Mapped[int | None] = mapped_column(ForeignKey("inbound_mail.id"))
    registration_id: Mapped[int | None] = mapped_column(ForeignKey("registration.id"))
    outbound_mail_id: Mapped[int | None] = mapped_column(ForeignKey("outbound_mail.id"))

    inbound_mail: Mapped[InboundMail | None] = relationship()
    registration: Mapped[Registration | None] = relationship()
    outbound_mail: Mapped[OutboundMail | None] = relationship()

    __table_args__ = (Index("ix_review_item_status", "status"),)


class Event(Base):
    """Append-only status log: one French sentence per thing that happened."""

    __tablename__ = "event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    kind: Mapped[str] = mapped_column(String(48), index=True)
    level: Mapped[str] = mapped_column(String(8), default="info")
    sentence: Mapped[str] = mapped_column(Text)
    message_id: Mapped[str | None] = mapped_column(String(512))
    inbound_mail_id: Mapped[int | None] = mapped_column(ForeignKey("inbound_mail.id"))
    outbound_mail_id: Mapped[int | None] = mapped_column(ForeignKey("outbound_mail.id"))
    registration_id: Mapped[int | None] = mapped_column(ForeignKey("registration.id"))
    review_item_id: Mapped[int | None] = mapped_column(ForeignKey("review_item.id"))
    data: Mapped[dict[str, Any] | None]

    inbound_mail: Mapped[InboundMail | None] = relationship()
    outbound_mail: Mapped[OutboundMail | None] = relationship()
    registration: Mapped[Registration | None] = relationship()
    review_item: Mapped[ReviewItem | None] = relationship()


class ServiceHealth(Base):
    """Last contact with each outside service, for `mailbot status`."""

    __tablename__ = "service_health"

    component: Mapped[str] = mapped_column(String(32), primary_key=True)
    last_ok_at: Mapped[dt.datetime | None]
    last_error_at: Mapped[dt.datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)


class Registration(Base):
    """One registration form accepted for one session; its details copied as received."""

    __tablename__ = "registration"

    id: Mapped[int] = mapped_column(primary_key=True)
    inbound_mail_id: Mapped[int | None] = mapped_column(ForeignKey("inbound_mail.id"), unique=True)
    status: Mapped[RegistrationStatus] = mapped_column(String(16))
    webinar_id: Mapped[str] = mapped_column(String(64))
    session_date: Mapped[dt.date] = mapped_column(Date)
    unit_price: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    # Same organisation + session + participants: a form sent twice, never invoiced twice.
    fingerprint: Mapped[str] = mapped_column(String(64), index=True)
    organisation_name: Mapped[str] = mapped_column(Text)
    organisation_address: Mapped[str] = mapped_column(Text)
    manager_name: Mapped[str] = mapped_column(String(255))
    manager_email: Mapped[str] = mapped_column(String(320))
    manager_service: Mapped[str | None] = mapped_column(String(255))
    manager_phone: Mapped[str | None] = mapped_column(String(64))
    sender_email: Mapped[str] = mapped_column(String(320))
    sender_name: Mapped[str | None] = mapped_column(String(255))
    signed_place: Mapped[str | None] = mapped_column(String(255))
    signed_date: Mapped[dt.date | None] = mapped_column(Date)
    signatory: Mapped[str | None] = mapped_column(String(255))
    buyer_category: Mapped[str] = mapped_column(String(32))
    buyer_siret: Mapped[str | None] = mapped_column(String(14))
    chorus_service_code: Mapped[str | None] = mapped_column(String(100))
    engagement_number: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    approved_by: Mapped[str | None] = mapped_column(String(255))

    participants: Mapped[list[Participant]] = relationship(
        back_populates="registration", order_by="Participant.position"
    )

    __table_args__ = (Index("ix_registration_session", "webinar_id", "session_date"),)


class Participant(Base):
    __tablename__ = "participant"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id"), index=True)
    position: Mapped[int]
    civility: Mapped[str | None] = mapped_column(String(8))
    first_name: Mapped[str] = mapped_column(String(255))
    last_name: Mapped[str] = mapped_column(String(255))
    email: Mapped[str] = mapped_column(String(320), index=True)
    status: Mapped[ParticipantStatus] = mapped_column(String(16), default=ParticipantStatus.ACTIVE)
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id"))
    email_failing: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    registration: Mapped[Registration] = relationship(back_populates="participants")


class InvoiceCounter(Base):
    """The last number of each year's series; incremented inside the invoicing transaction."""

    __tablename__ = "invoice_counter"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_seq: Mapped[int] = mapped_column(default=0)


class Invoice(Base):
    """An issued invoice or credit note: immutable once written."""

    __tablename__ = "invoice"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    year: Mapped[int]
    seq: Mapped[int]
    kind: Mapped[InvoiceKind] = mapped_column(String(16))
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id"), index=True)
    credited_invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoice.id"))
    issue_date: Mapped[dt.date] = mapped_column(Date)
    total: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    buyer_name: Mapped[str] = mapped_column(Text)
    spec: Mapped[dict[str, Any]]
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    xml: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    chorus_status: Mapped[ChorusStatus] = mapped_column(String(16))
    chorus_deposited_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("year", "seq", name="uq_invoice_year_seq"),)


class StaffUser(Base):
    """A person allowed into the staff web interface; created by `mailbot user add`."""

    __tablename__ = "staff_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(255))
    # argon2id PHC string: the salt and cost parameters travel with the hash.
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    # Copied into the session cookie; raising it (logout, disable) voids every cookie issued.
    session_epoch: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[dt.datetime | None]


class AuditEntry(Base):
    """Who did what from the staff interface, including failed logins; append-only."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    # The name typed at login for failures, so attempts on unknown accounts are visible too.
    username: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(48))
    # "review_item:12", "invoice:3"... one string so any record can be the subject.
    target: Mapped[str | None] = mapped_column(String(64), index=True)
    ip: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict[str, Any] | None]

    __table_args__ = (Index("ix_audit_entry_login", "action", "username", "at"),)


# -- pre-session mailings ------------------------------------------------------------------


class MailingKind(StrEnum):
    ACCESS = "access"
    UPDATE = "update"
    REMINDER = "reminder"
    CANCELLATION = "cancellation"


class StoredFile(Base):
    """A file sent to many people (a session dossier), stored once, keyed by its content."""

    __tablename__ = "stored_file"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    content_type: Mapped[str] = mapped_column(String(127))
    size: Mapped[int] = mapped_column(BigInteger)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class OutboundPart(Base):
    """Where a stored file goes in an OutboundMail: ``raw[start:end]`` is a small stand-in.

    The sender swaps the stand-in for the file's MIME part, encoded once per process,
    so 500 mails carrying the same 3 MB dossier hold it once in the database.
    """

    __tablename__ = "outbound_part"

    id: Mapped[int] = mapped_column(primary_key=True)
    outbound_mail_id: Mapped[int] = mapped_column(ForeignKey("outbound_mail.id"), index=True)
    position: Mapped[int]
    start: Mapped[int] = mapped_column(BigInteger)
    end: Mapped[int] = mapped_column(BigInteger)
    stored_file_sha256: Mapped[str] = mapped_column(ForeignKey("stored_file.sha256"))
    filename: Mapped[str] = mapped_column(String(255))

    __table_args__ = (
        UniqueConstraint("outbound_mail_id", "position", name="uq_outbound_part_position"),
    )


class ParticipantMailing(Base):
    """One pre-session mail to one participant; the unique key makes it happen once.

    Created in the same transaction as its OutboundMail. ``version`` is 0 for the
    access mail and the reminder, and the session's change number for an update;
    ``ics_sequence`` is the SEQUENCE of the invitation it carried.
    """

    __tablename__ = "participant_mailing"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"), index=True)
    session_key: Mapped[str] = mapped_column(String(96), index=True)
    kind: Mapped[MailingKind] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(default=0)
    ics_sequence: Mapped[int] = mapped_column(default=0)
    outbound_mail_id: Mapped[int] = mapped_column(ForeignKey("outbound_mail.id"), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    participant: Mapped[Participant] = relationship()
    outbound_mail: Mapped[OutboundMail] = relationship()

    __table_args__ = (
        UniqueConstraint(
            "participant_id", "session_key", "kind", "version", name="uq_participant_mailing_once"
        ),
    )


class SessionState(Base):
    """What participants were told about a session, to notice catalog changes afterwards."""

    __tablename__ = "session_state"

    session_key: Mapped[str] = mapped_column(String(96), primary_key=True)
    # sha256 of link + dossier contents: a change means an update mail (SEQUENCE + 1).
    access_fingerprint: Mapped[str] = mapped_column(String(64))
    # date, hours and cancellation: a change is never acted on without staff.
    timing_fingerprint: Mapped[str] = mapped_column(String(64))
    sequence: Mapped[int] = mapped_column(default=0)
    link: Mapped[str] = mapped_column(Text, default="")
    # "cancelled" / "moved" / "missing" while staff have not confirmed the change.
    pending_change: Mapped[str | None] = mapped_column(String(16))
    first_mailed_at: Mapped[dt.datetime | None]
    late_alerted_at: Mapped[dt.datetime | None]
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
