"""The schedule as a pure function: J-2 at 10:00 Paris time, across DST, caught up, never late."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from mailbot.mailings.planner import (
    PastMailing,
    Recipient,
    Schedule,
    SessionFacts,
    mailing_at,
    plan,
)
from mailbot.records.models import MailingKind

PARIS = ZoneInfo("Europe/Paris")
SCHEDULE = Schedule(tz=PARIS, days_before=2, mailing_time=dt.time(10, 0))
SESSION = SessionFacts("cpom-saad@2027-03-30", dt.date(2027, 3, 30), dt.time(9, 30))
PEOPLE = [Recipient(1, SESSION.key), Recipient(2, SESSION.key)]


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def test_j_minus_2_at_10_paris_is_8_utc_after_the_switch_to_summer_time():
    # 28 March 2027 at 10:00 is already CEST (UTC+2): the switch happened at 02:00 that night.
    assert mailing_at(SESSION, SCHEDULE) == utc(2027, 3, 28, 8, 0)
    winter = SessionFacts("x@2027-03-20", dt.date(2027, 3, 20), dt.time(9, 30))
    assert mailing_at(winter, SCHEDULE) == utc(2027, 3, 18, 9, 0)


def test_nothing_before_the_instant_everything_at_it():
    assert plan([SESSION], PEOPLE, [], utc(2027, 3, 28, 7, 59, 59), SCHEDULE).due == []
    due = plan([SESSION], PEOPLE, [], utc(2027, 3, 28, 8, 0), SCHEDULE).due
    assert [(d.participant_id, d.kind) for d in due] == [
        (1, MailingKind.ACCESS),
        (2, MailingKind.ACCESS),
    ]


def test_a_daemon_down_at_the_planned_time_catches_up_until_the_session_starts():
    due = plan([SESSION], PEOPLE, [], utc(2027, 3, 30, 7, 29), SCHEDULE)
    assert len(due.due) == 2 and due.alerts == []


def test_after_the_start_it_alerts_instead_of_mailing():
    result = plan([SESSION], PEOPLE, [], utc(2027, 3, 30, 7, 30), SCHEDULE)
    assert result.due == []
    assert [(a.session_key, a.participant_ids) for a in result.alerts] == [(SESSION.key, (1, 2))]


def test_already_mailed_participants_are_not_due_again():
    past = [PastMailing(1, SESSION.key, MailingKind.ACCESS, 0, 0)]
    due = plan([SESSION], PEOPLE, past, utc(2027, 3, 29, 12, 0), SCHEDULE).due
    assert [(d.participant_id, d.kind) for d in due] == [(2, MailingKind.ACCESS)]


def test_a_change_after_the_mailing_is_one_update_with_the_next_sequence():
    changed = SessionFacts(SESSION.key, SESSION.date, SESSION.start, sequence=1)
    past = [PastMailing(p.participant_id, SESSION.key, MailingKind.ACCESS, 0, 0) for p in PEOPLE]
    due = plan([changed], PEOPLE, past, utc(2027, 3, 29, 12, 0), SCHEDULE).due
    assert {(d.kind, d.version, d.ics_sequence) for d in due} == {(MailingKind.UPDATE, 1, 1)}
    past += [
        PastMailing(d.participant_id, d.session_key, d.kind, d.version, d.ics_sequence) for d in due
    ]
    assert plan([changed], PEOPLE, past, utc(2027, 3, 29, 12, 1), SCHEDULE).due == []


def test_a_held_session_sends_nothing_and_staff_may_send_early():
    held = SessionFacts(SESSION.key, SESSION.date, SESSION.start, on_hold=True)
    assert plan([held], PEOPLE, [], utc(2027, 3, 29, 12, 0), SCHEDULE).due == []
    early = plan(
        [SESSION], PEOPLE, [], utc(2027, 3, 1), SCHEDULE, send_now=frozenset({SESSION.key})
    )
    assert len(early.due) == 2


def test_morning_reminder_once():
    with_reminder = Schedule(tz=PARIS, reminder=True, reminder_time=dt.time(8, 0))
    past = [PastMailing(p.participant_id, SESSION.key, MailingKind.ACCESS, 0, 0) for p in PEOPLE]
    due = plan([SESSION], PEOPLE, past, utc(2027, 3, 30, 6, 0), with_reminder).due
    assert {d.kind for d in due} == {MailingKind.REMINDER} and len(due) == 2
