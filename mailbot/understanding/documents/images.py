"""Pictures of a form (JPEG, PNG, TIFF with several pages, phone photos, HEIC) read by OCR."""

from __future__ import annotations

import io

from PIL import Image, ImageSequence
from pillow_heif import register_heif_opener

from mailbot.understanding.documents import ocr
from mailbot.understanding.documents.guards import Deadline, Limits, check_pages, check_pixels
from mailbot.understanding.documents.model import Document, Source

register_heif_opener()  # Pillow opens HEIC/HEIF photos from here on


# A scanned page is at least this many pixels on each side (A4 at ~85 dpi), however few
# bytes it takes: a 1-bit PNG of a typed page may weigh less than a colour logo.
_PAGE_SIDES = (700, 1000)


def page_sized(data: bytes) -> bool:
    """Whether the picture is as large as a page, read from its header alone."""
    try:
        with Image.open(io.BytesIO(data)) as picture:
            short, long = sorted(picture.size)
    except (OSError, ValueError, Image.DecompressionBombError):
        return False
    return short >= _PAGE_SIDES[0] and long >= _PAGE_SIDES[1]


def extract_image(data: bytes, limits: Limits) -> Document:
    with Image.open(io.BytesIO(data)) as picture:
        # The header gives the size before any pixel is decoded: refuse bombs here.
        check_pixels(picture.width, picture.height, limits)
        frames = getattr(picture, "n_frames", 1)
        check_pages(frames, limits)
        deadline = Deadline(limits.ocr_timeout_s)
        if frames == 1:
            picture.load()  # the picture itself keeps its EXIF orientation for the OCR
            pages = [ocr.read_image(_square_pixels(picture, limits), deadline)]
        else:
            pages = [
                ocr.read_image(_square_pixels(frame.copy(), limits), deadline)
                for frame in ImageSequence.Iterator(picture)
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


# A fax in "standard" resolution is 204 × 98 dpi: each pixel twice as tall as wide, the
# letters squashed to half their height until the picture is stretched back.
_SQUARE = (0.9, 1.1)
_MAX_STRETCH = 4.0


def _square_pixels(picture: Image.Image, limits: Limits) -> Image.Image:
    """The picture with square pixels, as the paper was; most pictures already are."""
    try:
        x_dpi, y_dpi = (float(d) for d in picture.info.get("dpi", (0, 0)))
    except (TypeError, ValueError):
        return picture
    if x_dpi <= 0 or y_dpi <= 0:
        return picture
    ratio = x_dpi / y_dpi
    if _SQUARE[0] <= ratio <= _SQUARE[1] or not 1 / _MAX_STRETCH <= ratio <= _MAX_STRETCH:
        return picture
    width, height = picture.width, picture.height
    size = (width, round(height * ratio)) if ratio > 1 else (round(width / ratio), height)
    check_pixels(size[0], size[1], limits)
    # Bilevel fax pages are stretched in grey: the letters' edges stay smooth for the OCR.
    source = picture.convert("L") if picture.mode == "1" else picture
    return source.resize(size, Image.Resampling.BICUBIC)
