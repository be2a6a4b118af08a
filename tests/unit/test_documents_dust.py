"""The dust filter gives Pillow's 3 x 3 median to the pixel, edges included."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageFilter

from mailbot.understanding.documents.dust import median3


@pytest.mark.parametrize("shape", [(1, 1), (1, 6), (5, 2), (3, 3), (41, 67), (300, 211)])
def test_the_median_is_pillows(shape: tuple[int, int]) -> None:
    rng = np.random.default_rng(sum(shape))
    page = Image.fromarray(rng.integers(0, 256, shape, dtype=np.uint8), mode="L")
    expected = np.asarray(page.filter(ImageFilter.MedianFilter(3)))
    assert (np.asarray(median3(page)) == expected).all()


def test_a_speck_of_dust_goes_and_a_stroke_stays() -> None:
    page = Image.new("L", (40, 40), 255)
    page.putpixel((10, 10), 0)  # dust
    for y in range(5, 35):
        for x in (20, 21, 22):
            page.putpixel((x, y), 0)  # a letter's stem, three pixels wide
    cleaned = median3(page)
    assert cleaned.getpixel((10, 10)) == 255
    assert all(cleaned.getpixel((21, y)) == 0 for y in range(6, 34))
