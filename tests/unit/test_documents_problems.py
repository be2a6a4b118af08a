"""A file that cannot be read is an outcome with a reason, never an exception."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import pytest

from mailbot.understanding.documents import (
    Document,
    DocumentProblem,
    Limits,
    extract_document,
    libreoffice,
)
from mailbot.understanding.documents.guards import WALL_SLACK, Deadline, ExtractionRefused
from tests.factories import forms
from tests.factories.forms import sample_form

FORM = sample_form()


def problem_of(
    data: bytes, filename: str | None = None, content_type: str = "", limits: Limits | None = None
) -> Document:
    documents = extract_document(
        data, filename=filename, content_type=content_type, limits=limits or Limits()
    )
    assert len(documents) == 1
    document = documents[0]
    assert document.problem is not None
    assert document.detail
    assert document.filename == filename
    return document


def test_empty_file() -> None:
    assert problem_of(b"", "form.docx").problem is DocumentProblem.EMPTY


def test_truncated_docx_is_unreadable() -> None:
    data = forms.build_docx(FORM)
    document = problem_of(data[: len(data) // 2], "form.docx")
    assert document.problem is DocumentProblem.UNREADABLE


def test_truncated_pdf_is_unreadable_or_partial() -> None:
    data = forms.build_text_pdf(FORM)
    documents = extract_document(data[:300], filename="f.pdf", content_type="application/pdf")
    assert documents[0].problem is DocumentProblem.UNREADABLE


def test_encrypted_pdf() -> None:
    import pypdf

    writer = pypdf.PdfWriter(clone_from=io.BytesIO(forms.build_text_pdf(FORM)))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    assert problem_of(out.getvalue(), "f.pdf").problem is DocumentProblem.ENCRYPTED


def test_pdf_with_empty_user_password_opens() -> None:
    import pypdf

    writer = pypdf.PdfWriter(clone_from=io.BytesIO(forms.build_text_pdf(FORM)))
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    (document,) = extract_document(out.getvalue(), filename="f.pdf", content_type="")
    assert document.ok and "GARNIER" in document.text


def test_encrypted_office_file() -> None:
    # An encrypted DOCX is an OLE2 file holding an "EncryptedPackage" stream.
    fake = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100) + "EncryptedPackage".encode("utf-16-le")
    assert problem_of(fake, "form.docx").problem is DocumentProblem.ENCRYPTED


@pytest.mark.parametrize("filename", ["Inscription.msg", "ATT00001.bin"])
def test_outlook_msg_is_named_not_taken_for_the_word_file_inside(filename: str) -> None:
    # A .msg is an OLE2 file whose streams are named __substg1.0_*; one carrying
    # a Word attachment also holds "WordDocument" and used to be sent to LibreOffice.
    fake = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + bytes(100)
        + "__substg1.0_0037001F".encode("utf-16-le")
        + "WordDocument".encode("utf-16-le")
    )
    document = problem_of(fake, filename, "application/octet-stream")
    assert document.problem is DocumentProblem.UNSUPPORTED
    assert "Outlook" in document.detail


def test_zip_bomb_is_refused_before_inflating() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * 3_000_000)
    limits = Limits(max_unzipped_bytes=1_000_000)
    document = problem_of(out.getvalue(), "bomb.docx", limits=limits)
    assert document.problem is DocumentProblem.TOO_LARGE
    assert "bombe zip" in document.detail


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims a huge size: decoding it would need gigabytes."""

    def chunk(kind: bytes, payload: bytes) -> bytes:
        crc = zlib.crc32(kind + payload) & 0xFFFFFFFF
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64))


def test_pixel_bomb_is_refused() -> None:
    document = problem_of(_png_header_only(50_000, 50_000), "photo.png")
    assert document.problem is DocumentProblem.TOO_LARGE


def test_file_over_the_byte_limit() -> None:
    document = problem_of(forms.build_docx(FORM), "f.docx", limits=Limits(max_bytes=1000))
    assert document.problem is DocumentProblem.TOO_LARGE


def test_pdf_over_the_page_limit() -> None:
    document = problem_of(forms.build_text_pdf(FORM), "f.pdf", limits=Limits(max_pages=0))
    assert document.problem is DocumentProblem.TOO_LARGE


