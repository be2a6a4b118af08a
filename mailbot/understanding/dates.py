"""French dates as people write them: "14 octobre 2026", "14/10/26", "14.10.2026", "jeudi 26 novembre".

English ones too, as an English-speaking office writes to IPP: "Friday 8 October
2027", "October 8, 2027".

Pure: the caller passes the year to assume when none is written.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

MONTHS = {
    "janvier": 1, "janv": 1, "fevrier": 2, "fevr": 2, "fev": 2, "mars": 3, "avril": 4,
    "avr": 4, "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "aout": 8, "septembre": 9,
    "sept": 9, "octobre": 10, "oct": 10, "novembre": 11, "nov": 11, "decembre": 12, "dec": 12,
}  # fmt: skip
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")

_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY_ALT = "|".join(WEEKDAYS)
_WRITTEN = re.compile(
    rf"(?:\b(?P<wd>{_WEEKDAY_ALT})\s+)?\b(?P<d>[0-3]?\d)(?:er)?\s+(?P<m>{_MONTH_ALT})\.?"
    rf"(?:\s+(?P<y>\d{{4}}))?\b"
)
_NUMERIC = re.compile(
    r"\b(?P<d>[0-3]?\d)(?:er)?\s*(?P<s1>[/.\-])\s*(?P<m>[01]?\d)\s*(?P<s2>[/.\-])\s*"
    r"(?P<y>\d{4}|\d{2})\b"
)
EN_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
}  # fmt: skip
_EN_WEEKDAYS = dict(
    zip(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
        WEEKDAYS, strict=True)
)  # fmt: skip
_EN_MONTH_ALT = "|".join(EN_MONTHS)
_EN_WEEKDAY_ALT = "|".join(_EN_WEEKDAYS)
_EN_WRITTEN = re.compile(
    rf"(?:\b(?P<wd>{_EN_WEEKDAY_ALT}),?\s+)?\b(?:the\s+)?(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+"
    rf"(?:of\s+)?(?P<m>{_EN_MONTH_ALT})(?:,?\s+(?P<y>\d{{4}}))?\b"
)
# "Jan 13, 2027", as online forms print a date: the month shortened, before the day.
_EN_SHORT_MONTHS = {name[:3]: number for name, number in EN_MONTHS.items()} | {"sept": 9}
_EN_MONTH_FIRST = re.compile(
    rf"(?:\b(?P<wd>{_EN_WEEKDAY_ALT}),?\s+)?\b(?P<m>{_EN_MONTH_ALT}|"
    rf"{'|'.join(_EN_SHORT_MONTHS)})\.?\s+(?P<d>[0-3]?\d)"
    rf"(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})\b"  # the year written: "you may 3 times" is no date
)
# "le 26/11": day and month with a slash, no year; not "1/2" in a sentence, not part of a
# longer date (the three-part forms above) or of a number ("2026/11").
_DAY_MONTH = re.compile(
    r"(?<![\d/.\-])(?P<d>[0-3]?\d)/(?P<m>[01]?\d)(?![\d/.\-]|\s*[/.]\s*\d|\s*-\d|\s*-\s*\d{4})"
)
# "3-XI-2026": the month in Roman numerals, as some administrations still date a letter.
_ROMAN_MONTHS = {
    "i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10,
    "xi": 11, "xii": 12,
}  # fmt: skip
_ROMAN = re.compile(
    r"\b(?P<d>[0-3]?\d)(?P<s>[-./ ])(?P<m>xii|xi|x|ix|viii|vii|vi|v|iv|iii|ii|i)(?P=s)(?P<y>\d{4})\b"
)
# A typed "2027-03-18", or "2026/10/20" as some software prints it.
_ISO = re.compile(r"\b(?P<y>20\d{2})(?P<sep>[-/])(?P<m>[01]?\d)(?P=sep)(?P<d>[0-3]?\d)\b")


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date found in text; ``year_written`` False when the year was assumed."""

    date: dt.date | None  # None when day/month do not make a real date
    day: int
    month: int
    year_written: bool
    weekday: str | None
    start: int
    end: int


def fold(text: str) -> str:
    """Lower case without accents: the form of text every matcher here compares."""
    if text.isascii():  # most text, and the hot path of reading a long spreadsheet
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def compact(text: str | None) -> str:
    """Letters and digits only, lower case, no accents: 'CCAS de Pau ' == 'ccas de pau'.

    Registration fingerprints are stored hashes of it: changing it would make a form already
    recorded look new."""
    plain = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "", plain.lower())


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


