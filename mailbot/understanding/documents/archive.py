"""ZIP archives: a form sent zipped (often beside its scan or a purchase order) is read inside.

Each member goes back through the dispatcher one level deeper, so a DOCX in a
zip is read as a DOCX and a zip in a zip stops at the nesting limit. The
archive is checked before anything is inflated (``check_zip``); an encrypted
member is reported, never guessed at.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import PurePosixPath

from mailbot.understanding.documents.guards import ExtractionRefused, Limits, check_zip
from mailbot.understanding.documents.model import Document, DocumentProblem

Extract = Callable[[bytes, str | None, str], list[Document]]

# A zip of forms holds a handful of files; one of hundreds is not a registration.
MAX_MEMBERS = 20
_UTF8_NAMES = 0x800
_ENCRYPTED = 0x1
# What archivers and desktops add beside the files a person chose.
_CLUTTER_DIRS = ("__MACOSX/",)
_CLUTTER_NAMES = frozenset({"thumbs.db", "desktop.ini", ".ds_store"})


def extract_zip(data: bytes, limits: Limits, extract_inner: Extract) -> list[Document]:
    check_zip(data, limits)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = [m for m in archive.infolist() if _chosen(m)]
        if not members:
            raise ExtractionRefused(DocumentProblem.EMPTY, "archive zip sans aucun fichier")
        if len(members) > MAX_MEMBERS:
            raise ExtractionRefused(
                DocumentProblem.TOO_LARGE,
                f"archive zip de {len(members)} fichiers (limite {MAX_MEMBERS})",
            )
        documents: list[Document] = []
        for member in members:
            name = _name(member)
            if member.flag_bits & _ENCRYPTED:
                documents.append(
                    Document.failed(
                        DocumentProblem.ENCRYPTED,
                        f"fichier {name} protégé par un mot de passe dans l'archive zip",
                        filename=name,
                        content_type="application/octet-stream",
                    )
                )
                continue
            if member.file_size > limits.max_bytes:
                documents.append(
                    Document.failed(
                        DocumentProblem.TOO_LARGE,
                        f"fichier {name} de {member.file_size:,} octets dans l'archive zip",
                        filename=name,
                        content_type="application/octet-stream",
                    )
                )
                continue
            documents.extend(extract_inner(archive.read(member), name, "application/octet-stream"))
    return documents


def _chosen(member: zipfile.ZipInfo) -> bool:
    name = member.filename
    base = PurePosixPath(name).name
    return not (
        member.is_dir()
        or name.startswith(_CLUTTER_DIRS)
        or base.lower() in _CLUTTER_NAMES
        or base.startswith(("._", "~$"))  # macOS resource forks, Office lock files
    )


def _name(member: zipfile.ZipInfo) -> str:
    """The member's file name as the sender saw it.

    Without the UTF-8 flag, zipfile decodes names as cp437; Windows wrote them
    in the OEM code page, which for French is cp850 ("Numérisation").
    """
    name = member.filename
    if not member.flag_bits & _UTF8_NAMES:
        try:
            name = name.encode("cp437").decode("cp850")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    return PurePosixPath(name.replace("\\", "/")).name
