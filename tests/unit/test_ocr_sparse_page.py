"""A page of blank paper with a few lines on it keeps its paper light for Tesseract."""

from __future__ import annotations

import numpy as np
from PIL import Image

from mailbot.understanding.documents import ocr


def _page(ink_rows: int) -> Image.Image:
    rng = np.random.default_rng(7)
    paper = rng.normal(225, 8, size=(1200, 900)).clip(0, 255)
    paper[100 : 100 + ink_rows, 100:800] = 20  # a few typed lines' worth of ink
    return Image.fromarray(paper.astype(np.uint8))


def test_a_nearly_blank_page_s_grain_is_not_stretched_into_noise() -> None:
    prepared = np.asarray(ocr._prepare(_page(ink_rows=4)))
    # The paper stays paper: its grain is not spread over the whole grey scale.
    assert np.percentile(prepared, 50) > 200
    assert np.percentile(prepared, 5) > 150


def test_a_page_full_of_ink_is_still_stretched() -> None:
    prepared = np.asarray(ocr._prepare(_page(ink_rows=200)))
    assert prepared.min() == 0 and np.percentile(prepared, 99) >= 250


def test_a_form_s_light_grey_ink_is_still_stretched_to_black() -> None:
    # A grey JPEG's typed values (about 110) over 1.5 % of the page, and a few black
    # specks of dust: the darkest percent is ink, which must come out black.
    page = np.asarray(_page(ink_rows=0)).copy()
    page[100:118, 100:800] = 110
    page[1000, 100:120] = 0
    prepared = np.asarray(ocr._prepare(Image.fromarray(page)))
    zoom = prepared.shape[0] / page.shape[0]  # a small page is enlarged for Tesseract
    line = prepared[round(102 * zoom) : round(116 * zoom), round(100 * zoom) : round(800 * zoom)]
    assert np.median(line) <= 40


def test_a_150_dpi_page_is_read_at_about_280_dpi_and_a_200_dpi_page_as_it_is() -> None:
    # At ~200 dpi Tesseract read a 150-dpi scan's "72000" as "72090" with confidence.
    low = ocr._prepare(Image.new("L", (1240, 1754), 255))  # A4 at 150 dpi
    assert round(max(low.size) / 11.69) in range(275, 286)
    usual = ocr._prepare(Image.new("L", (1654, 2339), 255))  # A4 at 200 dpi
    assert usual.size == (1654, 2339)
