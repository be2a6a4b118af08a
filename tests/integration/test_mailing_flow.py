"""Each participant gets the right link, on time, once — told as stories against a real SMTP sink."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from mailbot.catalog import load_catalog
from mailbot.clock import FrozenClock
from mailbot.mailings import runner
from mailbot.records.db import unit_of_work
from mailbot.records.models import (
    MailingKind,
    OutboundMail,
    ParticipantMailing,
    ReviewItem,
    StoredFile,
)
from mailbot.sender import Sender
from tests.integration.mailing_story import (
    KEY,
    LINK,
    PEOPLE,
    at_paris,
    mailing_app,
    parsed,
    register,
    write_catalog,
)


def drain(app):
    return asyncio.run(Sender(app).drain())


def access_mails(sink):
    return [m for m in sink.messages if "Vos accès" in str(parsed(m.raw)["Subject"])]


def test_the_access_mail_leaves_at_j_minus_2_10h_paris_across_the_dst_switch(
    tmp_path, db_url, smtp_sink
):
    clock = FrozenClock(at_paris(2027, 3, 28, 9, 59))
    app = mailing_app(tmp_path, clock, db_url=db_url, smtp=smtp_sink)
    register(app, PEOPLE)

    assert runner.run(app).total == 0
    clock.set(at_paris(2027, 3, 28, 10, 0))
    assert clock.now() == dt.datetime(2027, 3, 28, 8, 0, tzinfo=dt.UTC)  # CEST since 02:00
    assert runner.run(app).total == 2
    drain(app)

    mails = access_mails(smtp_sink)
    assert sorted(m.rcpt_tos for m in mails) == [
        ("h.garnier@saint-medard.fr",),
        ("j.dubois@saint-medard.fr",),
    ]
    message = parsed(mails[0].raw)
    body = message.get_body(("plain",)).get_content()
    assert LINK in body and "mardi 30 mars 2027" in body and "9h30" in body and "Chrome" in body
    assert message["Auto-Submitted"] == "auto-generated"
    attachments = {a.get_filename(): a for a in message.iter_attachments()}
    assert attachments["cpom-saad.pdf"].get_content().startswith(b"%PDF")
    ics = attachments["invitation.ics"].get_content()
    ics = ics.decode() if isinstance(ics, bytes) else ics
    assert "METHOD:REQUEST" in ics and "DTSTART;TZID=Europe/Paris:20270330T093000" in ics
    assert "BEGIN:VTIMEZONE" in ics and "SEQUENCE:0" in ics
    # and the manager got a summary
    assert any("Accès envoyés" in str(parsed(m.raw)["Subject"]) for m in smtp_sink.messages)
    # a second pass, a restart: nothing more
    assert runner.run(app).total == 0


def test_a_daemon_down_catches_up_and_after_the_start_raises_an_alert(tmp_path, db_url, smtp_sink):
    clock = FrozenClock(at_paris(2027, 3, 29, 18, 0))  # down from J-2 10:00 until J-1 evening
    app = mailing_app(tmp_path, clock, db_url=db_url, smtp=smtp_sink)
    register(app, PEOPLE[:1])
    assert runner.run(app).total == 1

    register(app, PEOPLE[1:], sender="x@ville.fr", manager="x@ville.fr")
    clock.set(at_paris(2027, 3, 30, 9, 31))
    report = runner.run(app)
    assert report.total == 0 and report.alerts == [KEY]
    runner.run(app)  # a second pass does not open a second alert
    with unit_of_work(app.db) as db:
        [item] = db.scalars(
            select(ReviewItem).where(ReviewItem.reason_code == "mailing_late")
        ).all()
        assert "Dubois" in item.reason_text and LINK in item.reason_text


def test_a_link_change_after_the_mailing_sends_one_update_with_sequence_plus_one(
    tmp_path, db_url, smtp_sink
):
    clock = FrozenClock(at_paris(2027, 3, 28, 11, 0))
    app = mailing_app(tmp_path, clock, db_url=db_url, smtp=smtp_sink)
    register(app, PEOPLE)
    runner.run(app)
    drain(app)
    first = {m.rcpt_tos[0]: parsed(m.raw)["Message-ID"] for m in access_mails(smtp_sink)}

    new_link = "https://visio.ipp.fr/nouveau-lien"
    app.catalog = load_catalog(write_catalog(tmp_path / "b", link=new_link))
    clock.set(at_paris(2027, 3, 29, 9, 0))
    assert runner.run(app).total == 2
    assert runner.run(app).total == 0
    drain(app)
    updates = [m for m in smtp_sink.messages if "MISE À JOUR" in str(parsed(m.raw)["Subject"])]
    assert len(updates) == 2
    for update in updates:
        message = parsed(update.raw)
        assert message["References"] == first[update.rcpt_tos[0]]
        body = message.get_body(("plain",)).get_content()
        assert new_link in body and "remplace celui" in body
        ics = next(a for a in message.iter_attachments() if a.get_filename() == "invitation.ics")
        text = ics.get_content()
        text = text.decode() if isinstance(text, bytes) else text
        assert "SEQUENCE:1" in text


def test_a_cancelled_session_waits_for_staff_then_everyone_is_told(tmp_path, db_url, smtp_sink):
    from mailbot.mailings.changes import confirm_change

    clock = FrozenClock(at_paris(2027, 3, 28, 11, 0))
    app = mailing_app(tmp_path, clock, db_url=db_url, smtp=smtp_sink)
    register(app, PEOPLE)
    runner.run(app)
    app.catalog = load_catalog(write_catalog(tmp_path / "b", cancelled=True))
    report = runner.run(app)
    assert report.total == 0 and KEY in report.held
    with unit_of_work(app.db) as db:
        assert (
            db.scalar(select(func.count()).where(ReviewItem.reason_code == "session_cancelled"))
            == 1
        )
    result = confirm_change(app, KEY, "sophie")
    assert result.ok and result.mailed == 2
    assert confirm_change(app, KEY, "sophie").mailed == 0  # asked twice: mailed once
    drain(app)
    cancels = [m for m in smtp_sink.messages if "ANNULATION" in str(parsed(m.raw)["Subject"])]
    assert len(cancels) == 2


def test_the_database_refuses_a_second_access_mail_for_the_same_participant(
    tmp_path, db_url, smtp_sink
):
    clock = FrozenClock(at_paris(2027, 3, 28, 11, 0))
    app = mailing_app(tmp_path, clock, db_url=db_url, smtp=smtp_sink)
    register(app, PEOPLE[:1])
    runner.run(app)
    with pytest.raises(IntegrityError), unit_of_work(app.db) as db:
        mailing = db.scalars(select(ParticipantMailing)).one()
        other = db.scalars(
            select(OutboundMail).where(OutboundMail.id != mailing.outbound_mail_id)
        ).first()
        assert other is not None
        db.add(
            ParticipantMailing(
                participant_id=mailing.participant_id,
                session_key=KEY,
                kind=MailingKind.ACCESS,
                version=0,
                outbound_mail_id=other.id,
            )
        )
        db.flush()


def test_the_dossier_is_stored_once_and_sent_byte_identical_on_retry(tmp_path, db_url, smtp_sink):
    clock = FrozenClock(at_paris(2027, 3, 28, 11, 0))
    app = mailing_app(tmp_path, clock, db_url=db_url, smtp=smtp_sink)
    register(app, [(f"P{i}", f"N{i}", f"p{i}@saint-medard.fr") for i in range(20)])
    runner.run(app)
    with unit_of_work(app.db) as db:
        assert db.scalar(select(func.count()).select_from(StoredFile)) == 1
        biggest = db.scalar(select(func.max(func.length(OutboundMail.raw))))
        assert biggest < 40_000  # each row holds a stand-in, not the PDF
    smtp_sink.fail("data", 451, times=1)
    sender = Sender(app)
    asyncio.run(sender.drain())
    clock.advance(dt.timedelta(hours=1))
    asyncio.run(sender.drain())
    assert sender.parts.encodings == 1
    copies = {}
    for message in smtp_sink.messages:
        copies.setdefault(message.message_id, set()).add(message.raw)
    assert all(len(raws) == 1 for raws in copies.values())
    assert len(access_mails(smtp_sink)) == 20
