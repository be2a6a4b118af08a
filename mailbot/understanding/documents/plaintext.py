"""Plain-text attachments (.txt): the text as typed."""

from __future__ import annotations

from mailbot.understanding.documents.glyphs import checkboxes_in_text
from mailbot.understanding.documents.guards import Limits
from mailbot.understanding.documents.model import Document, Source
from mailbot.understanding.documents.textcodec import decode


def extract_text(data: bytes, limits: Limits) -> Document:
    utf16 = data[:2] in (b"\xff\xfe", b"\xfe\xff")  # Notepad's "Unicode"
    text = data.decode("utf-16", errors="replace") if utf16 else decode(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return Document(
        filename=None,
        content_type="text/plain",
        source=Source.TYPED,
        text=text.strip("\n"),
        checkboxes=checkboxes_in_text(text),
    )
