"""Bounds every extractor stays inside: size, pages, pixels, time, zip expansion."""

from __future__ import annotations

import io
import resource
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from mailbot.understanding.documents.model import DocumentProblem


@dataclass(frozen=True, slots=True)
class Limits:
    """How much one attachment may cost before we give up and ask a human."""

    max_bytes: int = 25_000_000  # larger than any form; mail servers cap near this anyway
    max_pages: int = 30  # a registration form is 1-3 pages; 30 leaves room for annexes
    max_pixels: int = 60_000_000  # one image or rendered page (a 300-dpi A4 is 8.7 Mpx)
    ocr_timeout_s: float = 20.0  # for all the OCR of one document, not per page
    convert_timeout_s: float = 60.0  # one LibreOffice conversion (first start is slow)
    max_unzipped_bytes: int = 200_000_000  # total declared size of a DOCX/XLSX/ODT's members
    max_zip_members: int = 5_000
    max_nesting: int = 3  # attachments inside TNEF inside TNEF ...
    max_text_chars: int = 2_000_000  # a form's text is a few kB; cut pathological files


class ExtractionRefused(Exception):
    """Raised inside an extractor to stop with a known problem.

    Private to this package: ``extract_document`` turns it into a ``Document``
    with ``problem`` set, so callers only ever see return values.
    """

    def __init__(self, problem: DocumentProblem, detail: str) -> None:
        super().__init__(detail)
        self.problem = problem
        self.detail = detail


def check_size(data: bytes, limits: Limits) -> None:
    if not data:
        raise ExtractionRefused(DocumentProblem.EMPTY, "le fichier est vide (0 octet)")
    if len(data) > limits.max_bytes:
        raise ExtractionRefused(
            DocumentProblem.TOO_LARGE,
            f"fichier de {len(data):,} octets, limite {limits.max_bytes:,}",
        )


def check_zip(data: bytes, limits: Limits) -> None:
    """Refuse a zip container whose members would expand beyond the limits.

    zipfile never inflates a member past its declared ``file_size`` (it stops
    and reports a bad CRC), so summing the declared sizes bounds what
    python-docx, openpyxl or odfpy can ever decompress.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as error:
        raise ExtractionRefused(
            DocumentProblem.UNREADABLE, f"conteneur zip illisible ou tronqué ({error})"
        ) from error
    if len(members) > limits.max_zip_members:
        raise ExtractionRefused(
            DocumentProblem.TOO_LARGE, f"{len(members)} éléments dans le conteneur zip"
        )
    total = sum(member.file_size for member in members)
    if total > limits.max_unzipped_bytes:
        raise ExtractionRefused(
            DocumentProblem.TOO_LARGE,
            f"le contenu décompressé ferait {total:,} octets (limite "
            f"{limits.max_unzipped_bytes:,}) : bombe zip probable",
        )


def check_pages(count: int, limits: Limits) -> None:
    if count > limits.max_pages:
        raise ExtractionRefused(
            DocumentProblem.TOO_LARGE, f"{count} pages (limite {limits.max_pages})"
        )


def check_pixels(width: int, height: int, limits: Limits) -> None:
    if width * height > limits.max_pixels:
        raise ExtractionRefused(
            DocumentProblem.TOO_LARGE,
            f"image de {width}x{height} pixels (limite {limits.max_pixels:,} pixels)",
        )


def work_seconds() -> float:
    """CPU seconds spent so far by this process and the children it waited for (Tesseract)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


# A busy machine gives a step a fraction of a core: the wall clock may run this many
# times the work budget before we call the document stuck.
WALL_SLACK = 3.0


class Deadline:
    """The time left for one document, shared by all its pages.

    The budget counts work (CPU seconds), not the wall clock: a scan read while
    the machine is busy with something else must give the same answer as on a
    quiet machine, not come back unread. The wall clock only bounds a stuck
    step, at ``WALL_SLACK`` times the budget.
    """

    def __init__(
        self,
        seconds: float,
        work: Callable[[], float] = work_seconds,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._work = work
        self._clock = clock
        self._seconds = seconds
        self._work_end = work() + seconds
        self._wall_end = clock() + seconds * WALL_SLACK

    def work_left(self) -> float:
        """CPU seconds left in the budget (negative once spent)."""
        return self._work_end - self._work()

    def timeout(self) -> float:
        """Wall-clock seconds the next step may take; refuses with TIMEOUT once spent."""
        wall_left = self._wall_end - self._clock()
        if self.work_left() <= 0 or wall_left <= 0:
            raise ExtractionRefused(
                DocumentProblem.TIMEOUT, f"lecture au-delà de {self._seconds:.0f} s"
            )
        return wall_left
