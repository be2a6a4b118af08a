"""A form sent inside a zip archive is read like the same file attached on its own."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

from mailbot.catalog import load_catalog
from mailbot.understanding import understand
from mailbot.understanding.documents import DocumentProblem, Limits, extract_document
from mailbot.understanding.documents.archive import MAX_MEMBERS
from mailbot.understanding.model import Decision, Kind
from tests.factories import forms
from tests.factories.forms import sample_form
from tests.factories.mails import mail

ROOT = Path(__file__).resolve().parents[2]

FORM = sample_form()


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def _extract(data: bytes, limits: Limits | None = None):
    return extract_document(
        data, filename="envoi.zip", content_type="application/zip", limits=limits or Limits()
    )


def test_each_file_of_the_archive_is_read_under_its_own_name() -> None:
    data = _zip(
        {
            "Bulletin/inscription.docx": forms.build_docx(FORM),
            "Bulletin/bulletin scanné.pdf": forms.build_text_pdf(FORM),
        }
    )
    documents = _extract(data)
    assert [d.filename for d in documents] == ["inscription.docx", "bulletin scanné.pdf"]
    assert all(d.problem is None for d in documents)
    assert all(FORM.organisation_name in d.text for d in documents)


def test_what_archivers_add_is_left_out() -> None:
    data = _zip(
        {
            "Bulletin/": b"",
            "__MACOSX/Bulletin/._inscription.docx": b"\0\5\26\7",
            "Bulletin/._inscription.docx": b"\0\5\26\7",
            "Bulletin/~$inscription.docx": b"lock",
            "Bulletin/Thumbs.db": b"\xd0\xcf\x11\xe0",
            "Bulletin/inscription.docx": forms.build_docx(FORM),
        }
    )
    assert [d.filename for d in _extract(data)] == ["inscription.docx"]


def test_a_windows_file_name_keeps_its_accents() -> None:
    # Windows' own zip writes names in the OEM code page (cp850) without the UTF-8 flag.
    placeholder, real = b"NumXrisation.pdf", "Numérisation.pdf".encode("cp850")
    data = _zip({placeholder.decode(): forms.build_text_pdf(FORM)}).replace(placeholder, real)
    assert [d.filename for d in _extract(data)] == ["Numérisation.pdf"]


def test_an_encrypted_member_is_reported_not_read() -> None:
    data = bytearray(_zip({"inscription.docx": forms.build_docx(FORM)}))
    central = data.index(b"PK\x01\x02")
    flags_at = central + 8  # signature, version made by, version needed, then the flags
    (flags,) = struct.unpack_from("<H", data, flags_at)
    struct.pack_into("<H", data, flags_at, flags | 0x1)
    (document,) = _extract(bytes(data))
    assert document.problem is DocumentProblem.ENCRYPTED
    assert document.filename == "inscription.docx"


def test_an_empty_archive_and_one_of_too_many_files_are_refused() -> None:
    (empty,) = _extract(_zip({"vide/": b""}))
    assert empty.problem is DocumentProblem.EMPTY
    crowded = _zip({f"photo{i}.txt": b"x" for i in range(MAX_MEMBERS + 1)})
    (refused,) = _extract(crowded)
    assert refused.problem is DocumentProblem.TOO_LARGE
    assert f"{MAX_MEMBERS + 1} fichiers" in refused.detail


def test_a_bomb_inside_the_archive_is_refused_before_inflating() -> None:
    data = _zip({"inscription.pdf": b"\0" * 3_000_000})
    (document,) = _extract(data, Limits(max_unzipped_bytes=1_000_000))
    assert document.problem is DocumentProblem.TOO_LARGE
    assert "bombe zip" in document.detail


def test_archives_nested_beyond_the_limit_stop() -> None:
    data = forms.build_docx(FORM)
    for depth in range(Limits().max_nesting + 1):
        data = _zip({f"niveau{depth}.zip" if depth else "inscription.docx": data})
    (document,) = _extract(data)
    assert document.problem is DocumentProblem.UNSUPPORTED
    assert "imbriquées" in document.detail


def test_a_zipped_form_is_confirmed_like_the_form_itself() -> None:
    catalog = load_catalog(ROOT / "config" / "catalog.toml")
    name, _, data = forms.build(FORM, "docx")
    raw = mail(
        "Bonjour,\n\nVeuillez trouver notre bulletin d'inscription.\n\nCordialement",
        attachments=[("inscription.zip", "application/zip", _zip({name: data}))],
    )
    u = understand(raw, catalog)
    assert u.kind is Kind.REGISTRATION and u.decision is Decision.AUTO, u.reasons
    assert u.manager is not None and u.manager.email == FORM.manager_email
    assert len(u.participants) == len(FORM.participants)
