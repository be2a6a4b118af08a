"""kill -9 during a 300-participant mailing, restart: each participant gets the access mail once.

``mailbot run --once`` runs as a child process and is SIGKILLed right after the
SMTP server accepted the N-th mail (``MAILBOT_CRASH_AT=after_smtp_send:N``),
then restarted until a run finishes. Counted at a real SMTP sink by Message-ID
and recipient: a participant may see a second copy only when a kill hit the
window between the server's 250 and our record of it, and that copy carries
the same Message-ID (mail clients fold it).
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from mailbot.app import build_app
from mailbot.records.db import unit_of_work
from mailbot.records.models import OutboundMail, OutboundPurpose, OutboundStatus
from tests.integration.mailing_story import register, write_catalog
from tests.story import PROJECT, settings_for

pytestmark = [pytest.mark.slow, pytest.mark.integration]

PARTICIPANTS = 300
KILLS = ["after_smtp_send:1", "after_smtp_send:37", "after_smtp_send:120", "after_smtp_send:60"]


def test_kill_9_during_a_300_participant_mailing_sends_each_access_mail_once(
    tmp_path, mailbox, smtp_sink_process
):
    sink = smtp_sink_process
    tomorrow = dt.datetime.now(ZoneInfo("Europe/Paris")).date() + dt.timedelta(days=1)
    catalog = write_catalog(tmp_path / "catalog")
    text = catalog.read_text(encoding="utf-8").replace("date = 2027-03-30", f"date = {tomorrow}")
    catalog.write_text(text, encoding="utf-8")
    key = f"cpom-saad@{tomorrow}"
    db_url = f"sqlite:///{tmp_path / 'data' / 'mailbot.sqlite3'}"
    app = build_app(settings_for(tmp_path, db_url=db_url, catalog_file=str(catalog)))
    people = [
        (f"Prénom{i}", f"Nom{i}", f"p{i}@collectivite{i % 7}.fr") for i in range(PARTICIPANTS)
    ]
    for start in range(0, PARTICIPANTS, 30):
        register(app, people[start : start + 30], key=key)
    config = tmp_path / "mailbot.toml"
    config.write_text(
        f"""\
data_dir = "{tmp_path / "data"}"
catalog_file = "{catalog}"

[imap]
host = "{mailbox.host}"
port = {mailbox.port}
username = "{mailbox.user}"
timeout_s = 10

[smtp]
host = "127.0.0.1"
port = {sink.port}
timeout_s = 10
stale_claim_s = 1
""",
        encoding="utf-8",
    )
    env = {
        **os.environ,
        "MAILBOT_IMAP__PASSWORD": mailbox.password,
        "MAILBOT_DATABASE__URL": db_url,
        "PYTHONPATH": str(PROJECT),
    }
    windows: Counter[str] = Counter()
    for crash in [*KILLS, None]:
        run_env = dict(env)
        if crash:
            run_env["MAILBOT_CRASH_AT"] = crash
        proc = subprocess.run(
            [sys.executable, "-m", "mailbot", "run", "--once", "-c", str(config)],
            cwd=PROJECT,
            env=run_env,
            capture_output=True,
            timeout=300,
            check=False,  # a SIGKILL is the expected outcome of most runs
        )
        assert proc.returncode in (0, -signal.SIGKILL), proc.stdout + proc.stderr
        if crash:
            assert proc.returncode == -signal.SIGKILL, f"{crash} not reached"
            # The window: the row is still "sending" and the sink already has one more copy.
            at_sink = Counter(m.message_id for m in sink.messages)
            with unit_of_work(app.db) as db:
                for message_id in db.scalars(
                    select(OutboundMail.message_id).where(
                        OutboundMail.status == OutboundStatus.SENDING
                    )
                ):
                    if at_sink[message_id] == windows[message_id] + 1:
                        windows[message_id] += 1
            time.sleep(1.1)  # let stale claims expire (stale_claim_s = 1, real time)

    with unit_of_work(app.db) as db:
        rows = db.execute(
            select(OutboundMail.message_id, OutboundMail.recipients, OutboundMail.status).where(
                OutboundMail.purpose == OutboundPurpose.ACCESS
            )
        ).all()
    assert len(rows) == PARTICIPANTS
    assert {status for _, _, status in rows} == {OutboundStatus.SENT}
    copies = Counter((m.message_id, r) for m in sink.messages for r in m.rcpt_tos)
    per_recipient: dict[str, set[str]] = {}
    for message_id, recipients, _ in rows:
        [recipient] = recipients
        assert copies[(message_id, recipient)] == 1 + windows[message_id], recipient
        per_recipient.setdefault(recipient, set()).add(message_id)
    # Each participant: one access Message-ID, whatever the kills.
    assert len(per_recipient) == PARTICIPANTS
    assert all(len(ids) == 1 for ids in per_recipient.values())
    # One window per connection in flight at each kill (the sender uses two).
    assert sum(windows.values()) <= len(KILLS) * app.settings.smtp.connections
