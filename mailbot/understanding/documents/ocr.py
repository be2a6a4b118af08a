"""Tesseract on one page picture: upright, straightened, words with confidences, lines."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from statistics import fmean

import numpy as np
import pytesseract
from PIL import Image, ImageFilter, ImageOps

from mailbot.understanding.documents import dashes, handwriting
from mailbot.understanding.documents.accents import (
    bare_first_names,
    bare_name_words,
    miscounted_accents,
    misread_accents,
    missed_accents,
)
from mailbot.understanding.documents.checkboxes import find_checkboxes
from mailbot.understanding.documents.dust import median3
from mailbot.understanding.documents.guards import Deadline, ExtractionRefused
from mailbot.understanding.documents.lines import Word, build_lines, join_wrapped, text_of
from mailbot.understanding.documents.marks import read_signing
from mailbot.understanding.documents.model import COVERED, SCAN_SIGNED, Checkbox, DocumentProblem
from mailbot.understanding.documents.rules import read_rules
from mailbot.understanding.documents.sheet import flatten_sheet
from mailbot.understanding.labels import is_heading, is_label, opens_block

# Tesseract's OpenMP threads fight each other on a small machine and make a
# page several times slower; pytesseract passes our environment to tesseract.
os.environ["OMP_THREAD_LIMIT"] = "1"

LANGUAGE = "fra"
_CONFIG = "--psm 3"
_LIGHT_REDUCTION = 8  # the paper's light is measured on a copy this many times smaller
_EVEN_SPREAD = 30  # grey levels between the paper's darkest and brightest parts on a scan
_MAX_SIDE = 3600  # ~300 dpi on A4; phone photos are larger and gain nothing from it
# A page under ~170 dpi on A4 is enlarged to ~280 dpi before reading (at ~200 dpi,
# Tesseract read a 150-dpi scan's "72000" as "72090" with confidence); a 200-dpi scan is
# left as it is (a slight enlargement only blurs a black-and-white one; enlarging those
# too moved as many answers from right to wrong as the other way on the scan sets).
_SMALL_SIDE = 2000
_MIN_SIDE = 3300
_MAX_ZOOM = 3.0
_SKEW_STEPS = tuple(x / 2 for x in range(-10, 11))  # -5° .. +5° every 0.5°
_WORDLIKE = re.compile(r"\w", re.UNICODE)
_UNSURE_WORD = 60  # confidence under which a word is probably not print
# CPU seconds a document's budget must still hold for a page suspected of handwriting
# to be read a second time, without the dust filter: a hand's pages of a long scan
# must not spend the budget the others need.
_REREAD_SPARE = 10.0
_HANDWRITTEN_SHARE = 0.12  # share of unsure words above which we suspect handwriting
# The line a fax machine prints along the top of every page it sends: the time, the
# sender's number or name, the page ("10:42 DE : +33 2 97 … CD56 DEF  P. 002/002",
# "11:04 FAX 0385321469 APAD TOURNUS @002/003", "… T-278 P.001/001 F-555"). On page 2
# it would continue the participants' table of page 1 as one more person.
_FAX_HEADER = re.compile(
    r"^[^\n]{0,40}\b\d{1,2}[:h]\d{2}\b[^\n]*"
    r"(?:\bP(?:age)?\.?\s*\d{1,3}\s*/\s*\d{1,3}|[@#]\s*\d{3}\s*/\s*\d{3})"
    r"(?:\s+[A-Z]-?\d+\w*)?[^\w\n]*(?:\n|$)",
    re.MULTILINE,
)


def without_fax_headers(text: str) -> str:
    return _FAX_HEADER.sub("", text)


_AT_SPACES = re.compile(r"(?<=\w) ?@ ?(?=\w)")  # OCR often reads "a.b @ c.fr"
# A table's vertical rule left after erase_rules comes out as "|": never a value. Nor is
# a speck of dust or toner read alone as a quote, a degree or a copyright sign: in a
# table cell it became the cell's value and pushed the real one into the next column.
_NO_WORD = re.compile(r"[|¦│]+[:.]?|[‘’'`´\"“”°©®·•*~^¨¸.,;]{1,2}")
# Under this, a word read in a value is a guess: "J ean-j acques" scored 24-39,
# while the typed scans read right score 85-96 word for word.
UNSURE_VALUE_WORD = 70
# A word read with less confidence may be a signature's scribble: it is no mask over ink.
_PRINTED = 50


@dataclass(frozen=True, slots=True)
class OcrPage:
    text: str
    confidences: tuple[float, ...]  # one per recognised word, 0-100
    notes: tuple[str, ...] = ()
    checkboxes: tuple[Checkbox, ...] = ()  # printed tick boxes found next to dated lines
    sideways: bool = False  # the words came out taller than wide: text running up or down
    handwritten: bool = False  # this page alone looks filled by hand (its values read by zone)
    unsure_words: tuple[str, ...] = ()  # words read under UNSURE_VALUE_WORD


def read_image(image: Image.Image, deadline: Deadline) -> OcrPage:
    """The page's text, lines rebuilt from word boxes, after straightening it.

    Orientation detection costs a Tesseract run, so it is only asked for when
    the page looks sideways (its ink lines up better in columns than in rows)
    or when a first reading comes out poor (an upside-down page).
    """
    plain = _prepare(image)
    page = _dusted(plain, bilevel=image.mode == "1")
    notes: list[str] = []
    turned = 0
    if _looks_sideways(page):
        page, turned = _upright(page, deadline, sideways=True)
    result = _read_straight(page, plain, turned, deadline, notes)
    if turned and _poor(result):
        # OSD, unsure on a sideways page, may name the wrong quarter turn: the page then
        # reads upside down. The other one is tried, and the better reading kept.
        other, other_notes = (turned + 180) % 360, list[str]()
        second = _read_straight(page.rotate(180), plain, other, deadline, other_notes)
        if _mean(second) > _mean(result):
            result, turned, notes = second, other, other_notes
    elif not turned and (_poor(result) or result.sideways):
        upright, turned = _upright(page, deadline, sideways=result.sideways)
        if turned:
            notes.clear()
            result = _read_straight(upright, plain, turned, deadline, notes)
    if (
        not turned
        and result.handwritten
        and page is not plain
        and deadline.work_left() > _REREAD_SPARE
    ):
        # The dust filter's median also thins a small serif type's strokes (a 150-dpi
        # scan enlarged): its words come out unsure, as a hand's do. Read once more as
        # scanned: typed, the page now reads as print; a hand's page stays as read.
        undusted_notes: list[str] = []
        undusted = _read_straight(plain, plain, 0, deadline, undusted_notes)
        if not undusted.handwritten:
            result, notes = undusted, undusted_notes
    if turned:
        notes.insert(0, f"page tournée de {turned}°")
    return replace(result, notes=tuple(notes))


def _read_straight(
    page: Image.Image, plain: Image.Image, turned: int, deadline: Deadline, notes: list[str]
) -> OcrPage:
    """Read ``page`` (cleaned of dust, upright); ``plain`` is the page as scanned, before
    the clockwise turn of ``turned`` degrees that ``page`` was given."""
    angle, _ = _skew_angle(page)
    if angle:
        page = page.rotate(angle, resample=Image.Resampling.BILINEAR, expand=True, fillcolor=255)
        notes.append(f"redressée de {angle:+.1f}°")
    ruled = read_rules(page)
    words, confidences, scored = _words(ruled.cleaned, deadline)
    handwritten = _handwritten(confidences)
    doubted_dashes: set[str] = set()
    if not handwritten:
        words, doubted_dashes = dashes.settle(words)
    # A narrow column wraps its values ("darrigade.jea" / "n-marie@gmail" / ".com"):
    # put back together within the cell the rules drew, not read as further rows.
    lines = join_wrapped(words, ruled.cells, opens_block)
    unsure = set(_unsure(scored)) | doubted_dashes
    if not handwritten:
        # A hand-filled page goes to a person anyway: no need to look for lost accents.
        # Only then is the scanned copy given the page's turns, the same ones.
        plain = _turned(plain, turned)
        if angle:
            plain = plain.rotate(angle, Image.Resampling.BILINEAR, expand=True, fillcolor=255)
        unsure |= (
            missed_accents(plain, words)
            | miscounted_accents(plain, words)
            | misread_accents(words)
            | bare_first_names(words)
            | bare_name_words(words)
        )
    else:
        # Pen values come out of a whole-page reading mangled or missing; read each
        # field's zone alone. The confidences stay the page's: they flag the handwriting.
        zoned = handwriting.read_page(page, scored, deadline)
        if zoned is not None:
            lines = zoned
            notes.append("écriture manuscrite lue champ par champ")
    signing = read_signing(
        ruled.cleaned, words, [s.word for s in scored if s.confidence >= _PRINTED]
    )
    if signing.marked:
        notes.append(SCAN_SIGNED)
    notes += [COVERED[path] for path in sorted(signing.covered)]
    text = without_fax_headers(
        _AT_SPACES.sub("@", text_of(build_lines(lines, is_heading, is_label)))
    )
    # Boxes are looked for on the page before its rules are erased: their frame is the clue.
    return OcrPage(
        text=text,
        confidences=confidences,
        checkboxes=find_checkboxes(page, words),
        sideways=_tall(words),
        handwritten=handwritten,
        unsure_words=tuple(sorted(unsure)),
    )


def _unsure(scored: list[handwriting.ScoredWord]) -> tuple[str, ...]:
    # "Tulle" read with confidence 62 in "Fait à Tulle" and 95 in "19005 Tulle Cedex": the
    # same letters, read sure elsewhere on the page, are no guess (a misreading would
    # hardly come out as another word of the page, letter for letter).
    sure = {w.word.text for w in scored if w.confidence >= UNSURE_VALUE_WORD}
    found = {
        _AT_SPACES.sub("@", w.word.text)
        for w in scored
        if w.confidence < UNSURE_VALUE_WORD
        and _WORDLIKE.search(w.word.text)
        and w.word.text not in sure
    }
    return tuple(sorted(found))


def _handwritten(confidences: tuple[float, ...]) -> bool:
    """Whether this page's share of unsure words is that of a form filled by hand."""
    if not confidences:
        return False
    return sum(1 for c in confidences if c < _UNSURE_WORD) / len(confidences) > _HANDWRITTEN_SHARE


