"""Helpers for the mailing tests: a catalog with a session after the DST switch, registrations."""

from __future__ import annotations

import datetime as dt
import email
import uuid
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import Any

from mailbot.app import App
from mailbot.clock import FrozenClock
from mailbot.records.db import unit_of_work
from mailbot.records.models import Participant, Registration, RegistrationStatus
from tests.story import PROJECT, app_for

KEY = "cpom-saad@2027-03-30"
LINK = "https://visio.ipp.fr/cpom-saad-2027-03-30"
# The two participants a registration in these stories enrols.
PEOPLE = [
    ("Hélène", "Garnier", "h.garnier@saint-medard.fr"),
    ("Jérôme", "Dubois", "j.dubois@saint-medard.fr"),
]


def write_catalog(
    tmp_path: Path,
    *,
    link: str = LINK,
    dossier: Path | None = None,
    start: str = "09:30:00",
    cancelled: bool = False,
) -> Path:
    """The project catalog plus a cpom-saad session on 30 March 2027 (J-2 crosses DST)."""
    dossier = dossier or PROJECT / "config" / "dossiers" / "cpom-saad.pdf"
    text = (PROJECT / "config" / "catalog.toml").read_text(encoding="utf-8")
    text = text.replace('dossier = ["dossiers/', f'dossier = ["{PROJECT}/config/dossiers/')
    text += f"""
[[webinars.sessions]]
date = 2027-03-30
start = {start}
end = 17:00:00
link = "{link}"
dossier = ["{dossier}"]
cancelled = {str(cancelled).lower()}
"""
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "catalog.toml"
    path.write_text(text, encoding="utf-8")
    return path


def mailing_app(tmp_path: Path, clock: FrozenClock, **kwargs: Any) -> App:
    catalog = kwargs.pop("catalog", None) or write_catalog(tmp_path)
    return app_for(tmp_path, clock=clock, catalog_file=str(catalog), **kwargs)


def register(
    app: App,
    people: list[tuple[str, str, str]],
    *,
    key: str = KEY,
    sender: str = "c.lefevre@saint-medard.fr",
    manager: str = "c.lefevre@saint-medard.fr",
) -> int:
    """A confirmed registration, as record_registration + queue_confirmation leave it."""
    webinar_id, _, day = key.partition("@")
    with unit_of_work(app.db) as db:
        registration = Registration(
            status=RegistrationStatus.CONFIRMED,
            webinar_id=webinar_id,
            session_date=dt.date.fromisoformat(day),
            unit_price=625,
            fingerprint=uuid.uuid4().hex,
            organisation_name="Mairie de Saint-Médard-en-Jalles",
            organisation_address="Place",
            manager_name="Claire Lefèvre",
            manager_email=manager,
            sender_email=sender,
            buyer_category="public",
        )
        db.add(registration)
        db.flush()
        for position, (first, last, address) in enumerate(people):
            db.add(
                Participant(
                    registration_id=registration.id,
                    position=position,
                    civility="Mme",
                    first_name=first,
                    last_name=last,
                    email=address,
                )
            )
        return registration.id


def parsed(raw: bytes) -> EmailMessage:
    message = email.message_from_bytes(raw, policy=default)
    assert isinstance(message, EmailMessage)
    return message


def at_paris(*args: int) -> dt.datetime:
    from zoneinfo import ZoneInfo

    return dt.datetime(*args, tzinfo=ZoneInfo("Europe/Paris")).astimezone(dt.UTC)
