"""Which catalog session a form or a mail designates: webinar by title/keywords, date by text
or tick boxes. Old printed forms carrying last year's dates designate none."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from mailbot.catalog import Catalog, Webinar
from mailbot.understanding.dates import EN_MONTHS, MONTHS, DateMention, find_dates, fold
from mailbot.understanding.model import SessionRef


class SessionProblem:
    NOT_IDENTIFIED = "session_not_identified"
    UNKNOWN = "unknown_session"
    NONE_CHOSEN = "no_session_chosen"
    SEVERAL_CHOSEN = "several_sessions_chosen"


@dataclass(frozen=True, slots=True)
class SessionFinding:
    session: SessionRef | None
    problem: str | None = None


def find_webinars(catalog: Catalog, text: str) -> list[Webinar]:
    """Webinars named in ``text``: by title first, keywords only when no title is there."""
    return _named(catalog, text)[0]


def _named(catalog: Catalog, text: str) -> tuple[list[Webinar], bool]:
    """The webinars ``text`` names, and whether by keywords alone (no title nor id)."""
    folded = _squash(fold(text))
    by_title = [w for w in catalog.webinars if _title_in(w, folded)]
    if by_title:
        return by_title, False
    # "CPOM PH" (the id spelled out) is more specific than a keyword that an
    # organisation's own name may contain ("SAAD Aide et Présence").
    by_id = [w for w in catalog.webinars if _words_in((w.id.replace("-", " "),), folded)]
    if by_id:
        return by_id, False
    return [w for w in catalog.webinars if _words_in(w.keywords, folded)], True


def named_webinars(catalog: Catalog, text: str, default_year: int) -> list[Webinar]:
    """The webinars a request names, or else those on a day it writes. Named by keywords
    alone, several may be ("webinaire CPOM Handicap du vendredi 27 novembre" signed
    "Association Aide à Domicile en Pays Basque"): the one of them with a session on a day
    the request writes is the one meant, when only one has."""
    found, by_keyword = _named(catalog, text)
    if not found:
        return dated_webinars(catalog, text, default_year)
    if len(found) > 1 and by_keyword:
        dated = [w for w in dated_webinars(catalog, text, default_year) if w in found]
        if len(dated) == 1:
            return dated
    return found


def dated_webinars(catalog: Catalog, text: str, default_year: int) -> list[Webinar]:
    """Webinars with a session on a day ``text`` writes ("absente le 26 novembre"), for a
    mail that names no webinar: the day alone may designate one."""
    mentions = find_dates(text, default_year)
    return [w for w in catalog.webinars if any(_match(w, m) is not None for m in mentions)]


_ASKED = re.compile(
    r"(?:session|seminaire|webinaire|webinar|formation|journee|classe virtuelle|visio)\b[^\n]{0,40}$|"
    # "pourriez-vous plutôt les inscrire à celle du 8 octobre ?"
    r"\bplutot\b[^\n.]{0,40}$"
)


def unless_other_day_asked(
    finding: SessionFinding, catalog: Catalog, text: str, year: int
) -> SessionFinding:
    """``finding``, or no session when ``text`` (the mail's subject and note) asks for one
    on another day or in another month: "pour la session du 10 décembre" beside a form
    that prints no date must not be confirmed for the webinar's only session, nor "la
    session d'octobre" beside a SAAD form ticked for March."""
    chosen = finding.session
    webinar = None if chosen is None else catalog.webinar(chosen.webinar_id)
    if chosen is None or webinar is None:
        return finding
    folded = fold(text)
    for mention in find_dates(text, year):
        if not _ASKED.search(folded[max(0, mention.start - 60) : mention.start]):
            continue  # "suite à notre échange du 5 octobre": no session named
        if _set_aside(folded, mention.start):
            continue  # "Mme X reste inscrite à la session du 18 mars": not asked for
        if _match(webinar, mention) != chosen.date:
            return SessionFinding(None, SessionProblem.UNKNOWN)
    for named in _MONTH_SESSION.finditer(folded):
        # "pour la session de mars" beside a form ticked for October: two sessions named.
        month, year_written = MONTHS[named["m"]], named["y"]
        if month == chosen.date.month and int(year_written or chosen.date.year) == chosen.date.year:
            continue
        if _set_aside(folded, named.start()):
            continue  # "n'ayant pas pu participer à la session de mars": not asked for
        held = any(s.date.month == month for s in webinar.sessions)
        return SessionFinding(
            None, SessionProblem.SEVERAL_CHOSEN if held else SessionProblem.UNKNOWN
        )
    return finding


# A session missed, already followed, not possible or set against the one asked for, told
# to explain it: "n'ayant pas pu participer à la session de mars", "nous ne sommes pas
# disponibles le 18 mars", "et non celle du 18 mars".
_MISSED = re.compile(
    r"(?:pas pu\s+(?:y\s+)?(?:participer|assister|venir|suivre)|"
    r"(?:deja|avoir)\s+(?:participe|suivi|assiste))\s+(?:a\s+)?(?:la\s+|le\s+|l')?"
    # "a déjà suivi la session du 18 mars"
    r"(?:(?:session|journee|webinaire|formation)\s+(?:du\s+|de\s+|d')?)?$|"
    r"(?:\b(?:pas|plus)\s+(?:disponibles?|libres?)|\bindisponibles?|"
    r"\bne\s+(?:pourr?\w*|pouvons|peut|peuvent)\s+pas\s+(?:venir|participer|assister|etre\s+presente?s?))"
    r"[^.;!?\n]{0,25}$|"
    # "Mme Roques reste inscrite à la session du 18 mars": another registration, kept.
    r"\breste(?:nt)?\s+inscrite?s?\s+(?:a|pour)\s+(?:la\s+|le\s+|l')?(?:session|journee|webinaire)?"
    r"[^.;!?\n]{0,8}$|"
    # "session du 8 octobre (et non celle du 18 mars)", "plutôt que le 18 mars".
    r"\b(?:et\s+non|plutot\s+que|au\s+lieu)\s+(?:pas\s+)?(?:celle|celui|la\s+session|le\s+webinaire|"
    r"la\s+journee)?\s*(?:du|de\s+la|de|le|d')?\s*$"
)


def declines_chosen_day(finding: SessionFinding, catalog: Catalog, text: str, year: int) -> bool:
    """Whether ``text`` (the mail's note) says the writer cannot come on the day the form
    chose: "nous ne sommes pas disponibles le 18 mars" beside a form ticked for March."""
    chosen = finding.session
    webinar = None if chosen is None else catalog.webinar(chosen.webinar_id)
    if chosen is None or webinar is None:
        return False
    folded = fold(text)
    days = [m for m in find_dates(text, year) if _match(webinar, m) == chosen.date]
    months = [m for m in _MONTH_SESSION.finditer(folded) if MONTHS[m["m"]] == chosen.date.month]
    return any(_set_aside(folded, m.start) for m in days) or any(
        _set_aside(folded, m.start()) for m in months
    )


# "La session de mars étant trop proche pour nous, …", "le 18 mars ne nous convient pas":
# the reason a session is not the one asked for, told after it.
_MISSED_AFTER = re.compile(
    r"^[^.;!?\n]{0,30}?\b(?:(?:etant|est|etait|sera|serait)\s+(?:deja\s+)?(?:trop\s+(?:proche|tot|"
    r"tard|rapprochee)|complete|passee|impossible)|ne\s+(?:nous\s+)?convien\w*\s+pas|"
    # "Nos inscrits à la session d'octobre ne changent pas": another registration, kept.
    r"ne\s+change(?:nt)?\s+pas|(?:reste(?:nt)?|sont|est)\s+inchangee?s?)\b"
)


def _set_aside(folded: str, start: int) -> bool:
    return (
        _MISSED.search(folded[max(0, start - 60) : start]) is not None
        or _MISSED_AFTER.search(folded[start : start + 90]) is not None
    )


def names_another_session(chosen: SessionRef, catalog: Catalog, text: str, year: int) -> bool:
    """Whether ``text`` (a purchase order, a cover letter, a brochure beside the form) dates
    another session of the catalog, or names another webinar, and not the chosen one:
    "du vendredi 8 octobre 2027" ordered for a form ticked on 18 March, the Handicap
    webinar's brochure sent with an ASE form."""
    mentions = find_dates(text, year)
    days = {
        day
        for webinar in catalog.webinars
        for mention in mentions
        if (day := _match(webinar, mention)) is not None
    }
    # By title only: an organisation's own name holds a webinar's keyword ("APF France
    # handicap" on a purchase order for the ASE webinar).
    folded = _squash(fold(text))
    named = {webinar.id for webinar in catalog.webinars if _title_in(webinar, folded)}
    if chosen.date in days or (not days and chosen.webinar_id in named):
        return False
    return bool(days) or bool(named - {chosen.webinar_id})


def unless_other_webinar_dated(
    finding: SessionFinding,
    catalog: Catalog,
    text: str,
    year: int,
    *,
    signed: dt.date | None,
    mail_day: dt.date | None,
) -> SessionFinding:
    """``finding``, or ``several_sessions_chosen`` when the form also writes the day of
    another webinar's session: "CPOM ASE – 26/11" and "CPOM Handicap – 27/11" in the
    participants' rows register people to two webinars, and one cannot be chosen.

    The day the form was signed, and any day not after the mail's, asks for nothing.
    """
    chosen = finding.session
    if chosen is None:
        return finding
    others = [w for w in catalog.webinars if w.id != chosen.webinar_id]
    for mention in find_dates(text, year):
        day = mention.date
        if day is not None and (day == signed or (mail_day is not None and day <= mail_day)):
            continue
        if any(_match(webinar, mention) is not None for webinar in others):
            return SessionFinding(None, SessionProblem.SEVERAL_CHOSEN)
    return finding


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def _title_in(webinar: Webinar, folded: str) -> bool:
    title = _squash(fold(webinar.title))
    if title in folded:
        return True
    # Retyped titles drop a word or the quotes: accept the longest distinctive half.
    words = title.split()
    half = " ".join(words[len(words) // 2 :])
    return len(half) > 15 and half in folded


def _words_in(keywords: Sequence[str], folded: str) -> bool:
    return any(re.search(rf"\b{re.escape(_squash(fold(k)))}\b", folded) for k in keywords if k)


def find_session(
    catalog: Catalog,
    webinars: Sequence[Webinar],
    session_text: str,
    checkboxes: Sequence[tuple[str, bool]],
    default_year: int,
    mail_date: dt.datetime | None = None,
) -> SessionFinding:
    """The one session designated, or the reason code saying why there is none."""
    if len(webinars) != 1:
        return SessionFinding(None, SessionProblem.NOT_IDENTIFIED)
    webinar = webinars[0]
    dated_boxes = [
        (label, ticked) for label, ticked in checkboxes if find_dates(label, default_year)
    ]
    # A webinar given once needs no box: an empty one is a speck OCR took for a box, or a
    # line of a purchase order sent with the form ("☐ du jeudi 26 novembre - 3 participants").
    if dated_boxes and (len(webinar.sessions) > 1 or any(on for _, on in dated_boxes)):
        return _from_boxes(webinar, dated_boxes, default_year)
    folded = fold(session_text)
    mentions = find_dates(session_text, default_year)
    matched = {s for m in mentions if (s := _match(webinar, m)) is not None}
    # "la session du 8 octobre ; nous ne sommes pas disponibles le 18 mars": the day set
    # aside is not asked for, unless it is the only one named ("Mme X ne sera pas
    # disponible le 8 octobre", a replacement's session).
    kept = {s for m in mentions if not _set_aside(folded, m.start) and (s := _match(webinar, m))}
    matched = kept or matched
    if len(matched) == 1:
        return SessionFinding(SessionRef(webinar.id, matched.pop()))
    if len(matched) > 1:
        return SessionFinding(None, SessionProblem.NONE_CHOSEN)
    mail_day = mail_date.date() if mail_date else None
    if any(_stale(m) or _labelled_session(folded, m, mail_day) for m in mentions):
        return SessionFinding(None, SessionProblem.UNKNOWN)
    if len(webinar.sessions) == 1:
        return SessionFinding(SessionRef(webinar.id, webinar.sessions[0].date))
    by_month = _named_month(webinar, folded)
    if by_month is not None:
        return SessionFinding(SessionRef(webinar.id, by_month))
    return SessionFinding(None, SessionProblem.NONE_CHOSEN)


# "la session de mars", "le webinaire d'octobre 2027", "Session : mars 2027", "le
# webinaire CPOM SAAD de mars": a session named by its month alone.
_MONTH_SESSION = re.compile(
    r"\b(?:session|journee|webinaire|webinar|seminaire|formation)s?"
    r"(?:\s+(?:cpom|saad|aide a domicile|ase|ph|handicap)){0,2}\s*"
    r"(?:(?:du mois )?(?:de |d'|d’)|:)\s*"
    rf"(?P<m>{'|'.join(sorted(MONTHS, key=len, reverse=True))})\b(?:\s+(?P<y>20\d\d))?"
)


# "the March session", "your October 2027 session": an English-speaking partner's words.
_ENGLISH_MONTH_SESSION = re.compile(
    rf"\b(?P<m>{'|'.join(EN_MONTHS)})(?:\s+(?P<y>20\d\d))?\s+(?:session|webinar)s?\b"
)


def _named_month(webinar: Webinar, folded: str) -> dt.date | None:
    """The session "de mars" / "d'octobre 2027" names, when its month (and year, if
    written) is that of exactly one of the webinar's sessions, and nothing else is named."""
    days = set()
    named = [*_MONTH_SESSION.finditer(folded), *_ENGLISH_MONTH_SESSION.finditer(folded)]
    for match in named:
        month, year = {**MONTHS, **EN_MONTHS}[match["m"]], match["y"]
        days |= {s.date for s in webinar.sessions
                 if s.date.month == month and (year is None or s.date.year == int(year))}  # fmt: skip
        if not any(s.date.month == month for s in webinar.sessions):
            return None  # "la session de juin": a session the catalog does not have
    return days.pop() if len(days) == 1 else None


def _from_boxes(
    webinar: Webinar, boxes: Sequence[tuple[str, bool]], default_year: int
) -> SessionFinding:
    # The same box may be reported twice (form field and printed glyph): count dates.
    ticked = {(m.day, m.month): m for label, on in boxes if on
              for m in find_dates(label, default_year)[:1]}  # fmt: skip
    if any(_noted(label, default_year) for label, on in boxes if not on):
        # "☐ 8 octobre 2027 ← 08/10 pour Mme Bouillot": a box left empty but written
        # beside, someone's session chosen by hand.
        return SessionFinding(
            None, SessionProblem.SEVERAL_CHOSEN if ticked else SessionProblem.NONE_CHOSEN
        )
    if not ticked:
        return SessionFinding(None, SessionProblem.NONE_CHOSEN)
    if len(ticked) > 1:
        return SessionFinding(None, SessionProblem.SEVERAL_CHOSEN)
    mention = next(iter(ticked.values()))
    day = _match(webinar, mention)
    if day is not None:
        return SessionFinding(SessionRef(webinar.id, day))
    return SessionFinding(None, SessionProblem.UNKNOWN)


_A_PERSON = re.compile(r"(?:^|\s)(?:m\.|mme|mlle|monsieur|madame)\s", re.IGNORECASE)


def _noted(label: str, default_year: int) -> bool:
    """Whether a box's label carries a note after its printed date: another date, or
    someone named."""
    mentions = find_dates(label, default_year)
    rest = label[mentions[0].end :] if mentions else label
    return len(mentions) > 1 or _A_PERSON.search(rest) is not None


def _match(webinar: Webinar, mention: DateMention) -> dt.date | None:
    """The session date this mention designates (a year-less "26 novembre" matches by day)."""
    for session in webinar.sessions:
        day = session.date
        if (mention.day, mention.month) != (day.day, day.month):
            continue
        if mention.year_written and mention.date is not None and mention.date.year != day.year:
            continue
        if mention.weekday and _WEEKDAYS[day.weekday()] != mention.weekday:
            continue  # "jeudi 21 mars" style: same day number, another year's calendar
        return day
    return None


_WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def _stale(mention: DateMention) -> bool:
    """A session-looking date (weekday, day, month) that is no catalog session."""
    return mention.weekday is not None


_SESSION_WORDS = re.compile(r"session|seminaire|webinaire|formation|journee")
_OTHER_DATES = re.compile(r"signature|naissance|factur|commande|envoi|reception|paiement|reglement")


def _labelled_session(folded: str, mention: DateMention, mail_day: dt.date | None) -> bool:
    """A date written against a session label ("Session : 03/12/2026") that is no catalog
    session: the form asks for another day, and the only catalog one must not be assumed.

    A bare "Date :" may be the signing date, which is never after the mail; a
    later one is the session asked for.
    """
    line = folded[folded.rfind("\n", 0, mention.start) + 1 : mention.start]
    if ":" not in line:
        return False
    label = line.split(":", 1)[0]
    if len(label) > 60 or _OTHER_DATES.search(label):
        return False
    if _SESSION_WORDS.search(label):
        return True
    return (
        re.search(r"\bdate\b", label) is not None
        and mention.date is not None
        and mail_day is not None
        and mention.date > mail_day
    )


def is_past(session: SessionRef, mail_day: dt.date | None) -> bool:
    return mail_day is not None and session.date <= mail_day
