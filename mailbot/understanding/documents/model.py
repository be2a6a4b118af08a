"""What a document extractor hands to the form reader: text, tables, fields, and how sure it is.

An extractor never raises for bad input: it returns a ``Document`` whose
``problem`` says why it could not be read (encrypted, truncated, too big, ...).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

# Bytes: a picture smaller than this is a logo or a signature, not a page of a form.
SMALL_PICTURE_BYTES = 30_000
# The note a document carries when an e-signature platform certified its signing.
E_SIGNED = "signé électroniquement (certificat de la plateforme de signature)"
# Acrobat's "Remplir et signer" draws the signature as an ink annotation over the page.
INK_SIGNED = "signature tracée à la main sur le PDF"
# A scan's stamp or signature, seen as ink beside "Signature et cachet" (``marks.py``).
SCAN_SIGNED = "signature ou cachet vu sur le scan"
# A value place of the signing block covered by ink no word was read from.
COVERED = {
    "signed_date": "la date de signature est recouverte (cachet ou signature) sur le scan",
    "signatory": "le nom du signataire est recouvert (cachet ou signature) sur le scan",
}


class DocumentProblem(StrEnum):
    UNREADABLE = "unreadable"  # corrupt or truncated file
    ENCRYPTED = "encrypted"  # password-protected PDF or Office file
    TOO_LARGE = "too_large"  # over the size, page or pixel limits
    TIMEOUT = "timeout"  # took longer than the per-document time limit
    UNSUPPORTED = "unsupported"  # a format we do not read (video, archive, ...)
    EMPTY = "empty"  # zero bytes, or nothing readable inside


class Source(StrEnum):
    """How the text was obtained; the form reader trusts them differently."""

    TYPED = "typed"  # native text: Word, ODT, RTF, text PDF, body
    FORM_FIELDS = "form_fields"  # PDF AcroForm / Word content controls
    SPREADSHEET = "spreadsheet"  # XLSX / ODS / CSV
    OCR = "ocr"  # Tesseract on a scan or photo


@dataclass(frozen=True, slots=True)
class Checkbox:
    """A tick box and the text next to it (e.g. the SAAD form's session choice)."""

    label: str
    checked: bool
    # Marked, but by a speck or a sign no one ticks with ("[.]", a dot in the square):
    # counted as marked, and the choice left for a person to confirm.
    faint: bool = False


@dataclass(frozen=True, slots=True)
class Document:
    """One attachment (or body), reduced to what a form reader needs."""

    filename: str | None
    content_type: str
    source: Source
    text: str = ""  # reading order, paragraphs separated by "\n"
    tables: tuple[tuple[tuple[str, ...], ...], ...] = ()  # tables -> rows -> cells
    fields: tuple[tuple[str, str], ...] = ()  # form fields (name, value), in order
    checkboxes: tuple[Checkbox, ...] = ()
    has_images: bool = False  # embedded pictures (a stamp or a signature scan)
    # Where each picture (or a PDF's vector drawing of a stamp's size) sits, as an offset
    # into ``text`` (DOCX, ODT, PDF): an image after "Signature et cachet" is a signature;
    # one at the top is a letterhead logo.
    image_offsets: tuple[int, ...] = ()
    ocr_confidence: float | None = None  # mean word confidence 0-100, OCR only
    handwriting_suspected: bool = False  # OCR saw mostly low-confidence, irregular words
    unsure_words: tuple[str, ...] = ()  # OCR words read with low confidence
    pages: int = 0
    problem: DocumentProblem | None = None
    detail: str = ""  # human-readable detail for the problem
    notes: tuple[str, ...] = field(default=())  # extraction notes (rotated, deskewed, ...)
    # What someone left on the document for its reader (Word comments, PDF sticky notes,
    # struck-out text, a field showing another value than it holds), in French.
    remarks: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.problem is None

    @classmethod
    def failed(
        cls,
        problem: DocumentProblem,
        detail: str,
        *,
        filename: str | None = None,
        content_type: str = "",
    ) -> Document:
        """A document we could not read, saying why."""
        return cls(
            filename=filename,
            content_type=content_type,
            source=Source.TYPED,
            problem=problem,
            detail=detail,
        )
