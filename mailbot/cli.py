"""The ``mailbot`` command line: one sub-command per thing an operator does.

Exit codes: 0 success, 1 the job ran but something needs attention (a server
unreachable, an unhealthy status), 2 configuration or usage error.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from mailbot.errors import ConfigError

app = typer.Typer(
    name="mailbot",
    help="IPP's e-mail automation daemon: registrations, invoices, pre-session mailings.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
review_app = typer.Typer(help="The review queue: mails that need a person.", no_args_is_help=True)
invoices_app = typer.Typer(
    help="Invoices, credit notes and the Chorus Pro list.", no_args_is_help=True
)
app.add_typer(db_app, name="db")
app.add_typer(invoices_app, name="invoices")
app.add_typer(review_app, name="review")

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CATALOG = PROJECT_ROOT / "config" / "catalog.toml"

ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        "-c",
        help="settings file (TOML); default: $MAILBOT_CONFIG, else built-in demo defaults",
        show_default=False,
    ),
]


def _fail(message: str, code: int = 2) -> typer.Exit:
    typer.echo(f"mailbot: {message}", err=True)
    return typer.Exit(code)


def _settings(config: Path | None):  # type: ignore[no-untyped-def]
    from mailbot.settings import config_path_from_env, load_settings

    try:
        return load_settings(config_path_from_env(config))
    except ConfigError as exc:
        raise _fail(f"configuration error:\n{exc}") from exc


def _app(config: Path | None, *, migrate: bool = True):  # type: ignore[no-untyped-def]
    from mailbot.app import build_app
    from mailbot.logs import configure

    configure()
    try:
        return build_app(_settings(config), migrate=migrate)
    except ConfigError as exc:
        raise _fail(f"configuration error:\n{exc}") from exc


@app.command()
def run(
    config: ConfigOption = None,
    once: Annotated[
        bool, typer.Option("--once", help="one full cycle, then exit (cron, tests)")
    ] = False,
    with_web: Annotated[
        bool, typer.Option("--web", help="also serve the staff web interface in this process")
    ] = False,
) -> None:
    """Run the daemon: watch the mailbox, handle mails, send replies and mailings."""
    application = _app(config)
    if once:
        from mailbot.daemon import run_once

        try:
            report = run_once(application)
        finally:
            application.dispose()
        imap = report.imap
        if imap is not None:
            typer.echo(
                f"IMAP : {imap.stored} nouveau(x) courriel(s), {imap.processed} traité(s), "
                f"{imap.moved} rangé(s), {report.saved_to_sent + imap.saved_to_sent} copie(s) dans Envoyés"
            )
        else:
            typer.echo(f"IMAP : boîte aux lettres injoignable — {report.imap_error}", err=True)
        smtp = report.smtp
        typer.echo(
            f"SMTP : {smtp.sent} envoyé(s), {smtp.retried} à réessayer, {smtp.failed} en échec"
        )
        raise typer.Exit(0 if report.ok else 1)
    from mailbot.daemon import Daemon

    if not with_web:
        try:
            Daemon(application).run()
        finally:
            application.dispose()
        return
    from mailbot.web.application import MissingSecret, session_secret
    from mailbot.web.server import serve_in_thread

    try:
        session_secret(application, demo=False)
    except MissingSecret as exc:
        raise _fail(f"configuration error:\n{exc}") from exc
    server, thread = serve_in_thread(application)
    try:
        Daemon(application).run()
    finally:
        server.should_exit = True
        thread.join(10)
        application.dispose()


@app.command()
def status(
    config: ConfigOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="machine-readable")] = False,
    health: Annotated[
        bool, typer.Option("--health", help="exit 1 if unhealthy (Docker healthcheck)")
    ] = False,
) -> None:
    """Health, queues, review count and the latest activity, in French."""
    from mailbot.staff.status import collect

    application = _app(config)
    state = collect(application)
    if as_json:
        typer.echo(json.dumps(state.as_json(), ensure_ascii=False, indent=2))
    elif not health:
        typer.echo(application.templates.render("staff/status.txt", status=state, now=state.now))
    else:
        typer.echo("healthy" if state.healthy else "unhealthy")
    raise typer.Exit(0 if state.healthy or not health else 1)


@app.command("check-config")
def check_config(config: ConfigOption = None) -> None:
    """Validate settings, catalog and templates (no network); exit 2 with the reason if wrong."""
    from mailbot.catalog import load_catalog
    from mailbot.templating import Templates

    settings = _settings(config)
    try:
        catalog = load_catalog(settings.catalog_file)
        count = Templates(settings.templates_dir).compile_all()
    except ConfigError as exc:
        raise _fail(f"configuration error:\n{exc}") from exc
    missing = [
        str(p) for w in catalog.webinars for s in w.sessions for p in s.dossier if not p.is_file()
    ]
    typer.echo(
        f"configuration OK: {len(catalog.webinars)} webinars, "
        f"{sum(len(w.sessions) for w in catalog.webinars)} sessions, {count} templates"
    )
    typer.echo(f"database: {settings.database_url.split('@')[-1]}")
    typer.echo(
        f"IMAP {settings.imap.host}:{settings.imap.port} ({settings.imap.security}), "
        f"SMTP {settings.smtp.host}:{settings.smtp.port} ({settings.smtp.security})"
    )
    if missing:
        raise _fail("documentation files missing: " + ", ".join(missing))


@db_app.command("upgrade")
def db_upgrade(config: ConfigOption = None) -> None:
    """Apply pending schema migrations (also done at every start)."""
    from mailbot.records.schema import current_revision

    application = _app(config, migrate=False)
    before = current_revision(application.engine)
    application.migrate()
    after = current_revision(application.engine)
    typer.echo(f"database schema: {before or 'empty'} -> {after}")


@app.command()
def parse(
    files: Annotated[list[Path], typer.Argument(help=".eml files to read")],
    json_lines: Annotated[
        bool, typer.Option("--json", help="one JSON object per file (JSON Lines)")
    ] = False,
    catalog: Annotated[
        Path | None, typer.Option(help="catalog file (default: config/catalog.toml)")
    ] = None,
) -> None:
    """Print what mailbot understands of each mail, without acting on it."""
    from mailbot.catalog import load_catalog
    from mailbot.understanding.runner import parse_files

    try:
        loaded = load_catalog(catalog or DEFAULT_CATALOG)
    except ConfigError as exc:
        raise _fail(str(exc)) from exc
    raise typer.Exit(parse_files(files, loaded, json_lines=json_lines, out=sys.stdout))


@app.command()
def demo(
    once: Annotated[bool, typer.Option("--once", help="stop after the summary (exit 0)")] = False,
    workdir: Annotated[Path | None, typer.Option(help="where the demo keeps its files")] = None,
) -> None:
    """Start a throw-away mailbox and SMTP sink on 127.0.0.1 and show mailbot at work."""
    from mailbot.demo import run_demo

    raise typer.Exit(run_demo(once=once, workdir=workdir))


@review_app.command("list")
def review_list(config: ConfigOption = None) -> None:
    """Open review items, oldest first."""
    from mailbot.staff.review_cli import print_list

    print_list(_app(config))


@review_app.command("show")
def review_show(item: int, config: ConfigOption = None) -> None:
    """One item: the reason, the extracted fields, the original mail."""
    from mailbot.staff.review_cli import print_item

    raise typer.Exit(print_item(_app(config), item))


StaffOption = Annotated[
    str, typer.Option("--by", help="who decides (recorded in the journal)", envvar="USER")
]


def _decided(decision) -> None:  # type: ignore[no-untyped-def]
    typer.echo(decision.message, err=not decision.ok)
    raise typer.Exit(0 if decision.ok else 1)


@review_app.command("approve")
def review_approve(
    item: int,
    config: ConfigOption = None,
    by: StaffOption = "staff",
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="correction, e.g. participants[2].email=a@b.fr (repeatable)"),
    ] = None,
) -> None:
    """Approve a form (after corrections): exactly the automatic registration path runs."""
    from mailbot.staff.corrections import CorrectionError, parse_assignments
    from mailbot.staff.review import approve

    try:
        corrections = parse_assignments(set_ or [])
    except CorrectionError as exc:
        raise _fail(str(exc)) from exc
    _decided(approve(_app(config), item, by, corrections))


@review_app.command("reject")
def review_reject(
    item: int,
    config: ConfigOption = None,
    by: StaffOption = "staff",
    note: Annotated[str, typer.Option(help="why (kept in the journal)")] = "",
) -> None:
    """Close an item without acting on it."""
    from mailbot.staff.review import reject

    _decided(reject(_app(config), item, by, note))


@review_app.command("resolve")
def review_resolve(
    item: int,
    config: ConfigOption = None,
    by: StaffOption = "staff",
    note: Annotated[str, typer.Option(help="what was done")] = "",
) -> None:
    """Close an item handled by hand (question answered, address corrected)."""
    from mailbot.staff.review import resolve

    _decided(resolve(_app(config), item, by, note))


@invoices_app.command("list")
def invoices_list(
    config: ConfigOption = None,
    chorus: Annotated[
        bool, typer.Option("--chorus", help="only those to deposit on Chorus Pro")
    ] = False,
) -> None:
    """Issued invoices and credit notes, newest first."""
    from sqlalchemy import select

    from mailbot.records.db import unit_of_work
    from mailbot.records.models import ChorusStatus, Invoice

    application = _app(config)
    with unit_of_work(application.db) as db:
        query = select(Invoice).order_by(Invoice.id.desc())
        if chorus:
            query = query.where(Invoice.chorus_status == ChorusStatus.TO_DEPOSIT)
        invoices = db.scalars(query).all()
        typer.echo(
            application.templates.render("staff/invoice_list.txt", invoices=invoices, chorus=chorus)
        )


def _invoice_action(config: Path | None, number: str, action):  # type: ignore[no-untyped-def]
    from mailbot.invoices import find_by_number
    from mailbot.records.db import unit_of_work

    application = _app(config)
    with unit_of_work(application.db) as db:
        invoice = find_by_number(db, number)
        if invoice is None:
            raise _fail(f"facture {number} introuvable", 1)
        return action(application, db, invoice)


@invoices_app.command("pdf")
def invoices_pdf(
    number: str,
    config: ConfigOption = None,
    output: Annotated[
        Path | None, typer.Option("-o", help="file to write (default: ./NUMBER.pdf)")
    ] = None,
) -> None:
    """Write the stored PDF (identical to the one sent) to a file."""
    from mailbot.invoices import verify

    def write(_app, _db, invoice):  # type: ignore[no-untyped-def]
        if not verify(invoice):
            raise _fail(f"facture {number} : empreinte SHA-256 différente de celle enregistrée", 1)
        target = output or Path(f"{invoice.number}.pdf")
        target.write_bytes(invoice.pdf)
        typer.echo(f"{target} ({len(invoice.pdf)} octets, SHA-256 {invoice.sha256[:16]}…)")

    _invoice_action(config, number, write)


@invoices_app.command("credit-note")
def invoices_credit_note(
    number: str,
    reason: Annotated[
        str, typer.Option(help="why the invoice is cancelled (printed on the credit note)")
    ],
    config: ConfigOption = None,
    by: StaffOption = "staff",
) -> None:
    """Cancel an invoice in full by a credit note that refers to it."""
    from mailbot.invoices import issue_credit_note

    def credit(application, db, invoice):  # type: ignore[no-untyped-def]
        note = issue_credit_note(db, application, invoice, reason=reason, staff=by)
        typer.echo(f"avoir {note.number} émis sur la facture {invoice.number}")

    _invoice_action(config, number, credit)


@invoices_app.command("deposited")
def invoices_deposited(number: str, config: ConfigOption = None, by: StaffOption = "staff") -> None:
    """Record that the invoice was deposited on Chorus Pro."""
    from mailbot.invoices import mark_deposited

    def mark(application, db, invoice):  # type: ignore[no-untyped-def]
        mark_deposited(db, application, invoice, by)
        typer.echo(f"facture {invoice.number} marquée déposée sur Chorus Pro")

    _invoice_action(config, number, mark)


@invoices_app.command("resend")
def invoices_resend(number: str, config: ConfigOption = None, by: StaffOption = "staff") -> None:
    """Send the client an identical copy of the invoice (sent by the next outbox run)."""
    from mailbot.invoices import resend

    def send(application, db, invoice):  # type: ignore[no-untyped-def]
        mail = resend(db, application, invoice, by)
        typer.echo(
            f"duplicata de {invoice.number} en file d'envoi pour {', '.join(mail.recipients)}"
        )

    _invoice_action(config, number, send)


# -- staff web interface ----------------------------------------------------------------
user_app = typer.Typer(help="Staff accounts for the web interface.", no_args_is_help=True)
app.add_typer(user_app, name="user")


@app.command()
def web(
    config: ConfigOption = None,
    host: Annotated[str | None, typer.Option(help="default: web.host (127.0.0.1)")] = None,
    port: Annotated[int | None, typer.Option(help="default: web.port (8025)")] = None,
    demo: Annotated[
        bool, typer.Option("--demo", help="throw-away session secret (sessions end on exit)")
    ] = False,
) -> None:
    """Serve the staff web interface (put an HTTPS reverse proxy in front of it)."""
    from mailbot.web.application import MissingSecret, session_secret
    from mailbot.web.server import serve

    application = _app(config)
    try:
        session_secret(application, demo=demo)
    except MissingSecret as exc:
        raise _fail(f"configuration error:\n{exc}") from exc
    web_settings = application.settings.web
    typer.echo(f"Interface web : http://{host or web_settings.host}:{port or web_settings.port}/")
    serve(application, host=host, port=port, demo=demo)


@user_app.command("add")
def user_add(
    username: str,
    config: ConfigOption = None,
    name: Annotated[str | None, typer.Option(help="name shown in the interface")] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="read the password from standard input")
    ] = False,
) -> None:
    """Create a staff account (the password is asked twice, never taken as an argument)."""
    from mailbot.web.passwords import WeakPassword
    from mailbot.web.users import UserError, add_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Mot de passe", hide_input=True, confirmation_prompt=True)
    try:
        user = add_user(_app(config), username, password, name)
    except (UserError, WeakPassword) as exc:
        raise _fail(str(exc), 1) from exc
    typer.echo(f"compte « {user.username} » créé")


@user_app.command("list")
def user_list(config: ConfigOption = None) -> None:
    """Staff accounts, with their last login."""
    from mailbot.templating import stamp
    from mailbot.web.users import list_users

    for user in list_users(_app(config)):
        state = "actif" if user.active else "désactivé"
        typer.echo(
            f"{user.username:20} {user.display_name:30} {state:10} "
            f"dernière connexion : {stamp(user.last_login_at)}"
        )


@user_app.command("disable")
def user_disable(username: str, config: ConfigOption = None) -> None:
    """Disable an account; its open sessions end at once."""
    from mailbot.web.users import UserError, disable_user

    try:
        disable_user(_app(config), username)
    except UserError as exc:
        raise _fail(str(exc), 1) from exc
    typer.echo(f"compte « {username} » désactivé")


mailing_app = typer.Typer(
    help="Pre-session mailings: preview, send, confirm a change.", no_args_is_help=True
)
app.add_typer(mailing_app, name="mailing")


@app.command()
def sessions(config: ConfigOption = None) -> None:
    """Upcoming sessions, their registrations and each participant's mailing status."""
    import datetime as dt

    from mailbot.catalog import session_key
    from mailbot.mailings.planner import mailing_at, starts_at
    from mailbot.mailings.runner import schedule_of
    from mailbot.mailings.staff_view import rows
    from mailbot.records.db import unit_of_work

    application = _app(config)
    today = application.clock.now().astimezone(application.settings.tz).date()
    schedule = schedule_of(application)
    with unit_of_work(application.db) as db:
        for webinar, session in application.catalog.all_sessions():
            if session.date < today - dt.timedelta(days=1):
                continue
            key = session_key(webinar.id, session.date)
            from mailbot.mailings.planner import SessionFacts

            facts = SessionFacts(key, session.date, session.start)
            when = mailing_at(facts, schedule).astimezone(application.settings.tz)
            typer.echo(f"\n{key}  {webinar.title}{'  [ANNULÉE]' if session.cancelled else ''}")
            typer.echo(
                f"  début {starts_at(facts, schedule).astimezone(application.settings.tz):%d/%m/%Y %H:%M}, "
                f"envoi des accès le {when:%d/%m/%Y à %H:%M}, lien {session.link or '—'}"
            )
            participants = rows(db, key)
            registrations = {r.registration_id for r in participants}
            typer.echo(f"  {len(registrations)} inscription(s), {len(participants)} participant(s)")
            for r in participants:
                typer.echo(
                    f"    n° {r.registration_id} {r.first_name} {r.last_name} <{r.email}> : {r.mailing}"
                )


