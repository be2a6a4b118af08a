"""Convert legacy office files (DOC, XLS, RTF) with headless LibreOffice, bounded in time."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from mailbot.understanding.documents.guards import ExtractionRefused, Limits
from mailbot.understanding.documents.model import DocumentProblem


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


# The import filter is named so LibreOffice does not fall back to reading a
# corrupt file as plain text (it would "convert" garbage successfully).
_IMPORT_FILTERS = {".doc": "MS Word 97", ".xls": "MS Excel 97", ".rtf": "Rich Text Format"}


def convert(data: bytes, *, suffix: str, target: str, limits: Limits) -> bytes:
    """The file converted to ``target`` ("docx", "xlsx"); refuses on timeout or failure.

    Each call gets its own throw-away profile directory: two conversions
    sharing a profile block each other, and a crashed run can leave a lock
    that makes every later one hang.
    """
    program = soffice_path()
    if program is None:
        raise ExtractionRefused(
            DocumentProblem.UNSUPPORTED,
            f"LibreOffice n'est pas installé : impossible de lire un fichier {suffix}",
        )
    with tempfile.TemporaryDirectory(prefix="mailbot-soffice-") as work:
        folder = Path(work)
        source = folder / f"document{suffix}"
        source.write_bytes(data)
        command = [
            program,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            f"--infilter={_IMPORT_FILTERS[suffix]}",
            "--convert-to",
            target,
            "--outdir",
            str(folder / "out"),
            str(source),
        ]
        _run(command, limits.convert_timeout_s)
        produced = folder / "out" / f"document.{target}"
        if not produced.exists():
            raise ExtractionRefused(
                DocumentProblem.UNREADABLE, f"LibreOffice n'a pas pu convertir ce fichier {suffix}"
            )
        return produced.read_bytes()


def _run(command: list[str], timeout_s: float) -> None:
    # soffice forks helper processes: a new session lets us kill the whole group.
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        process.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise ExtractionRefused(
            DocumentProblem.TIMEOUT, f"conversion LibreOffice au-delà de {timeout_s:.0f} s"
        ) from None
