"""Outbox throughput: ``Sender.drain()`` next to raw aiosmtplib, same mails, same sink.

Run by hand: ``.venv/bin/python tests/bench/bench_outbox.py [count] [--db URL]``.

An aiosmtpd sink runs in a separate process (``python -m aiosmtpd ... Sink``:
accepts and discards). ``count`` acknowledgements are queued as OutboundMail
rows (rendered, with their Message-ID) in a fresh database, then:

1. raw: aiosmtplib sends the same ``count`` raw messages over one reused connection;
2. outbox: ``Sender.drain()`` claims, sends and records them (settings: 1 and 2
   connections), each mail a committed claim and a committed "sent" record.

Goal of the foundation issue: outbox >= 50 % of the raw send rate.
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import aiosmtplib
from sqlalchemy import func, select

from mailbot import outbox
from mailbot.app import App, build_app
from mailbot.records.db import unit_of_work
from mailbot.records.models import OutboundMail, OutboundPurpose, OutboundStatus
from mailbot.sender import Sender
from tests.servers import free_port, wait_for_port
from tests.story import settings_for


class _Port:
    def __init__(self, port: int) -> None:
        self.port = port


def queue_mails(app: App, count: int) -> list[tuple[str, list[str], bytes]]:
    text = app.templates.render(
        "mail/acknowledgement.txt", subject="Question", mailbox=app.catalog.mailbox
    )
    html = app.templates.render(
        "mail/acknowledgement.html", subject="Question", mailbox=app.catalog.mailbox
    )
    with unit_of_work(app.db) as db:
        for i in range(count):
            outbox.queue(
                db,
                app,
                outbox.Draft(
                    key=f"bench:{i}",
                    purpose=OutboundPurpose.ACKNOWLEDGEMENT,
                    to=[f"agent{i}@departement{i % 101}.fr"],
                    subject=f"Re: Question {i}",
                    text=text,
                    html=html,
                ),
            )
    with unit_of_work(app.db) as db:
        rows = db.execute(
            select(OutboundMail.mail_from, OutboundMail.recipients, OutboundMail.raw).order_by(
                OutboundMail.id
            )
        ).all()
    return [(f, list(r), raw) for f, r, raw in rows]


async def raw_send(port: int, mails: list[tuple[str, list[str], bytes]]) -> float:
    client = aiosmtplib.SMTP(hostname="127.0.0.1", port=port, start_tls=False)
    await client.connect()
    started = time.perf_counter()
    for mail_from, rcpts, raw in mails:
        await client.sendmail(mail_from, rcpts, raw)
    elapsed = time.perf_counter() - started
    await client.quit()
    return len(mails) / elapsed


def outbox_send(
    workdir: Path, port: int, count: int, connections: int, db_url: str | None
) -> float:
    settings = settings_for(workdir, db_url=db_url, smtp=_Port(port))
    settings.smtp = settings.smtp.model_copy(update={"connections": connections})
    app = build_app(settings)
    queue_mails(app, count)
    started = time.perf_counter()
    report = asyncio.run(Sender(app).drain())
    elapsed = time.perf_counter() - started
    with unit_of_work(app.db) as db:
        sent = db.scalar(select(func.count()).where(OutboundMail.status == OutboundStatus.SENT))
    assert report.sent == count == sent, (report, sent)
    app.dispose()
    return count / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("count", type=int, nargs="?", default=500)
    parser.add_argument("--db", help="PostgreSQL URL of an EMPTY database (default: SQLite)")
    args = parser.parse_args()
    port = free_port()
    sink = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "aiosmtpd",
            "-n",
            "-u",
            "-l",
            f"127.0.0.1:{port}",
            "-c",
            "aiosmtpd.handlers.Sink",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, proc=sink, name="aiosmtpd sink")
        with tempfile.TemporaryDirectory() as tmp:
            probe = build_app(settings_for(Path(tmp) / "probe", smtp=_Port(port)))
            mails = queue_mails(probe, args.count)
            probe.dispose()
            size = sum(len(raw) for *_, raw in mails) / len(mails)
            print(f"{args.count} mails of {size / 1000:.1f} KB to an aiosmtpd sink (own process)")
            raw = max(asyncio.run(raw_send(port, mails)) for _ in range(2))
            results = {}
            for n, connections in enumerate((1, 2)):
                db_url = args.db if args.db and n == 0 else None
                results[connections] = outbox_send(
                    Path(tmp) / f"run{n}", port, args.count, connections, db_url
                )
        print(f"raw aiosmtplib, 1 connection reused: {raw:7.0f} mails/s")
        for connections, rate in results.items():
            print(
                f"Sender.drain(), {connections} connection(s):    {rate:7.0f} mails/s "
                f"= {rate / raw:5.1%} of raw"
            )
        print("goal: >= 50 % of raw")
    finally:
        sink.terminate()
        sink.wait(5)


if __name__ == "__main__":
    main()
