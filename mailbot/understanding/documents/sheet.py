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
    if not _squarish(corners):
        # A corner in shadow or folded under ("dog-eared"): the extreme points miss it.
        # The sheet's four straight edges still show; where they cross is the corner.
        sides = _corners_of_sides(bright)
        if sides is None:
            return None
        corners = sides
    if _area(corners) < _LEAST_AREA * rows * columns:
        return None
    if not _squarish(corners) or not _within(corners, columns, rows):
        return None
    return (corners + 0.5) * scale


def _corners_of_sides(bright: NDArray[np.bool_]) -> Corners | None:
    """The corners where the bright region's straight sides meet: the edges of its
    outline that face each way (up, right, down, left), each side a line through them."""
    rows = np.flatnonzero(bright.any(axis=1))
    if len(rows) < 2:
        return None
    lefts = bright[rows].argmax(axis=1)
    rights = bright.shape[1] - 1 - bright[rows, ::-1].argmax(axis=1)
    ys = rows.tolist()
    outline = _hull([*zip(lefts.tolist(), ys, strict=True), *zip(rights.tolist(), ys, strict=True)])
    centre = np.mean(outline, axis=0)
    edges: dict[str, list[tuple[NDArray[np.float64], NDArray[np.float64]]]] = {}
    for here, after in zip(outline, np.roll(outline, -1, axis=0), strict=True):
        dx, dy = after - here
        middle = (here + after) / 2
        if abs(dy) <= _SIDE_SLANT * abs(dx):
            side = "top" if middle[1] < centre[1] else "bottom"
        elif abs(dx) <= _SIDE_SLANT * abs(dy):
            side = "left" if middle[0] < centre[0] else "right"
        else:
            continue  # a diagonal: the cut across a corner in shadow or folded under
        edges.setdefault(side, []).append((here, after))
    lines = {
        side: line for side, found in edges.items() if (line := _straight_line(found)) is not None
    }
    if len(lines) < 4:
        return None
    pairs = (("top", "left"), ("top", "right"), ("bottom", "right"), ("bottom", "left"))
    found = [_crossing(lines[one], lines[other]) for one, other in pairs]
    if any(corner is None for corner in found):
        return None
    corners = np.array(found, dtype=np.float64)
    # Each side mostly seen: a sheet half lost in shadow is not squared from a stub.
    spans = {"top": (0, 1), "right": (1, 2), "bottom": (2, 3), "left": (3, 0)}
    for side, (start, end) in spans.items():
        seen = sum(float(np.hypot(*(b - a))) for a, b in edges[side])
        if seen < _SEEN * float(np.hypot(*(corners[end] - corners[start]))):
            return None
    return corners


_SIDE_SLANT = 0.6  # tan of the angle (about 30°) a side may lean and still face its way
_SEEN = 0.4  # share of a side its outline must show
_BOWED = 0.02  # of a side's length: how far its edges may stray from one straight line


def _straight_line(
    edges: list[tuple[NDArray[np.float64], NDArray[np.float64]]],
) -> tuple[NDArray[np.float64], NDArray[np.float64]] | None:
    """Two points of the line the edges lie on, or None when they bow (a round shape)."""
    points = np.array([point for edge in edges for point in edge], dtype=np.float64)
    centre = points.mean(axis=0)
    _, _, axes = np.linalg.svd(points - centre)
    direction = axes[0]
    along = (points - centre) @ direction
    across = np.abs((points - centre) @ axes[1])
    span = float(along.max() - along.min())
    if span == 0 or float(across.max()) > _BOWED * span:
        return None
    return centre, centre + direction


def _hull(points: list[tuple[int, int]]) -> NDArray[np.float64]:
    """The convex outline of ``points`` (Andrew's monotone chain)."""
    ordered = sorted(set(points))

    def turn(o: tuple[int, int], a: tuple[int, int], b: tuple[int, int]) -> int:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[tuple[int, int]] = []
    upper: list[tuple[int, int]] = []
    for point in ordered:
        while len(lower) >= 2 and turn(lower[-2], lower[-1], point) <= 0:
            lower.pop()
        lower.append(point)
    for point in reversed(ordered):
        while len(upper) >= 2 and turn(upper[-2], upper[-1], point) <= 0:
            upper.pop()
        upper.append(point)
    return np.array(lower[:-1] + upper[:-1], dtype=np.float64)


def _crossing(
    one: tuple[NDArray[np.float64], NDArray[np.float64]],
    other: tuple[NDArray[np.float64], NDArray[np.float64]],
) -> NDArray[np.float64] | None:
    """Where the lines through two edges meet; None for parallel ones."""
    (a, b), (c, d) = one, other
    r, s = b - a, d - c
    denominator = float(r[0] * s[1] - r[1] * s[0])
    if abs(denominator) < 1e-9:
        return None
    t = float((c - a)[0] * s[1] - (c - a)[1] * s[0]) / denominator
    return a + t * r


def _within(corners: Corners, columns: int, rows: int) -> bool:
    """Corners on the picture, or just off it (a sheet's tip out of the frame)."""
    xs, ys = corners[:, 0], corners[:, 1]
    slack_x, slack_y = _OFF_FRAME * columns, _OFF_FRAME * rows
    return bool(
        xs.min() >= -slack_x and xs.max() <= columns + slack_x
        and ys.min() >= -slack_y and ys.max() <= rows + slack_y
    )  # fmt: skip


_OFF_FRAME = 0.05


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