@mailing_app.command("preview")
def mailing_preview(
    session: Annotated[str, typer.Argument(help="e.g. cpom-saad@2027-03-18")],
    config: ConfigOption = None,
    participant: Annotated[
        str | None, typer.Option(help="participant e-mail (default: the first)")
    ] = None,
) -> None:
    """Render the access mail as a participant will see it, without sending anything."""
    from mailbot.mailings.preview import preview

    application = _app(config)
    try:
        message = preview(application, session, participant)
    except ValueError as exc:
        raise _fail(str(exc), 1) from exc
    for name in ("From", "To", "Subject", "Auto-Submitted"):
        typer.echo(f"{name}: {message[name]}")
    typer.echo("")
    typer.echo(message.get_body(("plain",)).get_content())  # type: ignore[union-attr]
    for part in message.iter_attachments():
        typer.echo(
            f"[pièce jointe] {part.get_filename()} ({part.get_content_type()}, "
            f"{len(part.get_payload(decode=True) or b'')} octets)"
        )


@mailing_app.command("send")
def mailing_send(
    session: Annotated[str, typer.Argument(help="e.g. cpom-saad@2027-03-18")],
    now: Annotated[
        bool, typer.Option("--now", help="send the access mails now, before J-N")
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", help="do not ask for confirmation")] = False,
    config: ConfigOption = None,
) -> None:
    """Queue the session's due access mails now (each participant still gets it once), then send."""
    import asyncio

    from mailbot.mailings import runner
    from mailbot.sender import Sender

    if not now:
        raise _fail("ajouter --now pour envoyer avant la date prévue")
    application = _app(config)
    if not yes and not typer.confirm(f"Envoyer maintenant les accès de la session {session} ?"):
        raise typer.Exit(1)
    report = runner.run(application, send_now=[session], only=session)
    drained = asyncio.run(Sender(application).drain())
    typer.echo(
        f"{report.total} courriel(s) préparé(s) ; {drained.sent} envoyé(s), {drained.failed} en échec"
    )
    raise typer.Exit(0 if not drained.failed else 1)


@mailing_app.command("confirm-change")
def mailing_confirm_change(
    session: Annotated[str, typer.Argument(help="e.g. cpom-saad@2027-03-18")],
    to: Annotated[
        str | None, typer.Option("--to", help="new date YYYY-MM-DD (a moved session)")
    ] = None,
    yes: Annotated[bool, typer.Option("--yes", help="do not ask for confirmation")] = False,
    config: ConfigOption = None,
    by: StaffOption = "staff",
) -> None:
    """After checking: tell every participant the session is cancelled or changed."""
    import datetime as dt

    from mailbot.mailings.changes import confirm_change

    application = _app(config)
    if not yes and not typer.confirm(f"Prévenir tous les participants de la session {session} ?"):
        raise typer.Exit(1)
    result = confirm_change(
        application, session, by, new_date=dt.date.fromisoformat(to) if to else None
    )
    typer.echo(result.message)
    raise typer.Exit(0 if result.ok else 1)


@app.command("export")
def export(
    session: Annotated[str, typer.Argument(help="e.g. cpom-saad@2027-03-18")],
    fmt: Annotated[str, typer.Option("--format", help="csv or xlsx")] = "csv",
    output: Annotated[Path, typer.Option("-o", help="file to write")] = Path("participants.csv"),
    config: ConfigOption = None,
) -> None:
    """The session's participant list for the trainer (CSV or XLSX)."""
    from mailbot.mailings.staff_view import rows, to_csv, to_xlsx
    from mailbot.records.db import unit_of_work

    application = _app(config)
    with unit_of_work(application.db) as db:
        data = rows(db, session)
    if fmt == "csv":
        output.write_text(to_csv(data), encoding="utf-8-sig")
    elif fmt == "xlsx":
        to_xlsx(data, str(output))
    else:
        raise _fail("--format: csv ou xlsx")
    typer.echo(f"{output} : {len(data)} participant(s)")


def main() -> None:
    app()
