"""Servers misbehave; mailbot loses nothing, says so in plain words, and recovers.

SMTP faults are injected by the sink (421/451/550, refused connections, a slow
server); time is moved with a FrozenClock, never slept. The IMAP server is
really restarted under a running daemon. Broken mails are stored and filed.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from mailbot.app import App, build_app
from mailbot.cli import app as cli
from mailbot.clock import FrozenClock, as_aware
from mailbot.daemon import run_once
from mailbot.records.db import unit_of_work
from mailbot.records.models import (
    Disposition,
    Event,
    InboundMail,
    OutboundMail,
    OutboundStatus,
    ReviewItem,
)
from tests.servers import free_port
from tests.story import PROJECT, a_mail, app_for, settings_for

START = dt.datetime(2026, 10, 5, 9, 0, tzinfo=dt.UTC)
LATER = dt.timedelta(seconds=3)  # past the longest back-off of the test settings (retry_max_s=2)


# -- helpers ------------------------------------------------------------------------------
def _outbound(app: App) -> list[OutboundMail]:
    with unit_of_work(app.db) as db:
        return list(db.scalars(select(OutboundMail).order_by(OutboundMail.id)))


def _events(app: App, kind: str) -> list[Event]:
    with unit_of_work(app.db) as db:
        return list(db.scalars(select(Event).where(Event.kind == kind).order_by(Event.id)))


def _write_config(
    tmp_path: Path, imap_port: int, imap_user: str, smtp_port: int, **imap: object
) -> Path:
    extra = "".join(f"{k} = {json.dumps(v)}\n" for k, v in imap.items())
    config = tmp_path / "mailbot.toml"
    config.write_text(
        f'data_dir = "{tmp_path / "data"}"\n\n'
        f'[imap]\nhost = "127.0.0.1"\nport = {imap_port}\nusername = "{imap_user}"\n'
        f"timeout_s = 5\n{extra}\n"
        f'[smtp]\nhost = "127.0.0.1"\nport = {smtp_port}\ntimeout_s = 5\n'
        f"retry_base_s = 1\nretry_max_s = 2\n",
        encoding="utf-8",
    )
    return config


def _status_json(config: Path, db_url: str) -> dict:
    """`mailbot status --json`, as an operator would run it."""
    result = CliRunner().invoke(
        cli,
        ["status", "--json", "-c", str(config)],
        env={"MAILBOT_IMAP__PASSWORD": "secret", "MAILBOT_DATABASE__URL": db_url},
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _app_with_smtp(tmp_path, clock, mailbox, sink, **smtp: object) -> App:
    """An app whose SMTP settings differ from the story defaults (timeouts, attempts)."""
    settings = settings_for(tmp_path, imap=mailbox, smtp=sink)
    settings.smtp = settings.smtp.model_copy(update=smtp)
    return build_app(settings, clock=clock)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)


# -- SMTP: temporary refusals -------------------------------------------------------------
@pytest.mark.parametrize(("stage", "code"), [("mail", 421), ("data", 451)])
def test_a_temporary_refusal_waits_for_its_turn_then_sends_once(
    tmp_path, db_url, mailbox, smtp_sink, clock, stage, code
):
    app = app_for(tmp_path, clock=clock, db_url=db_url, imap=mailbox, smtp=smtp_sink)
    mailbox.deliver(a_mail(message_id="<retry@cd33.fr>"))
    smtp_sink.fail(stage, code)

    report = run_once(app)

    assert report.smtp.retried == 1 and report.smtp.sent == 0
    [row] = _outbound(app)
    assert row.status == OutboundStatus.RETRY_WAIT
    assert row.last_error_code == code
    assert START < as_aware(row.next_attempt_at) <= START + dt.timedelta(seconds=2)
    [retry] = _events(app, "send_retry")
    assert "marie.dupont@cd33.fr" in retry.sentence and f"({code} " in retry.sentence
    assert smtp_sink.messages == []

    # Not yet due: nothing is attempted.
    attempts = smtp_sink.transactions
    run_once(app)
    assert smtp_sink.transactions == attempts
    assert _outbound(app)[0].status == OutboundStatus.RETRY_WAIT

    clock.advance(LATER)
    report = run_once(app)

    assert report.smtp.sent == 1
    [row] = _outbound(app)
    assert row.status == OutboundStatus.SENT and row.attempts == 2
    [sent] = smtp_sink.messages
    assert sent.message_id == row.message_id
    assert mailbox.count("Envoyés") == 1


@pytest.mark.parametrize("stage", ["rcpt", "data"])
def test_a_permanent_refusal_fails_the_mail_and_asks_a_person(
    tmp_path, db_url, mailbox, smtp_sink, clock, stage
):
    app = app_for(tmp_path, clock=clock, db_url=db_url, imap=mailbox, smtp=smtp_sink)
    mailbox.deliver(a_mail(message_id="<refused@cd33.fr>"))
    smtp_sink.fail(stage, 550)

    report = run_once(app)

    assert report.smtp.failed == 1
    [row] = _outbound(app)
    assert row.status == OutboundStatus.FAILED and row.last_error_code == 550
    with unit_of_work(app.db) as db:
        item = db.scalars(select(ReviewItem).where(ReviewItem.reason_code == "send_failed")).one()
        assert item.outbound_mail_id == row.id
        assert "refus définitif" in item.reason_text and "550" in item.reason_text
    [failed] = _events(app, "send_failed")
    assert failed.level == "error"
    assert failed.sentence.startswith("Échec définitif de l'envoi de l'accusé de réception")
    assert "marie.dupont@cd33.fr" in failed.sentence
    # ...and it stays failed: no retry, whatever the time.
    clock.advance(dt.timedelta(days=1))
    attempts = smtp_sink.transactions
    run_once(app)
    assert smtp_sink.transactions == attempts
    log = app.settings.journal_path.read_text(encoding="utf-8")
    assert "Échec définitif" in log


def test_max_attempts_exhausted_fails_and_asks_a_person(tmp_path, mailbox, smtp_sink, clock):
    app = _app_with_smtp(tmp_path, clock, mailbox, smtp_sink, max_attempts=3)
    mailbox.deliver(a_mail(message_id="<busy@cd33.fr>"))
    smtp_sink.fail("data", 451, times=None)

    for _ in range(3):
        run_once(app)
        clock.advance(LATER)

    [row] = _outbound(app)
    assert row.status == OutboundStatus.FAILED and row.attempts == 3
    with unit_of_work(app.db) as db:
        item = db.scalars(select(ReviewItem).where(ReviewItem.reason_code == "send_failed")).one()
    assert "3 tentatives sans succès" in item.reason_text
    assert len(_events(app, "send_retry")) == 2
    attempts = smtp_sink.transactions
    clock.advance(dt.timedelta(hours=1))
    run_once(app)
    assert smtp_sink.transactions == attempts  # never retried forever


# -- SMTP: the server is away or slow -----------------------------------------------------
def test_refused_connections_lose_nothing_and_show_in_status(
    tmp_path, db_url, mailbox, smtp_sink, clock
):
    app = app_for(tmp_path, clock=clock, db_url=db_url, imap=mailbox, smtp=smtp_sink)
    for i in range(3):
        mailbox.deliver(a_mail(sender=f"p{i}@cd33.fr", message_id=f"<down-{i}@cd33.fr>"))
    smtp_sink.refuse_connections()

    report = run_once(app)

    assert not report.ok  # `mailbot run --once` exits 1
    rows = _outbound(app)
    assert len(rows) == 3
    assert {r.status for r in rows} <= {OutboundStatus.RETRY_WAIT, OutboundStatus.QUEUED}
    assert all(r.attempts <= 1 for r in rows)  # the untried ones are given back untouched
    config = _write_config(tmp_path, mailbox.port, mailbox.user, smtp_sink.port)
    state = _status_json(config, app.settings.database_url)
    assert state["healthy"] is False
    assert state["smtp"]["healthy"] is False
    assert f"Error connecting to 127.0.0.1 on port {smtp_sink.port}" in state["smtp"]["last_error"]
    assert any("reporté" in e["sentence"] for e in state["recent_events"])

    smtp_sink.accept_connections()
    clock.advance(LATER)
    report = run_once(app)
    clock.advance(LATER)
    run_once(app)

    assert {r.status for r in _outbound(app)} == {OutboundStatus.SENT}
    copies = smtp_sink.copies()
    assert sorted(copies.values()) == [1, 1, 1]
    assert _status_json(config, app.settings.database_url)["smtp"]["healthy"] is True


def test_a_slow_server_before_data_is_retried_and_sends_once(tmp_path, mailbox, smtp_sink, clock):
    app = _app_with_smtp(tmp_path, clock, mailbox, smtp_sink, timeout_s=0.3)
    mailbox.deliver(a_mail(message_id="<slow@cd33.fr>"))
    smtp_sink.slow(0.8, stage="mail", times=1)

    report = run_once(app)

    assert report.smtp.retried == 1
    [row] = _outbound(app)
    assert row.status == OutboundStatus.RETRY_WAIT
    assert "Timeout" in (row.last_error or "")
    clock.advance(LATER)
    run_once(app)
    assert _outbound(app)[0].status == OutboundStatus.SENT
    assert list(smtp_sink.copies().values()) == [1]


def test_a_timeout_after_data_resends_with_the_same_message_id(tmp_path, mailbox, smtp_sink, clock):
    """The server kept the mail but its 250 came too late: SMTP's one unavoidable resend."""
    app = _app_with_smtp(tmp_path, clock, mailbox, smtp_sink, timeout_s=0.3)
    mailbox.deliver(a_mail(message_id="<late@cd33.fr>"))
    smtp_sink.slow(0.8, stage="data", times=1)

    run_once(app)
    clock.advance(LATER)
    run_once(app)

    [row] = _outbound(app)
    assert row.status == OutboundStatus.SENT
    # Two copies, one Message-ID: mail clients fold them into one.
    assert dict(smtp_sink.copies()) == {(row.message_id, "marie.dupont@cd33.fr"): 2}


