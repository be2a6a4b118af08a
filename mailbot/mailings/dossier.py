"""A session's documentation files: read once per run, stored once in the database."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session as DbSession

from mailbot.mailings.shared_parts import SharedFile, sha256_of
from mailbot.records.models import StoredFile

CONTENT_TYPES = {".pdf": "application/pdf", ".zip": "application/zip"}


@dataclass(frozen=True, slots=True)
class DossierFile:
    path: Path
    sha256: str
    size: int
    content_type: str
    data: bytes

    @property
    def filename(self) -> str:
        return self.path.name

    def shared(self) -> SharedFile:
        return SharedFile(self.sha256, self.filename, self.content_type, self.size)


class Dossiers:
    """Reads each file once per planner run (500 participants, one read)."""

    def __init__(self) -> None:
        self._files: dict[Path, DossierFile] = {}

    def files(self, paths: Sequence[Path]) -> list[DossierFile]:
        return [self._read(path) for path in paths]

    def _read(self, path: Path) -> DossierFile:
        cached = self._files.get(path)
        if cached is None:
            data = path.read_bytes()
            content_type = CONTENT_TYPES.get(path.suffix.lower(), "application/octet-stream")
            cached = DossierFile(path, sha256_of(data), len(data), content_type, data)
            self._files[path] = cached
        return cached


def store(db: DbSession, files: Sequence[DossierFile]) -> None:
    """One StoredFile row per distinct content, whatever the number of mails using it."""
    for file in files:
        if db.get(StoredFile, file.sha256) is None:
            db.add(
                StoredFile(
                    sha256=file.sha256,
                    content_type=file.content_type,
                    size=file.size,
                    data=file.data,
                )
            )
    db.flush()
