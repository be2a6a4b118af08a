"""Word 97 (.doc) and Excel 97 (.xls): converted by LibreOffice, then read as DOCX / XLSX."""

from __future__ import annotations

from dataclasses import replace

from mailbot.understanding.documents import libreoffice, spreadsheet, word
from mailbot.understanding.documents.guards import Limits
from mailbot.understanding.documents.model import Document


def extract_doc(data: bytes, limits: Limits) -> Document:
    converted = libreoffice.convert(data, suffix=".doc", target="docx", limits=limits)
    document = word.extract_docx(converted, limits)
    return replace(document, notes=(*document.notes, "converti de .doc par LibreOffice"))


def extract_xls(data: bytes, limits: Limits) -> Document:
    converted = libreoffice.convert(data, suffix=".xls", target="xlsx", limits=limits)
    document = spreadsheet.extract_xlsx(converted, limits)
    return replace(document, notes=(*document.notes, "converti de .xls par LibreOffice"))
