"""Arrival in INBOX -> confirmation accepted by the SMTP server, with IMAP IDLE.

Run by hand: ``.venv/bin/python tests/bench/bench_latency.py [count]`` (root, Dovecot
installed). Starts a private Dovecot and an aiosmtpd sink, runs the real daemon
(IDLE, default pipeline) on SQLite, delivers typed registration forms one at a
time and prints the median and p95 latency. Goal: p95 <= 5 s.
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import tempfile
import threading
import time
from email.parser import BytesHeaderParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from mailbot.app import build_app  # noqa: E402
from mailbot.daemon import Daemon  # noqa: E402
from tests.factories import forms  # noqa: E402
from tests.servers import Dovecot, SmtpSink  # noqa: E402
from tests.story import a_registration_mail, settings_for  # noqa: E402


def form(index: int) -> forms.FormData:
    people = (
        forms.Participant("Mme", f"Anne{index}", "ROUX", f"anne.roux{index}@asso-{index}.fr"),
        forms.Participant("M.", f"Luc{index}", "MARTIN", f"luc.martin{index}@asso-{index}.fr"),
    )
    return forms.sample_form(
        organisation_name=f"Association Les Tilleuls n° {index}",
        manager_email=f"direction@asso-{index}.fr",
        participants=people,
    )


def main(count: int = 200) -> None:
    mails = [
        a_registration_mail(
            form(i),
            sender=f"Direction <direction@asso-{i}.fr>",
            message_id=f"<bench-{i}@asso-{i}.fr>",
            date=dt.datetime(2026, 10, 14, 10, 0, tzinfo=dt.UTC),
        )
        for i in range(count)
    ]
    with tempfile.TemporaryDirectory() as tmp, Dovecot() as dovecot, SmtpSink() as sink:
        dovecot.start()
        mailbox = dovecot.new_mailbox("bench")
        settings = settings_for(Path(tmp), imap=mailbox, smtp=sink)
        app = build_app(settings)
        app.invoice_renderer()  # warm start: fonts and templates, as a running daemon has them
        daemon = Daemon(app)
        thread = threading.Thread(target=daemon.run, daemon=True)
        thread.start()
        time.sleep(2)
        latencies = []
        for i, raw in enumerate(mails):
            started = time.monotonic()
            mailbox.deliver(raw)
            sink.wait_for(i + 1, timeout=60)
            latencies.append(time.monotonic() - started)
            assert f"bench-{i}@" in str(
                BytesHeaderParser().parsebytes(sink.messages[-1].raw)["In-Reply-To"]
            )
        daemon.request_stop()
        thread.join(30)
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95) - 1]
    print(f"{count} typed forms (docx), one at a time, IDLE, SQLite, real parser + invoice + SMTP")
    print(
        f"arrival -> confirmation accepted: median {statistics.median(latencies):.2f} s, "
        f"p95 {p95:.2f} s, max {latencies[-1]:.2f} s"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
