"""A scanned form in a mail: the session ticked on paper is the session registered."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from mailbot.catalog import Catalog, load_catalog
from mailbot.understanding import understand
from mailbot.understanding.model import Kind
from tests.factories import forms
from tests.factories.mails import mail

ROOT = Path(__file__).resolve().parents[2]
MARCH = "jeudi 18 mars 2027 de 9h30 à 17h00"
OCTOBER = "vendredi 8 octobre 2027 de 9h30 à 17h00"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(ROOT / "config" / "catalog.toml")


def test_session_ticked_by_pen_on_a_scanned_saad_form(catalog: Catalog) -> None:
    form = forms.sample_form(sessions=((MARCH, False), (OCTOBER, True)))
    scan = forms.build_scanned_pdf(form, tick_style="pen")
    u = understand(
        mail(
            "Ci-joint notre bulletin d'inscription.",
            attachments=[("scan.pdf", "application/pdf", scan)],
        ),
        catalog,
    )
    assert u.kind is Kind.REGISTRATION
    assert u.session is not None
    assert (u.session.webinar_id, u.session.date) == ("cpom-saad", dt.date(2027, 10, 8))
    assert "no_session_chosen" not in u.reasons and "several_sessions_chosen" not in u.reasons
