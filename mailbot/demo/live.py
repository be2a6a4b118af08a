"""The demo's live part: the real daemon, plus a drop folder that feeds the mailbox.

A file put in WORKDIR/deposer/ is APPENDed to INBOX (as a mail server would
deliver it) and moved to deposer/deposes/; the daemon sees it through IDLE.
A second thread prints one line per mail handled, read from the database, and
the SMTP sink prints one line per mail sent. Ctrl-C stops the daemon cleanly.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from sqlalchemy import select

from mailbot.app import App
from mailbot.daemon import Daemon
from mailbot.demo.report import describe_inbound
from mailbot.demo.report import shown as _shown
from mailbot.demo.samples import Sample
from mailbot.demo.servers import KeptMail, SmtpSink
from mailbot.demo.web import start_web
from mailbot.mailbox import Mailbox, MailboxError
from mailbot.records.db import unit_of_work
from mailbot.records.models import InboundMail
from mailbot.templating import Templates

log = logging.getLogger("mailbot.demo")
WATCH_INTERVAL_S = 0.5
# Editors and `cp` write files in several steps; a file is taken once it has not
# changed for this long.
SETTLE_S = 0.5


class LiveDemo:
    def __init__(
        self, app: App, templates: Templates, sink: SmtpSink, workdir: Path, example: Sample
    ) -> None:
        self.app = app
        self.templates = templates
        self.sink = sink
        self.drop_folder = workdir / "deposer"
        self.done_folder = self.drop_folder / "deposes"
        self.example = workdir / "entrants" / f"{example.slug}.eml"
        self.example.write_bytes(example.raw)
        self.daemon = Daemon(app)
        self._stop = threading.Event()
        # Jinja macros, looked up by name: typed Any as the template defines them.
        self._lines: Any = templates.get("demo/live.txt").module
        # Mails of the first run were in the summary; only later ones get a line.
        self._baseline = self._last_inbound_id()
        self._reported: set[int] = set()
        self._sizes: dict[Path, tuple[int, float]] = {}

    def run(self, *, cli: str, config: Path) -> int:
        self.done_folder.mkdir(parents=True, exist_ok=True)
        self.sink.handler.on_mail = self._sent
        web = start_web(self.app)
        self._say(
            self._lines.intro(
                drop_folder=_shown(self.drop_folder),
                example=_shown(self.example),
                cli=cli,
                config=_shown(config),
                web=web,
            )
        )
        watcher = threading.Thread(target=self._watch, name="demo-watch", daemon=True)
        watcher.start()
        try:
            # The daemon installs its own SIGINT/SIGTERM handlers: Ctrl-C asks it to
            # finish the mail in hand and return.
            self.daemon.run()
        finally:
            self._stop.set()
            watcher.join(5)
            if web is not None:
                web.stop()
            self.sink.handler.on_mail = None
        self._say(self._lines.stopped())
        return 0

    # -- printing -----------------------------------------------------------------------
    def _say(self, text: object) -> None:
        print(str(text).strip("\n"), flush=True)

    def _sent(self, kept: KeptMail) -> None:
        self._say(
            self._lines.sent(
                kept=kept, eml=_shown(kept.eml), pdfs=[_shown(pdf) for pdf in kept.pdfs]
            )
        )

    # -- the watcher thread -------------------------------------------------------------
    def _watch(self) -> None:
        while not self._stop.wait(WATCH_INTERVAL_S):
            try:
                self._drop_new_files()
                self._report_filed()
            except Exception:  # the demo's helper must never take the daemon down
                log.exception("demo_watch_failed", extra={"event": "demo_watch_failed"})

    def _drop_new_files(self) -> None:
        ready = [path for path in sorted(self.drop_folder.iterdir()) if self._settled(path)]
        if not ready:
            return
        try:
            with Mailbox(self.app.settings.imap) as mailbox:
                for path in ready:
                    mailbox.append(self.app.settings.imap.inbox, path.read_bytes(), seen=False)
                    path.rename(self.done_folder / path.name)
                    self._say(self._lines.dropped(name=path.name))
        except MailboxError as exc:
            self._say(self._lines.drop_failed(error=str(exc)))
        self.daemon.poke.set()  # look now rather than at the next IDLE news

    def _settled(self, path: Path) -> bool:
        if not path.is_file() or path.name.startswith("."):
            return False
        stat = path.stat()
        seen = self._sizes.get(path)
        self._sizes[path] = (stat.st_size, stat.st_mtime)
        return seen == (stat.st_size, stat.st_mtime) and stat.st_size > 0

    def _report_filed(self) -> None:
        with unit_of_work(self.app.db) as db:
            ids = list(
                db.scalars(
                    select(InboundMail.id)
                    .where(InboundMail.id > self._baseline, InboundMail.moved_at.is_not(None))
                    .order_by(InboundMail.id)
                )
            )
        for inbound_id in ids:
            if inbound_id not in self._reported:
                report = describe_inbound(self.app, inbound_id, self.sink.kept)
                self._say(self._lines.handled(mail=report))
                self._reported.add(inbound_id)

    def _last_inbound_id(self) -> int:
        with unit_of_work(self.app.db) as db:
            return db.scalar(select(InboundMail.id).order_by(InboundMail.id.desc())) or 0
