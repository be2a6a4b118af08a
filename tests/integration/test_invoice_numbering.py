"""Invoice numbers: one continuous series, no hole and no duplicate, whatever happens.

Several processes issue invoices at the same time on the same database while
another dies in the middle of its transaction; the series must still read
2026-000001, 2026-000002, ... with nothing missing.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from mailbot.clock import FrozenClock
from mailbot.invoices import allocate_number, issue_invoice
from mailbot.records.db import unit_of_work
from mailbot.records.models import Invoice, Registration, RegistrationStatus
from tests.story import app_for

WORKERS = 4
PER_WORKER = 3
NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


def _registration(index: int) -> Registration:
    return Registration(
        status=RegistrationStatus.CONFIRMED,
        webinar_id="cpom-saad",
        session_date=dt.date(2027, 3, 18),
        unit_price=Decimal("625.00"),
        fingerprint=f"fp-{index}",
        organisation_name=f"Association n° {index}",
        organisation_address="3 rue des Lilas, 33000 Bordeaux",
        manager_name="Anne Roux",
        manager_email="anne.roux@example.org",
        sender_email="anne.roux@example.org",
        buyer_category="private",
    )


def _issue(tmp: str, db_url: str, ids: list[int]) -> None:
    app = app_for(Path(tmp), db_url=db_url, clock=FrozenClock(NOW))
    for registration_id in ids:
        with unit_of_work(app.db) as db:
            issue_invoice(db, app, db.get_one(Registration, registration_id))


def _die_holding_a_number(
    tmp: str, db_url: str, started: multiprocessing.synchronize.Event
) -> None:
    app = app_for(Path(tmp), db_url=db_url, clock=FrozenClock(NOW))
    db = app.db()
    allocate_number(db, app, 2026)
    started.set()
    os._exit(1)  # a power cut in the middle of the invoicing transaction


def test_concurrent_issuers_leave_no_gap_and_no_duplicate(tmp_path, db_url):
    app = app_for(tmp_path, db_url=db_url, clock=FrozenClock(NOW))
    with unit_of_work(app.db) as db:
        rows = [_registration(i) for i in range(WORKERS * PER_WORKER)]
        db.add_all(rows)
        db.flush()
        ids = [r.id for r in rows]
    context = multiprocessing.get_context("spawn")
    started = context.Event()
    dying = context.Process(target=_die_holding_a_number, args=(str(tmp_path), db_url, started))
    dying.start()
    started.wait(30)
    workers = [
        context.Process(target=_issue, args=(str(tmp_path), db_url, ids[i::WORKERS]))
        for i in range(WORKERS)
    ]
    for process in workers:
        process.start()
    for process in [dying, *workers]:
        process.join(120)
        assert process.exitcode is not None
    assert [p.exitcode for p in workers] == [0] * WORKERS

    with unit_of_work(app.db) as db:
        numbers = sorted(db.scalars(select(Invoice.number)))
        per_registration = sorted(db.scalars(select(Invoice.registration_id)))
    assert numbers == [f"2026-{n:06d}" for n in range(1, WORKERS * PER_WORKER + 1)]
    assert per_registration == sorted(ids)


def test_a_rolled_back_invoice_gives_its_number_back(tmp_path, db_url):
    app = app_for(tmp_path, db_url=db_url, clock=FrozenClock(NOW))
    with unit_of_work(app.db) as db:
        db.add_all([_registration(1), _registration(2)])
    try:
        with unit_of_work(app.db) as db:
            issue_invoice(
                db, app, db.scalars(select(Registration).order_by(Registration.id)).first()
            )
            raise RuntimeError("crash after rendering, before commit")
    except RuntimeError:
        pass
    with unit_of_work(app.db) as db:
        for registration in db.scalars(select(Registration).order_by(Registration.id)):
            issue_invoice(db, app, registration)
        assert sorted(db.scalars(select(Invoice.number))) == ["2026-000001", "2026-000002"]
