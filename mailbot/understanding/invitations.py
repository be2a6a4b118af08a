"""What a calendar invitation sent beside a form dates: its events as text, so that a
day other than the form's session is seen like a purchase order's or a letter's."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar

from mailbot.understanding.mime import Attachment, MailView

_MAX_EVENTS = 10  # a registration's invitation holds one event, a holiday calendar hundreds
_MAX_BYTES = 200_000


def is_calendar(attachment: Attachment) -> bool:
    """An iCalendar part or .ics file: an invitation, or an answer to one."""
    return attachment.content_type in ("text/calendar", "application/ics") or (
        attachment.filename or ""
    ).lower().endswith(".ics")


def answers_an_invitation(mail: MailView) -> bool:
    """ "Accepté : Webinaire CPOM …": the calendar's automatic answer (METHOD:REPLY) to an
    invitation, sent when its receiver clicked a button."""
    for attachment in mail.attachments:
        if is_calendar(attachment) and len(attachment.data) <= _MAX_BYTES:
            try:
                method = Calendar.from_ical(attachment.data).get("METHOD", "")
            except (ValueError, KeyError, IndexError, TypeError, AttributeError):
                continue
            if str(method).strip().upper() == "REPLY":
                return True
    return False


def invitation_texts(mail: MailView) -> list[str]:
    """ "<summary> le 26/11/2026" for each event of each iCalendar file attached."""
    texts = []
    for attachment in mail.attachments:
        if is_calendar(attachment) and len(attachment.data) <= _MAX_BYTES:
            texts += _events(attachment.data)
    return texts


def _events(data: bytes) -> list[str]:
    try:
        parsed = Calendar.from_ical(data)
        events = parsed.walk("VEVENT")[:_MAX_EVENTS]
        return [
            f"{event.get('SUMMARY', '')} le {_day(event.decoded('DTSTART')):%d/%m/%Y}"
            for event in events
            if event.get("DTSTART") is not None
        ]
    except (ValueError, KeyError, IndexError, TypeError, AttributeError):
        return []  # a broken invitation dates nothing; the form is read as it is


def _day(start: dt.date | dt.datetime) -> dt.date:
    return start.date() if isinstance(start, dt.datetime) else start
