"""The daemon: the IMAP worker in its thread, the sender and the scheduler on the event loop.

SIGTERM/SIGINT set one stop flag; the IMAP worker finishes the mail in hand, the
sender the message in flight, and the process exits 0.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import threading
from dataclasses import dataclass, field

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from mailbot import __version__
from mailbot.app import App
from mailbot.imap_worker import CycleReport, ImapWorker
from mailbot.mailbox import Mailbox, MailboxAuthError, MailboxError
from mailbot.mailings import runner as mailings_runner
from mailbot.records.db import unit_of_work
from mailbot.sender import DrainReport, Sender

log = logging.getLogger("mailbot.daemon")

BACKOFF_START_S = 1.0
BACKOFF_MAX_S = 300.0


@dataclass
class OnceReport:
    imap: CycleReport | None = None
    imap_error: str | None = None
    smtp: DrainReport = field(default_factory=DrainReport)
    saved_to_sent: int = 0
    mailings: int = 0  # pre-session mails queued by this cycle's planner pass

    @property
    def ok(self) -> bool:
        return self.imap_error is None and not any(
            "Connect" in e or "refused" in e.lower() for e in self.smtp.errors
        )


def run_once(app: App) -> OnceReport:
    """One full cycle: mailbox pass, outbox drain, sent copies. For cron and tests."""
    report = OnceReport()
    worker = ImapWorker(app)
    try:
        with Mailbox(app.settings.imap) as mailbox:
            report.imap = worker.cycle(mailbox)
    except MailboxError as exc:
        report.imap_error = str(exc)
        _record_imap_error(app, worker, str(exc))
    report.mailings = mailings_runner.run(app).total
    report.smtp = asyncio.run(Sender(app).drain())
    if report.smtp.sent and report.imap_error is None:
        try:
            with Mailbox(app.settings.imap) as mailbox:
                report.saved_to_sent = worker.save_sent_copies(mailbox)
        except MailboxError as exc:
            report.imap_error = str(exc)
    return report


def _record_imap_error(app: App, worker: ImapWorker, error: str) -> None:
    worker.mark_health(ok=False, error=error)
    with unit_of_work(app.db) as db:
        app.journal.record(db, "imap_error", level="error", error=error[:300])


class Daemon:
    def __init__(self, app: App) -> None:
        self.app = app
        self.stop = threading.Event()
        self.poke = threading.Event()  # "look at the mailbox now"
        self._loop: asyncio.AbstractEventLoop | None = None
        self._outbox_bell: asyncio.Event | None = None
        self.worker = ImapWorker(app)
        self.sender = Sender(app)

    # -- IMAP thread --------------------------------------------------------------------
    def imap_loop(self) -> None:
        backoff = BACKOFF_START_S
        last_error = ""
        while not self.stop.is_set():
            try:
                with Mailbox(self.app.settings.imap) as mailbox:
                    backoff, last_error = BACKOFF_START_S, ""
                    while not self.stop.is_set():
                        report = self.worker.cycle(mailbox)
                        if report.processed:
                            self.ring_outbox()
                        wait = (
                            self.app.settings.imap.idle_renew_s
                            if mailbox.supports_idle
                            else self.app.settings.imap.poll_interval_s
                        )
                        mailbox.wait_for_news(wait, self.stop, self.poke, report.seen_uids)
            except MailboxError as exc:
                if str(exc) != last_error:  # one journal line per distinct outage, not per retry
                    _record_imap_error(self.app, self.worker, str(exc))
                    last_error = str(exc)
                if isinstance(exc, MailboxAuthError):
                    backoff = BACKOFF_MAX_S
                self.stop.wait(backoff)
                backoff = min(backoff * 2, BACKOFF_MAX_S)
            except Exception:
                log.exception("imap_loop_crashed", extra={"event": "imap_loop_crashed"})
                self.stop.wait(backoff)
                backoff = min(backoff * 2, BACKOFF_MAX_S)

    def ring_outbox(self) -> None:
        if self._loop is not None and self._outbox_bell is not None:
            self._loop.call_soon_threadsafe(self._outbox_bell.set)

    # -- event loop ---------------------------------------------------------------------
    async def _sender_loop(self) -> None:
        assert self._outbox_bell is not None
        interval = self.app.settings.scheduler.outbox_interval_s
        while not self.stop.is_set():
            try:
                report = await self.sender.drain()
                if report.sent and not self.stop.is_set():
                    self.poke.set()  # let the IMAP thread save the sent copies promptly
            except Exception:
                log.exception("sender_crashed", extra={"event": "sender_crashed"})
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._outbox_bell.wait(), timeout=interval)
            self._outbox_bell.clear()

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._outbox_bell = asyncio.Event()
        if threading.current_thread() is threading.main_thread():
            # Signals reach the main thread only; embedded daemons (tests, demo) call request_stop.
            for sig in (signal.SIGTERM, signal.SIGINT):
                self._loop.add_signal_handler(sig, self.request_stop)
        scheduler = AsyncIOScheduler(timezone=self.app.settings.timezone)
        scheduler.add_job(
            self.poke.set,
            "interval",
            seconds=self.app.settings.imap.poll_interval_s,
            id="intake-poll",
            coalesce=True,
            max_instances=1,
        )
        for job in self.extra_jobs():
            scheduler.add_job(**job)
        scheduler.start()
        imap_thread = threading.Thread(target=self.imap_loop, name="imap", daemon=True)
        imap_thread.start()
        with unit_of_work(self.app.db) as db:
            self.app.journal.record(db, "daemon_started", version=__version__)
        sender_task = asyncio.create_task(self._sender_loop())
        while not self.stop.is_set():
            await asyncio.sleep(0.2)
        self._outbox_bell.set()
        await sender_task
        scheduler.shutdown(wait=False)
        await asyncio.to_thread(imap_thread.join, 60)
        with unit_of_work(self.app.db) as db:
            self.app.journal.record(db, "daemon_stopped")

    def extra_jobs(self) -> list[dict[str, object]]:
        """Jobs other features add: the pre-session mailing planner.

        Nothing is kept in the scheduler's memory: each run recomputes what is due
        from the database, so a run missed while the daemon was down is caught up
        by the next one (coalesce: one catch-up run, not one per missed minute).
        """
        return [
            {
                "func": self.plan_mailings,
                "trigger": "interval",
                "seconds": self.app.settings.scheduler.planner_interval_s,
                "id": "mailing-planner",
                "coalesce": True,
                "max_instances": 1,
                "next_run_time": self.app.clock.now(),  # at start-up: catch up at once
            }
        ]

    def plan_mailings(self) -> None:
        try:
            report = mailings_runner.run(self.app)
        except Exception:
            log.exception("planner_crashed", extra={"event": "planner_crashed"})
            return
        if report.total:
            self.ring_outbox()

    def request_stop(self) -> None:
        self.stop.set()
        self.poke.set()

    def run(self) -> None:
        asyncio.run(self._main())
