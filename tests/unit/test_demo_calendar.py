"""The demo's sessions are placed by IPP's calendar day, whatever the machine's clock says."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from mailbot.demo.calendar import DemoCalendar

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def test_just_after_midnight_in_paris_tomorrow_is_paris_tomorrow() -> None:
    # 23:30 UTC on 3 December is 00:30 on 4 December in Paris: "today" is the 4th there,
    # and a session on the 4th would already be past for mailbot.
    late = dt.datetime(2026, 12, 3, 23, 30, tzinfo=dt.UTC)
    assert DemoCalendar.at(late, PARIS).saad_first == dt.date(2026, 12, 5)
    noon = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC)
    assert DemoCalendar.at(noon, PARIS).saad_first == dt.date(2026, 12, 4)
