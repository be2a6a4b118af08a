"""Whatever bytes arrive, extraction returns documents and never raises."""

from __future__ import annotations

from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mailbot.understanding.documents import Limits, extract_document, extract_html
from tests.factories import forms
from tests.factories.forms import sample_form

# No OCR here: small budgets keep a mutated image from costing seconds.
LIMITS = Limits(ocr_timeout_s=2.0, convert_timeout_s=10.0)
FORMATS = ("docx", "odt", "xlsx", "pdf", "acroform", "rtf", "csv", "html")


@cache
def seed(fmt: str) -> tuple[str, str, bytes]:
    return forms.build(sample_form(), fmt)


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, str, bytes]:
    fmt = draw(st.sampled_from(FORMATS))
    filename, content_type, data = seed(fmt)
    buffer = bytearray(data)
    for _ in range(draw(st.integers(1, 8))):
        position = draw(st.integers(0, len(buffer) - 1))
        buffer[position] = draw(st.integers(0, 255))
    cut = draw(st.integers(len(buffer) // 2, len(buffer)))
    return filename, content_type, bytes(buffer[:cut])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_files_never_raise(case: tuple[str, str, bytes]) -> None:
    filename, content_type, data = case
    documents = extract_document(data, filename=filename, content_type=content_type, limits=LIMITS)
    assert documents
    for document in documents:
        assert document.ok or document.detail


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2000), st.sampled_from(["f.docx", "f.pdf", "f.png", "f.rtf", None]))
def test_random_bytes_never_raise(data: bytes, filename: str | None) -> None:
    assert extract_document(data, filename=filename, content_type="", limits=LIMITS)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=2000))
def test_any_html_gives_a_document(html: str) -> None:
    assert extract_html(html).text is not None
