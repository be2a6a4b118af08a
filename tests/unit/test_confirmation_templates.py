"""The confirmation reads right for every webinar, for one participant and for eight."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from mailbot.catalog import load_catalog
from mailbot.settings import PROJECT_ROOT
from mailbot.templating import Templates

CATALOG = load_catalog(PROJECT_ROOT / "config" / "catalog.toml")
TEMPLATES = Templates(PROJECT_ROOT / "templates")


def participants(count: int) -> list[SimpleNamespace]:
    return [
        SimpleNamespace(
            civility="Mme" if i % 2 else "M.",
            first_name=f"Prénom{i}",
            last_name=f"NOM{i}",
            email=f"p{i}@cd33.fr",
        )
        for i in range(count)
    ]


def context(webinar, count: int, *, public: bool, missing: list[str] | None = None) -> dict:
    session = webinar.sessions[0]
    price = webinar.price_eur
    return {
        "registration": SimpleNamespace(session_date=session.date, unit_price=price),
        "participants": participants(count),
        "webinar": webinar,
        "session": session,
        "schedule": CATALOG.schedule,
        "invoice": SimpleNamespace(number="2026-000042", total=price * count),
        "public_buyer": public,
        "missing_public_refs": missing or [],
        "mailbox": CATALOG.mailbox,
    }


@pytest.mark.parametrize("webinar", CATALOG.webinars, ids=lambda w: w.id)
@pytest.mark.parametrize("count", [1, 8])
def test_confirmation_for_every_webinar(webinar, count):
    text = TEMPLATES.render("mail/confirmation.txt", **context(webinar, count, public=False))
    html = TEMPLATES.render("mail/confirmation.html", **context(webinar, count, public=False))
    assert webinar.title in text
    assert "9h30–12h45" in text and "13h45–17h00" in text
    assert ("Participant inscrit :" in text) == (count == 1)
    assert ("Participants inscrits (8)" in text) == (count == 8)
    assert text.count("@cd33.fr") == count
    assert "payable à réception" in text and "remplacement d'un participant" in text
    assert "2026-000042" in text
    # HTML escapes the title's quotes instead of breaking the markup.
    assert "&#34;Handicap&#34;" in html or '"Handicap"' not in webinar.title


def test_amounts_and_dates_are_french():
    saad = CATALOG.webinar("cpom-saad")
    text = TEMPLATES.render("mail/confirmation.txt", **context(saad, 2, public=False))
    assert "jeudi 18 mars 2027" in text
    assert "2 × 625,00\u00a0€ = 1\u202f250,00\u00a0€" in text


def test_a_public_buyer_is_told_about_chorus_pro_and_asked_for_what_is_missing():
    ase = CATALOG.webinar("cpom-ase")
    text = TEMPLATES.render(
        "mail/confirmation.txt",
        **context(ase, 1, public=True, missing=["service_code"]),
    )
    assert "Chorus Pro" in text and "le code service Chorus Pro" in text
    assert "payable à réception" not in text


def test_every_template_compiles():
    assert TEMPLATES.compile_all() >= 10


def test_french_filters():
    from mailbot.templating import day, hour, money

    assert money(Decimal("1270")) == "1\u202f270,00\u00a0€"
    assert day(dt.date(2026, 11, 26)) == "jeudi 26 novembre 2026"
    assert hour(dt.time(9, 30)) == "9h30"
