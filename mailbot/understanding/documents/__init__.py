"""Turn an attachment (or an HTML body) into text, tables, form fields and tick boxes.

Two entry points: ``extract_document`` for attachment bytes of any format, and
``extract_html`` for an HTML mail body. Neither raises for bad input; a file we
cannot read comes back as a ``Document`` whose ``problem`` says why.
"""

from __future__ import annotations

from mailbot.understanding.documents.dispatch import extract
from mailbot.understanding.documents.guards import Limits
from mailbot.understanding.documents.html import extract_html
from mailbot.understanding.documents.model import Checkbox, Document, DocumentProblem, Source

__all__ = [
    "Checkbox",
    "Document",
    "DocumentProblem",
    "Limits",
    "Source",
    "extract_document",
    "extract_html",
]

_DEFAULT_LIMITS = Limits()


def extract_document(
    data: bytes,
    *,
    filename: str | None,
    content_type: str,
    limits: Limits = _DEFAULT_LIMITS,
) -> list[Document]:
    """The documents in one attachment: usually one, several for a TNEF winmail.dat.

    The format is recognised from the bytes first, then ``filename``'s
    extension, then ``content_type``. Never raises for bad input.
    """
    return extract(data, filename, content_type, limits)
