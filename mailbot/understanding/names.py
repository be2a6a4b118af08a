"""People's names: civilities, "Prénom NOM" / "NOM Prénom" splitting."""

from __future__ import annotations

import re

from mailbot.understanding.dates import fold

_CIVILITIES = {
    "m": "M.", "mr": "M.", "monsieur": "M.", "mon": "M.", "mm": "M.",
    "mme": "Mme", "madame": "Mme", "mde": "Mme", "mlle": "Mlle", "melle": "Melle",
    "mademoiselle": "Mlle", "mrs": "Mme", "ms": "Mme", "miss": "Mme",
}  # fmt: skip
# "M.-A. Delorme" signs Marc-Antoine's initials: no civility leads it.
_CIVILITY_AT_START = re.compile(
    r"^\s*(monsieur|madame|mademoiselle|mme|mlle|melle|mrs|mr|ms|m)\b(?!\.?-\w)\.?\s*",
    re.IGNORECASE,
)


def parse_civility(text: str | None) -> str | None:
    """Canonical civility ("M.", "Mme"; "Mlle"/"Melle" kept) or None."""
    if not text or any(c.isdigit() for c in text):
        return None  # "M08989": an agent's number, no "M."
    # "Madame la Directrice", "Monsieur le Maire": the civility, then a title.
    text = _TITLE_AFTER.sub(r"\1", text)
    return _CIVILITIES.get(letters(text))


def letters(name: str) -> str:
    """A name as an address spells it: "Anne-Sophie" → "annesophie", "N'DIAYE" → "ndiaye"."""
    return re.sub(r"[^a-z]", "", fold(name))


_TITLE_AFTER = re.compile(
    r"^(\s*(?:monsieur|madame|mme|mr|m\.))\s+(?:le|la)\s+\w+.*$", re.IGNORECASE
)


def split_civility(text: str) -> tuple[str | None, str]:
    """("Mme", "Anne ROUX") from "Mme Anne ROUX"; (None, text) when none leads."""
    match = _CIVILITY_AT_START.match(text)
    if match is None:
        return None, text.strip()
    rest = text[match.end() :].strip()
    if not rest:
        return parse_civility(match.group(1)), ""
    return parse_civility(match.group(1)), rest


# Words that open a family name ("LE BRIS", "de La Fontaine"), never a first name alone.
PARTICLES = frozenset(
    {"de", "du", "des", "le", "la", "les", "van", "von", "der", "den", "da", "di", "dos", "el", "y"}
    | {"mc"}  # "Fabienne Mc NAMARA"
)


