"""The sheet of paper in a phone photo, cut out of the desk and seen from straight above.

A form photographed on a desk is a bright four-sided shape on a darker
background, its far edge shorter than its near one. Tesseract and the line
rebuilding expect text lines that stay horizontal across the page; in a
photo taken at an angle they converge, and cells of one table row end up
on different lines. The sheet's corners are found on a small copy (the
extreme points of the bright region) and the photo is warped so that they
become a rectangle. A scan, whose paper fills the picture, is left alone.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageFilter

_SIDE = 800  # the corners are looked for on a copy this size
_BORDER = 0.03  # the frame of the picture looked at to tell a desk from a scan's margin
_DESK_SHARE = 0.6  # share of that frame darker than the paper for a photo on a desk
_LEAST_AREA = 0.3  # a sheet covers at least this share of the picture

Corners = NDArray[np.float64]  # 4 x 2: top-left, top-right, bottom-right, bottom-left


def flatten_sheet(page: Image.Image) -> Image.Image:
    """``page`` (grey) warped so the photographed sheet fills it squarely, else unchanged."""
    corners = sheet_corners(page)
    if corners is None:
        return page
    top = np.hypot(*(corners[1] - corners[0]))
    bottom = np.hypot(*(corners[2] - corners[3]))
    left = np.hypot(*(corners[3] - corners[0]))
    right = np.hypot(*(corners[2] - corners[1]))
    width, height = int(max(top, bottom)), int(max(left, right))
    target = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float64)
    return page.transform(
        (width, height),
        Image.Transform.PERSPECTIVE,
        _coefficients(target, corners),
        Image.Resampling.BICUBIC,
        fillcolor=255,
    )


def sheet_corners(page: Image.Image) -> Corners | None:
    """The sheet's corners in ``page``'s pixels, or None for a scan or a sheet not found."""
    small = page.copy()
    small.thumbnail((_SIDE, _SIDE), Image.Resampling.BOX)
    scale = page.width / small.width
    pixels = np.asarray(small, dtype=np.uint8)
    level = _otsu(pixels)
    if level is None:
        return None  # one grey all over: a blank page (a scanned verso), no sheet to find
    bright = pixels > level
    # A few pixels of desk lit bright, or of paper in shadow, must not move a corner.
    cleaned = Image.fromarray((bright * 255).astype(np.uint8)).filter(ImageFilter.MinFilter(5))
    bright = np.asarray(cleaned.filter(ImageFilter.MaxFilter(5))) > 0
    rows, columns = bright.shape
    band = max(2, int(_BORDER * min(rows, columns)))
    frame = np.concatenate(
        [bright[:band].ravel(), bright[-band:].ravel(), bright[:, :band].ravel(),
         bright[:, -band:].ravel()]
    )  # fmt: skip
    if 1 - frame.mean() < _DESK_SHARE or bright.mean() < _LEAST_AREA:
        return None
    ys, xs = np.nonzero(bright)
    total, difference = xs + ys, xs - ys
    corners = np.array(
        [
            (xs[total.argmin()], ys[total.argmin()]),
            (xs[difference.argmax()], ys[difference.argmax()]),
            (xs[total.argmax()], ys[total.argmax()]),
            (xs[difference.argmin()], ys[difference.argmin()]),
        ],
        dtype=np.float64,
    )
    if _area(corners) < _LEAST_AREA * rows * columns or not _squarish(corners):
        return None
    return (corners + 0.5) * scale


_RIGHT_ANGLE_SLACK = 25.0  # degrees a photographed sheet's corner may be off square
_SIDE_RATIO = 0.8  # the shorter of two opposite sides, as a share of the longer


def _squarish(corners: Corners) -> bool:
    """A sheet seen at an angle is still nearly a rectangle: four corners near 90° and
    opposite sides of similar length. A corner found far off (the desk lit as bright as
    the paper, a corner of the sheet in shadow) would twist the page."""
    sides = [float(np.hypot(*(corners[(i + 1) % 4] - corners[i]))) for i in range(4)]
    for one, other in ((sides[0], sides[2]), (sides[1], sides[3])):
        if min(one, other) < _SIDE_RATIO * max(one, other):
            return False
    for index in range(4):
        before, here, after = corners[index - 1], corners[index], corners[(index + 1) % 4]
        one, two = before - here, after - here
        norms = float(np.hypot(*one) * np.hypot(*two))
        if norms == 0:
            return False
        angle = np.degrees(np.arccos(np.clip(float(np.dot(one, two)) / norms, -1.0, 1.0)))
        if abs(angle - 90.0) > _RIGHT_ANGLE_SLACK:
            return False
    return True


def _otsu(pixels: NDArray[np.uint8]) -> int | None:
    """The grey level that best splits paper from desk (Otsu's between-class variance);
    None for a picture of one grey level, which nothing splits."""
    histogram = np.bincount(pixels.ravel(), minlength=256).astype(np.float64)
    weights = np.cumsum(histogram)
    means = np.cumsum(histogram * np.arange(256))
    total, mean = weights[-1], means[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (mean * weights - means * total) ** 2 / (weights * (total - weights))
    if np.isnan(between).all():
        return None
    return int(np.nanargmax(between))


def _area(corners: Corners) -> float:
    xs, ys = corners[:, 0], corners[:, 1]
    return float(abs(np.dot(xs, np.roll(ys, 1)) - np.dot(ys, np.roll(xs, 1))) / 2)


def _coefficients(target: Corners, source: Corners) -> tuple[float, ...]:
    """PIL's eight perspective coefficients mapping ``target`` points back to ``source``."""
    rows = []
    for (x, y), (u, v) in zip(target, source, strict=True):
        rows.append(([x, y, 1, 0, 0, 0, -u * x, -u * y], u))
        rows.append(([0, 0, 0, x, y, 1, -v * x, -v * y], v))
    matrix = np.array([row for row, _ in rows], dtype=np.float64)
    values = np.array([value for _, value in rows], dtype=np.float64)
    return tuple(float(c) for c in np.linalg.solve(matrix, values))