def test_ocr_over_its_time_budget() -> None:
    data = forms.build_scan(FORM, dpi=100)
    document = problem_of(data, "scan.png", limits=Limits(ocr_timeout_s=0.0))
    assert document.problem is DocumentProblem.TIMEOUT


class _Clocks:
    """A work clock and a wall clock the test moves by hand."""

    def __init__(self) -> None:
        self.work = 100.0
        self.wall = 1000.0

    def deadline(self, seconds: float) -> Deadline:
        return Deadline(seconds, work=lambda: self.work, clock=lambda: self.wall)


def test_ocr_budget_counts_work_not_time_spent_waiting_for_a_cpu() -> None:
    clocks = _Clocks()
    deadline = clocks.deadline(20)
    clocks.wall += 45  # a busy machine: 45 s pass, 5 s of them ours
    clocks.work += 5
    assert deadline.work_left() == 15
    assert deadline.timeout() == 20 * WALL_SLACK - 45


def test_ocr_budget_refuses_once_its_work_is_spent() -> None:
    clocks = _Clocks()
    deadline = clocks.deadline(20)
    clocks.wall += 21
    clocks.work += 21
    with pytest.raises(ExtractionRefused) as refused:
        deadline.timeout()
    assert refused.value.problem is DocumentProblem.TIMEOUT


def test_a_stuck_step_is_bounded_by_the_wall_clock() -> None:
    clocks = _Clocks()
    deadline = clocks.deadline(20)
    clocks.wall += 20 * WALL_SLACK  # waiting on a child that never ends: no work of ours
    with pytest.raises(ExtractionRefused):
        deadline.timeout()


@pytest.mark.parametrize(
    ("data", "filename", "content_type"),
    [
        (b"MZ\x90\x00" + bytes(60), "setup.exe", "application/octet-stream"),
        (b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "invite.ics", "text/calendar"),
        (b"\x00\x00\x00\x18ftypmp42", "video.mp4", "video/mp4"),
    ],
)
def test_other_formats_are_unsupported(data: bytes, filename: str, content_type: str) -> None:
    assert problem_of(data, filename, content_type).problem is DocumentProblem.UNSUPPORTED


def test_truncated_zip_archive_is_unreadable() -> None:
    document = problem_of(b"PK\x03\x04" + bytes(40), "photos.zip", "application/zip")
    assert document.problem is DocumentProblem.UNREADABLE


def test_doc_without_libreoffice_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(libreoffice, "soffice_path", lambda: None)
    word97 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le")
    document = problem_of(word97 + bytes(64), "form.doc")
    assert document.problem is DocumentProblem.UNSUPPORTED
    assert "LibreOffice n'est pas installé" in document.detail


def test_file_named_doc_that_is_not_word_is_unreadable_without_libreoffice() -> None:
    assert problem_of(b"hello", "form.doc").problem is DocumentProblem.UNREADABLE


def test_corrupt_doc_is_unreadable() -> None:
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le") + bytes(200)
    assert problem_of(data, "form.doc").problem is DocumentProblem.UNREADABLE


def test_nested_tnef_stops_at_the_nesting_limit() -> None:
    inner = forms.build_tnef([("a.txt", b"bonjour")])
    outer = forms.build_tnef([("winmail.dat", inner)])
    documents = extract_document(
        outer, filename="winmail.dat", content_type="", limits=Limits(max_nesting=0)
    )
    assert documents[0].problem is DocumentProblem.UNSUPPORTED


def _without(data: bytes, missing: str) -> bytes:
    """The package with ``missing`` left out, its links and listing kept (an exporter's slip)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as package, zipfile.ZipFile(out, "w") as cut:
        for member in package.infolist():
            if member.filename != missing:
                cut.writestr(member, package.read(member))
    return out.getvalue()


def test_a_docx_naming_a_part_it_does_not_hold_is_read_as_word_repairs_it() -> None:
    data = forms.build_docx(FORM)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert "docProps/app.xml" in package.namelist()
    (document,) = extract_document(
        _without(data, "docProps/app.xml"), filename="form.docx", content_type=""
    )
    assert document.ok, document.detail
    assert "Mairie de Saint-Médard-en-Jalles" in document.text
    # Without the document itself there is nothing to repair.
    broken = problem_of(_without(data, "word/document.xml"), "form.docx")
    assert broken.problem is DocumentProblem.UNREADABLE
