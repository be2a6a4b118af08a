"""A form photographed on a desk at an angle is cut out and seen from straight above."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from mailbot.understanding.documents.sheet import (
    _coefficients,
    _corners_of_sides,
    flatten_sheet,
    sheet_corners,
)

W, H = 1200, 1700  # the sheet, in pixels


def _sheet() -> Image.Image:
    """White paper with a thick black line across the middle and one down the middle."""
    sheet = Image.new("L", (W, H), 235)
    draw = ImageDraw.Draw(sheet)
    draw.line((100, H // 2, W - 100, H // 2), fill=0, width=8)
    draw.line((W // 2, 100, W // 2, H - 100), fill=0, width=8)
    return sheet


def _photographed(sheet: Image.Image) -> Image.Image:
    desk = Image.new("L", (int(W * 1.3), int(H * 1.25)), 110)
    left, top = (desk.width - W) // 2, (desk.height - H) // 2
    desk.paste(sheet, (left, top))
    flat = np.array([[left, top], [left + W, top], [left + W, top + H], [left, top + H]], float)
    seen = flat + np.array(
        [[0.09 * W, 0.04 * H], [-0.06 * W, 0.07 * H], [0.02 * W, 0], [-0.03 * W, 0]]
    )
    return desk.transform(
        desk.size, Image.Transform.PERSPECTIVE, _coefficients(seen, flat),
        Image.Resampling.BICUBIC, fillcolor=110,
    )  # fmt: skip


def _line_rows(page: Image.Image) -> tuple[float, float]:
    """Where the horizontal line crosses a third and two thirds of the width."""
    ink = np.asarray(page) < 60  # the line, not the desk

    def row_at(x: int) -> float:
        rows = np.flatnonzero(ink[:, x])
        rows = rows[np.abs(rows - page.height / 2) < page.height / 4]
        return float(rows.mean())

    return row_at(page.width // 3), row_at(page.width * 2 // 3)


def test_the_sheet_is_cut_from_the_desk_and_squared() -> None:
    photo = _photographed(_sheet())
    left, right = _line_rows(photo)
    assert abs(left - right) > 10  # taken at an angle: the line runs aslant
    flat = flatten_sheet(photo)
    assert abs(flat.width - W) < 0.12 * W and abs(flat.height - H) < 0.12 * H
    left, right = _line_rows(flat)
    assert abs(left - right) < 3
    edges = np.concatenate([np.asarray(flat)[:5].ravel(), np.asarray(flat)[-5:].ravel()])
    assert (edges > 150).mean() > 0.95  # no desk left around the paper


def test_a_scan_whose_paper_fills_the_picture_is_left_alone() -> None:
    scan = _sheet()
    assert sheet_corners(scan) is None
    assert flatten_sheet(scan) is scan


def test_a_dark_picture_with_no_sheet_in_it_is_left_alone() -> None:
    night = Image.new("L", (900, 1200), 40)
    ImageDraw.Draw(night).rectangle((400, 500, 480, 560), fill=230)  # a lamp, not a sheet
    assert sheet_corners(night) is None


def test_a_blank_page_has_no_sheet_and_does_not_fail() -> None:
    verso = Image.new("1", (1654, 2339), 1)  # the white back of a duplex scan
    assert sheet_corners(verso.convert("L")) is None


def _assert_squared(photo: Image.Image) -> None:
    flat = flatten_sheet(photo)
    assert abs(flat.width - W) < 0.12 * W and abs(flat.height - H) < 0.12 * H
    left, right = _line_rows(flat)
    assert abs(left - right) < 3


def test_a_sheet_with_a_corner_in_shadow_is_not_twisted() -> None:
    # The top-left quarter of the paper in deep shadow: its corner looks like desk. The
    # extreme points would twist the page; its straight sides still give the corner.
    photo = _photographed(_sheet())
    ImageDraw.Draw(photo).rectangle((0, 0, photo.width // 2, photo.height // 3), fill=105)
    _assert_squared(photo)


def test_a_dog_eared_sheet_is_squared_by_its_sides() -> None:
    # The bottom-right corner folded under: the outline cuts across it diagonally.
    photo = _photographed(_sheet())
    w, h = photo.size
    ImageDraw.Draw(photo).polygon([(w, h * 0.70), (w, h), (w * 0.72, h)], fill=110)
    _assert_squared(photo)


def test_only_straight_sides_give_corners() -> None:
    # A round glow has no straight sides to cross; a dog-eared rectangle has four.
    round_glow = Image.new("L", (600, 800), 0)
    ImageDraw.Draw(round_glow).ellipse((40, 40, 560, 760), fill=255)
    assert _corners_of_sides(np.asarray(round_glow) > 0) is None
    dog_eared = Image.new("L", (600, 800), 0)
    ImageDraw.Draw(dog_eared).polygon(
        [(50, 50), (550, 50), (550, 600), (400, 750), (50, 750)], fill=255
    )
    corners = _corners_of_sides(np.asarray(dog_eared) > 0)
    assert corners is not None
    assert np.allclose(corners, [[50, 50], [550, 50], [550, 750], [50, 750]], atol=3)


def test_a_sheet_photographed_from_afar_is_enlarged_as_a_low_scan_is() -> None:
    # The photo is over 2 000 pixels high, the sheet in it under: its letters are small.
    from mailbot.understanding.documents.ocr import _prepare

    photo = _photographed(_sheet())
    assert max(photo.size) > 2000
    page = _prepare(photo)
    assert max(page.size) > 3000
    first, second = _line_rows(page)
    assert abs(first - second) < 0.01 * page.height  # cut out and squared, then enlarged
