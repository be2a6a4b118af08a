"""Benchmark: a 500-participant mailing with a 3 MB dossier, next to raw aiosmtplib.

Run by hand: ``.venv/bin/python tests/bench/bench_mailing.py [--participants 500]``.
A discarding SMTP server runs in its own process (so it does not share our GIL);
both the mailbot sender and the raw aiosmtplib loop send the same-size messages to
it over the same number of connections. Also prints how many times the dossier
was base64-encoded (should be 1) and the planner time (render + queue 500 rows).
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import socket
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import aiosmtplib
from sqlalchemy import select

from mailbot.app import build_app
from mailbot.clock import FrozenClock
from mailbot.mailings import runner
from mailbot.records.db import unit_of_work
from mailbot.records.models import OutboundMail, OutboundPart
from mailbot.sender import Sender
from tests.integration.mailing_story import at_paris, register, write_catalog
from tests.story import settings_for


def _serve(port: int) -> None:
    from aiosmtpd.controller import Controller

    class Discard:
        async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
            return "250 OK"

    controller = Controller(Discard(), hostname="127.0.0.1", port=port, data_size_limit=0)
    controller.start()
    while True:
        time.sleep(3600)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(port: int) -> None:
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("sink did not start")


async def raw_rate(port: int, messages: list[bytes], connections: int) -> float:
    queue: asyncio.Queue[bytes] = asyncio.Queue()
    for message in messages:
        queue.put_nowait(message)

    async def worker() -> None:
        client = aiosmtplib.SMTP(hostname="127.0.0.1", port=port, timeout=60)
        await client.connect()
        while not queue.empty():
            await client.sendmail("ipp@ipp.fr", ["x@example.org"], queue.get_nowait())
        await client.quit()

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(connections)))
    return len(messages) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=500)
    parser.add_argument("--dossier-mb", type=float, default=3.0)
    args = parser.parse_args()
    port = _free_port()
    server = multiprocessing.Process(target=_serve, args=(port,), daemon=True)
    server.start()
    _wait(port)
    work = Path(tempfile.mkdtemp(prefix="bench-mailing-"))
    dossier = work / "dossier.pdf"
    dossier.write_bytes(b"%PDF-1.7\n" + os.urandom(int(args.dossier_mb * 1024 * 1024)))
    clock = FrozenClock(at_paris(2027, 3, 28, 11, 0))
    settings = settings_for(
        work,
        catalog_file=str(write_catalog(work / "catalog", dossier=dossier)),
        smtp=type("Sink", (), {"port": port})(),
        scheduler={"dossier_max_attach_bytes": 50_000_000},
    )
    app = build_app(settings, clock=clock)
    people = [(f"P{i}", f"N{i}", f"p{i}@exemple.fr") for i in range(args.participants)]
    for start in range(0, len(people), 50):
        register(app, people[start : start + 50])

    t0 = time.perf_counter()
    queued = runner.run(app).total
    plan_s = time.perf_counter() - t0
    with unit_of_work(app.db) as db:
        stored = sum(len(r) for r in db.scalars(select(OutboundMail.raw)))
        parts = len(db.scalars(select(OutboundPart.id)).all())

    sender = Sender(app)
    t0 = time.perf_counter()
    report = asyncio.run(sender.drain())
    send_s = time.perf_counter() - t0
    mailbot_rate = report.sent / send_s

    # Same sizes, raw: the assembled access mail, sent N times by bare aiosmtplib.
    with unit_of_work(app.db) as db:
        row = db.scalars(
            select(OutboundMail).where(OutboundMail.participant_id.is_not(None))
        ).first()
        assert row is not None
    from mailbot.sender import _parts_of

    with unit_of_work(app.db) as db:
        one = sender.parts.assemble(row.raw, _parts_of(db, [row.id])[row.id])
    raw = asyncio.run(raw_rate(port, [one] * report.sent, app.settings.smtp.connections))
    print(f"participants            : {args.participants} (+ manager summaries)")
    print(
        f"dossier                 : {dossier.stat().st_size / 1e6:.1f} MB, message on the wire {len(one) / 1e6:.2f} MB"
    )
    print(f"planner (render+queue)  : {queued} mails in {plan_s:.2f} s ({queued / plan_s:.0f}/s)")
    print(
        f"stored in the database  : {stored / 1e6:.1f} MB of messages, {parts} stand-ins, dossier once"
    )
    print(f"dossier encodings       : {sender.parts.encodings}")
    print(
        f"mailbot sender          : {report.sent} mails in {send_s:.2f} s = {mailbot_rate:.1f} mails/s"
    )
    print(f"raw aiosmtplib          : {raw:.1f} mails/s (same sink, same size, same connections)")
    print(f"ratio                   : {100 * mailbot_rate / raw:.0f} % (goal >= 50 %)")
    server.terminate()


if __name__ == "__main__":
    main()
