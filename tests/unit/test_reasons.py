"""Every reason a mail can wait for a person is told to staff in French, never as a raw code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mailbot.staff.reasons import explain
from mailbot.templating import Templates

PROJECT = Path(__file__).resolve().parents[2]
# Reason codes as the parser writes them: reasons.append("x"), reasons.append(f"x:{path}"),
# _failed("x"), reasons=("x",), reasons += [f"x:{name}" ...].
EMITTED = re.compile(
    r"""(?:reasons\.append\(|_failed\(|reasons=\(|reasons \+= \[)f?"(?P<code>[a-z]+(?:_[a-z]+)*)[:_"{]"""
)


def _codes_in_source() -> set[str]:
    codes: set[str] = set()
    for path in (PROJECT / "mailbot" / "understanding").rglob("*.py"):
        codes.update(match["code"] for match in EMITTED.finditer(path.read_text(encoding="utf-8")))
    return codes


@pytest.fixture(scope="module")
def templates() -> Templates:
    return Templates(PROJECT / "templates")


def test_the_source_scan_finds_the_parser_reason_codes():
    codes = _codes_in_source()
    assert {"handwritten", "total_mismatch", "mail_too_large", "form_not_read"} <= codes


def test_every_reason_code_the_parser_emits_reads_as_french(templates):
    raw = {code for code in _codes_in_source() if explain([code], templates) == f"{code}."}
    assert raw == set()


@pytest.mark.parametrize(
    ("reason", "expected"),
    [
        ("uncertain:manager.email", "adresse e-mail du gestionnaire : lecture incertaine"),
        ("uncertain:ocr_confidence", "document numérisé : lecture incertaine"),
        ("parser_error_valueerror", "erreur de l'analyseur"),
        ("unreadable_file_filenotfounderror", "n'a pas pu être lu"),
        ("invalid_email:participants[1].email", "adresse e-mail du participant n° 2 invalide"),
        ("accented_email:participants[0].email", "participant n° 1 avec un accent"),
    ],
)
def test_reasons_with_a_path_or_a_detail_are_explained(templates, reason, expected):
    assert expected in explain([reason], templates)