def _tall(words: list[Word]) -> bool:
    """Whether most longer words are taller than wide, as when Tesseract reads a page turned 90°.

    Tesseract reads such a page with good confidence, one vertical word at a
    time, so the confidence alone does not tell; the shape of the words does.
    """
    long = [w for w in words if len(w.text) >= 4]
    if len(long) < 10:
        return False
    return sum(1 for w in long if w.bottom - w.top > w.x1 - w.x0) > len(long) / 2


def _poor(result: OcrPage) -> bool:
    return len(result.confidences) < 5 or _mean(result) < 55


def _mean(result: OcrPage) -> float:
    return fmean(result.confidences) if result.confidences else 0.0


def _looks_sideways(page: Image.Image) -> bool:
    _, across = _skew_angle(page)
    _, down = _skew_angle(page.transpose(Image.Transpose.ROTATE_90))
    return down > 1.5 * across


def summarize(pages: list[OcrPage]) -> tuple[float | None, bool]:
    """Mean word confidence over the document, and whether it looks handwritten.

    The handwriting guess looks at confidences only. A filled form mixes
    printed labels (Tesseract scores them 85-96) with the values; typed
    values score the same, handwritten ones 0-60. On the dev corpus typed
    scans had at most 4 % of words under 60, handwritten ones 20-33 %, so
    more than 12 % flags handwriting. Limits: a very poor scan of print
    (fax, dark photo, heavy JPEG) can cross the line too, and a form filled
    in neat block capitals may stay under it; both are reviewed by a human
    anyway when the values fail their checks or the confidence is low.
    """
    confidences = [c for page in pages for c in page.confidences]
    # A page read zone by zone as handwriting keeps the document flagged, whatever the
    # other pages say: those values must never reach an automatic answer.
    handwritten = any(page.handwritten for page in pages)
    if not confidences:
        return None, handwritten
    return round(fmean(confidences), 1), handwritten or _handwritten(tuple(confidences))


