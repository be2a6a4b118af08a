"""`mailbot run` as an operator runs it: live mail handled over IDLE, web beside it, clean SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request

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
    daemon = subprocess.Popen(
        [sys.executable, "-m", "mailbot", "run", "--web", "-c", str(config)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
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
        # A mail arriving while the daemon idles is answered without any poll interval.
        mailbox.deliver(a_mail(message_id="<live@cd33.fr>"))
        [ack] = smtp_sink.wait_for(1, timeout=20)
        assert b"<live@cd33.fr>" in ack.raw
        daemon.send_signal(signal.SIGTERM)
        assert daemon.wait(timeout=30) == 0
    finally:
        if daemon.poll() is None:
            daemon.kill()
    journal = (settings.data_dir / "mailbot.log").read_text(encoding="utf-8")
    assert "démarré" in journal and "arrêté proprement" in journal
    assert mailbox.count("À vérifier") == 1
