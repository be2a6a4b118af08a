"""Hypothesis: parsers never raise and always answer with a value or None."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from mailbot.catalog import load_catalog
from mailbot.understanding import understand
from mailbot.understanding.amounts import parse_amount
from mailbot.understanding.dates import find_dates
from mailbot.understanding.form_reader import parse_person_line, read_rows, text_rows
from mailbot.understanding.model import Decision
from mailbot.understanding.names import split_full_name
from mailbot.understanding.outlook import saved_message
from tests.factories.forms import build, sample_form
from tests.factories.mails import BODY_FORM, mail
from tests.factories.outlook import build_msg

CATALOG = load_catalog(Path(__file__).resolve().parents[2] / "config" / "catalog.toml")


@given(st.text())
def test_text_parsers_never_raise(text: str) -> None:
    find_dates(text, 2026)
    parse_amount(text)
    parse_person_line(text)
    split_full_name(text)
    read_rows(text_rows(text))


@given(st.text(alphabet=st.characters(categories=("L",)), min_size=1, max_size=12),
       st.text(alphabet=" \t\u00a0", max_size=3))  # fmt: skip
def test_unicode_names_survive_odd_spacing(first: str, spaces: str) -> None:
    line = f"Mme{spaces} {first}{spaces} DUPONT{spaces} - a@b.fr"
    person = parse_person_line(line)
    assert person is not None and person.email == "a@b.fr"


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=200), st.integers(min_value=0, max_value=2000))
def test_mutated_mails_always_give_an_answer(noise: bytes, position: int) -> None:
    raw = mail(BODY_FORM)
    mutated = raw[:position] + noise + raw[position + len(noise) :]
    u = understand(mutated, CATALOG)
    assert u.to_corpus_json()["kind"] in {
        "registration", "replacement", "question", "auto_reply", "bounce", "other",
    }  # fmt: skip


@cache
def _outlook_file() -> bytes:
    return build_msg(
        sender=("Anne ROUX", "anne.roux@gironde.fr"),
        subject="Inscription",
        body="Bonjour,\r\nci-joint notre bulletin.",
        headers="From: anne.roux@gironde.fr\r\nSubject: Inscription\r\n\r\n",
        attachments=[build(sample_form(), "docx")],
    )


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 20_000), st.integers(0, 255)), max_size=8),
       st.integers(min_value=512, max_value=60_000))  # fmt: skip
def test_mutated_outlook_files_never_raise(flips: list[tuple[int, int]], cut: int) -> None:
    # The OLE2 directory, FAT and property streams sit in the first sectors:
    # flipping bytes there reaches every table extract-msg trusts. A cut past
    # the end (the file is ~46 KB) keeps the whole file.
    data = bytearray(_outlook_file())
    for position, value in flips:
        data[position % len(data)] = value
    broken = bytes(data[:cut])
    opened = saved_message(broken)
    u = understand(
        mail("Bonjour", attachments=[("f.msg", "application/vnd.ms-outlook", broken)]), CATALOG
    )
    # What cannot be opened is never confirmed alone.
    assert opened is not None or u.decision is not Decision.AUTO