# Grey level over which a page's darkest percent is paper, not ink: a form's light grey
# ink (100-170 on a grey JPEG page) still gets the whole stretch.
_PAPER_LEVEL = 200


def _prepare(image: Image.Image) -> Image.Image:
    image = ImageOps.exif_transpose(image) or image
    grey = _on_paper(image).convert("L")
    if max(grey.size) > _MAX_SIDE:
        grey.thumbnail((_MAX_SIDE, _MAX_SIDE), Image.Resampling.LANCZOS)
    # The sheet first: a phone's photo of a page spends a fifth of its pixels on the desk,
    # and the page's own size tells how small its letters are.
    grey = flatten_sheet(grey)
    if max(grey.size) < _SMALL_SIDE:
        # A screenshot (96 dpi), a low scan or a photo taken from afar: its letters are
        # too small for Tesseract, which reads best with capitals about 30 pixels high.
        factor = min(_MAX_ZOOM, _MIN_SIDE / max(grey.size))
        size = (round(grey.width * factor), round(grey.height * factor))
        grey = grey.resize(size, Image.Resampling.LANCZOS)
    page = _even_light(grey)
    # A page of blank paper with a few lines on it (a form's second page): its darkest
    # percent is the paper's grain, and stretching that to black turns the sheet into
    # noise Tesseract spends half a minute on. Stretch from the darkest ink instead.
    sparse = np.percentile(np.asarray(page), 1) > _PAPER_LEVEL
    return ImageOps.autocontrast(page, cutoff=(0, 1) if sparse else 1)


