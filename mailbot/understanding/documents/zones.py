"""Pen-written zones of a page read by Tesseract, several cleanings each, in one run per mode.

Starting Tesseract and loading its French model costs about as much as
reading a small zone, so the zones of a page (and the several ways of
cleaning each) are written to a folder and read in one run per page
segmentation mode, from a list file: Tesseract then reads them as the pages
of one document. No single cleaning suits every pen: thick strokes read best
thinned, thin ones thickened, a value touching a rule best with the rules
kept. Each zone therefore comes back as several readings; which to believe
is ``candidates.py``'s business.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from statistics import fmean, median

import numpy as np
import pytesseract
from PIL import Image, ImageFilter

from mailbot.understanding.documents.guards import Deadline
from mailbot.understanding.documents.lines import Word
from mailbot.understanding.documents.rules import long_runs

LANGUAGE = "fra"
_MARGIN = 20  # white frame around a cleaned zone: Tesseract misreads letters touching the edge
_RUNS_AT_ONCE = 2
_LINE_FLOOR = 20.0  # mean Tesseract confidence under which a zone's line is no writing


@dataclass(frozen=True, slots=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float

    def holds(self, word: Word) -> bool:
        x = (word.x0 + word.x1) / 2
        return self.left <= x <= self.right and self.top <= word.middle <= self.bottom


@dataclass(frozen=True, slots=True)
class Cleaning:
    """One way of preparing a zone's pixels for Tesseract."""

    scale: int = 2  # pen strokes at 300 dpi are thin for Tesseract's line model: read them larger
    thicken: bool = True  # a 3-pixel minimum filter: mends broken thin strokes, blurs thick ones
    erase_rules: bool = True  # a rule touching the writing may take a stroke with it


# The first is the one to trust when the readings disagree and nothing else decides.
CLEANINGS = (
    Cleaning(),
    Cleaning(scale=3, thicken=False),
    Cleaning(scale=1, thicken=False),
)


@dataclass(frozen=True, slots=True)
class Request:
    """A zone to read, and how: page segmentation mode, characters allowed."""

    zone: Box
    psm: int
    chars: str = ""


@dataclass(frozen=True, slots=True)
class ReadLine:
    text: str
    middle: float  # page coordinates
    height: float
    confidence: float  # Tesseract's mean over the line's words, 0-100


@dataclass(frozen=True, slots=True)
class Reading:
    """What Tesseract read in one cleaning of a zone."""

    lines: tuple[ReadLine, ...]

    @property
    def text(self) -> str:
        return " ".join(line.text for line in self.lines)

    @property
    def confidence(self) -> float:
        return fmean(line.confidence for line in self.lines) if self.lines else 0.0


def read_zones(
    page: Image.Image, requests: Sequence[Request], deadline: Deadline
) -> list[list[Reading]]:
    """For each request, its readings (one per cleaning that left ink), in CLEANINGS order.

    Raises RuntimeError when Tesseract fails or runs out of time, as pytesseract does.
    """
    trimmed: dict[Box, _Trimmed | None] = {}
    cleaned: dict[tuple[Box, Cleaning], Image.Image | None] = {}

    def pictures(zone: Box) -> list[tuple[Cleaning, Image.Image]]:
        if zone not in trimmed:
            trimmed[zone] = _trim(page, zone)
        crops = trimmed[zone]
        if crops is None:
            return []  # an empty box: Tesseract would only invent a word from dust
        for cleaning in CLEANINGS:
            if (zone, cleaning) not in cleaned:
                picture = clean(crops.raw if not cleaning.erase_rules else crops.erased, cleaning)
                cleaned[zone, cleaning] = None if _blank(picture, cleaning.scale) else picture
        return [(c, p) for c in CLEANINGS if (p := cleaned[zone, c]) is not None]

    by_run: dict[tuple[int, str], list[int]] = {}
    for index, request in enumerate(requests):
        by_run.setdefault((request.psm, request.chars), []).append(index)
    # Each run is a tesseract process limited to one thread (see ocr.py): two at a time
    # keep both cores of a small machine busy without making them fight. A run starts
    # as soon as its zones are cleaned, so cleaning the next ones overlaps it.
    runs: list[tuple[list[tuple[int, Cleaning]], Future[list[_Data]]]] = []
    with ThreadPoolExecutor(max_workers=_RUNS_AT_ONCE) as pool:
        for (psm, chars), indexes in by_run.items():
            chunk = [(i, c, p) for i in indexes for c, p in pictures(requests[i].zone)]
            if chunk:
                batch = pool.submit(_read_batch, [p for _, _, p in chunk], psm, chars, deadline)
                runs.append(([(i, c) for i, c, _ in chunk], batch))
        readings: list[list[Reading]] = [[] for _ in requests]
        for chunk_keys, batch in runs:
            for (index, cleaning), data in zip(chunk_keys, batch.result(), strict=True):
                top = trimmed[requests[index].zone]
                assert top is not None
                floor = 0.0 if requests[index].chars else _LINE_FLOOR
                readings[index].append(Reading(_lines(data, cleaning.scale, top.top, floor)))
    return readings