def _make(day: int, month: int, year: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _numeric_dates(folded: str) -> Iterator[re.Match[str]]:
    """ "14/10/2026", "14.10.26"; not "27/11 - 14 participants": a short year after
    another separator than the month's is a number that follows a date."""
    for match in _NUMERIC.finditer(folded):
        if match["s1"] == match["s2"] or len(match["y"]) == 4:
            yield match


def find_dates(text: str, default_year: int) -> list[DateMention]:
    """Every date mentioned in ``text``, in order; never raises."""
    folded = fold(text)
    found: list[DateMention] = []
    for match in _WRITTEN.finditer(folded):
        year_text = match.group("y")
        day, month = int(match.group("d")), MONTHS[match.group("m")]
        year = _year(year_text) if year_text else default_year
        found.append(
            DateMention(_make(day, month, year), day, month, bool(year_text),
                        match.group("wd"), match.start(), match.end())
        )  # fmt: skip
    for match in (*_EN_WRITTEN.finditer(folded), *_EN_MONTH_FIRST.finditer(folded)):
        year_text = match.group("y")
        day = int(match.group("d"))
        month = EN_MONTHS.get(match.group("m")) or _EN_SHORT_MONTHS[match.group("m")]
        year = _year(year_text) if year_text else default_year
        weekday = _EN_WEEKDAYS.get(match.group("wd") or "")
        found.append(
            DateMention(_make(day, month, year), day, month, bool(year_text), weekday,
                        match.start(), match.end())
        )  # fmt: skip
    for match in (*_numeric_dates(folded), *_ISO.finditer(folded)):
        day, month = int(match.group("d")), int(match.group("m"))
        found.append(
            DateMention(_make(day, month, _year(match.group("y"))), day, month, True, None,
                        match.start(), match.end())
        )  # fmt: skip
    for match in _ROMAN.finditer(folded):
        day, month = int(match.group("d")), _ROMAN_MONTHS[match.group("m")]
        found.append(
            DateMention(_make(day, month, int(match.group("y"))), day, month, True, None,
                        match.start(), match.end())
        )  # fmt: skip
    for match in _DAY_MONTH.finditer(folded):
        day, month = int(match.group("d")), int(match.group("m"))
        if 1 <= day <= 31 and 1 <= month <= 12:
            found.append(
                DateMention(_make(day, month, default_year), day, month, False, None,
                            match.start(), match.end())
            )  # fmt: skip
    return sorted(found, key=lambda m: m.start)


# Words only one of the two languages writes often: a mail written in English dates the
# American way as often as the British way.
_ENGLISH_WORDS = frozenset({
    "the", "and", "of", "to", "for", "please", "our", "your", "we", "with", "dear", "regards",
    "kind", "would", "like", "attend", "attendees", "thank", "thanks", "find", "below",
    "registration",
})  # fmt: skip
_FRENCH_WORDS = frozenset({
    "le", "la", "les", "des", "et", "pour", "nous", "vous", "notre", "votre", "nos", "vos",
    "avec", "je", "bonjour", "cordialement", "merci", "veuillez", "trouver", "ci", "inscription",
})  # fmt: skip


def written_in_english(text: str) -> bool:
    """More of English's common words than of French's in ``text``."""
    words = re.findall(r"[a-z]+", fold(text))
    english = sum(1 for w in words if w in _ENGLISH_WORDS)
    return english >= 5 and english > 2 * sum(1 for w in words if w in _FRENCH_WORDS)


def either_order(text: str) -> bool:
    """ "11/10/2026": day and month may be read either way round (both 12 or less)."""
    match = next(_numeric_dates(fold(text)), None)
    if match is None:
        return False
    day, month = int(match.group("d")), int(match.group("m"))
    return day <= 12 and month <= 12 and day != month


def parse_date(text: str, default_year: int, near: dt.date | None = None) -> dt.date | None:
    """The first real date in ``text``, or None. A date written without its year
    ("28/12") falls in the year that puts it nearest ``near`` (the mail's day): a form
    signed on 28 December and mailed on 5 January was signed the year before."""
    for mention in find_dates(text, default_year):
        if mention.date is None:
            continue
        if mention.year_written or near is None:
            return mention.date
        years = (near.year - 1, near.year, near.year + 1)
        dates = [d for d in (_make(mention.day, mention.month, y) for y in years) if d]
        return min(dates, key=lambda d: abs((d - near).days))
    return None
