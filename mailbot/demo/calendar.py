"""The demo's own catalog: IPP's webinars, with sessions moved close to today.

With the real dates, the demo would stop working once a session is past, and it
could never show an access mail (sent two days before a session). The demo's
SAAD session is tomorrow, so a registration made now gets its participants'
access mails at once, with the .ics invitation and the documentation dossier.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from mailbot.settings import PROJECT_ROOT
from mailbot.templating import day

REAL_CATALOG = PROJECT_ROOT / "config" / "catalog.toml"
DATE_LINE = re.compile(r"^date = (\d{4}-\d{2}-\d{2})$", re.MULTILINE)


@dataclass(frozen=True)
class DemoCalendar:
    """Session dates of the demo catalog, in the catalog's order of sessions."""

    ase: dt.date
    ph: dt.date
    saad_first: dt.date
    saad_second: dt.date

    @classmethod
    def at(cls, now: dt.datetime, tz: dt.tzinfo) -> DemoCalendar:
        """The calendar for IPP's day at ``now``, not the machine's: after midnight in Paris
        the UTC date is still yesterday, and a session "tomorrow" by it would be today for
        mailbot, hence past."""
        return cls.from_today(now.astimezone(tz).date())

    @classmethod
    def from_today(cls, today: dt.date) -> DemoCalendar:
        return cls(
            ase=today + dt.timedelta(days=30),
            ph=today + dt.timedelta(days=31),
            saad_first=today + dt.timedelta(days=1),
            saad_second=today + dt.timedelta(days=180),
        )

    def saad_label(self, which: int) -> str:
        """'jeudi 18 mars 2027', as the SAAD form's tick boxes print it."""
        return day(self.saad_first if which == 0 else self.saad_second)

    @property
    def saad_key(self) -> str:
        return f"cpom-saad@{self.saad_first.isoformat()}"


def write_demo_catalog(target: Path, calendar: DemoCalendar) -> Path:
    """The real catalog with its session dates (and links) replaced, dossiers resolved."""
    text = REAL_CATALOG.read_text(encoding="utf-8")
    real_dates = DATE_LINE.findall(text)
    new_dates = [calendar.ase, calendar.ph, calendar.saad_first, calendar.saad_second]
    if len(real_dates) != len(new_dates):
        raise RuntimeError(
            f"{REAL_CATALOG}: expected 4 sessions for the demo, found {len(real_dates)}"
        )
    for old, new in zip(real_dates, new_dates, strict=True):
        text = text.replace(f"date = {old}", f"date = {new.isoformat()}", 1)
        text = text.replace(f'-{old}"', f'-{new.isoformat()}-demo"', 1)
    text = text.replace('dossier = ["dossiers/', f'dossier = ["{REAL_CATALOG.parent}/dossiers/')
    header = (
        "# Catalog written by `mailbot demo`: IPP's real catalog (config/catalog.toml) with\n"
        "# its sessions moved close to today, so the demo can show every step.\n\n"
    )
    target.write_text(header + text, encoding="utf-8")
    return target
