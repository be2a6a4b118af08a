"""A manager replaces a participant: records kept, requester told, the newcomer gets the link."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from handlers.apply_replacement import ApplyReplacement
from handlers.base import Done, MailContext, NeedsReview
from mailbot.clock import FrozenClock
from mailbot.mailings import runner
from mailbot.records.db import unit_of_work
from mailbot.records.models import InboundMail, OutboundMail, Participant, ParticipantMailing
from mailbot.understanding.model import Decision, Kind, Person, Sender, SessionRef, Understanding
from tests.integration.mailing_story import at_paris, mailing_app, register

PEOPLE = [
    ("Hélène", "Garnier", "h.garnier@saint-medard.fr"),
    ("Jérôme", "Dubois", "j.dubois@saint-medard.fr"),
]


def ask(app, sender: str, replaced: Person, replacement: Person):
    import uuid

    tag = uuid.uuid4().hex
    u = Understanding(
        kind=Kind.REPLACEMENT,
        decision=Decision.AUTO,
        session=SessionRef("cpom-saad", dt.date(2027, 3, 30)),
        replaced=replaced,
        replacement=replacement,
        sender=Sender(address=sender),
    )
    with unit_of_work(app.db) as db:
        mail = InboundMail(
            dedup_key=f"<r{tag}@x>",
            message_id=f"<r{tag}@x>",
            content_hash="0",
            size=1,
            from_address=sender,
            subject="Remplacement",
            raw=b"x",
        )
        db.add(mail)
        db.flush()
        return ApplyReplacement().handle(mail, MailContext(app=app, db=db, understanding=u))


NEW = Person("M.", "Paul", "Martin", "p.martin@saint-medard.fr")


def test_before_the_mailing_the_newcomer_waits_for_the_normal_schedule(tmp_path, db_url):
    app = mailing_app(tmp_path, FrozenClock(at_paris(2027, 3, 20, 9, 0)), db_url=db_url)
    register(app, PEOPLE)
    outcome = ask(app, "c.lefevre@saint-medard.fr", Person(None, "Jérôme", "DUBOIS"), NEW)
    assert isinstance(outcome, Done)
    with unit_of_work(app.db) as db:
        old, new = db.scalars(
            select(Participant)
            .where(Participant.last_name.in_(["Dubois", "Martin"]))
            .order_by(Participant.id)
        ).all()
        assert (old.status, new.replaces_id) == ("replaced", old.id)
        assert db.scalars(select(ParticipantMailing)).all() == []
        assert [m.purpose for m in db.scalars(select(OutboundMail))] == ["replacement_confirmation"]


def test_after_the_mailing_the_newcomer_gets_the_access_mail_at_once(tmp_path, db_url):
    clock = FrozenClock(at_paris(2027, 3, 28, 11, 0))
    app = mailing_app(tmp_path, clock, db_url=db_url)
    register(app, PEOPLE)
    runner.run(app)
    # A colleague from the same organisation's domain may ask.
    outcome = ask(app, "rh@saint-medard.fr", Person(email="j.dubois@saint-medard.fr"), NEW)
    assert isinstance(outcome, Done)
    with unit_of_work(app.db) as db:
        recipients = [
            m.recipients
            for m in db.scalars(select(OutboundMail).where(OutboundMail.purpose == "access"))
        ]
    assert sorted(recipients) == [
        ["h.garnier@saint-medard.fr"],
        ["j.dubois@saint-medard.fr"],
        ["p.martin@saint-medard.fr"],
    ]
    assert runner.run(app).total == 0  # nothing more, to anyone


def test_no_authority_unknown_or_after_the_start_goes_to_review(tmp_path, db_url):
    clock = FrozenClock(at_paris(2027, 3, 20, 9, 0))
    app = mailing_app(tmp_path, clock, db_url=db_url)
    register(app, PEOPLE)
    stranger = ask(app, "someone@gmail.com", Person(email="j.dubois@saint-medard.fr"), NEW)
    assert isinstance(stranger, NeedsReview) and stranger.reason_code == "replacement_no_authority"
    unknown = ask(app, "c.lefevre@saint-medard.fr", Person(None, "Anne", "Inconnue"), NEW)
    assert (
        isinstance(unknown, NeedsReview)
        and unknown.reason_code == "replacement_unknown_participant"
    )
    clock.set(at_paris(2027, 3, 30, 10, 0))
    late = ask(app, "c.lefevre@saint-medard.fr", Person(email="j.dubois@saint-medard.fr"), NEW)
    assert isinstance(late, NeedsReview) and late.reason_code == "replacement_after_session"
