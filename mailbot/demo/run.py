"""`mailbot demo`: a throw-away mailbox and SMTP sink, six sample mails, mailbot at work.

The route is the real one — IMAP intake, pipeline, outbox, SMTP — only the
servers are embedded and the data lives in WORKDIR, wiped at each start.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from mailbot import logs
from mailbot.app import App, build_app
from mailbot.daemon import OnceReport, run_once
from mailbot.demo.calendar import DemoCalendar, write_demo_catalog
from mailbot.demo.live import LiveDemo
from mailbot.demo.report import (
    MailReport,
    describe_mails,
    message_id_of,
    purpose_lookup,
    shown,
)
from mailbot.demo.samples import Sample, live_example, morning_mails
from mailbot.demo.servers import DemoServerError, ImapServer, SmtpSink
from mailbot.errors import ConfigError
from mailbot.mailbox import Mailbox, MailboxError
from mailbot.settings import PROJECT_ROOT, ImapSettings, Settings, load_settings
from mailbot.staff.status import collect
from mailbot.templating import Templates

DEFAULT_WORKDIR = Path("demo-data")
# Everything the demo writes in WORKDIR; only these are removed on a re-run, so a
# --workdir pointing at a folder with other files never loses them.
OWNED = (
    "mailbot.sqlite3",
    "mailbot.sqlite3-wal",
    "mailbot.sqlite3-shm",
    "mailbot.log",
    "mailbot-debug.jsonl",
    "mailbot.toml",
    "catalogue-demo.toml",
    "entrants",
    "sortants",
    "deposer",
)


def run_demo(once: bool, workdir: Path | None) -> int:
    started = time.monotonic()
    workdir = (workdir or DEFAULT_WORKDIR).resolve()
    templates = Templates(PROJECT_ROOT / "templates")
    prepare_workdir(workdir)
    _log_to_file(workdir / "mailbot-debug.jsonl")
    # The mailbox password is the settings' embedded default, so the printed
    # `mailbot ... -c WORKDIR/mailbot.toml` commands work without any variable.
    imap = ImapServer(ImapSettings().password.get_secret_value())
    sink = SmtpSink(workdir / "sortants")
    try:
        try:
            imap.start()
            sink.start()
        except DemoServerError as exc:
            print(f"mailbot demo : {exc}", file=sys.stderr)
            return 1
        calendar = DemoCalendar.at(dt.datetime.now(dt.UTC), Settings().tz)
        catalog = write_demo_catalog(workdir / "catalogue-demo.toml", calendar)
        config = write_config(templates, workdir, imap.port, sink.port, catalog)
        try:
            app = build_app(load_settings(config))
        except ConfigError as exc:
            print(f"mailbot demo : configuration invalide : {exc}", file=sys.stderr)
            return 2
        sink.handler.purpose_of = purpose_lookup(app)
        samples = morning_mails(_now(app), calendar)
        write_samples(workdir / "entrants", samples)
        deliver(app.settings.imap, [s.raw for s in samples])
        once_report = run_once(app)
        reports = describe_mails(app, [(message_id_of(s.raw), s.label) for s in samples], sink.kept)
        print(
            render_summary(
                app,
                templates=templates,
                workdir=workdir,
                config=config,
                reports=reports,
                sink=sink,
                once_report=once_report,
                started=started,
                once=once,
            )
        )
        if once:
            return 0 if once_report.ok else 1
        return LiveDemo(
            app, templates, sink, workdir, example=live_example(_now(app), calendar)
        ).run(cli=_cli(), config=config)
    finally:
        sink.stop()
        imap.stop()


def _now(app: App) -> Any:
    return app.clock.now()


def prepare_workdir(workdir: Path) -> None:
    workdir.mkdir(parents=True, exist_ok=True)
    for name in OWNED:
        path = workdir / name
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
    for folder in ("entrants", "sortants", "deposer"):
        (workdir / folder).mkdir()


def _log_to_file(path: Path) -> None:
    """The developers' JSON log goes to a file: the terminal is for the newcomer."""
    logs.configure("INFO", logging.FileHandler(path, encoding="utf-8"))


def write_config(
    templates: Templates, workdir: Path, imap_port: int, smtp_port: int, catalog: Path
) -> Path:
    path = workdir / "mailbot.toml"
    path.write_text(
        templates.render(
            "demo/mailbot.toml",
            data_dir=str(workdir),
            imap_port=imap_port,
            smtp_port=smtp_port,
            catalog_file=str(catalog),
        ),
        encoding="utf-8",
    )
    return path


def write_samples(folder: Path, samples: list[Sample]) -> None:
    for sample in samples:
        (folder / f"{sample.slug}.eml").write_bytes(sample.raw)


def deliver(settings: ImapSettings, raws: list[bytes]) -> None:
    """APPEND to INBOX, as a mail server would deliver them (unread)."""
    try:
        with Mailbox(settings) as mailbox:
            for raw in raws:
                mailbox.append(settings.inbox, raw, seen=False)
    except MailboxError as exc:
        raise DemoServerError(f"dépôt des courriels d'exemple impossible : {exc}") from exc


def render_summary(
    app: App,
    *,
    templates: Templates,
    workdir: Path,
    config: Path,
    reports: list[MailReport],
    sink: SmtpSink,
    once_report: OnceReport,
    started: float,
    once: bool,
) -> str:
    settings: Settings = app.settings
    return templates.render(
        "demo/summary.txt",
        mails=reports,
        kept=sink.kept,
        status=collect(app),
        once_report=once_report,
        folders=settings.imap.folders,
        workdir=shown(workdir),
        config=shown(config),
        log_file=shown(settings.journal_path),
        database=shown(settings.data_dir / "mailbot.sqlite3"),
        shown=shown,
        cli=_cli(),
        imap_port=settings.imap.port,
        smtp_port=settings.smtp.port,
        seconds=round(time.monotonic() - started, 1),
        once=once,
    )


def _cli() -> str:
    """How to call mailbot from another terminal on this machine."""
    here = Path(sys.executable).parent / "mailbot"
    on_path = shutil.which("mailbot")
    if on_path and Path(on_path).resolve() == here.resolve():
        return "mailbot"
    if here.exists():
        return shown(here)
    return f"{sys.executable} -m mailbot"
