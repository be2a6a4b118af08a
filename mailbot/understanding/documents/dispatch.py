"""Route an attachment's bytes to the reader for its format, and turn every failure into a value."""

from __future__ import annotations

import io
import logging
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import replace

from PIL import Image

from mailbot.understanding.documents import (
    archive,
    html,
    images,
    opendocument,
    pdf,
    plaintext,
    rtf,
    spreadsheet,
    tnef,
    word,
)
from mailbot.understanding.documents.guards import ExtractionRefused, Limits, check_size
from mailbot.understanding.documents.legacy import extract_doc, extract_xls
from mailbot.understanding.documents.model import SMALL_PICTURE_BYTES, Document, DocumentProblem
from mailbot.understanding.documents.sniff import Format, magic_format, sniff

log = logging.getLogger(__name__)

Reader = Callable[[bytes, Limits], Document]

_READERS: dict[Format, Reader] = {
    Format.DOCX: word.extract_docx,
    Format.DOC: extract_doc,
    Format.ODT: opendocument.extract_odt,
    Format.ODS: opendocument.extract_ods,
    Format.RTF: rtf.extract_rtf,
    Format.XLSX: spreadsheet.extract_xlsx,
    Format.XLS: extract_xls,
    Format.CSV: spreadsheet.extract_csv,
    Format.TEXT: plaintext.extract_text,
    Format.HTML: html.extract_html_bytes,
    Format.PDF: pdf.extract_pdf,
    Format.IMAGE: images.extract_image,
}

# Read through LibreOffice, which costs seconds: only when the bytes agree with the name.
_CONVERTED = frozenset({Format.DOC, Format.XLS, Format.RTF})

_UNSUPPORTED_DETAIL = {
    Format.OUTLOOK_MSG: (
        "message Outlook (.msg) joint qui n'a pas pu être ouvert : son contenu est à lire"
    ),
    Format.UNKNOWN: "format non pris en charge",
}


def extract(
    data: bytes, filename: str | None, content_type: str, limits: Limits, depth: int = 0
) -> list[Document]:
    """Documents found in one attachment; never raises for bad input."""
    found = sniff(data, filename, content_type)
    try:
        check_size(data, limits)
        if found is Format.SEALED_MAIL:
            # A signed one was opened with the mail (smime.unwrapped): this one is sealed.
            raise ExtractionRefused(
                DocumentProblem.ENCRYPTED,
                "message chiffré (S/MIME) : il ne se lit qu'avec la clé de son destinataire",
            )
        if found is Format.TNEF:
            documents = tnef.extract_tnef(data, limits, _nested(limits, depth))
        elif found is Format.ZIP:
            documents = archive.extract_zip(data, limits, _nested(limits, depth))
        else:
            documents = [_read(found, data, limits)]
            if found is Format.PDF:
                documents += _inside_pdf(data, limits, depth)
            if found in _PICTURE_HOLDERS and _only_pictures(documents[0]):
                documents = _scans_inside(data, limits, depth) or documents
    except Exception as error:
        documents = [_failure(error, f"fichier {found.value} illisible ou corrompu")]
    # Documents from inside a container (TNEF, zip) keep their own names.
    return [
        replace(
            document,
            filename=document.filename or filename,
            content_type=document.content_type or content_type,
        )
        for document in documents
    ]


def _failure(error: Exception, unreadable: str) -> Document:
    """The document saying why a file could not be read; ``unreadable`` opens the detail
    when the cause is the file itself."""
    if isinstance(error, ExtractionRefused):
        return Document.failed(error.problem, error.detail)
    if isinstance(error, Image.DecompressionBombError):
        return Document.failed(DocumentProblem.TOO_LARGE, f"image trop grande ({error})")
    # Library errors on malformed files come in every type (KeyError, struct.error,
    # PdfReadError...): all of them mean "this file cannot be read", not a bug of ours.
    log.info("document_unreadable what=%r error=%r", unreadable, error)
    detail = f"{unreadable} ({type(error).__name__}: {error})"
    return Document.failed(DocumentProblem.UNREADABLE, detail[:500])


# A word processor's file that holds nothing but a scan pasted into it.
_PICTURE_HOLDERS = frozenset({Format.DOCX, Format.ODT})
_MEDIA = ("word/media/", "Pictures/")


def _only_pictures(document: Document) -> bool:
    return document.has_images and len(document.text.split()) < 30


def _scans_inside(data: bytes, limits: Limits, depth: int) -> list[Document]:
    """The largest picture of the package, read as the scan it is."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        media = [
            info
            for info in package.infolist()
            if info.filename.startswith(_MEDIA) and info.file_size >= SMALL_PICTURE_BYTES
        ]
        if not media:
            return []
        largest = max(media, key=lambda info: info.file_size)
        picture = package.read(largest)
    name = largest.filename.rsplit("/", 1)[-1]
    return [d for d in _nested(limits, depth)(picture, name, "") if d.problem is None]


def _inside_pdf(data: bytes, limits: Limits, depth: int) -> list[Document]:
    """The files a PDF carries, read one level deeper; the PDF's own page stands whatever
    becomes of them."""
    try:
        files = pdf.embedded_files(data, limits)
    except Exception as error:  # a broken name tree: the page was read all the same
        return [_failure(error, "fichiers joints au PDF illisibles")]
    inner = _nested(limits, depth)
    return [document for name, content in files for document in inner(content, name, "")]


def _read(found: Format, data: bytes, limits: Limits) -> Document:
    if found is Format.ENCRYPTED_OFFICE:
        raise ExtractionRefused(
            DocumentProblem.ENCRYPTED, "document Office protégé par un mot de passe"
        )
    if found in _CONVERTED and magic_format(data) is not found:
        raise ExtractionRefused(
            DocumentProblem.UNREADABLE, f"le contenu n'est pas celui d'un fichier {found.value}"
        )
    reader = _READERS.get(found)
    if reader is None:
        detail = _UNSUPPORTED_DETAIL.get(found, f"format {found.value} non pris en charge")
        raise ExtractionRefused(DocumentProblem.UNSUPPORTED, detail)
    with warnings.catch_warnings():
        # Malformed files make the libraries warn loudly; the outcome says it already.
        warnings.simplefilter("ignore")
        document = reader(data, limits)
    if len(document.text) > limits.max_text_chars:
        document = replace(document, text=document.text[: limits.max_text_chars])
    return document


def _nested(limits: Limits, depth: int) -> Callable[[bytes, str | None, str], list[Document]]:
    """The extractor a container uses for what it contains, one level deeper."""

    def extract_inner(data: bytes, filename: str | None, content_type: str) -> list[Document]:
        if depth + 1 > limits.max_nesting:
            return [
                Document.failed(
                    DocumentProblem.UNSUPPORTED,
                    "pièces jointes imbriquées trop profondément",
                    filename=filename,
                    content_type=content_type,
                )
            ]
        return extract(data, filename, content_type, limits, depth + 1)

    return extract_inner
