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