def _on_paper(image: Image.Image) -> Image.Image:
    """A picture with transparency laid on white paper: dropping the alpha channel shows
    what the transparent pixels hold, often black, and black letters vanish on it."""
    if image.mode not in ("RGBA", "LA", "PA") and "transparency" not in image.info:
        return image
    layer = image.convert("RGBA")
    paper = Image.new("RGBA", layer.size, (255, 255, 255, 255))
    return Image.alpha_composite(paper, layer)


def _even_light(page: Image.Image) -> Image.Image:
    """The page as if lit evenly: a phone photo's shadow and the desk around the sheet gone.

    Tesseract splits ink from paper with one threshold for the whole page; on a
    photo whose light falls from one side, half the page is under it and comes
    out black. The paper's brightness, taken where there is no ink (a maximum
    over a letter's size, on a reduced copy), divides each pixel. A scan's paper
    is evenly lit: it is left as it is.
    """
    small = page.reduce(_LIGHT_REDUCTION)
    paper = small.filter(ImageFilter.MaxFilter(7)).filter(ImageFilter.GaussianBlur(4))
    brightness = np.asarray(paper, dtype=np.float32)
    if np.percentile(brightness, 95) - np.percentile(brightness, 5) < _EVEN_SPREAD:
        return page
    full = np.asarray(paper.resize(page.size, Image.Resampling.BILINEAR), dtype=np.float32)
    even = np.asarray(page, dtype=np.float32) / np.maximum(full, 1.0) * 255.0
    return Image.fromarray(np.clip(even, 0, 255).astype(np.uint8))


def _dusted(page: Image.Image, *, bilevel: bool) -> Image.Image:
    """The page without scanner dust, which Tesseract reads as stray ".,'".

    Not for a 1-bit scan, whose thin strokes a median would erode. The median
    also erodes the accents of capitals, which is why ``missed_accents`` looks
    for them on the page as scanned.
    """
    return page if bilevel else median3(page)


def _turned(page: Image.Image, degrees: int) -> Image.Image:
    """``page`` given the clockwise turn ``_upright`` gave its cleaned copy."""
    return page.rotate(-degrees, expand=True) if degrees else page


def _upright(page: Image.Image, deadline: Deadline, *, sideways: bool) -> tuple[Image.Image, int]:
    """Turn a page fed sideways or upside down, as Tesseract's orientation detector says.

    When we already know the page lies on its side (ink profile, word shapes),
    OSD only has to tell a quarter turn left from right: any answer among
    those two is taken, and a doubtful one is asked again at full resolution
    (OSD's confidence on a reduced copy of a dense form is often under 1).
    """
    rotate, confidence = _osd(page, 1600, deadline)
    # A blurred page (a 150-dpi scan rendered at 300) often gets no sure answer on the
    # reduced copy either: upside down, it is asked again at full resolution too.
    if confidence < 1.0 or (sideways and rotate not in (90, 270)):
        rotate_full, confidence_full = _osd(page, _MAX_SIDE, deadline)
        usable = rotate_full in (90, 270) if sideways else True
        if usable and confidence_full >= confidence:
            rotate, confidence = rotate_full, confidence_full
    enough = rotate in (90, 270) and confidence > 0 if sideways else confidence >= 1.0
    if rotate == 0 or not enough:
        return page, 0
    # OSD's "rotate" is the clockwise turn that makes the text upright.
    return page.rotate(-rotate, expand=True), rotate


