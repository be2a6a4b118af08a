"""Render one PDF page to a greyscale picture for OCR (pypdfium2), within the pixel limit."""

from __future__ import annotations

import math

import pypdfium2
from PIL import Image

from mailbot.understanding.documents.guards import Limits

OCR_DPI = 300  # Tesseract is trained on ~300-dpi text; less loses accents, more is slow


def render_pdf_page(data: bytes, index: int, limits: Limits) -> Image.Image:
    document = pypdfium2.PdfDocument(data)
    try:
        page = document[index]
        width, height = page.get_size()  # points, 1/72 inch
        scale = OCR_DPI / 72
        pixels = width * height * scale * scale
        if pixels > limits.max_pixels:
            # A poster-sized page: render it smaller rather than refuse the whole file.
            scale = math.sqrt(limits.max_pixels / (width * height)) * 0.99
        bitmap = page.render(scale=scale, grayscale=True)
        picture: Image.Image = bitmap.to_pil()
        return picture.convert("L")
    finally:
        document.close()
