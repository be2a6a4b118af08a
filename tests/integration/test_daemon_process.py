"""`mailbot run` as an operator runs it: live mail handled over IDLE, web beside it, clean SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from tests.servers import free_port
from tests.story import a_mail, settings_for, write_config


def test_the_daemon_handles_mail_live_serves_the_web_and_stops_cleanly_on_sigterm(
    tmp_path, mailbox, smtp_sink, monkeypatch
):
    settings = settings_for(tmp_path, imap=mailbox, smtp=smtp_sink)
    config = write_config(tmp_path, settings, monkeypatch)
    port = free_port()
    env = {
        **os.environ,
        "MAILBOT_WEB__SESSION_SECRET": "x" * 40,
        "MAILBOT_WEB__PORT": str(port),
        "MAILBOT_SCHEDULER__OUTBOX_INTERVAL_S": "1",
    }
    # A file, not a pipe nobody reads: a full pipe would block the daemon's logging.
    output = (tmp_path / "daemon.out").open("wb")
    daemon = subprocess.Popen(
        [sys.executable, "-m", "mailbot", "run", "--web", "-c", str(config)],
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2) as page:
                    assert page.status == 200
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise AssertionError("the web interface never answered")
        # The first pass creates the folders; after it the daemon waits in IDLE.
        wait_until(lambda: "Envoyés" in mailbox.folders(), 30, "the first pass never ended")
        # A mail arriving while the daemon idles is answered without waiting for the
        # poll interval (60 s by default: this config leaves it alone).
        mailbox.deliver(a_mail(message_id="<live@cd33.fr>"))
        try:
            [ack] = smtp_sink.wait_for(1, timeout=20)
        except AssertionError as exc:
            raise AssertionError(f"{exc}; the daemon said:\n{_tail(tmp_path)}") from None
        assert b"<live@cd33.fr>" in ack.raw
        daemon.send_signal(signal.SIGTERM)
        assert daemon.wait(timeout=30) == 0
    finally:
        if daemon.poll() is None:
            daemon.kill()
        output.close()
    journal = (settings.data_dir / "mailbot.log").read_text(encoding="utf-8")
    assert "démarré" in journal and "arrêté proprement" in journal
    assert mailbox.count("À vérifier") == 1


def wait_until(condition: Callable[[], bool], timeout: float, failure: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(failure)
        time.sleep(0.2)


def _tail(tmp_path: Path) -> str:
    return (tmp_path / "daemon.out").read_text(encoding="utf-8", errors="replace")[-4000:]
