"""Turning an understood registration form into Registration and Participant rows.

A form sent twice (same organisation, session and participants) has the same
fingerprint: it is recognised, never recorded or invoiced a second time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from mailbot.catalog import Catalog
from mailbot.invoicing.model import BuyerCategory, classify_buyer
from mailbot.records.models import (
    InboundMail,
    Participant,
    ParticipantStatus,
    Registration,
    RegistrationStatus,
)
from mailbot.understanding.dates import compact
from mailbot.understanding.model import Person, Understanding
from mailbot.understanding.names import parse_civility


def canonical_civility(value: str | None) -> str | None:
    """'Mademoiselle' is no longer used by the administration: she is addressed as Madame."""
    if not value:
        return None
    parsed = parse_civility(value)
    if parsed is None:
        return value.strip()
    return "Mme" if parsed in {"Mlle", "Melle"} else parsed


def fingerprint(u: Understanding) -> str:
    """Organisation + session + participants' e-mails, insensitive to spelling details."""
    assert u.session is not None and u.organisation is not None
    emails = sorted((p.email or "").strip().lower() for p in u.participants)
    material = "|".join(
        [compact(u.organisation.name), u.session.webinar_id, u.session.date.isoformat(), *emails]
    )
    return hashlib.sha256(material.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Conflict:
    """Why a new form cannot simply be recorded."""

    code: str  # "already_registered" | "participant_already_registered"
    registration: Registration
    emails: tuple[str, ...] = ()


def find_conflict(db: DbSession, u: Understanding) -> Conflict | None:
    """The same form recorded before, or one of its participants already in that session."""
    assert u.session is not None
    same = db.scalar(
        select(Registration).where(
            Registration.fingerprint == fingerprint(u),
            Registration.status != RegistrationStatus.CANCELLED,
        )
    )
    if same is not None:
        return Conflict("already_registered", same)
    emails = [(p.email or "").strip().lower() for p in u.participants]
    rows = db.execute(
        select(Participant.email, Registration)
        .join(Registration, Participant.registration_id == Registration.id)
        .where(
            Registration.webinar_id == u.session.webinar_id,
            Registration.session_date == u.session.date,
            Registration.status != RegistrationStatus.CANCELLED,
            Participant.status == ParticipantStatus.ACTIVE,
            Participant.email.in_(emails),
        )
    ).all()
    if rows:
        return Conflict(
            "participant_already_registered", rows[0][1], tuple(sorted({e for e, _ in rows}))
        )
    return None


def record(
    db: DbSession,
    catalog: Catalog,
    mail: InboundMail,
    u: Understanding,
    *,
    approved_by: str | None = None,
    buyer_category: BuyerCategory | None = None,
) -> Registration:
    """Create the registration and its participants, copying what the form says."""
    assert u.session is not None and u.organisation is not None and u.manager is not None
    webinar = catalog.webinar(u.session.webinar_id)
    if webinar is None:
        raise ValueError(f"webinar {u.session.webinar_id!r} is not in the catalog")
    organisation = u.organisation.name or ""
    registration = Registration(
        inbound_mail_id=mail.id,
        status=RegistrationStatus.RECORDED,
        webinar_id=webinar.id,
        session_date=u.session.date,
        unit_price=webinar.price_eur,
        fingerprint=fingerprint(u),
        organisation_name=organisation,
        organisation_address=u.organisation.address or "",
        manager_name=u.manager.full_name or "",
        manager_email=(u.manager.email or "").strip(),
        manager_service=u.manager.service,
        manager_phone=u.manager.phone,
        sender_email=(u.sender.address or mail.from_address or "").strip(),
        sender_name=u.sender.display_name,
        signed_place=u.signed_place,
        signed_date=u.signed_date,
        signatory=u.signatory,
        buyer_category=str(buyer_category or classify_buyer(organisation)),
        buyer_siret=u.buyer.siret,
        chorus_service_code=u.buyer.service_code,
        engagement_number=u.buyer.engagement_number,
        approved_by=approved_by,
    )
    db.add(registration)
    db.flush()
    for position, person in enumerate(u.participants):
        db.add(participant_row(registration, position, person))
    db.flush()
    db.refresh(registration)
    return registration


def participant_row(registration: Registration, position: int, person: Person) -> Participant:
    return Participant(
        registration_id=registration.id,
        position=position,
        civility=canonical_civility(person.civility),
        first_name=(person.first_name or "").strip(),
        last_name=(person.last_name or "").strip(),
        email=(person.email or "").strip().lower(),
        status=ParticipantStatus.ACTIVE,
    )


def active_participants(registration: Registration) -> Sequence[Participant]:
    return [p for p in registration.participants if p.status == ParticipantStatus.ACTIVE]


def display_name(person: Participant) -> str:
    civility = f"{person.civility} " if person.civility else ""
    return f"{civility}{person.first_name} {person.last_name}".strip()