def _osd(page: Image.Image, side: int, deadline: Deadline) -> tuple[int, float]:
    """Tesseract's clockwise turn that makes the text upright, and its confidence."""
    try:
        with _pgm(_small(page, side)) as path:
            osd = pytesseract.image_to_osd(
                path,
                config="--psm 0 -c min_characters_to_try=20",
                output_type=pytesseract.Output.DICT,
                timeout=deadline.timeout(),
            )
    except pytesseract.TesseractError:
        return 0, 0.0  # too little text to tell: read it as it is
    except RuntimeError as error:
        raise _timeout(error) from error
    return int(osd.get("rotate", 0)) % 360, float(osd.get("orientation_conf", 0))


def _skew_angle(page: Image.Image) -> tuple[float, float]:
    """The small rotation that makes text lines horizontal (projection profile).

    Straight lines give rows that are either all ink or all paper, so the
    variance of the row sums peaks at the right angle. Done on a small copy:
    the angle does not need full resolution. Returns (angle, peak score).
    """
    small = _small(page, 800).point(lambda v: 255 if v < 160 else 0)  # ink = white
    best_angle, best_score = 0.0, -1.0
    for angle in _SKEW_STEPS:
        turned = small.rotate(angle, resample=Image.Resampling.NEAREST, expand=False)
        rows = list(turned.resize((1, turned.height), Image.Resampling.BOX).getdata())
        mean = fmean(rows)
        score = fmean((value - mean) ** 2 for value in rows)
        if score > best_score:
            best_angle, best_score = angle, score
    return best_angle, best_score


def _small(page: Image.Image, side: int) -> Image.Image:
    copy = page.copy()
    copy.thumbnail((side, side), Image.Resampling.BILINEAR)
    return median3(copy) if side < 1000 else copy


_Words = tuple[list[Word], tuple[float, ...], list[handwriting.ScoredWord]]


def _words(page: Image.Image, deadline: Deadline) -> _Words:
    with _pgm(page) as path:
        return _words_from_file(path, deadline)


@contextmanager
def _pgm(page: Image.Image) -> Iterator[str]:
    """``page`` in a temporary file for Tesseract. pytesseract would hand it over as a
    PNG: compressing a noisy grey 300-dpi scan costs more than Tesseract's reading of
    it. An uncompressed PGM is written in milliseconds, and holds the same pixels."""
    with tempfile.TemporaryDirectory(prefix="mailbot-ocr-") as folder:
        path = Path(folder) / "page.pgm"
        page.convert("L").save(path, format="PPM")
        yield str(path)


def _words_from_file(path: str, deadline: Deadline) -> _Words:
    try:
        data = pytesseract.image_to_data(
            path,
            lang=LANGUAGE,
            config=_CONFIG,
            output_type=pytesseract.Output.DICT,
            timeout=deadline.timeout(),
        )
    except RuntimeError as error:
        raise _timeout(error) from error
    words: list[Word] = []
    confidences: list[float] = []
    scored: list[handwriting.ScoredWord] = []
    for i, text in enumerate(data["text"]):
        confidence = float(data["conf"][i])
        if confidence < 0 or not _kept(str(text)):
            continue
        left, top = float(data["left"][i]), float(data["top"][i])
        width, height = float(data["width"][i]), float(data["height"][i])
        words.append(Word(str(text), left, left + width, top, top + height))
        scored.append(handwriting.ScoredWord(words[-1], confidence))
        if _WORDLIKE.search(str(text)):
            confidences.append(confidence)
    return words, tuple(confidences), scored


def _kept(text: str) -> bool:
    """Whether a word Tesseract read is text, not a blank, a rule or a speck."""
    return bool(text.strip()) and not _NO_WORD.fullmatch(text.strip())


def _timeout(error: RuntimeError) -> ExtractionRefused:
    # pytesseract signals its timeout as a bare RuntimeError after killing tesseract;
    # other failures are TesseractError, a RuntimeError too.
    if "timeout" in str(error).lower():
        return ExtractionRefused(DocumentProblem.TIMEOUT, f"OCR interrompu : {error}")
    return ExtractionRefused(DocumentProblem.UNREADABLE, f"Tesseract a échoué : {error}")