@dataclass(frozen=True, slots=True)
class _Trimmed:
    """A zone cut down to its writing, with and without its rules."""

    erased: Image.Image
    raw: Image.Image
    top: float  # page coordinate of the crops' top


def _trim(page: Image.Image, zone: Box) -> _Trimmed | None:
    """The zone's crops reduced to the box around its ink, or None when it holds none.

    Zones run to the page's right margin and most of that is paper; every
    cleaning and Tesseract's layout analysis would pay for it.
    """
    box = (int(zone.left), int(zone.top), int(min(zone.right, page.width)), int(zone.bottom))
    if box[2] - box[0] < 10 or box[3] - box[1] < 10:
        return None
    raw = page.crop(box).convert("L")
    erased = _erase_lines(raw)
    pixels = np.asarray(erased, dtype=np.int16)
    local = np.asarray(erased.filter(ImageFilter.BoxBlur(12)), dtype=np.int16)
    ink = _main_bands((pixels < local - 18) & (pixels < 200))
    if int(ink.sum()) < 40:
        return None
    ys, xs = np.nonzero(ink)
    pad = 12
    left, right = max(int(xs.min()) - pad, 0), min(int(xs.max()) + pad + 1, raw.width)
    top, bottom = max(int(ys.min()) - pad, 0), min(int(ys.max()) + pad + 1, raw.height)
    cut = (left, top, right, bottom)
    return _Trimmed(erased.crop(cut), raw.crop(cut), zone.top + top)


def clean(crop: Image.Image, cleaning: Cleaning = CLEANINGS[0]) -> Image.Image:
    """A zone made easy for Tesseract: pen strokes black, paper white, framed, enlarged.

    ``crop`` has had its rules erased already when ``cleaning`` asks for it.

    An adaptive threshold (each pixel against its neighbourhood's mean) keeps a
    light ballpoint stroke on grey paper that a global one loses.
    """
    grey = crop.convert("L")
    scale = cleaning.scale
    big = grey.resize((grey.width * scale, grey.height * scale), Image.Resampling.LANCZOS)
    pixels = np.asarray(big, dtype=np.int16)
    local = np.asarray(big.filter(ImageFilter.BoxBlur(12 * scale)), dtype=np.int16)
    ink = _main_bands((pixels < local - 18) & (pixels < 200))
    if cleaning.thicken:
        ink = _grown(ink)
    binary = Image.fromarray(np.where(ink, 0, 255).astype(np.uint8), mode="L")
    framed = Image.new("L", (binary.width + 2 * _MARGIN, binary.height + 2 * _MARGIN), 255)
    framed.paste(binary, (_MARGIN, _MARGIN))
    return framed


def _grown(ink: np.ndarray, reach: int = 1) -> np.ndarray:
    """Each ink pixel spread ``reach`` pixels every way: Pillow's (2 reach + 1)-square minimum
    filter on the black-on-white picture, done with shifted copies in a tenth of its time."""
    grown = ink
    for _ in range(reach):  # two 3 x 3 squares make a 5 x 5 one
        down = grown.copy()
        down[1:] |= grown[:-1]
        down[:-1] |= grown[1:]
        grown = down.copy()
        grown[:, 1:] |= down[:, :-1]
        grown[:, :-1] |= down[:, 1:]
    return grown


_Data = dict[str, list[object]]


