"""An attachment with no name and no type that is a CSV list is still read as one."""

from __future__ import annotations

from mailbot.understanding.documents import extract_document
from mailbot.understanding.documents.sniff import Format, sniff
from tests.factories import forms


def test_an_unnamed_octet_stream_csv_is_a_csv() -> None:
    data = forms.build_csv(forms.sample_form())
    assert sniff(data, "ATT00001.bin", "application/octet-stream") is Format.CSV
    [document] = extract_document(
        data, filename="ATT00001.bin", content_type="application/octet-stream"
    )
    assert document.ok, document.detail
    assert "j.dubois@saint-medard.fr" in document.text


def test_other_unnamed_bytes_stay_unknown() -> None:
    assert sniff(b"\x00\x01\x02;\x00\n\x00;", None, "application/octet-stream") is Format.UNKNOWN
    assert (
        sniff(b"Bonjour,\nvoici une ligne; et une autre\nsans;;rythme", None, "") is Format.UNKNOWN
    )
