"""Pictures of a form (JPEG, PNG, TIFF with several pages, phone photos, HEIC) read by OCR."""

from __future__ import annotations

import io

from PIL import Image, ImageSequence
from pillow_heif import register_heif_opener

from mailbot.understanding.documents import ocr
from mailbot.understanding.documents.guards import Deadline, Limits, check_pages, check_pixels
from mailbot.understanding.documents.model import Document, Source

register_heif_opener()  # Pillow opens HEIC/HEIF photos from here on


def extract_image(data: bytes, limits: Limits) -> Document:
    with Image.open(io.BytesIO(data)) as picture:
        # The header gives the size before any pixel is decoded: refuse bombs here.
        check_pixels(picture.width, picture.height, limits)
        frames = getattr(picture, "n_frames", 1)
        check_pages(frames, limits)
        deadline = Deadline(limits.ocr_timeout_s)
        if frames == 1:
            picture.load()  # the picture itself keeps its EXIF orientation for the OCR
            pages = [ocr.read_image(picture, deadline)]
        else:
            pages = [
                ocr.read_image(frame.copy(), deadline) for frame in ImageSequence.Iterator(picture)
            ]
    confidence, handwriting = ocr.summarize(pages)
    return Document(
        filename=None,
        content_type="",
        source=Source.OCR,
        text="\n".join(page.text for page in pages).strip("\n"),
        checkboxes=tuple(box for page in pages for box in page.checkboxes),
        has_images=True,
        ocr_confidence=confidence,
        handwriting_suspected=handwriting,
        unsure_words=tuple(word for page in pages for word in page.unsure_words),
        pages=len(pages),
        notes=tuple(note for page in pages for note in page.notes),
    )
