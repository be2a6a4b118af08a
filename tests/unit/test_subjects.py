"""Every subject line a client or participant reads comes from one template, in French."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from mailbot.catalog import load_catalog
from mailbot.errors import ConfigError
from mailbot.records.models import MailingKind
from mailbot.settings import PROJECT_ROOT
from mailbot.templating import Templates

CATALOG = load_catalog(PROJECT_ROOT / "config" / "catalog.toml")
TEMPLATES = Templates(PROJECT_ROOT / "templates")
WEBINAR = CATALOG.webinars[0]
SESSION = SimpleNamespace(date=dt.date(2026, 11, 26))


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (MailingKind.ACCESS, f"Vos accès au web-séminaire du 26 novembre 2026 – {WEBINAR.title}"),
        (MailingKind.UPDATE, "MISE À JOUR (remplace le courriel précédent) – accès au "
                             "web-séminaire du 26 novembre 2026"),
        (MailingKind.CANCELLATION, f"ANNULATION – web-séminaire du 26 novembre 2026 – {WEBINAR.title}"),
        (MailingKind.REMINDER, f"Aujourd'hui : web-séminaire {WEBINAR.title}"),
    ],
)  # fmt: skip
def test_each_mailing_kind_has_its_subject(kind: MailingKind, expected: str) -> None:
    assert TEMPLATES.subject(str(kind), webinar=WEBINAR, session=SESSION) == expected


def test_the_invoice_copy_says_whether_it_is_an_invoice_or_a_credit_note() -> None:
    invoice = SimpleNamespace(number="2026-000042")
    assert TEMPLATES.subject("invoice_copy", invoice=invoice, credit_note=False) == (
        "Facture n° 2026-000042 – IPP"
    )
    assert TEMPLATES.subject("invoice_copy", invoice=invoice, credit_note=True) == (
        "Avoir n° 2026-000042 – IPP"
    )


def test_replies_and_summaries_have_their_subject_on_one_line() -> None:
    assert TEMPLATES.subject("confirmation", webinar=WEBINAR) == f"Inscription – {WEBINAR.title}"
    assert TEMPLATES.subject("replacement", webinar=WEBINAR) == f"Remplacement – {WEBINAR.title}"
    assert TEMPLATES.subject("already_registered") == "Votre inscription"
    assert TEMPLATES.subject("acknowledgement") == "Votre message"
    assert TEMPLATES.subject("manager_summary", session=SESSION) == (
        "Accès envoyés aux participants – web-séminaire du jeudi 26 novembre 2026"
    )


def test_a_mail_without_a_subject_is_a_configuration_error() -> None:
    with pytest.raises(ConfigError, match="no subject for the mail 'invitation'"):
        TEMPLATES.subject("invitation")


def test_a_subject_missing_from_the_template_stops_the_start(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    shutil.copytree(PROJECT_ROOT / "templates", folder)
    subjects = folder / "mail" / "subjects.txt"
    lines = subjects.read_text(encoding="utf-8").splitlines()
    subjects.write_text(
        "\n".join(line for line in lines if "macro reminder" not in line), encoding="utf-8"
    )
    with pytest.raises(ConfigError, match="no subject for reminder"):
        Templates(folder).compile_all()
    assert TEMPLATES.compile_all() >= 10