def is_upper_word(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def split_full_name(text: str) -> tuple[str | None, str | None]:
    """(first, last) from one cell: capitals mark the family name, wherever it stands."""
    first, last, _ = split_full_name_checked(text)
    return first, last


def split_full_name_checked(text: str) -> tuple[str | None, str | None, bool]:
    """(first, last, sure): ``sure`` is False when nothing told which word is the family
    name ("DUPONT JEAN", "maite etcheberry") and French usage decided."""
    words = text.split()
    if not words:
        return None, None, True
    if len(words) == 1:
        return None, words[0], True
    upper = [is_upper_word(w) for w in words]
    if any(upper) and not all(upper):
        if upper[0]:
            cut = upper.index(False)
            return " ".join(words[cut:]), " ".join(words[:cut]), True
        cut = upper.index(True)
        particles_first = all(_particle(w) for w in words[:cut])
        if all(upper[cut:]):
            if particles_first:
                return None, text.strip(), True  # "de SAINT-JUST": a family name alone
            # "Grégoire de CHAMPEAUX", "Anne de La ROCHE": the particles before the
            # capitals open the family name.
            while cut > 1 and _particle(words[cut - 1]):
                cut -= 1
            return " ".join(words[:cut]), " ".join(words[cut:]), True
        if particles_first:
            # "de SAINT-JUST Ségolène", "van der BEKEN Pieter": the family name first,
            # its particles with it.
            end = upper.index(False, cut)
            if not any(upper[end:]):
                return " ".join(words[end:]), " ".join(words[:end]), True
    # No capitals to go by: French usage puts the first name first, unless the name opens
    # on a particle ("LE BRIS"): that is a family name alone, its first name left blank.
    if _particle(words[0]):
        return None, text.strip(), True
    return words[0], " ".join(words[1:]), False


def _particle(word: str) -> bool:
    return word.lower() in PARTICLES or word.lower().startswith(("d'", "d’"))


def clean_value(text: str | None) -> str | None:
    """Stripped text, None for blanks and placeholder dots/underscores."""
    if text is None:
        return None
    # "|" at either end is a table rule an OCR or a text layer read as a character.
    cleaned = text.strip().strip("\u00a0").strip(" \t|¦│")
    # A box's or a rule's edge read as a bracket: "[La Rochelle", "Pau]".
    if cleaned.startswith("[") and "]" not in cleaned:
        cleaned = cleaned[1:].strip()
    if cleaned.endswith("]") and "[" not in cleaned:
        cleaned = cleaned[:-1].strip()
    if not cleaned or re.fullmatch(r"[\s._\-…:/]*", cleaned):
        return None
    # "____01 73 62 78 07", "……… Département de…": the dotted line the value was
    # typed on or after, read with it.
    cleaned = _LEADERS.sub("", cleaned).strip()
    # "Bordeaux {", "financière .": a speck or a box's corner read as a sign of its own.
    return _STRAY_SIGNS.sub(lambda sign: _unless_paired(sign, cleaned), cleaned) or cleaned


def _unless_paired(sign: re.Match[str], text: str) -> str:
    """ "" for a stray sign; the sign itself when it closes or opens a pair with the rest of
    the value (« Vivre Chez Soi »: French quotes stand apart from the words they hold)."""
    rest = text[: sign.start()] + text[sign.end() :]
    if any(char in _PARTNERS and _PARTNERS[char] in rest for char in sign.group(0)):
        return sign.group(0)
    return ""


# Two leader signs or more (OCR mixes "." and "…"), or one "…" or "_".
_LEADERS = re.compile(
    r"^(?:[._…]\s?){2,}[\s._…]*|^[…_][\s._…]*|[\s._…]*(?:\s?[._…]){2,}$|[\s._…]*[…_]$"
)
_STRAY_SIGNS = re.compile(r"^[{}()\[\]|.,;:'`~«»\-]+\s+|\s+[{}()\[\]|.,;:'`~«»\-]+$")
_PARTNERS = {"«": "»", "»": "«", "(": ")", ")": "(", "[": "]", "]": "[", "{": "}", "}": "{"}


# Words of a title: "Le Président", "P/O la Directrice générale adjointe".
_TITLE_WORDS = frozenset({
    "le", "la", "l", "les", "p/o", "po", "pour", "ordre", "par", "delegation", "president",
    "presidente", "directeur", "directrice", "general", "generale", "adjoint", "adjointe",
    "maire", "chef", "cheffe", "responsable", "du", "de", "des", "service", "secretaire",
    "tresorier", "tresoriere", "dgs", "dga", "drh", "daf", "gerant", "gerante", "delegue",
    "deleguee", "administrateur", "administratrice", "cadre", "pole",
})  # fmt: skip


# The first word of a signer's function: "Cheffe du service formation", "Directrice".
_FUNCTION_HEADS = frozenset({
    "president", "presidente", "vice-president", "vice-presidente", "directeur", "directrice",
    "chef", "cheffe", "responsable", "gerant", "gerante", "adjoint", "adjointe", "maire",
    "secretaire", "tresorier", "tresoriere", "delegue", "deleguee", "administrateur",
    "administratrice", "dgs", "dga", "drh", "daf", "cadre", "coordinateur", "coordinatrice",
    "conseiller", "conseillere", "charge", "chargee", "attache", "attachee",
})  # fmt: skip


def opens_with_a_function(line: str) -> bool:
    """ "Cheffe du service formation" under a signer's name: the function, a line of its own."""
    words = fold(line).split()
    return bool(words) and words[0].strip(",.;:") in _FUNCTION_HEADS


# A word that can be someone's name: a capital, then letters ("Martine", "D'ARCY").
_NAME_WORD = re.compile(r"^[A-ZÀ-Þ][A-Za-zÀ-ÿ'’-]+$")


def writes_a_name(signatory: str) -> bool:
    """Whether a name can be read in ``signatory``. Initials ("A.S."), a stamp's
    scraps or a mark ("[signé]"), taken for the signer by a reading, name no one."""
    return any(
        _NAME_WORD.match(piece) and fold(piece) not in _TITLE_WORDS
        for piece in (word.strip(",.;:()[]") for word in signatory.split())
    )


# A first name as written: a capital, then lower case ("Anne", "Jean-Loup", "Éloïse").
_FIRST_NAME = re.compile(r"(?:^|[\s,])[A-ZÀ-Þ][a-zß-ÿ'’]+(?:-[A-ZÀ-Þ][a-zß-ÿ'’]+)?(?=[\s,]|$)")


def writes_a_first_name(text: str) -> bool:
    """Whether a word of ``text`` is written as a first name is ("Anne", not "ROUX")."""
    return _FIRST_NAME.search(text) is not None


def names_a_person(text: str) -> bool:
    """A title ("Le Président, …") or a first name as written ("Corinne DUFFAU"): a
    person's signature, not a stamp's line ("VALLÉE DE L'OGNON"); or an initial before
    the family name ("J. CÉLESTINE", "J.-P. MARTIN"), as people sign too."""
    return (
        opens_with_title(text)
        or writes_a_first_name(text)
        or _INITIAL_THEN_NAME.fullmatch(text.strip()) is not None
    )


_INITIAL_THEN_NAME = re.compile(r"[A-ZÀ-Ý]\.(?:-[A-ZÀ-Ý]\.)?\s+[A-ZÀ-Ý][A-ZÀ-Ý'’ -]*[A-ZÀ-Ý]")


def _folded_words(text: str) -> list[str]:
    """Words without accents or case, "P/O" kept whole."""
    return re.findall(r"[^\W\d_]+(?:/[^\W\d_]+)?", fold(text))


def opens_with_title(text: str) -> bool:
    """ "directrice de l'établissement", "Le Président": a title, whatever follows it."""
    words = _folded_words(text)
    return bool(words) and words[0] in _TITLE_WORDS


def only_a_title(text: str) -> bool:
    """ "Le Président", "La Directrice générale": a title and no name ("Le" alone is the
    date's label)."""
    words = _folded_words(text)
    return len(words) >= 2 and all(w in _TITLE_WORDS for w in words)


def names_someone(signatory: str) -> bool:
    """A name is given, not only a title ("Le Président" names no one who signed)."""
    return any(w not in _TITLE_WORDS for w in _folded_words(signatory))