def _read_batch(
    pictures: list[Image.Image], psm: int, chars: str, deadline: Deadline
) -> list[_Data]:
    """Tesseract's word data for each picture, from one run over a list file."""
    config = f"--psm {psm}"
    if chars:
        config += f" -c tessedit_char_whitelist={chars}"
    with tempfile.TemporaryDirectory(prefix="mailbot-zones-") as folder:
        paths = []
        for number, picture in enumerate(pictures):
            path = Path(folder) / f"{number}.pgm"
            picture.save(path, format="PPM")  # uncompressed: written in microseconds
            paths.append(str(path))
        listing = Path(folder) / "zones.txt"
        listing.write_text("\n".join(paths) + "\n", encoding="utf-8")
        data = pytesseract.image_to_data(
            str(listing), lang=LANGUAGE, config=config, output_type=pytesseract.Output.DICT,
            timeout=deadline.timeout(),
        )  # fmt: skip
    pages: list[_Data] = [{key: [] for key in data} for _ in pictures]
    for i, number in enumerate(data["page_num"]):
        for key, values in data.items():
            pages[int(number) - 1][key].append(values[i])
    return pages


def _lines(data: _Data, scale: int, origin: float, floor: float) -> tuple[ReadLine, ...]:
    """Tesseract's lines in one picture, placed back in page coordinates.

    Lines under ``floor`` are dropped. Restricted to a few characters,
    Tesseract scores even a good reading low, and such a reading is checked
    (a date that exists, an address's syntax) before it is believed: no floor then.
    """
    grouped: dict[tuple[object, object, object], list[int]] = {}
    for i, text in enumerate(data["text"]):
        if str(text).strip() and _number(data["conf"][i]) >= 0:
            key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
            grouped.setdefault(key, []).append(i)
    lines: list[ReadLine] = []
    for indexes in grouped.values():
        confidence = fmean(_number(data["conf"][i]) for i in indexes)
        if confidence < floor:
            continue  # a stamp, a signature or a stroke taken for letters
        tops = [(_number(data["top"][i]) - _MARGIN) / scale + origin for i in indexes]
        bottoms = [
            t + _number(data["height"][i]) / scale for t, i in zip(tops, indexes, strict=True)
        ]
        text = " ".join(str(data["text"][i]).strip() for i in indexes)
        middle = (median(tops) + median(bottoms)) / 2
        lines.append(ReadLine(text, middle, median(bottoms) - median(tops), confidence))
    return tuple(sorted(lines, key=lambda line: line.middle))


def _number(value: object) -> float:
    return float(str(value))


def _erase_lines(crop: Image.Image) -> Image.Image:
    """The zone without its printed rules, faint edges included.

    The page-wide eraser keeps the light grey fringe of a rule, which an
    adaptive threshold then turns into a dotted line that Tesseract reads as
    "- - -". Here the mask takes lighter pixels and is widened by two pixels.
    A pen stroke never runs flat over a third of a zone's width, nor down its
    whole height.
    """
    ink = np.asarray(crop) < 200
    horizontal = long_runs(ink, max(crop.width / 3, 20))
    vertical = long_runs(ink.T, max(crop.height * 0.7, 20)).T
    mask = _grown(horizontal | vertical, reach=2)
    return Image.fromarray(np.where(mask, 255, np.asarray(crop)).astype(np.uint8), mode="L")


def _main_bands(ink: np.ndarray) -> np.ndarray:
    """Ink without the slivers cut by the zone's top and bottom edges.

    A zone reaches a little over its neighbours (pen writing rises above and
    sinks below its line), so it may catch the descenders of the value above
    or the tops of the one below. Such a sliver touches the edge and is much
    shorter than a line of writing: it goes, as do specks of dust.
    """
    rows = ink.sum(axis=1) > 0
    bands: list[tuple[int, int]] = []
    start = None
    for y, filled in enumerate([*rows.tolist(), False]):
        if filled and start is None:
            start = y
        elif not filled and start is not None:
            bands.append((start, y))
            start = None
    if not bands:
        return ink
    tallest = max(end - begin for begin, end in bands)
    kept = ink.copy()
    for begin, end in bands:
        cut = begin == 0 or end == ink.shape[0]
        if (cut and end - begin < tallest * 0.6) or end - begin < tallest * 0.25:
            kept[begin:end] = False
    return kept


def _blank(picture: Image.Image, scale: int) -> bool:
    ink = np.asarray(picture) < 128
    return int(ink.sum()) < 40 * scale * scale
