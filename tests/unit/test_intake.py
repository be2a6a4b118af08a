"""Intake reads the few headers it records without ever failing on a broken mail."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mailbot.intake import dedup_key_for, read_headline


def test_headline_of_an_ordinary_mail():
    raw = (
        b"From: =?utf-8?q?H=C3=A9l=C3=A8ne_Durand?= <h.durand@asso.fr>\r\n"
        b"Subject: =?utf-8?q?Inscription_webinaire?=\r\n"
        b"Date: Tue, 13 Oct 2026 09:04:00 +0200\r\n"
        b"Message-ID:  <abc@asso.fr>\r\n\r\nBonjour\r\n"
    )
    headline = read_headline(raw)
    assert headline.message_id == "<abc@asso.fr>"
    assert headline.sender == "h.durand@asso.fr"
    assert headline.subject == "Inscription webinaire"
    assert headline.date is not None and headline.date.utcoffset().total_seconds() == 7200


def test_broken_headers_give_none_not_an_exception():
    raw = b"From: <<<\r\nDate: yesterday-ish\r\nSubject: \xff\xfe\r\n\r\n\x00"
    headline = read_headline(raw)
    assert headline.message_id is None and headline.date is None


def test_a_mail_without_message_id_is_keyed_by_its_content():
    assert dedup_key_for(None, "ab" * 32) == "sha256:" + "ab" * 32
    assert dedup_key_for("<x@y>", "ab" * 32) == "<x@y>"


@given(st.binary(max_size=2000))
def test_any_bytes_give_a_headline(raw):
    read_headline(raw)


def test_a_batch_is_stored_once_per_mail_whatever_repeats_inside_it(tmp_path):
    from sqlalchemy import select

    from mailbot.intake import Incoming, store_batch
    from mailbot.records.db import unit_of_work
    from mailbot.records.models import Event, InboundMail
    from tests.story import a_mail, app_for

    app = app_for(tmp_path)
    first = a_mail(subject="Inscription", message_id="<same@cd33.fr>")
    reused = a_mail(subject="Autre chose", message_id="<same@cd33.fr>")  # a client reusing IDs
    other = a_mail(subject="Question", message_id="<q@cd33.fr>")
    with unit_of_work(app.db) as db:
        arrivals = store_batch(
            db,
            [Incoming(1, first), Incoming(2, first), Incoming(3, reused), Incoming(4, other)],
            journal=app.journal,
            clock=app.clock,
            uidvalidity=7,
        )
    assert [a.created for a in arrivals] == [True, False, True, True]
    assert arrivals[0].inbound_id == arrivals[1].inbound_id != arrivals[2].inbound_id

    # Seen again under a new UIDVALIDITY: known, and now found by its new UID.
    with unit_of_work(app.db) as db:
        again = store_batch(
            db, [Incoming(40, other)], journal=app.journal, clock=app.clock, uidvalidity=8
        )
    assert [a.created for a in again] == [False] and again[0].inbound_id == arrivals[3].inbound_id
    with unit_of_work(app.db) as db:
        rows = db.execute(select(InboundMail.subject, InboundMail.uidvalidity, InboundMail.uid))
        assert sorted(rows) == [("Autre chose", 7, 3), ("Inscription", 7, 1), ("Question", 8, 40)]
        received = db.scalars(select(Event.inbound_mail_id).where(Event.kind == "received")).all()
        assert sorted(received) == sorted({a.inbound_id for a in arrivals})
    assert app.settings.journal_path.read_text(encoding="utf-8").count("Courriel reçu de") == 3


def test_fetch_batches_are_bounded_in_count_and_in_bytes():
    from mailbot.mailbox import _batches

    sizes = {1: 10, 2: 10, 3: 50, 4: 10, 5: 200, 6: 10}
    assert list(_batches([1, 2, 3, 4, 5, 6], sizes, 3, 100)) == [[1, 2, 3], [4], [5], [6]]
    assert list(_batches([1, 2, 4, 6], sizes, 2, 1_000)) == [[1, 2], [4, 6]]
    assert list(_batches([], sizes, 2, 100)) == []
