"""Helpers that let tests read like stories: an IPP mailbox, a daemon, what came out."""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any

from mailbot.app import App, build_app
from mailbot.clock import Clock
from mailbot.settings import Settings, load_settings

PROJECT = Path(__file__).resolve().parent.parent


def settings_for(
    tmp_path: Path,
    *,
    db_url: str | None = None,
    imap: Any = None,
    smtp: Any = None,
    **overrides: Any,
) -> Settings:
    """Settings pointing at the test's servers; ``imap`` is a tests.servers Mailbox."""
    # In-process parsing: a worker process per test app would cost a second each. The
    # isolated parser is tested on its own, and by every test that runs `mailbot run`.
    values: dict[str, Any] = {"data_dir": str(tmp_path / "data"), "parser": {"isolated": False}}
    if db_url is not None:
        values["database"] = {"url": db_url}
    if imap is not None:
        values["imap"] = {
            "host": imap.host,
            "port": imap.port,
            "username": imap.user,
            "password": imap.password,
            "poll_interval_s": 1,
            "timeout_s": 10,
        }
    if smtp is not None:
        values["smtp"] = {
            "host": "127.0.0.1",
            "port": smtp.port,
            "retry_base_s": 1,
            "retry_max_s": 2,
            "stale_claim_s": 5,
            "timeout_s": 5,
        }
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(values.get(key), dict):
            values[key] = {**values[key], **value}
        else:
            values[key] = value
    return load_settings(None, **values)


def app_for(tmp_path: Path, *, clock: Clock | None = None, **kwargs: Any) -> App:
    return build_app(settings_for(tmp_path, **kwargs), clock=clock)


def a_mail(
    *,
    sender: str = "Marie Dupont <marie.dupont@cd33.fr>",
    subject: str = "Question sur le webinaire",
    body: str = "Bonjour,\n\nLe webinaire sera-t-il enregistré ?\n\nCordialement,\nMarie Dupont",
    to: str = "ipp@ipp.fr",
    date: dt.datetime | None = None,
    message_id: str | None = None,
    headers: dict[str, str] | None = None,
) -> bytes:
    """A plain mail as a mail client would send it."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(date or dt.datetime(2026, 10, 5, 9, 30, tzinfo=dt.UTC))
    message["Message-ID"] = message_id or make_msgid(domain="cd33.fr")
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    return message.as_bytes(policy=SMTP)


def a_registration_mail(
    form: Any = None,
    *,
    fmt: str = "docx",
    sender: str = "Claire Lefèvre <c.lefevre@saint-medard.fr>",
    subject: str = "Inscription webinaire CPOM",
    date: dt.datetime | None = None,
    message_id: str | None = None,
    note: str = "",
) -> bytes:
    """A registration form attached to a short mail, as an office would send it
    (``note``: a sentence added under the greeting)."""
    from tests.factories import forms

    form = form or forms.sample_form()
    builders = {
        "docx": (
            forms.build_docx,
            "application",
            "vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        "pdf": (forms.build_text_pdf, "application", "pdf"),
    }
    build, maintype, subtype = builders[fmt]
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "ipp@ipp.fr"
    message["Subject"] = subject
    message["Date"] = format_datetime(date or dt.datetime(2026, 10, 14, 10, 0, tzinfo=dt.UTC))
    message["Message-ID"] = message_id or make_msgid(domain="saint-medard.fr")
    message.set_content(
        "Bonjour,\n\nVeuillez trouver ci-joint notre bulletin d'inscription.\n"
        + (f"{note}\n" if note else "")
        + "\nCordialement,\nClaire Lefèvre\n"
    )
    message.add_attachment(
        build(form), maintype=maintype, subtype=subtype, filename=f"inscription.{fmt}"
    )
    return message.as_bytes(policy=SMTP)


def write_config(tmp_path: Path, settings: Settings, monkeypatch: Any) -> Path:
    """A TOML settings file for CLI tests; the database URL goes through the environment."""
    import tomllib  # noqa: F401 - documents that the output must stay valid TOML

    imap, smtp = settings.imap, settings.smtp
    path = tmp_path / "mailbot.toml"
    path.write_text(
        f'data_dir = "{settings.data_dir}"\n'
        f'catalog_file = "{settings.catalog_file}"\n'
        f'[imap]\nhost = "{imap.host}"\nport = {imap.port}\nusername = "{imap.username}"\n'
        f'[smtp]\nhost = "{smtp.host}"\nport = {smtp.port}\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("MAILBOT_IMAP__PASSWORD", imap.password.get_secret_value())
    if settings.database.url is not None:
        monkeypatch.setenv("MAILBOT_DATABASE__URL", settings.database.url.get_secret_value())
    return path


def a_bounce(original: bytes, failed: str, *, status: str = "5.1.1") -> bytes:
    """An RFC 3464 delivery status notification about ``original``, as Postfix writes it."""
    from email.parser import BytesHeaderParser

    returned = "".join(f"{k}: {v}\r\n" for k, v in BytesHeaderParser().parsebytes(original).items())
    boundary = "=_bounce_boundary"
    text = (
        "From: MAILER-DAEMON@mx.cd33.fr (Mail Delivery System)\r\n"
        "To: ipp@ipp.fr\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        f"Date: {format_datetime(dt.datetime(2026, 12, 2, 10, 0, tzinfo=dt.UTC))}\r\n"
        f"Message-ID: {make_msgid(domain='mx.cd33.fr')}\r\n"
        "Auto-Submitted: auto-replied\r\n"
        "MIME-Version: 1.0\r\n"
        f'Content-Type: multipart/report; report-type=delivery-status; boundary="{boundary}"\r\n'
        "\r\n"
        f"--{boundary}\r\n"
        "Content-Type: text/plain; charset=us-ascii\r\n\r\n"
        "This is the mail system at host mx.cd33.fr.\r\n\r\n"
        "I'm sorry to have to inform you that your message could not\r\n"
        "be delivered to one or more recipients.\r\n\r\n"
        f"<{failed}>: host mx.cd33.fr said: 550 {status} User unknown\r\n\r\n"
        f"--{boundary}\r\n"
        "Content-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.cd33.fr\r\n\r\n"
        f"Final-Recipient: rfc822; {failed}\r\n"
        "Action: failed\r\n"
        f"Status: {status}\r\n"
        f"Diagnostic-Code: smtp; 550 {status} User unknown\r\n\r\n"
        f"--{boundary}\r\n"
        "Content-Type: text/rfc822-headers\r\n\r\n"
        f"{returned}\r\n"
        f"--{boundary}--\r\n"
    )
    return text.encode("utf-8")
