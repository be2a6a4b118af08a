"""Jinja environment for every word a client, participant or staff member reads.

Templates are French, strict (a missing variable is an error, never a blank) and
all compiled at start-up, so a broken template stops the daemon before a send.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime, format_time
from babel.numbers import format_currency, format_decimal
from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    Template,
    TemplateError,
    select_autoescape,
)

from mailbot.errors import ConfigError

LOCALE = "fr_FR"
SUBJECTS = "mail/subjects.txt"
# The mails whose subject line the code asks for; checked at start-up.
SUBJECT_MAILS = (
    "confirmation", "replacement", "already_registered", "acknowledgement", "invoice_copy",
    "manager_summary", "access", "update", "cancellation", "reminder",
)  # fmt: skip


def money(amount: Decimal | int | float) -> str:
    """1270 -> '1 270,00 €' (with the no-break spaces French typography wants)."""
    return format_currency(Decimal(str(amount)), "EUR", locale=LOCALE)


def day(value: dt.date) -> str:
    """2026-11-26 -> 'jeudi 26 novembre 2026'."""
    return format_date(value, "EEEE d MMMM y", locale=LOCALE)


def short_day(value: dt.date) -> str:
    return format_date(value, "d MMMM y", locale=LOCALE)


def hour(value: dt.time) -> str:
    """09:30 -> '9h30' as the brochures write it."""
    return f"{value.hour}h{value.minute:02d}"


def moment(value: dt.datetime, tz: str = "Europe/Paris") -> str:
    return format_datetime(value, "d MMMM y 'à' HH:mm", tzinfo=ZoneInfo(tz), locale=LOCALE)


def stamp(value: str | dt.datetime | None, tz: str = "Europe/Paris") -> str:
    """An ISO timestamp as staff read it: '29/11/2026 15:02' in local time."""
    if value is None:
        return "—"
    moment_ = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment_.tzinfo is None:
        moment_ = moment_.replace(tzinfo=dt.UTC)
    return format_datetime(moment_, "dd/MM/y HH:mm", tzinfo=ZoneInfo(tz), locale=LOCALE)


def first_upper(value: object) -> str:
    """Capital first letter, the rest untouched (Jinja's ``capitalize`` lowercases 'IPP')."""
    text = str(value)
    return text[:1].upper() + text[1:]


def number(value: int | Decimal) -> str:
    return format_decimal(value, locale=LOCALE)


def clock_time(value: dt.time) -> str:
    return format_time(value, "HH:mm", locale=LOCALE)


class Templates:
    """The loaded template folder; ``render`` is the only way text reaches a person."""

    def __init__(self, folder: Path) -> None:
        if not folder.is_dir():
            raise ConfigError(f"templates_dir: {folder} is not a folder")
        self.folder = folder
        self.env = Environment(
            loader=FileSystemLoader(str(folder)),
            undefined=StrictUndefined,
            autoescape=select_autoescape(["html", "xml"]),
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.filters.update(
            money=money,
            first_upper=first_upper,
            stamp=stamp,
            day=day,
            short_day=short_day,
            hour=hour,
            moment=moment,
            number=number,
        )

    def compile_all(self) -> int:
        """Compile every template now; raise ConfigError naming the broken one."""
        count = 0
        for name in self.env.list_templates(extensions=["txt", "html", "css", "ics"]):
            try:
                self.env.get_template(name)
            except TemplateError as exc:
                raise ConfigError(f"template {name}: {exc}") from exc
            count += 1
        module = self.get(SUBJECTS).module
        missing = [mail for mail in SUBJECT_MAILS if not hasattr(module, mail)]
        if missing:
            raise ConfigError(f"template {SUBJECTS}: no subject for {', '.join(missing)}")
        return count

    def get(self, name: str) -> Template:
        return self.env.get_template(name)

    def exists(self, name: str) -> bool:
        return (self.folder / name).is_file()

    def render(self, name: str, **context: object) -> str:
        return self.env.get_template(name).render(**context)

    def subject(self, mail: str, **context: object) -> str:
        """The subject line of ``mail``: its macro in ``mail/subjects.txt``, on one line."""
        macro = getattr(self.get(SUBJECTS).module, mail, None)
        if macro is None:
            raise ConfigError(f"template {SUBJECTS}: no subject for the mail '{mail}'")
        return " ".join(str(macro(**context)).split())

    def first(self, *names: str) -> str:
        """The first of ``names`` that exists: per-webinar overrides fall back to the default."""
        for name in names:
            if self.exists(name):
                return name
        raise ConfigError(f"none of the templates {', '.join(names)} exists")
