"""The pipeline runner: a bug in a handler parks one mail, never the daemon or its neighbours."""

from __future__ import annotations

from sqlalchemy import select

from handlers.base import Done, MailContext, Outcome
from mailbot import intake
from mailbot.pipeline import MAX_ATTEMPTS, Pipeline, process_pending
from mailbot.records.db import unit_of_work
from mailbot.records.models import Disposition, InboundMail, OutboundMail, ReviewItem
from tests.story import a_mail, app_for


class Fragile:
    """Files every mail as done, except the one whose subject says 'boom'."""

    name = "fragile"
    description = "a handler with a bug"

    def __init__(self) -> None:
        self.seen: list[str] = []

    def handle(self, mail: InboundMail, ctx: MailContext) -> Outcome:
        self.seen.append(mail.subject or "")
        if "boom" in (mail.subject or ""):
            raise ZeroDivisionError("a bug in a handler")
        return Done("fine")


def store(app, *subjects: str) -> None:
    with unit_of_work(app.db) as db:
        for subject in subjects:
            intake.store(db, a_mail(subject=subject), journal=app.journal, clock=app.clock)


def test_a_handler_bug_parks_that_mail_only_and_sends_nothing(tmp_path):
    app = app_for(tmp_path)
    handler = Fragile()
    pipeline = Pipeline(app, order=("fragile",), registry={"fragile": handler})
    store(app, "un", "boom", "trois")

    assert process_pending(app, pipeline) == 3

    with unit_of_work(app.db) as db:
        mails = {m.subject: m for m in db.scalars(select(InboundMail))}
        assert mails["un"].disposition == mails["trois"].disposition == Disposition.DONE
        broken = mails["boom"]
        assert broken.disposition == Disposition.REVIEW
        assert "ZeroDivisionError" in (broken.last_error or "")
        item = db.scalars(select(ReviewItem)).one()
        assert item.reason_code == "internal_error" and item.inbound_mail_id == broken.id
        assert db.scalars(select(OutboundMail)).all() == []  # no acknowledgement of a crash


def test_a_mail_that_keeps_killing_the_process_is_parked_without_running_handlers(tmp_path):
    app = app_for(tmp_path)
    handler = Fragile()
    pipeline = Pipeline(app, order=("fragile",), registry={"fragile": handler})
    store(app, "poison")
    with unit_of_work(app.db) as db:
        # As left by MAX_ATTEMPTS runs that each died while handling it.
        db.scalars(select(InboundMail)).one().attempts = MAX_ATTEMPTS

    process_pending(app, pipeline)

    assert handler.seen == []
    with unit_of_work(app.db) as db:
        mail = db.scalars(select(InboundMail)).one()
        assert mail.disposition == Disposition.REVIEW and mail.attempts == MAX_ATTEMPTS + 1
        assert "interrompu le service" in db.scalars(select(ReviewItem)).one().reason_text


def test_mails_of_a_chunk_interrupted_by_a_crash_are_retried_one_by_one(tmp_path):
    app = app_for(tmp_path)
    handler = Fragile()
    pipeline = Pipeline(app, order=("fragile",), registry={"fragile": handler})
    store(app, "a", "b")
    with unit_of_work(app.db) as db:
        ids = list(db.scalars(select(InboundMail.id)))
    pipeline.count_attempt(ids)  # the chunk was counted, then the process died

    process_pending(app, pipeline)

    with unit_of_work(app.db) as db:
        assert {m.attempts for m in db.scalars(select(InboundMail))} == {2}
        assert {m.disposition for m in db.scalars(select(InboundMail))} == {Disposition.DONE}


def test_a_failure_in_a_group_rolls_it_back_and_its_mails_are_handled_one_by_one(tmp_path):
    app = app_for(tmp_path)
    handler = Fragile()
    pipeline = Pipeline(app, order=("fragile",), registry={"fragile": handler})
    store(app, "un", "boom", "trois")

    process_pending(app, pipeline)

    # Together first, up to the failure; then alone, each in its own transaction.
    assert handler.seen == ["un", "boom", "un", "boom", "trois"]
    with unit_of_work(app.db) as db:
        mails = {m.subject: m for m in db.scalars(select(InboundMail))}
        assert {m.attempts for m in mails.values()} == {1}  # one attempt each, not two
        assert mails["un"].disposition == mails["trois"].disposition == Disposition.DONE
        assert mails["boom"].disposition == Disposition.REVIEW


def test_a_mail_is_read_before_the_transaction_that_acts_on_it(tmp_path, monkeypatch):
    import sqlite3

    app = app_for(tmp_path)
    pipeline = Pipeline(app, order=("understand", "park_for_review"))
    store(app, "Question sur le programme")
    read = app.understand
    probes: list[str] = []

    def slow_reading(raw: bytes):
        # Meanwhile the sender or the web interface must be able to write.
        other = sqlite3.connect(app.engine.url.database, timeout=0.2, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            probes.append("free")
        except sqlite3.OperationalError as error:
            probes.append(str(error))
        finally:
            other.close()
        return read(raw)

    monkeypatch.setattr(app, "understand", slow_reading)
    process_pending(app, pipeline)

    assert probes == ["free"]  # read once, with no lock held
    with unit_of_work(app.db) as db:
        mail = db.scalars(select(InboundMail)).one()
        assert mail.understanding is not None and mail.understanding["kind"] == "question"
        assert mail.disposition == Disposition.REVIEW
