"""The format is told by the bytes first, then the file name, then the MIME type."""

from __future__ import annotations

import pytest

from mailbot.understanding.documents.sniff import Format, sniff
from tests.factories import forms
from tests.factories.forms import sample_form

FORM = sample_form()


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [("docx", Format.DOCX), ("odt", Format.ODT), ("ods", Format.ODS), ("xlsx", Format.XLSX),
     ("rtf", Format.RTF), ("pdf", Format.PDF), ("html", Format.HTML)],
)  # fmt: skip
def test_magic_bytes_win_over_a_misleading_name(fmt: str, expected: Format) -> None:
    _, _, data = forms.build(FORM, fmt)
    assert sniff(data, "scan.jpg", "image/jpeg") is expected


def test_name_decides_when_bytes_say_nothing() -> None:
    assert sniff(b"a;b\n1;2\n", "liste.CSV", "application/octet-stream") is Format.CSV
    assert sniff(b"a;b\n", "C:\\Users\\moi\\liste.csv", "") is Format.CSV


def test_content_type_decides_last() -> None:
    assert sniff(b"a;b\n", None, "text/csv; charset=utf-8") is Format.CSV
    assert sniff(b"????", "noname", "image/heic") is Format.IMAGE
    assert sniff(b"????", None, "application/octet-stream") is Format.UNKNOWN


def test_truncated_docx_is_still_a_docx() -> None:
    data = forms.build_docx(FORM)
    assert sniff(data[:1000], "form.docx", "") is Format.DOCX
    assert sniff(data[:1000], "archive.zip", "") is Format.ZIP


def test_tnef_by_magic() -> None:
    assert sniff(forms.build_tnef([]), "winmail.dat", "application/octet-stream") is Format.TNEF


def test_a_heic_photo_is_told_by_its_bytes() -> None:
    import io

    from PIL import Image
    from pillow_heif import register_heif_opener

    register_heif_opener()
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "white").save(out, "HEIF")
    assert sniff(out.getvalue(), None, "application/octet-stream") is Format.IMAGE
    assert sniff(b"\x00\x00\x00\x18ftypmp42", None, "application/octet-stream") is not Format.IMAGE
