"""IMAP corner cases against Dovecot: no MOVE capability, a UIDVALIDITY change, a failed move."""

from __future__ import annotations

from sqlalchemy import func, select

from mailbot.daemon import run_once
from mailbot.mailbox import Mailbox, MailboxError
from mailbot.records.db import unit_of_work
from mailbot.records.models import InboundMail
from tests.story import a_mail, app_for


def test_without_move_mails_are_copied_then_expunged(tmp_path, mailbox, smtp_sink, monkeypatch):
    app = app_for(tmp_path, imap=mailbox, smtp=smtp_sink)
    mailbox.deliver(a_mail(message_id="<nomove@cd33.fr>"))
    original_connect = Mailbox.connect

    def connect_without_move(self: Mailbox) -> None:
        original_connect(self)
        self.capabilities = self.capabilities - {b"MOVE"}

    monkeypatch.setattr(Mailbox, "connect", connect_without_move)
    run_once(app)
    assert mailbox.count("INBOX") == 0
    assert mailbox.count("À vérifier") == 1


def test_a_uidvalidity_change_after_a_failed_move_reprocesses_nothing(
    tmp_path, mailbox, smtp_sink, monkeypatch
):
    app = app_for(tmp_path, imap=mailbox, smtp=smtp_sink)
    for n in range(3):
        mailbox.deliver(a_mail(message_id=f"<uv{n}@cd33.fr>", subject=f"Question {n}"))

    def broken_move(self: Mailbox, uids: list[int], folder: str) -> None:
        raise MailboxError("connection reset during MOVE")

    with monkeypatch.context() as patch:
        patch.setattr(Mailbox, "move", broken_move)
        first = run_once(app)
    assert first.imap_error is not None and "MOVE" in first.imap_error
    assert mailbox.count("INBOX") == 3
    replies_before = len(smtp_sink.messages)
    # The server rebuilds its index: every message gets a new UID under a new UIDVALIDITY.
    mailbox._doveadm("mailbox", "update", "--uid-validity", "77", "INBOX")
    mailbox._doveadm("force-resync", "INBOX")
    with mailbox.client() as client:
        assert client.select_folder("INBOX")[b"UIDVALIDITY"] == 77

    second = run_once(app)

    assert second.imap is not None and second.imap.stored == 0 and second.imap.moved == 3
    assert mailbox.count("INBOX") == 0 and mailbox.count("À vérifier") == 3
    assert len(smtp_sink.messages) == replies_before
    with unit_of_work(app.db) as db:
        assert db.scalar(select(func.count(InboundMail.id))) == 3


def test_a_mail_that_arrived_during_the_last_pass_does_not_wait_for_the_next_poll(mailbox):
    import threading
    import time

    from mailbot.settings import ImapSettings

    settings = ImapSettings(
        host=mailbox.host, port=mailbox.port, username=mailbox.user, password=mailbox.password
    )
    stop, poke = threading.Event(), threading.Event()
    with Mailbox(settings) as imap:
        imap.select_inbox()
        seen = frozenset(imap.inbox_uids())
        # Arrives after the pass listed INBOX, before the daemon goes back to IDLE.
        mailbox.deliver(a_mail(message_id="<late@cd33.fr>"))
        started = time.monotonic()
        imap.wait_for_news(30, stop, poke, seen)
        assert time.monotonic() - started < 5
        # Nothing new: IDLE waits until its time is up.
        seen = frozenset(imap.inbox_uids())
        started = time.monotonic()
        imap.wait_for_news(1.5, stop, poke, seen)
        assert time.monotonic() - started >= 1.4
        # A delivery during IDLE ends the wait at once.
        threading.Timer(0.5, mailbox.deliver, [a_mail(message_id="<idle@cd33.fr>")]).start()
        started = time.monotonic()
        imap.wait_for_news(30, stop, poke, seen)
        assert time.monotonic() - started < 5
