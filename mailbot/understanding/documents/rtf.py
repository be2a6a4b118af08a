"""RTF: through LibreOffice when installed (keeps tables and tick boxes), else striprtf's text."""

from __future__ import annotations

from dataclasses import replace

from striprtf.striprtf import rtf_to_text

from mailbot.understanding.documents import libreoffice, word
from mailbot.understanding.documents.glyphs import checkboxes_in_text
from mailbot.understanding.documents.guards import ExtractionRefused, Limits
from mailbot.understanding.documents.model import Document, DocumentProblem, Source


def extract_rtf(data: bytes, limits: Limits) -> Document:
    """RTF forms are nearly always tables; striprtf flattens them to "a|b|" lines."""
    if libreoffice.soffice_path() is not None:
        try:
            converted = libreoffice.convert(data, suffix=".rtf", target="docx", limits=limits)
            document = word.extract_docx(converted, limits)
            return replace(document, notes=(*document.notes, "converti de .rtf par LibreOffice"))
        except ExtractionRefused as refusal:
            if refusal.problem is DocumentProblem.TIMEOUT:
                raise
    return _stripped(data)


def _stripped(data: bytes) -> Document:
    text = str(rtf_to_text(data.decode("latin-1"), errors="ignore"))  # type: ignore[no-untyped-call]
    # striprtf ends each table cell with "|": turn a row into tab-separated cells.
    lines = [
        line.rstrip("|").replace("|", "\t") if line.endswith("|") else line
        for line in text.splitlines()
    ]
    text = "\n".join(lines).strip("\n")
    if not text.strip():
        raise ExtractionRefused(DocumentProblem.EMPTY, "aucun texte dans ce fichier RTF")
    return Document(
        filename=None,
        content_type="",
        source=Source.TYPED,
        text=text,
        checkboxes=checkboxes_in_text(text),
        notes=("RTF lu sans LibreOffice : tableaux aplatis",),
    )
