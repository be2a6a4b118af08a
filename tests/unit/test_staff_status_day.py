"""Staff's "today" is IPP's day in Paris, whatever the hour in UTC."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from mailbot.clock import FrozenClock
from mailbot.intake import Incoming, store_batch
from mailbot.records.db import unit_of_work
from mailbot.staff.status import collect
from tests.story import a_mail, app_for


def test_a_mail_received_after_midnight_in_paris_counts_for_the_new_day(tmp_path: Path) -> None:
    # 23:30 UTC on 6 December is 00:30 on the 7th in Paris; 22:30 UTC is still the 6th.
    clock = FrozenClock(dt.datetime(2026, 12, 6, 22, 30, tzinfo=dt.UTC))
    app = app_for(tmp_path, clock=clock)
    with unit_of_work(app.db) as db:
        store_batch(db, [Incoming(1, a_mail(message_id="<late@cd33.fr>"))],
                    journal=app.journal, clock=clock, uidvalidity=7)  # fmt: skip
    clock.set(dt.datetime(2026, 12, 6, 23, 30, tzinfo=dt.UTC))
    with unit_of_work(app.db) as db:
        store_batch(db, [Incoming(2, a_mail(message_id="<early@cd33.fr>"))],
                    journal=app.journal, clock=clock, uidvalidity=7)  # fmt: skip
    clock.set(dt.datetime(2026, 12, 6, 23, 45, tzinfo=dt.UTC))
    status = collect(app)
    assert status.inbound_total == 2
    assert sum(status.inbound_today.values()) == 1
