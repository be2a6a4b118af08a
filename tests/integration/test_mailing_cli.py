"""Staff drive a mailing from the terminal: see, preview, send now, export, announce a move."""

from __future__ import annotations

import asyncio
import csv
import io

import openpyxl
from sqlalchemy import select
from typer.testing import CliRunner

from mailbot.app import build_app
from mailbot.cli import app as cli
from mailbot.clock import FrozenClock
from mailbot.mailings import runner
from mailbot.records.db import unit_of_work
from mailbot.records.models import ReviewItem, ReviewStatus
from mailbot.sender import Sender
from mailbot.settings import load_settings
from tests.integration.mailing_story import (
    KEY,
    LINK,
    PEOPLE,
    at_paris,
    mailing_app,
    parsed,
    register,
    write_catalog,
)
from tests.story import write_config


def test_sessions_preview_send_now_and_export(tmp_path, smtp_sink, monkeypatch):
    app = mailing_app(tmp_path, FrozenClock(at_paris(2027, 3, 20, 9, 0)), smtp=smtp_sink)
    register(app, PEOPLE)
    config = write_config(tmp_path, app.settings, monkeypatch)
    run = CliRunner()

    listed = run.invoke(cli, ["sessions", "-c", str(config)])
    assert listed.exit_code == 0, listed.output
    assert "h.garnier@saint-medard.fr" in listed.output and "prévu" in listed.output

    preview = run.invoke(cli, ["mailing", "preview", KEY, "-c", str(config)])
    assert preview.exit_code == 0, preview.output
    assert LINK in preview.output and "invitation.ics" in preview.output
    assert smtp_sink.messages == []  # a preview sends nothing

    sent = run.invoke(cli, ["mailing", "send", KEY, "--now", "--yes", "-c", str(config)])
    assert sent.exit_code == 0, sent.output
    asyncio.run(Sender(app).drain())
    access = [m for m in smtp_sink.messages if "Vos accès" in str(parsed(m.raw)["Subject"])]
    assert sorted(m.rcpt_tos[0] for m in access) == sorted(p[2] for p in PEOPLE)
    again = run.invoke(cli, ["mailing", "send", KEY, "--now", "--yes", "-c", str(config)])
    assert again.exit_code == 0
    asyncio.run(Sender(app).drain())
    assert len([m for m in smtp_sink.messages if "Vos accès" in str(parsed(m.raw)["Subject"])]) == 2

    target = tmp_path / "participants.csv"
    exported = run.invoke(
        cli, ["export", KEY, "--format", "csv", "-o", str(target), "-c", str(config)]
    )
    assert exported.exit_code == 0, exported.output
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert any("h.garnier@saint-medard.fr" in row for row in rows)
    workbook_path = tmp_path / "participants.xlsx"
    exported = run.invoke(
        cli, ["export", KEY, "--format", "xlsx", "-o", str(workbook_path), "-c", str(config)]
    )
    assert exported.exit_code == 0, exported.output
    cells = [
        c.value for row in openpyxl.load_workbook(workbook_path).active.iter_rows() for c in row
    ]
    assert "j.dubois@saint-medard.fr" in cells


def test_a_moved_session_waits_for_staff_then_everyone_is_told_once(
    tmp_path, smtp_sink, monkeypatch
):
    app = mailing_app(tmp_path, FrozenClock(at_paris(2027, 3, 28, 10, 5)), smtp=smtp_sink)
    register(app, PEOPLE)
    assert runner.run(app).total == 2  # the access mails went out at J-2
    asyncio.run(Sender(app).drain())
    smtp_sink.clear()
    # Staff move the session from 30 March to 6 April in the catalog.
    moved = write_catalog(tmp_path / "moved").read_text(encoding="utf-8")
    moved = moved.replace("date = 2027-03-30", "date = 2027-04-06")
    (tmp_path / "moved" / "catalog.toml").write_text(moved, encoding="utf-8")
    settings = load_settings(
        None,
        **{
            **app.settings.model_dump(mode="json"),
            "catalog_file": str(tmp_path / "moved" / "catalog.toml"),
        },
    )
    moved_app = build_app(settings, clock=FrozenClock(at_paris(2027, 3, 29, 9, 0)))

    assert runner.run(moved_app).total == 0  # the daemon does not guess
    asyncio.run(Sender(moved_app).drain())
    assert smtp_sink.messages == []
    with unit_of_work(moved_app.db) as db:
        assert [i.status for i in db.scalars(select(ReviewItem))] == [ReviewStatus.OPEN]

    config = write_config(tmp_path, moved_app.settings, monkeypatch)
    run = CliRunner()
    confirmed = run.invoke(
        cli, ["mailing", "confirm-change", KEY, "--to", "2027-04-06", "--yes", "-c", str(config)]
    )
    assert confirmed.exit_code == 0, confirmed.output
    asyncio.run(Sender(moved_app).drain())
    told = sorted(
        m.rcpt_tos[0] for m in smtp_sink.messages if m.rcpt_tos[0] != "c.lefevre@saint-medard.fr"
    )
    assert told == sorted(p[2] for p in PEOPLE)
    to_helene = next(m for m in smtp_sink.messages if m.rcpt_tos[0] == PEOPLE[0][2])
    assert "6 avril 2027" in parsed(to_helene.raw).get_body(("plain",)).get_content()

    twice = run.invoke(
        cli, ["mailing", "confirm-change", KEY, "--to", "2027-04-06", "--yes", "-c", str(config)]
    )
    asyncio.run(Sender(moved_app).drain())
    assert len([m for m in smtp_sink.messages if m.rcpt_tos[0] in told]) == 2, twice.output
