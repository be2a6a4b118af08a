"""Accents OCR may have dropped from words in capitals, or read as another accent.

On a poor scan the acute accent of a capital ("PEYRÉ", "LÉGER") is a few
pixels sitting just under the table rule above the cell: the dust filter
erodes it, the rule eraser takes it with the rule, and Tesseract reads
"PEYRE" with a high confidence. A name spelt wrong on an invoice or a
certificate is a wrong answer sent without a human, so a word in capitals
read without an accent while ink sits just above one of its letters is
reported as unsure. The page looked at is the one before cleaning.

The other way round, an accent read as another one ("Pêle" for "Pôle", conf
82 on a 200-dpi scan) keeps a confident word that is no word: a word unknown
to Tesseract's own French dictionary that another accent would make known is
reported as unsure too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from functools import cache
from importlib.resources import files

import numpy as np
from numpy.typing import NDArray
from PIL import Image

from mailbot.understanding.dates import fold
from mailbot.understanding.documents.lines import Word
from mailbot.understanding.documents.rules import long_runs

_INK = 150  # grey level under which a pixel is ink, after autocontrast
_CAPITALS = re.compile(r"[A-ZÀ-ÖØ-Þ'’-]*[AEIOUY][A-ZÀ-ÖØ-Þ'’-]*")
_ACCENTED = re.compile(r"[À-ÖØ-Þà-öø-þ]")
_ABOVE = 0.6  # how far above the capitals' top an accent reaches, in letter heights
_RULE_LENGTH = 3  # an ink run this many letter heights long is a rule, not letters
_MARK_SHARE = 0.005  # ink, as a share of the letter height squared, that makes a mark
_INSIDE = 0.3  # a row this far under the box's top is inside the letters
_GAP = 0.3  # an accent starts this close over the capitals, in letter heights
_TALL = 0.4  # and is no taller than this
_RAISED = 0.1  # ink starting this far over the capitals' top line is no part of a capital
_INITIAL_WIDTH = 0.5  # of a capital initial, in word-box heights
_BROKEN_RULE = 0.7  # a flat run this long (in letter heights) over the letters is no accent
_FLAT = 4  # an accent is at most this many times wider than tall (a circumflex: 10 x 3)
_WIDE = 0.6  # marks over one word span at most this share of it (or one letter height)


_PIECE = re.compile(r"[-'’]")
# The accented letters Tesseract takes one for another ("ô" read "ê", "é" read "è").
_ACCENTS = "àâäéèêëîïôöùûüç"


def misread_accents(words: Iterable[Word]) -> set[str]:
    """Texts of the words that are no French word, but would be with another accent.

    Only a word one accent away from a word Tesseract's dictionary knows is
    doubted: a first name or a place it does not know ("Élodie", "Genêts")
    is no sign of a misreading.
    """
    known = _accented_words()
    found = set()
    words = list(words)
    following: list[Word | None] = [*words[1:], None]
    for word, after in zip(words, following, strict=False):  # one None too many when empty
        text = word.text.strip('.,;:()«»"').lower()
        pieces = _PIECE.split(text) if _ACCENTED.search(text) and text not in known else []
        if any(_misread(piece, known) for piece in pieces) or _grave_before_name(word, after):
            found.add(word.text)
    return found


def _grave_before_name(word: Word, following: Word | None) -> bool:
    """ "SSIAD de là Vallée": "là" is a word, but never before a capital on its line;
    the article "la" was read with a speck above it."""
    return (
        word.text == "là"
        and following is not None
        and following.text[:1].isupper()
        and abs(following.middle - word.middle) < word.height
    )


def _misread(piece: str, known: frozenset[str]) -> bool:
    if piece in known:
        return False
    for i, letter in enumerate(piece):
        if letter in _ACCENTS:
            others = (piece[:i] + other + piece[i + 1 :] for other in _ACCENTS if other != letter)
            if any(other in known for other in others):
                return True
    return False


# First names French writers spell with an accent inside, where the marks are small and
# Tesseract drops them on a 200-dpi scan ("Loic" read for "Loïc", with confidence 90).
# Names as often written bare ("Laetitia", "Michael", "Ines") are left out: doubting them
# would send every form that spells them so to a person.
# An initial's accent is looked for on the page itself (``missed_accents``).
_ACCENTED_FIRST_NAMES = """
Agnès Aimée Amélie Anaëlle Anaïs André Angélique Aurélie Aurélien Bénédicte Bérénice
Béatrice Cécile Cédric Céline Charlène Chloé Clément Clémence Danièle Désirée Frédéric
Frédérique Gaël Gaëlle Geneviève Grégoire Grégory Gwenaël Gwenaëlle Hélène Héloïse Hervé
Irène Jérémie Jérémy Jérôme Joël Joëlle José Josée Léa Léo Léon Léonie Loïc Maël Maëlle
Marlène Mathéo Mélanie Mélodie Michèle Noé Noël Noëlle Noémie Pénélope Raphaël Raphaëlle
Rémi Rémy Renée René Sébastien Ségolène Séverine Solène Stéphane Stéphanie Thérèse Théo
Timothée Valérie Valérian Véronique Zoé
"""
_BARE_FIRST_NAMES = frozenset(fold(name).lower() for name in _ACCENTED_FIRST_NAMES.split())


def bare_first_names(words: Iterable[Word]) -> set[str]:
    """Texts of the capitalised words read as a first name that is written with an accent,
    but read without it: "Loic", "Remi". The writer may have left it out; a person looks."""
    found = set()
    for word in words:
        text = word.text.strip('.,;:()«»"')
        if (
            text[:1].isupper()
            and text[1:].islower()
            and not _ACCENTED.search(text)
            and text.lower() in _BARE_FIRST_NAMES
        ):
            found.add(word.text)
    return found


# Words of organisation names and places French writes with an accent inside, in small
# letters where a dropped mark leaves nothing above the line to see: Tesseract reads
# "Haute-Correze" for "Haute-Corrèze" with confidence 90. None of them is also a French
# word without its accent ("Centre", "Marie" would be: they are not here).
_ACCENTED_NAME_WORDS = """
Ardèche Ariège Corrèze Drôme Finistère Hérault Isère Lozère Nièvre Pyrénées Rhône Saône
Sèvres Vendée Réunion Comté Dôme Orléans Nîmes Besançon Chambéry Béziers Périgueux Angoulême
Guéret Mâcon Créteil Évry Évreux Épinal Cévennes Département Établissement Société Santé
Sécurité Collectivité Solidarité Solidarités Âgées Âgés Éducatif Éducative Médico Médical
Médicale Médicalisé Médicalisée Spécialisé Spécialisée Handicapés Préfecture Communauté
Délégation Intercommunalité Hôpital Hôtel Accompagné Accompagnée Thérapeutique Éducation
"""
_BARE_NAME_WORDS = frozenset(fold(word).lower() for word in _ACCENTED_NAME_WORDS.split())


def bare_name_words(words: Iterable[Word]) -> set[str]:
    """Texts of the words read without the accent an organisation's or a place's name
    writes them with: "Correze", "Departement", "Sante" (alone or in "Haute-Correze")."""
    found = set()
    for word in words:
        text = word.text.strip('.,;:()«»"')
        if _ACCENTED.search(text):
            continue
        if any(piece.lower() in _BARE_NAME_WORDS for piece in _PIECE.split(text)):
            found.add(word.text)
    return found


@cache
def _accented_words() -> frozenset[str]:
    # Made by scripts/make_accented_words.py from tesseract-ocr-fra's word list.
    text = files(__package__).joinpath("accented_words.txt").read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line and line[0] != "#")


def missed_accents(plain: Image.Image, words: Iterable[Word]) -> set[str]:
    """Texts of the words in capitals read bare while a mark sits over them."""
    ink = np.asarray(plain.convert("L")) < _INK
    found = set()
    for word in words:
        text = word.text.strip('.,;:()«»"')
        if len(text) < 2 or _ACCENTED.search(text):
            continue
        capitals = bool(_CAPITALS.fullmatch(text))
        if capitals:
            if _marked_above(ink, word, word.x1, capitals=True):
                found.add(word.text)
            continue
        # "Elodie", "Saint-Etienne": a capital initial, of the word or of a piece after its
        # hyphen, placed along the word's box by its share of the letters. Lower-case
        # ascenders may rise over the capitals: only the initial's width is looked over.
        width = (word.x1 - word.x0) / len(word.text)
        lead = len(word.text) - len(word.text.lstrip('.,;:()«»"'))
        height = word.bottom - word.top
        for piece in _INITIAL_PIECE.finditer(text):
            left, right = word.x0, word.x0 + _INITIAL_WIDTH * height
            if piece.start():
                # Letters differ in width: around where the share puts it, either way.
                at = word.x0 + width * (lead + piece.start())
                left, right = at - _PIECE_SLACK * height, at + _PIECE_SLACK * height
            box = replace(word, x0=left, x1=right)
            if _marked_above(ink, box, box.x1, capitals=False):
                found.add(word.text)
                break
    return found


_PIECE_SLACK = 0.35  # of a word-box height, each side of a piece's estimated start
# Not after an apostrophe ("l'Enfance"): the apostrophe itself stands over the line there.
_INITIAL_PIECE = re.compile(r"(?:^|(?<=-))[AEIOU](?=[a-zà-ÿ'’-]+(?:[-'’]|$))")


# Capitals whose accent stands over the letter (a cedilla hangs under it).
_ACCENT_OVER = frozenset("ÀÂÄÉÈÊËÎÏÔÖÙÛÜŸ")


def miscounted_accents(plain: Image.Image, words: Iterable[Word]) -> set[str]:
    """Texts of the words in capitals read with fewer accents than marks over them:
    "PÈRES" read for "PÉRÈS", an accent dropped beside one kept (``missed_accents``
    looks at the words read with none)."""
    ink = np.asarray(plain.convert("L")) < _INK
    found = set()
    for word in words:
        text = word.text.strip('.,;:()«»"')
        read = sum(letter in _ACCENT_OVER for letter in text)
        if len(text) < 3 or not read or not _CAPITALS.fullmatch(text):
            continue
        if _marks_over(ink, word) > read:
            found.add(word.text)
    return found


def _marks_over(ink: NDArray[np.bool_], word: Word) -> int:
    """How many accent-sized marks rise over the capitals' top line within the word's box
    (Tesseract's box reaches up to the accents it read) or just above it."""
    height = word.bottom - word.top
    x0, x1 = max(0, int(word.x0)), int(word.x1) + 1
    first = max(0, int(word.top - _ABOVE * height))
    region = ink[first : int(word.bottom) + 1, x0:x1].copy()
    if region.shape[0] < 4 or region.shape[1] < 2:
        return 0
    region &= ~long_runs(region, _RULE_LENGTH * height, thicken=False)
    found = _over_capitals(region, height)
    return 0 if found is None else len(_marks(found[0], height))


def _over_capitals(
    region: NDArray[np.bool_], height: float
) -> tuple[NDArray[np.bool_], bool] | None:
    """The ink over the capitals' top line (the line where most columns' ink starts), in the
    columns whose ink starts well above it; and whether ink comes down from the region's top
    (something above, not an accent). None with too little ink to tell."""
    inked = region.any(axis=0)
    if inked.sum() < 3:
        return None
    tops = np.where(inked, np.argmax(region, axis=0), region.shape[0])
    cap_line = int(np.median(tops[inked]))
    raised = inked & (tops <= cap_line - max(3, _RAISED * height)) & (tops > 0)
    if not raised.any():
        return None
    return region[: cap_line - 1, :] & raised[np.newaxis, :], bool((inked & (tops == 0)).any())


def _marked_above(ink: NDArray[np.bool_], word: Word, right: float, *, capitals: bool) -> bool:
    """Whether an accent-sized mark sits over the word's letters (``right``: how far along).

    The strip looked at runs from inside the letters (Tesseract's box may start
    inside the accent it did not read) up to ``_ABOVE`` letter heights over
    them, without the cell's rule and what lies beyond it. The mark is either
    apart from the letters (``_apart``) or, on a blurred picture, joined to one
    of them and rising over the capitals' top line (``_raised``). Either way
    it must be small and narrow: the feet of a line of text set tight above
    are as close but spread along the whole word, and reach up into that line.
    """
    height = word.bottom - word.top
    x0, x1 = max(0, int(word.x0)), int(right) + 1
    first = max(0, int(word.top - _ABOVE * height))
    inside = int(word.top + _INSIDE * height)
    if inside - first < 4 or x1 - x0 < 2:
        return False
    margin = int(4 * height)
    left = max(0, x0 - margin)
    wide = ink[first:inside, left : x1 + margin].copy()
    # A rule is erased pixel by pixel, not row by row: a photo's rule runs aslant,
    # and the accent touching it keeps all of its own ink.
    rule = long_runs(wide, _RULE_LENGTH * height, thicken=False)
    wide &= ~rule
    # What lies above the rule, column by column, is another cell's text.
    ruled = rule.any(axis=0)
    lowest = rule.shape[0] - 1 - np.argmax(rule[::-1], axis=0)
    rows = np.arange(rule.shape[0])[:, np.newaxis]
    wide &= ~(ruled & (rows <= lowest))
    region = wide[:, x0 - left : x1 - left]
    # Over the letters, anything longer and flatter than an accent is what is left of a
    # rule broken up by the scan; letters' own bars below the box's top are kept.
    over = int(word.top) - first + 2
    region[:over] &= ~long_runs(region[:over], _BROKEN_RULE * height, thicken=False)
    # Only capitals share a top line: beside an initial, lower-case letters start lower.
    return _apart(region, height) or (capitals and _raised(region, height))


def _apart(region: NDArray[np.bool_], height: float) -> bool:
    """A mark with blank paper between it and the letters, and over it."""
    upward: NDArray[np.bool_] = np.asarray(region.any(axis=1))[::-1]
    letters = _run(upward, 0, inked=True)
    gap = _run(upward, letters, inked=False)
    mark = _run(upward, letters + gap, inked=True)
    if not letters or not mark or gap > _GAP * height or mark > _TALL * height:
        return False
    if letters + gap + mark >= len(upward):
        return False  # reaches the strip's top: the foot of something above, no accent
    end = len(upward) - letters - gap
    return _small_mark(region[end - mark : end], height, region.shape[1])


def _raised(region: NDArray[np.bool_], height: float) -> bool:
    """A mark blurred into the letters under it: a few columns whose ink starts well above
    the line where the other letters' tops sit, and not as high as the strip's top."""
    found = _over_capitals(region, height)
    if found is None or found[1]:
        return False  # nothing above the capitals, or ink coming down from the strip's top
    return _small_mark(found[0], height, region.shape[1])


def _small_mark(mark: NDArray[np.bool_], height: float, width: int) -> bool:
    """Narrow and inked enough to be an accent, not a line's worth of feet or specks.

    Groups of touching columns too faint to be an accent (what the rule eraser
    left of a blurred rule's edge, dust) are not counted.
    """
    kept = _marks(mark, height)
    if not kept:
        return False
    return bool(kept[-1][-1] - kept[0][0] <= max(_WIDE * width, height))


def _marks(mark: NDArray[np.bool_], height: float) -> list[NDArray[np.intp]]:
    """The groups of touching inked columns, left to right, each inked enough and shaped
    like an accent."""
    least = max(3, _MARK_SHARE * height * height)
    counts = mark.sum(axis=0)
    inked = np.flatnonzero(counts)
    if inked.size == 0:
        return []
    groups = np.split(inked, np.flatnonzero(np.diff(inked) > 1) + 1)
    return [
        group for group in groups if counts[group].sum() >= least and _accent_shaped(mark, group)
    ]


def _accent_shaped(mark: NDArray[np.bool_], columns: NDArray[np.intp]) -> bool:
    """At least two pixels each way and no flatter than a circumflex: a piece of a
    rule's edge left by the eraser is one or two rows tall and long."""
    rows = np.flatnonzero(mark[:, columns].any(axis=1))
    tall = int(rows[-1] - rows[0] + 1)
    return columns.size >= 2 and tall >= 2 and columns.size <= _FLAT * tall


def _run(rows: NDArray[np.bool_], start: int, *, inked: bool) -> int:
    """How many rows from ``start`` on are ``inked`` (or blank)."""
    rest = rows[start:] if inked else ~rows[start:]
    return int(np.argmin(rest)) if not rest.all() else len(rest)
