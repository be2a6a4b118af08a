"""The .ics invitation of one participant to one session (RFC 5545 / iTIP RFC 5546).

The UID is stable per participant and session and SEQUENCE rises with every
change, so a calendar replaces the event it already holds instead of adding a
second one. Times carry TZID=Europe/Paris with its VTIMEZONE, so the event stays
at 9h30 local time whatever the reader's time zone or the DST rules.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress, vText

PRODID = "-//IPP//mailbot//FR"


@dataclass(frozen=True, slots=True)
class Invitation:
    session_key: str
    participant_id: int
    attendee_email: str
    attendee_name: str
    title: str
    day: dt.date
    start: dt.time
    end: dt.time
    link: str
    sequence: int
    organizer_email: str
    organizer_name: str
    cancelled: bool = False


def uid(session_key: str, participant_id: int, domain: str) -> str:
    """Stable across resends and changes: the calendar's key for this participant's event."""
    return f"{session_key}.p{participant_id}@{domain}"


def build(invitation: Invitation, tz: ZoneInfo, stamp: dt.datetime, domain: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "CANCEL" if invitation.cancelled else "REQUEST")
    event = Event()
    event.add("uid", uid(invitation.session_key, invitation.participant_id, domain))
    event.add("sequence", invitation.sequence)
    event.add("dtstamp", stamp.astimezone(dt.UTC))
    event.add("dtstart", dt.datetime.combine(invitation.day, invitation.start, tzinfo=tz))
    event.add("dtend", dt.datetime.combine(invitation.day, invitation.end, tzinfo=tz))
    event.add("summary", f"Web-séminaire IPP – {invitation.title}")
    event.add("location", invitation.link or "En ligne")
    if invitation.link:
        event.add("url", invitation.link)
    event.add(
        "description",
        f"Lien de connexion : {invitation.link}\n"
        "Prérequis : connexion internet à haut débit, version récente de Chrome, Firefox, "
        "Safari, Edge ou Opera.",
    )
    event.add("status", "CANCELLED" if invitation.cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    organizer = vCalAddress(f"mailto:{invitation.organizer_email}")
    organizer.params["cn"] = vText(invitation.organizer_name)
    event.add("organizer", organizer)
    attendee = vCalAddress(f"mailto:{invitation.attendee_email}")
    attendee.params["cn"] = vText(invitation.attendee_name)
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    attendee.params["rsvp"] = vText("FALSE")
    event.add("attendee", attendee)
    calendar.add_component(event)
    # Only the transitions around the session: a 60-line VTIMEZONE back to 1970 helps no one.
    calendar.add_missing_timezones(
        first_date=dt.date(invitation.day.year - 1, 1, 1),
        last_date=dt.date(invitation.day.year + 1, 12, 31),
    )
    return bytes(calendar.to_ical())