# -- IMAP ---------------------------------------------------------------------------------
def test_unreachable_mailbox_exit_1_and_plain_words_in_status(tmp_path, db_url, smtp_sink):
    dead = free_port()
    app = app_for(tmp_path, db_url=db_url, smtp=smtp_sink, imap=None)
    config = _write_config(tmp_path, dead, "ipp@ipp.fr", smtp_sink.port)
    env = {
        **os.environ,
        "MAILBOT_IMAP__PASSWORD": "secret",
        "MAILBOT_DATABASE__URL": app.settings.database_url,
        "PYTHONPATH": str(PROJECT),
    }
    env.pop("MAILBOT_CRASH_AT", None)

    run = subprocess.run(
        [sys.executable, "-m", "mailbot", "run", "--once", "-c", str(config)],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert run.returncode == 1, run.stdout + run.stderr
    assert "boîte aux lettres injoignable" in run.stderr
    state = _status_json(config, app.settings.database_url)
    assert state["imap"]["healthy"] is False
    assert f"127.0.0.1:{dead} unreachable" in state["imap"]["last_error"]
    [error] = state["recent_errors"]
    assert error["sentence"].startswith("Connexion à la boîte aux lettres impossible")


def _wait(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def test_the_daemon_survives_an_imap_restart_and_loses_nothing(
    tmp_path, db_url, dovecot, smtp_sink
):
    mailbox = dovecot.new_mailbox("restart")
    app = app_for(tmp_path, db_url=db_url, imap=mailbox, smtp=smtp_sink)
    config = _write_config(
        tmp_path, mailbox.port, mailbox.user, smtp_sink.port, poll_interval_s=0.5
    )
    config.write_text(
        config.read_text() + "\n[scheduler]\noutbox_interval_s = 0.5\n", encoding="utf-8"
    )
    env = {
        **os.environ,
        "MAILBOT_IMAP__PASSWORD": mailbox.password,
        "MAILBOT_DATABASE__URL": app.settings.database_url,
        "PYTHONPATH": str(PROJECT),
    }
    env.pop("MAILBOT_CRASH_AT", None)

    def filed_and_answered(n: int) -> bool:
        with unit_of_work(app.db) as db:
            moved = db.scalar(
                select(func.count(InboundMail.id)).where(InboundMail.moved_at.is_not(None))
            )
        return moved == n and len(smtp_sink.messages) == n

    daemon = subprocess.Popen(
        [sys.executable, "-m", "mailbot", "run", "-c", str(config)],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        for i in range(3):
            mailbox.deliver(a_mail(sender=f"a{i}@cd33.fr", message_id=f"<before-{i}@cd33.fr>"))
        _wait(lambda: filed_and_answered(3), 30, "the first 3 mails")

        for i in range(3):
            mailbox.deliver(a_mail(sender=f"b{i}@cd33.fr", message_id=f"<during-{i}@cd33.fr>"))
        dovecot.stop(kill=True)  # the IMAP server crashes, probably mid-pass: sessions cut
        time.sleep(0.5)  # the daemon notices the outage (its IDLE loop checks every 0.5 s)
        dovecot.start()
        for i in range(3):
            mailbox.deliver(a_mail(sender=f"c{i}@cd33.fr", message_id=f"<after-{i}@cd33.fr>"))
        _wait(lambda: filed_and_answered(9), 30, "all 9 mails after the restart")

        daemon.send_signal(signal.SIGTERM)
        out, _ = daemon.communicate(timeout=30)
    finally:
        if daemon.poll() is None:
            daemon.kill()
            daemon.communicate()
        if not dovecot.running:
            dovecot.start()
    assert daemon.returncode == 0, out.decode(errors="replace")
    assert mailbox.count("INBOX") == 0
    assert mailbox.count("À vérifier") == 9
    assert sorted(smtp_sink.copies().values()) == [1] * 9
    outages = _events(app, "imap_error")  # one line per distinct error, not one per retry
    assert 1 <= len(outages) <= 2
    assert all(
        o.sentence.startswith("Connexion à la boîte aux lettres impossible") for o in outages
    )
    assert [e.kind for e in _events(app, "daemon_stopped")] == ["daemon_stopped"]
    state = _status_json(config, app.settings.database_url)
    assert state["imap"]["healthy"] is True  # contact came back after the error
    assert state["imap"]["last_error_at"] < state["imap"]["last_ok_at"]


# -- malformed mail -----------------------------------------------------------------------
MALFORMED = {
    "no_message_id": (
        b"From: Jean Martin <jean.martin@mairie-exemple.fr>\r\nTo: ipp@ipp.fr\r\n"
        b"Subject: sans identifiant\r\nDate: Mon, 5 Oct 2026 09:00:00 +0200\r\n\r\n"
        b"Bonjour, ce courriel n'a pas de Message-ID.\r\n"
    ),
    "broken_mime": (
        b"From: a@b.fr\r\nTo: ipp@ipp.fr\r\nSubject: pieces jointes\r\n"
        b"Message-ID: <broken-mime@b.fr>\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="XYZ"\r\n\r\n'
        b"--XYZ\r\nContent-Type: text/plain; charset=utf-8\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n@@@not base64!!!\r\n"
        b'--XYZ\r\nContent-Type: application/pdf; name="f.pdf"\r\n'
        b"Content-Transfer-Encoding: quoted-printable\r\n\r\n=ZZ=1\r\n"
        # no closing boundary
    ),
    "garbage_8bit_headers": (
        b"From: \xff\xfe\xfa <\xe9t\xe9@\xff.fr>\r\nTo: ipp@ipp.fr\r\n"
        b"Subject: =?utf-8?B?////?= \xc3\x28 \x80\x81\r\n"
        b"Message-ID: <garbage-\xe9@x.fr>\r\nDate: not a date at all\r\n"
        b'Content-Type: text/plain; charset="x-unknown-\xff"\r\n\r\n\xe9\xe8\xff corps\r\n'
    ),
    "empty_body": (
        b"From: vide@cd33.fr\r\nTo: ipp@ipp.fr\r\nSubject: \r\nMessage-ID: <empty@cd33.fr>\r\n\r\n"
    ),
    "headers_only_no_blank_line": (
        b"From: tete@cd33.fr\r\nSubject: que des en-tetes\r\nMessage-ID: <headers-only@cd33.fr>\r\n"
    ),
    "nul_bytes": (
        b"From: nul@cd33.fr\r\nTo: ipp@ipp.fr\r\nSubject: a\x00b\r\n"
        b"Message-ID: <nul@cd33.fr>\r\n\r\nbody with \x00 inside\r\n"
    ),
}


def test_malformed_mails_are_stored_and_filed_never_a_crash(tmp_path, db_url, mailbox, smtp_sink):
    app = app_for(tmp_path, db_url=db_url, imap=mailbox, smtp=smtp_sink)
    for raw in MALFORMED.values():
        mailbox.deliver(raw)

    report = run_once(app)
    second = run_once(app)

    assert report.imap_error is None and second.imap_error is None
    assert report.imap is not None and report.imap.stored == len(MALFORMED)
    assert mailbox.count("INBOX") == 0
    filed = mailbox.count("À vérifier") + mailbox.count("Ignorés") + mailbox.count("Traités")
    assert filed == len(MALFORMED)
    with unit_of_work(app.db) as db:
        mails = db.scalars(select(InboundMail)).all()
        assert len(mails) == len(MALFORMED)
        assert all(m.moved_at is not None for m in mails)
        assert {m.disposition for m in mails} <= {Disposition.REVIEW, Disposition.IGNORED}
        stored = sorted(m.raw for m in mails)
    # Stored byte for byte as the server holds them (Dovecot itself rewrites NULs).
    on_server = sorted(
        raw for folder in ("À vérifier", "Ignorés", "Traités") for raw in mailbox.messages(folder)
    )
    assert stored == on_server
    # Replies went out only where there is a usable sender, each once.
    assert all(n == 1 for n in smtp_sink.copies().values())
