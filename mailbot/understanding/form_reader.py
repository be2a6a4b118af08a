"""Read a registration form from rows of cells: "label : value" lines, label|value tables,
participant tables with a header row, "Participant N" blocks and bullet lists.

The input is what any source reduces to (a body's lines, a document's tables and
text, AcroForm fields); the output is a ``RawForm`` holding the values *as
written*. Judging them is ``validation``'s job.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import pairwise

from mailbot.understanding.amounts import (
    COUNT,
    PEOPLE_WORDS,
    all_amounts,
    count_value,
    parse_amount,
    parse_count,
    words_amount,
)
from mailbot.understanding.dates import find_dates, fold
from mailbot.understanding.documents.glyphs import MARK_AFTER
from mailbot.understanding.documents.tables import GOES_ON, join_cell_lines
from mailbot.understanding.emails import find_emails, is_valid
from mailbot.understanding.labels import (
    MANAGER_FIELDS,
    Field,
    Section,
    column_for,
    ends_a_label,
    exact_column,
    exact_field,
    field_for,
    is_heading,
    is_label,
    normalise_label,
    section_for,
    unnumbered,
)
from mailbot.understanding.lexicon import PHONE_NUMBER
from mailbot.understanding.names import (
    clean_value,
    is_upper_word,
    letters,
    names_a_person,
    only_a_title,
    opens_with_a_function,
    parse_civility,
    split_civility,
    split_full_name_checked,
    writes_a_first_name,
)
from mailbot.understanding.roster import Roster, is_total_row, roster_header
from mailbot.understanding.row_repairs import mended_rows
from mailbot.understanding.side_by_side import blocks_flattened, sections_apart
from mailbot.understanding.stacked import looks_like, unstack, values_first

Row = tuple[str, ...]

_BULLET = re.compile(
    r"^\s*(?:[-•*·▪–◦>→►▶➢➤⇒]|\d{1,2}\s*[.)/\-]|\(\d{1,2}\)|[a-n]\)|n°\s*\d+\s*[:.\-]?)\s+"
)
_CHECK_MARK = re.compile(r"^\s*(\[\s*[xX✓✔]\s*\]|\(\s*[xX]\s*\)|[xX✓✔☒☑■▣●](?=\s))\s*(.+)$")
# Where a box begins inside a line: brackets or box glyphs (a bare "X" or "_" only starts a line).
_BOX_START = re.compile(
    r"(?=\[\s*[xX✓✔.·•*/\\+oOvV-]?\s*\]|\(\s*[xX.·•*/\\+-]?\s*\)|[☒☑☐□■▣])|"
    r"(?:(?<=, )|(?<=  ))(?=[xX_]\s)"
)
# A box as a line's first sign, ticked or not.
_BOX_MARK = re.compile(r"^\s*(?:\[\s*[xX✓✔]?\s*\]|\(\s*[xX]?\s*\)|[☒☑☐□■▣])")
_EMPTY_MARK = re.compile(r"^\s*(\[\s*\]|\(\s*\)|[_☐□○◻]|\.{1,3})\s+(.+)$")
# "[.] vendredi 8 octobre 2027": a sign in the box that nobody ticks with; a mark all the same.
_ODD_MARK = re.compile(r"^\s*(\[\s*[.·•*/\\+oOvV-]\s*\]|\(\s*[.·•*/\\+-]\s*\))\s*(.+)$")
# "Fait au Mans", "Fait aux Sables-d'Olonne" (the town's article joined to "à"),
# "Lieu et date : Niort, le 5 octobre 2026" ("Place and date"), and "À Guéret, le 30
# septembre 2026": the form's "Fait à" as a letter dates itself (taken only with a date, see
# _read_fait_a). "Faità": OCR runs the label's two words together.
_FAIT_A = re.compile(
    r"^\s*(?:(?:fait|sign[ée]e?)(?:\s+(?P<article>aux?)\s+(?=(?-i:[A-ZÀ-Þ]))|\s*[àa](?!ux?\b)\s*:?\s*)"
    r"|(?:lieu\s+et|place\s+and)\s+date\s*:?\s*|(?P<bare>[àa])\s+(?=(?-i:[A-ZÀ-Þ])))(?P<rest>.*)$",
    re.IGNORECASE,
)
_ARTICLE_OF = {"au": "Le", "aux": "Les"}
# "Fait à / Place : X", "Par / Signed by": a bilingual form's English half of the label,
# left in front of the value when the French half was read as the label.
_ENGLISH_HALF = re.compile(
    r"^\s*/\s*(?:place|location|city|town|signed (?:at|by|on)|date|name of (?:the )?signatory|"
    r"signatory|signature(?: and stamp)?|organi[sz]ation(?: name)?|name|address|postal address|"
    r"e-?mail|phone|telephone|department|contact(?: person)?|full name)\b\s*:?\s*",
    re.IGNORECASE,
)
_BLANK_DATE_LABEL = re.compile(r"(?:^|[\s,])le\s*:?\s*$", re.IGNORECASE)
_PLACE_DATE = re.compile(
    r"^(?P<place>.*?)(?:\s*[,;/]\s*|\s+)le\s*:?\s*(?P<date>.+)$", re.IGNORECASE
)
# "Lorient, 02/11/2026": the date after a comma, without its "le".
_PLACE_COMMA_DATE = re.compile(
    r"^(?P<place>[^,\d]+?)\s*,\s*(?P<date>\d{1,2}(?:[/.-]\d{1,2}[/.-]\d{2,4}|(?:er)?\s+\w+\s+\d{4}))$"
)
_COLON = re.compile(r"\s*[:：]\s*")
# "vingt-cinq", "trente et un": a larger count in words, beside its figures.
_COUNT_WORDS = r"[a-zà-ÿ]+(?:[\s-]+[a-zà-ÿ]+){0,3}"
_COUNT_IN_TOTAL = re.compile(
    # "(8 (huit))": the count in figures and in words
    rf"(?:participants?\s*[({{\[]\s*(?P<a>{COUNT})\s*(?:\(\s*(?P<words>{COUNT}|{_COUNT_WORDS})\s*\)\s*)?[)}}\]|])"
    rf"|(?:\b(?P<b>{COUNT})\s*(?:participant|personne|inscrit|agent))"
    # "participants 4 ( ) x 625": a PDF field's value set left of the bracket left empty.
    rf"|(?:participants?\s+(?P<c>{COUNT})\s*\(\s*\))"
    # "= 1 270 € (nombre de participants : 2)": the count restated after the amount.
    rf"|(?:\(\s*nombre\s+de\s+participants?\s*:\s*(?P<d>{COUNT})\s*\))",
    re.IGNORECASE,
)
# The form's bracket for the count, whatever is written in it.
_COUNT_BRACKET = re.compile(r"participants?\s*\((?P<count>[^()]{0,20})\)", re.IGNORECASE)
# "Soit 4 participants x 635 € = 2 540 €", "4 x 635 euros = 2 540 euros": the form's
# formula retyped without its label; the count is the factor before the price.
_PRODUCT = re.compile(
    rf"(?<![\d.,])\b(?P<n>{COUNT})\s*[)}}\]]?\s*"
    r"(?P<noun>(?:participant|personne|inscrit|agent)\w*(?:\(\w{1,2}\))?\s*)?"
    # "2 x 635 € = Montant net total : 1270 €": the total's label after the sign.
    r"[x×*]\s*\d[\d \u00a0.,]*(?P<unit>€|euros?\b|eur\b)?\s*=\s*(?:[^\W\d_][^\d=\n]{0,30}:\s*)?\d",
    re.IGNORECASE,
)


_PRICE_TIMES = re.compile(
    r"(?P<price>\d{3}(?:[.,]\d{2})?)\s*(?:€|euros?)\s*[x×*]\s*(?P<n>\d{1,2})\b(?![.,]?\d)"
    # "1 250,00 € (2 x 625 €)", "1 x 635 € soit 635,00 €": the count first.
    r"|(?<![\d.,])(?P<n2>\d{1,2})\s*(?:participants?\s*|personnes?\s*)?[x×*]\s*"
    r"(?P<price2>\d{3}(?:[.,]\d{2})?)\s*(?:€|euros?)",
    re.IGNORECASE,
)


def _product(line: str) -> re.Match[str] | None:
    match = _PRODUCT.search(line)
    # "nombre de participants ( 3 ) x 625 euros = 1 875 €": the form's own formula
    # whose "Montant net total … =" the scan or the layout put on the line above.
    labelled = re.search(r"montant|total|nombre\s+de\s+participants", line, re.IGNORECASE)
    if match is None:
        return None
    if not (labelled or match.group("noun") or match.group("unit") or _priced(line, match)):
        return None  # "2 x 3 = 6" alone says nothing of money
    return match


_PRODUCT_SUM = re.compile(
    r"[x×*]\s*(?P<price>\d[\d \u00a0]*(?:[.,]\d{1,2})?)\s*=\s*"
    r"(?P<total>\d[\d \u00a0]*(?:[.,]\d{1,2})?)\s*(?:€|euros?\b|eur\b)",
    re.IGNORECASE,
)


def _priced(line: str, match: re.Match[str]) -> bool:
    """ "3 x 635 = 1905 euros": a sum in euros that is right is the form's formula."""
    found = _PRODUCT_SUM.search(line, match.start("n"))
    if found is None:
        return False
    price, total = amount_of(found["price"]), amount_of(found["total"])
    return price is not None and total is not None and price * count_value(match["n"]) == total


_PHONE = re.compile(r"^[+()\d][\d\s.()+\-]{7,}(?:\s*(?:poste|ext\.?|p\.)\s*\d+)?$", re.IGNORECASE)


@dataclass(slots=True)
class RawPerson:
    civility: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    civility_written: str | None = None  # the text in the civility cell, when unreadable
    order_unsure: bool = False  # one cell "DUPONT JEAN": which word is the family name?

    def blank(self) -> bool:
        return not (self.civility or self.first_name or self.last_name or self.email)


@dataclass(slots=True)
class RawForm:
    """Values as written, plus what was seen on the way (labels, ticks, session cues)."""

    values: dict[Field, str] = field(default_factory=dict)
    participants: list[RawPerson] = field(default_factory=list)
    checkboxes: list[tuple[str, bool]] = field(default_factory=list)
    faint_ticks: bool = False  # a box marked by a speck or an odd sign: counted, doubted
    session_lines: list[str] = field(default_factory=list)
    labels_seen: set[Field] = field(default_factory=set)
    declared_count: int | None = None
    declared_total: Decimal | None = None
    # "635 € par personne", "2 x 635 €" where a total goes: a price per head, no total;
    # and the count such a product gives.
    unit_price: Decimal | None = None
    unit_count: int | None = None
    unreadable: set[Field] = field(default_factory=set)  # a count or total written, not read
    trailed: set[Field] = field(default_factory=set)  # values followed by a line left unread
    unread: list[str] = field(default_factory=list)  # lines amid the fields that nothing read
    # Those of them read past right by the organisation's name or address.
    unread_by_address: list[str] = field(default_factory=list)
    restated: set[Field] = field(default_factory=set)  # written again with another value
    # A column of the list's own answering yes or no for each person ("Inscription CPOM :
    # Oui / Non"): who it means to register is a person's reading, not ours.
    picked: bool = False
    roster: bool = False  # read from an export's rows: the mail around it says the rest
    unread_columns: list[str] = field(default_factory=list)  # an export's columns read past
    # "Le Directeur," over "Hervé CASSOU": whether the title on its own line belongs to the
    # signatory as written is read both ways; a person records it.
    title_apart: bool = False

    def score(self) -> int:
        """How much of a registration form this looks like (distinct fields found)."""
        core = {Field.ORG_NAME, Field.ADDRESS, Field.MANAGER_NAME, Field.MANAGER_EMAIL,
                Field.SIGNATORY, Field.PLACE, Field.TOTAL, Field.COUNT, Field.MANAGER_ROW}  # fmt: skip
        found = len(core & (self.labels_seen | set(self.values)))
        return found + (2 if self.participants else 0)


@dataclass(slots=True)
class _State:
    form: RawForm
    fuzzy: bool
    prefix_labels: bool = False
    section: Section | None = None
    person: RawPerson | None = None
    columns: list[Field | None] | None = None
    order_columns: list[Field | None] | None = None  # "Désignation | Quantité | … | Montant"
    last_field: Field | None = None
    total_pending: bool = False  # a total line ended on "=": its amount wrapped to the next line
    total_head: str = ""  # "= 3" ending a total line: maybe the thousands of "3 175 euros"
    stacked: bool = False  # labels and values on lines of their own (a table saved as text)
    pending: Field | None = None  # a label alone on the line before: its value may come next
    row: int = 0  # rows read so far, blank ones included
    person_row: int = -2  # the row of the last person line
    pending_label: str = ""
    lone_label: str = ""  # the line before: a known label alone that nothing read
    column_label: str = ""  # "Civilité" alone in a person's block: her civility comes next
    manager_line: str = ""  # the manager written on one line: the page may wrap it
    following: str = ""  # the next row's text: a locality line is known by the postcode under it
    family_first: bool = False  # the names' column is headed "NOM Prénom" / "Nom et prénom"
    # Fields read before the form's first section (a cover letter's "Tél. :"): the form's
    # own value, written under its heading, takes their place.
    before_form: set[Field] = field(default_factory=set)
    # Fields read from a label's words run into the value with nothing between them,
    # before any section ("Service d'aide à domicile" under the letterhead's name): a
    # name as likely as a label. A value labelled plainly later takes their place; left
    # alone, they are doubted.
    run_in: set[Field] = field(default_factory=set)
    # A name read with no label, alone under its section's heading: a labelled one met
    # further on ("Dénomination : …") takes its place.
    provisional: set[Field] = field(default_factory=set)
    reading_run_in: bool = False
    dated_row: int = -2  # the row of "Fait à …, le …": its signer may come next
    # The row whose address cell had another label's pair beside it ("Adresse postale | 145
    # chemin … | Téléphone | 04 …"): the town's line under it is the address's, not the phone's.
    address_beside_row: int = -2
    numbered_person: str = ""  # "participant 2" of "Participant 2 — Prénom *"
    carried: int = -2  # a blank row after it, over which only a signer's label goes on
    blank_place_row: int = -1  # "Fait à" read with nothing beside it
    signer_title: str = ""  # "Le Directeur général," on the line under it
    section_row: int = -2  # the row of the last section heading
    roster: Roster | None = None  # an export's header, one participant per row under it
    rosters: list[Roster] = field(default_factory=list)


def read_rows(
    rows: Iterable[Sequence[str]], *, fuzzy: bool = False, prefix_labels: bool = False
) -> RawForm:
    """Everything a form says, from its rows (a row is a line or a table row).

    ``prefix_labels`` also reads "Dénomination ACME" with no separator, as text
    extracted from a document prints it; mail prose is too free for that.
    """
    state = _State(RawForm(), fuzzy, prefix_labels)
    rows = mended_rows([row for row in rows if not _page_furniture(row)])
    rows = unstack(values_first(sections_apart(blocks_flattened(rows))))
    state.stacked = _stacked_labels(rows)
    rows = _label_organisation_block(_rejoin_cut_emails(_rejoin_wrapped_labels(rows)))
    rows = _label_letterhead(rows) if prefix_labels else rows
    for index, row in enumerate(rows):
        state.following = " ".join(rows[index + 1]).strip() if index + 1 < len(rows) else ""
        _read_row(state, row)
    _close_person(state)
    for roster in state.rosters:
        _settle(state, roster)
    _join_postal_parts(state.form)
    _place_under_its_label(state, rows)
    if state.fuzzy:
        _signer_past_the_stamp(state, rows)
    state.form.unreadable |= {f for f in state.run_in if f in state.form.values}
    # A page's footer under the participants table ("IPP - Institut de la Performance
    # Publique - ipp@ipp.fr 1/2") is read as one more row: IPP is nobody's participant.
    state.form.participants[:] = [
        p for p in state.form.participants if not _TRAINING_BODY.search(fold(p.email or ""))
    ]
    for own in _CLIENT_FIELDS:
        # Our own words quoted under a label the client left blank ("> Par (nom du
        # signataire) :" then "> IPP - Institut de la Performance Publique"): not hers.
        if _TRAINING_BODY.search(fold(state.form.values.get(own, ""))):
            del state.form.values[own]
    return state.form


_CLIENT_FIELDS = (Field.SIGNATORY, Field.MANAGER_NAME, Field.SERVICE, Field.PLACE, Field.ADDRESS)


def _settle(state: _State, roster: Roster) -> None:
    """The organisation's values a roster repeats on every row, read once."""
    state.form.roster = True
    for found, value in roster.settled().items():
        state.form.labels_seen.add(found)
        _set(state, found, value)
    state.form.session_lines.extend(roster.sessions())
    # A column of the export's own may hold what the form asks ("Voie", a session): read
    # past silently, it could leave a value short. A person looks.
    state.form.unread_columns.extend(roster.unknown)


def _join_postal_parts(form: RawForm) -> None:
    """ "Adresse : 17 cours Gambetta" / "Code postal : 47200" / "Ville : Marmande": one
    address. Without the street the address stays missing, for a person to ask."""
    postcode = form.values.pop(Field.POSTCODE, None)
    city = form.values.pop(Field.CITY, None)
    street = form.values.get(Field.ADDRESS)
    if street is None or not (postcode or city):
        return
    if postcode and fold(postcode) in fold(street):
        return  # the street line already ends on the postcode and its town
    form.values[Field.ADDRESS] = ", ".join([street, " ".join(filter(None, [postcode, city]))])


# "IPP - Bulletin d'inscription | Page 2/2", "Département de l'Aveyron – SIRET … | Page 1",
# "… suite page 2 | 1/2": a page's running head or foot, between the rows of a table that
# goes on over the page.
_PAGE_NUMBER = re.compile(
    r"^\s*(?:page\s+\d{1,2}(?:\s*(?:/|sur|of)\s*\d{1,2})?|\d{1,2}\s*/\s*\d{1,2}|[-–]\s*\d{1,2}\s*[-–])\s*$",
    re.IGNORECASE,
)
_FURNITURE_CELLS = 3


def _page_furniture(row: Sequence[str]) -> bool:
    cells = [c for c in row if c.strip()]
    return len(cells) <= _FURNITURE_CELLS and any(_PAGE_NUMBER.match(c) for c in cells)


_EMAIL_CHARS = re.compile(r"[\w.+'\-@]+")
_MAX_PIECES = 4
_ADDRESS_START = re.compile(r"^[^A-ZÀ-Þ]+$|[._\d]")


_CONNECTOR_END = re.compile(r"(?:\s(?:et|de|du|des|la|le|d'|l')|[-/])$", re.IGNORECASE)


def _rejoin_wrapped_labels(rows: list[Sequence[str]]) -> list[Sequence[str]]:
    """ "Prénom et | Bruno CASTEX" then "NOM": a label wrapped in its narrow cell.

    Joined only when the first cell ends on a word that cannot end a label (or a
    word broken by a hyphen, "Dénomi-" / "nation"), or its value has the look of
    the joined label's; the next row is that cell's last words alone, and together
    they make a known label.
    """
    joined: list[Sequence[str]] = []
    index = 0
    glossing = False  # within a label's gloss that runs over lines of its own
    while index < len(rows):
        row = _label_across_cells(rows[index])
        following = rows[index + 1] if index + 1 < len(rows) else ()
        if (gloss := _lone_gloss(row, glossing)) is not None:
            # "Adresse postale" / "2 chemin des Vignes" / "(voie, BP, code postal," /
            # "21000 Dijon" / "ville)": the label's gloss between its value's lines.
            glossing = gloss
            index += 1
            continue
        if joined and _gloss_beside_value(joined[-1], row):
            # "Adresse postale | Immeuble Le Montana" then "(voie, BP, code postal, | 5 rue
            # de la Monnaie" then "ville) | 54000 Nancy": the label's gloss beside the
            # value's next lines.
            row = ("", *row[1:])
            joined.append(row)
            index += 1
            continue
        label = _wrapped_label(row, following)
        if (
            label is not None
            and (
                _CONNECTOR_END.search(row[0].strip())
                or _means_nothing_alone(row[0], following[0])
                or _fits_joined(row, following)
            )
            and len([c for c in following if c.strip()]) == 1
            and len(following[0].split()) <= 3
        ):
            joined.append(_label_across_cells((label, *row[1:])))
            index += 2
            continue
        if (
            label is not None
            and _CONNECTOR_END.search(row[0].strip())
            and len(following) == 2
            and len(row) == 2
            and all(c.strip() for c in (*row, *following))
            and len(following[0].split()) <= 2
        ):
            # "Adresse de | Zone de Fonlabour" then "facturation | 3 rue des Artisans": the
            # label, unknown until its end, beside the value's first lines.
            joined += [(label, row[1]), ("", following[1])]
            index += 2
            continue
        after = rows[index + 2] if index + 2 < len(rows) else ()
        previous = joined[-1] if joined else ()
        if (centred := _address_around_label(previous, row, following, after)) is not None:
            # "4 place du Marché" / "Adresse postale" / "19200 Ussel": a label centred beside
            # the address's two lines, which the page sets above and below it.
            joined.append(centred)
            index += 3
            continue
        if (around := _label_around_value(row, following, after)) is not None:
            # "Raison sociale de" / "APF Délégation …" / "la structure": the value set
            # between its label's two lines, centred in its cell.
            joined.append(around)
            index += 3
            continue
        if _heading_wrapped_last(row, following):
            # "Fait à | Pertuis | Signature et" then "cachet": the block's heading, set
            # beside the place, wrapped in its cell.
            joined.append((*row[:-1], f"{row[-1].strip()} {following[0].strip()}"))
            index += 2
            continue
        previous = joined[-1] if joined else ()
        if (
            pairs := _manager_table(previous, row, following)
            or _organisation_table(previous, row, following)
        ) is not None:
            # "2. Personne en charge du dossier" over "Nom | Service | Téléphone | Courriel"
            # over one row: the manager's details as a table.
            joined += pairs
            index += 2
            continue
        if _labels_over_values(row, following, previous):
            # "Lieu | Date | Signataire" over "Pontarlier | 26/10/26 | AUDEBERT Sébastien":
            # a row of labels, their values in the row under them.
            values = [*following, *[""] * (len(row) - len(following))]
            joined += [
                (label.strip(), value.strip()) for label, value in zip(row, values, strict=True)
            ]
            index += 2
            continue
        if _value_on_next_row(row, following):
            # "Dénomination | " then " | ADAPEI de la Saône-et-Loire": the value typed in
            # the row under its label's, in the value's column.
            joined.append((row[0].strip(), *[c for c in following[1:] if c.strip()]))
            index += 2
            continue
        if _label_goes_on(row, following):
            # "Adresse | 17 rue des Vignerons" then "postale | 44150 Ancenis": the
            # label's last word beside the value's next line.
            joined += [(f"{row[0].strip()} {following[0].strip()}", *row[1:]), ("", *following[1:])]
            index += 2
            continue
        joined.append(row)
        index += 1
    return joined


# A manager's table's columns: her name, and what she is asked besides; "Fonction" is
# not asked, and read past.
_MANAGER_NAME_COLUMNS = frozenset(
    {"nom", "nom prenom", "prenom nom", "nom et prenom", "prenom et nom", "identite"}
)
_MANAGER_COLUMN_FIELDS = frozenset({Field.SERVICE, Field.PHONE, Field.MANAGER_EMAIL})
_UNASKED_COLUMNS = frozenset({"fonction", "qualite", "poste", "fonction occupee"})


def _organisation_table(
    previous: Sequence[str], row: Sequence[str], following: Sequence[str]
) -> list[Row] | None:
    """ "Organisme-client" over "Dénomination | Adresse postale" over "ACME | 1 rue X, 18000
    Bourges": the organisation's details as a one-row table under its heading."""
    heading = unnumbered(" ".join(c for c in previous if c.strip())).strip(" :")
    if not heading or section_for(heading) is not Section.ORGANISATION:
        return None
    cells = [c.strip(" :") for c in row]
    values = [c.strip() for c in following]
    if len(cells) < 2 or len(values) != len(cells) or not all(cells) or not all(values):
        return None
    fields = [exact_field(cell) for cell in cells]
    if sorted(fields, key=str) != sorted([Field.ORG_NAME, Field.ADDRESS], key=str):
        return None
    if any(is_label(value) or section_for(value) for value in values):
        return None
    return list(zip(cells, values, strict=True))


def _manager_table(
    previous: Sequence[str], row: Sequence[str], following: Sequence[str]
) -> list[Row] | None:
    """(label, value) pairs of a manager's details set as a one-row table under her
    section's heading, or None."""
    heading = unnumbered(" ".join(c for c in previous if c.strip())).strip(" :")
    if not heading or (
        section_for(heading) is not Section.MANAGER
        and exact_field(heading) is not Field.MANAGER_NAME
    ):
        return None
    cells = [c.strip(" :") for c in row]
    if len(cells) < 3 or len(following) != len(cells) or not all(cells):
        return None
    labels: list[str | None] = []
    for cell in cells:
        folded = normalise_label(cell)
        if folded in _MANAGER_NAME_COLUMNS:
            labels.append("Prénom et NOM")
        elif folded in _UNASKED_COLUMNS:
            labels.append(None)
        elif exact_field(cell) in _MANAGER_COLUMN_FIELDS:
            labels.append(cell)
        else:
            return None
    if "Prénom et NOM" not in labels or len({label for label in labels if label}) < 3:
        return None
    asked = [value.strip() for label, value in zip(labels, following, strict=True) if label]
    if any(exact_field(value) or section_for(value) for value in asked if value):
        return None  # a second row of labels, not her details
    return [
        (label, value.strip())
        for label, value in zip(labels, following, strict=True)
        if label is not None and value.strip()
    ]


_SIDE_BY_SIDE_FIELDS = frozenset(
    {Field.PLACE, Field.SIGNED_DATE, Field.SIGNATORY, Field.COUNT, Field.TOTAL, Field.SESSION}
)


def _labels_over_values(
    row: Sequence[str], following: Sequence[str], previous: Sequence[str] = ()
) -> bool:
    """The signing block or the amounts laid out as a table: every cell of ``row`` one
    of their labels, ``following`` no more cells (one left blank: a field not filled in),
    none a label. Or the organisation's or the manager's labels, each with its value."""
    if len(row) < 2 or not 2 <= len(following) <= len(row):
        return False
    if not all(c.strip() and ":" not in c.strip().rstrip(":") for c in row):
        return False
    if not following[0].strip() or any(":" in c for c in following):
        return False
    fields = [exact_field(c.strip(" :")) for c in row]
    laid_out = all(f in _SIDE_BY_SIDE_FIELDS for f in fields) or _block_over_values(
        fields, following, previous
    )
    return laid_out and not any(
        exact_field(c.strip(" :")) or section_for(c.strip(" :")) for c in following
    )


def _block_over_values(
    fields: list[Field | None], following: Sequence[str], previous: Sequence[str]
) -> bool:
    """ "PRÉNOM ET NOM | SERVICE" over "Benoît KERGUELEN | Direction …": the organisation's
    or the manager's labels, each with its own value under it, none left blank."""
    if len(following) != len(fields) or not all(c.strip() for c in following):
        return False
    if None in fields or len(set(fields)) != len(fields):
        return False
    if not all(f in _BLOCK_FIELDS for f in fields):
        return False
    # Never a list's header ("Nom et prénom | Courriel" under "Participants", or over
    # "Mme Anne ROUX | …"): its rows are people, not the manager.
    heading = " ".join(c.strip() for c in previous if c.strip())
    if section_for(heading.rstrip(" :")) in (Section.PARTICIPANTS, Section.PARTICIPANT):
        return False
    return parse_civility(following[0].split(maxsplit=1)[0]) is None


def _value_on_next_row(row: Sequence[str], following: Sequence[str]) -> bool:
    filled = [c.strip() for c in row if c.strip()]
    if len(filled) != 1 or not row[0].strip() or ":" in row[0]:
        return False
    below = [c for c in following[1:] if c.strip()]
    return (
        len(following) >= 2
        and not following[0].strip()
        and len(below) == 1
        and exact_field(row[0].strip()) is not None
    )


def _wrapped_label(row: Sequence[str], following: Sequence[str]) -> str | None:
    """The known label ``row``'s first cell makes with the next row's first words."""
    if len(row) < 2 or not following or not following[0].strip():
        return None
    head, rest = row[0].strip(), following[0].strip()
    for label in (f"{head} {rest}", f"{head[:-1]}{rest}" if head.endswith("-") else ""):
        if label and exact_field(label) is not None:
            return label
    return None


def _label_across_cells(row: Sequence[str]) -> Sequence[str]:
    """ "Prénom | et | NOM | du gestionnaire | Matthieu TOURNIER", "Fait | à | Brest |
    Signature et cachet": a justified label's words spread so wide they fall into cells
    of their own, before its value (and the row's other cells)."""
    cells = [cell.strip() for cell in row]
    if len(cells) < 3 or not all(cells[:2]):
        return row
    opens = exact_field(cells[0]) is None or _GOES_ON_LABEL.match(cells[1]) is not None
    if not opens:
        return row
    for end in range(len(cells) - 1, 1, -1):
        label, value = " ".join(cells[:end]), cells[end]
        if (
            all(cells[:end])
            and value
            and exact_field(label) is not None
            and not is_label(value)
            and section_for(value) is None
        ):
            return (label, *cells[end:])
    return row


# The words a label goes on with: "de l'organisme", "e-mail", "/ Direction", "(ligne directe)".
_GOES_ON_LABEL = re.compile(r"^(?:[a-zà-ÿ]|[/(])")
# A label's gloss on its own lines: "(voie, BP / CS, code postal," then "ville)".
_GLOSS = re.compile(r"^\([^()]*\)?$|^[^()]*\)$")


def _lone_gloss(row: Sequence[str], glossing: bool) -> bool | None:
    """Whether a gloss goes on after ``row`` when ``row`` is a gloss's line alone; None
    when it is not."""
    cells = [cell.strip() for cell in row if cell.strip()]
    if len(cells) != 1 or re.search(r"[\d@]", cells[0]):
        return None
    text = cells[0]
    if text.startswith("(") and ")" not in text:
        return True
    if glossing and _GLOSS.match(text):
        return False
    return None


def _gloss_beside_value(above: Sequence[str], row: Sequence[str]) -> bool:
    """Whether ``row``'s first cell is the gloss of the label above, beside its value's
    next line."""
    if len(row) < 2 or not _GLOSS.match(row[0].strip()) or not any(c.strip() for c in row[1:]):
        return False
    head = above[0].strip() if above else ""
    # "Adresse postale (voie," over "BP / CS, code postal, ville)": the gloss opened above.
    label = re.sub(r"\([^)]*$", "", head).strip()
    return not head or _GLOSS.match(head) is not None or exact_field(label) is not None


def _label_around_value(
    row: Sequence[str], value: Sequence[str], rest: Sequence[str]
) -> tuple[str, str] | None:
    """(label, value) when ``row`` and ``rest`` are a label's two lines, each alone, the
    first ending on a word that cannot end a label, and ``value`` the line between."""
    lines = [[c.strip() for c in r if c.strip()] for r in (row, value, rest)]
    if any(len(cells) != 1 for cells in lines):
        return None
    (head,), (between,), (tail,) = lines
    label = f"{head} {tail}"
    if not _LABEL_GOES_ON.fullmatch(head.split()[-1]) or len(tail.split()) > 3:
        return None
    if exact_field(label) is None or is_label(between) or section_for(between) is not None:
        return None
    return (label, between)


def _address_around_label(
    previous: Sequence[str], row: Sequence[str], label: Sequence[str], rest: Sequence[str]
) -> tuple[str, str] | None:
    """("Adresse postale", "4 place du Marché, 19200 Ussel") when the address label stands
    alone between a street's line and a town's line, each alone too: a label centred up
    and down beside a value of two lines. Beside a value of three lines, the label is on
    the middle one ("11 rue F. Chénieux" / "Adresse postale | CS 83112" / "87031 Limoges
    Cedex 1"): taken only when the line above is a numbered street, which no name is.
    Not under a label alone, whose value ``row`` would be (a form laid out label over
    value)."""
    lines = [[c.strip() for c in r if c.strip()] for r in (row, label, rest)]
    if len(lines[0]) != 1 or len(lines[2]) != 1 or len(lines[1]) not in (1, 2):
        return None
    (street,), (name, *middle), (town,) = lines
    if exact_field(name.rstrip(" :")) is not Field.ADDRESS or not _POSTCODE_LINE.match(town):
        return None
    if re.search(r"[:@]", street) or not _ADDRESS_WORDS.search(street) or is_label(street):
        return None
    if middle and not _STREET.match(street):
        return None
    above = [c.strip() for c in previous if c.strip()]
    if len(above) == 1 and exact_field(above[0].rstrip(" :")) is not None:
        return None
    return (name.rstrip(" :"), ", ".join([street, *middle, town]))


def _heading_wrapped_last(row: Sequence[str], following: Sequence[str]) -> bool:
    """Whether ``row``'s last cell and the next row, one short cell alone, make a heading."""
    rest = [cell.strip() for cell in following if cell.strip()]
    if len(row) < 2 or len(rest) != 1 or len(rest[0].split()) > 2 or not row[-1].strip():
        return False
    last = row[-1].strip()
    return _CONNECTOR_END.search(f" {last}") is not None and is_heading(f"{last} {rest[0]}")


def _means_nothing_alone(head: str, rest: str) -> bool:
    """ "Raison | ACME" then "sociale": a first cell of words that are no label, no column
    and no heading by themselves can only be the first line of a label its cell wrapped
    (not "☒ | vendredi 8 octobre" over the heading "Organisme-client")."""
    head = head.strip()
    return (
        re.search(r"[^\W\d_]{2}", head) is not None
        and not is_label(head)
        and section_for(head) is None
        and not is_heading(rest)
    )


def _fits_joined(row: Sequence[str], following: Sequence[str]) -> bool:
    """ "Adresse | herve.faure@x.fr" then "e-mail": a label that means something else
    alone, whose value has the look of the label joined with the next row's words."""
    if not following or not following[0].strip():
        return False
    joined = exact_field(f"{row[0].strip()} {following[0].strip()}")
    value = " ".join(c.strip() for c in row[1:] if c.strip())
    return joined is not exact_field(row[0].strip()) and bool(looks_like(joined, value))


def _label_goes_on(row: Sequence[str], following: Sequence[str]) -> bool:
    """Whether ``following`` opens on the rest of ``row``'s label, its value going on:
    both rows filled, the label known alone and, with the rest, as the same field."""
    if len(row) != 2 or len(following) != 2 or not all(c.strip() for c in (*row, *following)):
        return False
    label, rest = row[0].strip(), following[0].strip()
    if len(rest.split()) > 2 or exact_field(rest) is not None or section_for(rest) is not None:
        return False
    found = exact_field(label)
    return found is not None and exact_field(f"{label} {rest}") is found


_BLOCK_LINES = 5  # a name and up to four address lines


def _label_organisation_block(rows: list[Sequence[str]]) -> list[Sequence[str]]:
    """ "ORGANISME" then the name and the address, unlabelled, as on an envelope.

    Read only when the heading stands alone, the lines under it carry no label,
    and the block ends, on its last line before a blank or the next heading, with
    a postcode and a town: the first line is the name, the others the address.
    """
    for index, row in enumerate(rows):
        cells = [c.strip() for c in row if c.strip()]
        if len(cells) != 1 or section_for(cells[0].rstrip(" :")) is not Section.ORGANISATION:
            continue
        block: list[str] = []
        for following in rows[index + 1 : index + 2 + _BLOCK_LINES]:
            texts = [c.strip() for c in following if c.strip()]
            if not texts:
                break
            label = texts[0].rstrip(" :")
            if len(texts) > 1 or ":" in texts[0] or section_for(label) or exact_field(label):
                return rows  # "Dénomination" over its value: labelled after all
            if _LEADER_RUN.search(texts[0]):
                return rows  # "Dénomination ....... ACME": a label and its value
            if any(_starts_with(texts[0], label) for label in _LABELS_BEFORE_VALUES):
                return rows  # "Dénomination Département de la Nièvre": its label in front
            block.append(texts[0])
        if not 2 <= len(block) <= _BLOCK_LINES or not _WHOLE_ADDRESS.search(block[-1]):
            return rows
        if re.search(r"\d", block[0]) or "@" in " ".join(block):
            return rows
        address = ", ".join(block[1:])
        labelled = [("Dénomination", block[0]), ("Adresse postale", address)]
        return [*rows[: index + 1], *labelled, *rows[index + 1 + len(block) :]]
    return rows


def _place_under_its_label(state: _State, rows: Sequence[Sequence[str]]) -> None:
    """ "Fait à | Signature et cachet", then a stamp's scrap, then "Tulle": a town written
    under its label, a line or two below. Taken only when it is the organisation's own
    town, as its address writes it: any other line there may be the stamp's words."""
    values = state.form.values
    if state.blank_place_row < 1 or Field.PLACE in values:
        return
    below = [
        cells
        for row in rows[state.blank_place_row :]
        if (cells := [c.strip() for c in row if c.strip()])
    ]
    address = _TOWN_OF_ADDRESS.search(values.get(Field.ADDRESS) or "")
    town = fold(address["town"]) if address is not None else None
    for cells in below[:_LINES_BELOW]:
        if fold(cells[0]) == town:
            values[Field.PLACE] = cells[0]
            return
    if state.fuzzy and below and not _signing_line(below[0][0]):
        # On a scan, words that are not the next label under a blank "Fait à": the town
        # may be among them, or under the stamp; left empty, it passes for not written.
        state.form.unreadable.add(Field.PLACE)


def _signing_line(text: str) -> bool:
    """ "Le 5 novembre 2026", "Par (nom du signataire) …", "Signature et cachet": the
    signing block's next line, not a value of the place's."""
    label, _ = _split_label(text)
    first = (label or text).strip().rstrip(" :")
    return (
        exact_field(first) in (Field.SIGNED_DATE, Field.SIGNATORY)
        or section_for(first) is Section.SIGNATURE
        or re.match(r"(?:le|par)\b", first, re.IGNORECASE) is not None
    )


def _signer_past_the_stamp(state: _State, rows: Sequence[Sequence[str]]) -> None:
    """ "Par (nom du signataire)" / "DÉPARTEMENT DU GERS" / "P/le Président, Corinne
    DUFFAU": on a scan, a stamp beside the block puts its line between the label and the
    name. A line read there that names no one (no first name, no title) gives way to
    the next line that does."""
    values = state.form.values
    signer = values.get(Field.SIGNATORY)
    if not signer or names_a_person(signer):
        return
    cells = [[c.strip() for c in row if c.strip()] for row in rows]
    at = next((i for i, row in enumerate(cells) if signer in row), None)
    if at is None:
        return
    # The name in the row's first cell; the stamp's next words may stand beside it.
    for line in (row[0] for row in cells[at + 1 : at + 1 + _LINES_BELOW] if row):
        if _signs(line) and _FULL_NAME_WRITTEN.search(line):
            values[Field.SIGNATORY] = line
            return


# A first name and a family name in capitals, either way round: "Corinne DUFFAU".
_FULL_NAME_WRITTEN = re.compile(
    r"(?:^|[\s,])(?:[A-ZÀ-Þ][a-zß-ÿ'’]+(?:-[A-ZÀ-Þ][a-zß-ÿ'’]+)?\s+[A-ZÀ-Þ][A-ZÀ-Þ'’-]+"
    r"|[A-ZÀ-Þ][A-ZÀ-Þ'’-]+\s+[A-ZÀ-Þ][a-zß-ÿ'’]+(?:-[A-ZÀ-Þ][a-zß-ÿ'’]+)?)(?=[\s,]|$)"
)
_TOWN_OF_ADDRESS = re.compile(
    r"\b\d{5}\s+(?P<town>[^\W\d_][\w'’ -]*?)(?:\s+cedex(?:\s+\d+)?)?\s*$", re.IGNORECASE
)
_LINES_BELOW = 3  # lines under a signing label where its value may stand, past a stamp's


def _label_letterhead(rows: list[Sequence[str]]) -> list[Sequence[str]]:
    """A purchase order or a request opening on its sender's letterhead: "Département de
    la Creuse" / "Hôtel du Département" / "4 place Louis Lacrocq" / "23011 Guéret Cedex".

    Read only in a document that names its organisation nowhere else, when its very
    first lines carry no label and end, before any label, with a postcode and a town;
    never when they name IPP (a letter's addressee) or open on the document's title. A
    letter is the letter reader's, which reads its letterhead with the rest of it."""
    from mailbot.understanding.letter_reader import footer_organisation, is_letter

    if any(_names_the_organisation(row) for row in rows):
        return rows
    if is_letter("\n".join(" ".join(row) for row in rows)):
        return rows
    start = next((i for i, row in enumerate(rows) if any(c.strip() for c in row)), len(rows))
    footed = _named_in_the_footer(rows, start, footer_organisation)
    if footed is not None:
        return footed
    block: list[str] = []
    for row in rows[start : start + _BLOCK_LINES]:
        texts = [c.strip() for c in row if c.strip()]
        if len(texts) != 1 or ":" in texts[0] or "@" in texts[0]:
            break
        label = texts[0].rstrip(" :")
        if section_for(label) or exact_field(label):
            break
        block.append(texts[0])
        if _WHOLE_ADDRESS.search(texts[0]):
            break
    if not 2 <= len(block) <= _BLOCK_LINES or not _WHOLE_ADDRESS.search(block[-1]):
        return rows
    if re.search(r"\d", block[0]) or _DOCUMENT_TITLE.search(block[0]):
        return rows
    if any(_TRAINING_BODY.search(fold(line)) for line in block):
        return rows
    if _another_envelope(rows[start + len(block) :]):
        return rows  # "Service client / facturation à :" over another name and address
    # "… de l'Enseignement Public du" / "Gers": a name wrapped on its connecting word.
    name = 1
    while name < len(block) - 1 and _CONNECTOR_END.search(block[name - 1]):
        name += 1
    if any(fold(line.split()[0]).strip(".,") in _BODY_OPENINGS for line in block[name:-1]):
        return rows  # "VILLE DE MÉRIGNAC" / "Centre communal d'action sociale": which bills?
    labelled = [
        ("Dénomination", " ".join(block[:name])),
        ("Adresse postale", ", ".join(block[name:])),
    ]
    return [*rows[:start], *labelled, *rows[start + len(block) :]]


def _named_in_the_footer(
    rows: list[Sequence[str]],
    start: int,
    footer: Callable[[Sequence[str], str | None], tuple[str, str] | None],
) -> list[Sequence[str]] | None:
    """ "CCAS de Villeneuve-sur-Lot" alone at the top, and at the foot of the page "CCAS de
    Villeneuve-sur-Lot – 19 boulevard de la République – 47300 Villeneuve-sur-Lot": the
    address the letterhead leaves out. Taken only when the footer names the very
    organisation the top line does."""
    top = [c.strip() for c in rows[start] if c.strip()] if start < len(rows) else []
    if len(top) != 1 or re.search(r"\d|:|@", top[0]) or _DOCUMENT_TITLE.search(top[0]):
        return None
    lines = [" ".join(c.strip() for c in row if c.strip()) for row in rows[start + 1 :]]
    found = footer(lines, None)
    if found is None or fold(found[0]) != fold(top[0]) or _TRAINING_BODY.search(fold(found[1])):
        return None
    labelled = [("Dénomination", top[0]), ("Adresse postale", found[1])]
    return [*rows[:start], *labelled, *rows[start + 1 :]]


# Words an organisation's own name opens with, unlike an address line ("Direction des
# finances", "Hôtel du Département"): under a letterhead's first line, a second body.
_BODY_NAMES = frozenset(
    {"mairie", "commune", "ville", "departement", "conseil", "centre", "association",
     "fondation", "foyer", "institut", "etablissement", "syndicat", "communaute", "agence",
     "union", "federation", "hopital"}
)  # fmt: skip
_BODY_OPENINGS = _BODY_NAMES | {
    "ccas", "cias", "ehpad", "ime", "esat", "sessad", "saad", "ssiad", "mecs", "groupement",
    "ght", "region", "office", "cooperative",
}  # fmt: skip


def _another_envelope(rows: Sequence[Sequence[str]]) -> bool:
    """Whether, below the letterhead, lines give another name and address: a block of
    one-cell lines ending on a postcode and a town that is not IPP's (the supplier's)."""
    block: list[str] = []
    for row in rows:
        texts = [c.strip() for c in row if c.strip()]
        if len(texts) != 1:
            block = []
            continue
        block.append(texts[0])
        if _WHOLE_ADDRESS.search(texts[0]) and len(block) >= 2:
            around = block[-_BLOCK_LINES:]
            if not any(_TRAINING_BODY.search(fold(line)) for line in around):
                return True
            block = []
    return False


def _names_the_organisation(row: Sequence[str]) -> bool:
    cells = [c.strip() for c in row if c.strip()]
    if not cells:
        return False
    label, _ = _split_label(cells[0])
    first = (label or cells[0]).rstrip(" :")
    return field_for(first) is Field.ORG_NAME or section_for(first) is Section.ORGANISATION


# A document's title, never an organisation's name.
_DOCUMENT_TITLE = re.compile(
    r"\b(?:bon de commande|bulletin|formulaire|demande|fiche|inscription|commande|objet)\b",
    re.IGNORECASE,
)


def _rejoin_cut_emails(rows: list[Sequence[str]]) -> list[Sequence[str]]:
    """Rows with an e-mail cut by its cell's border put back together.

    In a narrow column the end of an address wraps ("v.martin@ccas-" then
    "pau.fr" alone on the next line); a page read as text, or by OCR, gives
    it as a row of its own. The pieces are joined only when the cell alone is
    no valid address and the cell with the piece is one.
    """
    joined: list[Sequence[str]] = []
    index = 0
    while index < len(rows):
        row = rows[index]
        # A cut address may take several lines ("marie-" / "christine.garcia@" / "fondation-" /
        # "saintexupere.fr"): the most pieces that still make one valid address.
        pieces: list[str] = []
        while len(row) > 1 and len(pieces) < _MAX_PIECES and index + 1 + len(pieces) < len(rows):
            piece = _email_piece(rows[index + 1 + len(pieces)])
            if piece is None:
                break
            pieces.append(piece)
        for count in range(len(pieces), 0, -1):
            fixed = _with_email_end(row, "".join(pieces[:count]))
            if fixed is not None:
                row = fixed
                index += count
                break
        if len(row) == 1 and index + 1 < len(rows):
            # "1. Mme Anne LÉVÊQUE – a.leveque@fam-" / "eolienne.fr": a line's last word.
            lead, _, word = row[0].rstrip().rpartition(" ")
            end = _with_email_end((word,), _email_piece(rows[index + 1]))
            if lead and "@" in word and end is not None:
                row = (f"{lead} {end[0]}",)
                index += 1
        joined.append(row)
        index += 1
    return joined


def _email_piece(row: Sequence[str]) -> str | None:
    """A row that can only be the end of an address: one cell, address characters, no capital.

    Capitals are refused so that a heading ("Participants", "Total") never
    lengthens an address that looks complete.
    """
    pieces = [cell.strip() for cell in row if cell.strip()]
    if len(pieces) != 1 or not _EMAIL_CHARS.fullmatch(pieces[0]):
        return None
    return None if any(c.isupper() for c in pieces[0]) else pieces[0]


def _with_email_end(row: Sequence[str], piece: str | None) -> Row | None:
    if piece is None:
        return None
    for position, cell in enumerate(row):
        head = cell.strip()
        if not head or not _EMAIL_CHARS.fullmatch(head):
            continue
        if "@" not in head and "@" not in piece:
            continue
        if is_valid(head) and "." not in piece and len(piece) > 3:
            continue  # "gmail.co" + "m" is a cut; a whole address + a word is not
        if "@" in piece and not _ADDRESS_START.search(head):
            continue  # "Mme" or "SIMON" before "bris@x.fr" is a name, not an address cut short
        whole = head + piece
        if whole.count("@") == 1 and is_valid(whole):
            return (*row[:position], whole, *row[position + 1 :])
    return None


_FORMULA_WRAPPED = re.compile(r"(nombre de participants)[ \t]*\n[ \t]*(?=\()", re.IGNORECASE)
_HANGING_SEPARATOR = re.compile(r"( [–—-])[ \t]*\n[ \t]*(?=\S)")
# "*Dénomination :* APEI …": Gmail writes the plain text of a bold label between stars.
_STARRED_LABEL = re.compile(r"^([ \t]*)\*(?=\S)([^*\n]{1,80}?)(?<=\S)\*", re.MULTILINE)


# Emoji a phone puts before labels ("📧 E-mail :", "1️⃣ Mme …"); box and tick glyphs stay.
_PICTOGRAPHS = re.compile(
    r"[\U0001F000-\U0001FAFF\u2600-\u2606\u2608-\u260F\u2614-\u2705\u2707-\u2712"
    r"\u2719-\u27BF\u2B50\u2B55]\ufe0f?[ \t]?|\d\ufe0f?\u20e3[ \t]?|[\ufe0f\u200d]"
)
_GAP = re.compile(r"[ \u00a0]{3,}")


def _spaced_cells(line: str) -> list[str]:
    """Cells set apart by three spaces or more, or "NOMBRE DE PARTICIPANTS  2": a known
    label, two spaces, its value. Nothing for a line of prose, nor for pairs already
    labelled ("Nombre : 6      Montant : 3 810 €"), which are read as pairs."""
    if ":" in line or ("  " not in line and "\u00a0" not in line):
        return []
    if _GAP.search(line):
        return [part.strip() for part in _GAP.split(line)]
    parts = line.split("  ", 1)
    if len(parts) == 2 and exact_field(parts[0]) is not None:
        return [parts[0], parts[1].strip()]
    return []


def text_rows(text: str) -> list[Row]:
    """A text's lines as rows: tabs (and wide gaps, from PDFs) separate cells, and so do
    the bars of a table typed or converted to text ("Mme | Claire | DUPONT | c@x.fr")."""
    rows: list[Row] = []
    # A line left hanging on a separator (" –" ending "Anne ROUX – a@x.fr –") was
    # wrapped by the page: the next line is the rest of it.
    text = text.replace("\r", "")
    if not text.isascii():
        text = _PICTOGRAPHS.sub("", text)
    text = _HANGING_SEPARATOR.sub(r"\1 ", text)
    # "… = nombre de participants" / "( 1 ) x 635 Euros = …": the amount's line wrapped.
    text = _FORMULA_WRAPPED.sub(r"\1 ", text)
    if "*" in text:
        text = _STARRED_LABEL.sub(r"\1\2", text)
    # "nombre de participants (\t) x 635": a box left blank, not two cells.
    if "\t" in text:
        text = _BLANK_BRACKETS.sub("( )", text)
    starts: list[int] = []  # an aligned table's column starts, from its header
    slashed = False  # under a header whose columns a " / " parts ("CIV / PRENOM / NOM / MAIL")
    for line in text.split("\n"):
        if starts and (cut := _cut_at(line, starts)) is not None:
            rows.append(cut)
            continue
        pieces = [piece.strip() for piece in _SLASH.split(line.strip())]
        if len(pieces) >= 3 and (slashed or all(exact_column(piece) for piece in pieces)):
            slashed = True
            rows.append(tuple(pieces))
            continue
        slashed = False
        starts = _aligned_header(line)
        if starts:
            rows.append(tuple(cell.group() for cell in _SPACED_CELL.finditer(line)))
            continue
        if "\t" in line:
            cells = tuple(part.strip() for part in line.split("\t"))
        elif line.count("|") >= 2:
            cells = tuple(part.strip() for part in line.strip().strip("|").split("|"))
        elif _semicolon_row(line):
            cells = tuple(part.strip() for part in line.strip().rstrip(";").split(";"))
        elif parts := _spaced_cells(line.strip()):
            # Columns aligned with spaces ("NOM          ADRESSE E-MAIL"), as typed in a
            # plain-text mail: the indent stays on the first cell.
            indent = line[: len(line) - len(line.lstrip())]
            cells = (indent + parts[0], *parts[1:])
        else:
            cells = (line.rstrip(),)
        rows.append(cells)
    return rows


_SPACED_CELL = re.compile(r"\S+(?: \S+)*")
_SLASH = re.compile(r"\s+/\s+")


def _aligned_header(line: str) -> list[int]:
    """Where the columns of a table typed with spaces begin ("E-mail de connexion      Civilité
    Prénom    Nom de famille"): its header's cells, all column labels, two spaces apart."""
    if "\t" in line or "|" in line or "  " not in line:
        return []
    cells = list(_SPACED_CELL.finditer(line))
    if len(cells) < 3 or not all(exact_column(cell.group()) for cell in cells):
        return []
    return [cell.start() for cell in cells]


def _cut_at(line: str, starts: list[int]) -> Row | None:
    """A row of the aligned table cut where its header's columns begin; None when a word
    runs across a column's start (the table is over, or was not aligned)."""
    if not line.strip() or "\t" in line:
        return None
    for start in starts[1:]:
        if start < len(line) and line[start - 1] != " ":
            return None
    bounds = [*starts, len(line)]
    cells = tuple(line[a:b].strip() for a, b in pairwise(bounds))
    return cells if sum(1 for cell in cells if cell) >= 2 else None


_BLANK_BRACKETS = re.compile(r"\([ \t]*\t[ \t]*\)")
_CSV_CELL = 60


def _semicolon_row(line: str) -> bool:
    """A row of a spreadsheet pasted as text ("ROYER;Guillaume;M.;g.royer@x.fr"), or its
    header: short cells, one address at most, or column labels only. A sentence listing
    people ("Mme X, x@a.fr ; M. Y, y@a.fr ; …") is no row."""
    parts = [part.strip() for part in line.strip().rstrip(";").split(";")]
    if len(parts) < 3 or any(len(part) > _CSV_CELL for part in parts):
        return False
    addresses = sum("@" in part for part in parts)
    header = all(exact_column(part) is not None for part in parts if part)
    return addresses == 1 or (addresses == 0 and header)


def _read_row(state: _State, row: Sequence[str]) -> None:
    state.row += 1
    cells = [c.replace("\u00a0", " ") for c in row]
    while cells and not cells[-1].strip():
        cells.pop()
    if not cells or not any(c.strip() for c in cells):
        state.last_field = None
        if (
            state.prefix_labels
            and state.dated_row == state.row - 1
            and state.carried != state.row - 1
        ):
            # A document's signing block may leave one blank line over the signer's label
            # ("Signature de l'ordonnateur :"); a mail's text does not carry on past it (its
            # sign-off is no signer).
            state.dated_row = state.carried = state.row
        return
    if state.total_pending:
        state.total_pending = False
        if _read_wrapped_total(state, " ".join(cells)):
            return
    lone, state.lone_label = state.lone_label, ""
    if len(cells) == 1 or all(not c.strip() for c in cells[1:]):
        _read_line(state, cells[0])
        return
    wrapped = f"{lone} {cells[0].strip()}"
    if (
        lone
        and cells[0].strip()  # " | Nom de l'établissement : | X": no end of a label there
        and exact_field(cells[0]) is None  # "Service gestionnaire" / "Interlocuteur | X"
        and exact_field(wrapped) is not None
        and exact_field(wrapped) is exact_field(lone)
    ):
        # "Téléphone" / "(ligne directe) | 02 48 …": the label wrapped in its cell, its
        # value beside the second line.
        if state.form.unread and state.form.unread[-1] == lone:
            state.form.unread.pop()
        cells = [wrapped, *cells[1:]]
    if len(cells) == 2 and cells[1].strip() == ":":
        _read_line(state, f"{cells[0].rstrip()} :")  # "STRUCTURE | :", the colon set apart
        return
    _read_cells(state, [c.strip() for c in cells])


# ---------------------------------------------------------------- single lines


def _read_line(state: _State, raw: str) -> None:
    # "……………… 15015 Aurillac Cedex": a value's second line, typed at the end of the
    # form's dotted line as the first was.
    line = _unglued(_LEADING_LEADER.sub("", raw.strip()))
    if (cells := _signing_cells(line)) is not None:
        for cell in cells:
            _read_line(state, cell)
        return
    part = _NUMBERED_PART.match(line)
    if part is not None and column_for(part["column"].rstrip(" *:"), state.fuzzy) is not None:
        # "Participant 2 — Prénom *" over "Nicolas": an online form's question, one per
        # detail of each person; read as the person's heading, then the detail's label.
        person = re.sub(r"\W+", " ", fold(part["person"])).strip()
        if person != state.numbered_person:  # one heading per person, not per detail
            state.numbered_person = person
            _read_line(state, part["person"])
        _read_line(state, part["column"].rstrip(" *"))
        return
    indented = raw.startswith("  ") or raw.startswith("\t")
    pending, state.pending = state.pending, None
    column_label, state.column_label = state.column_label, ""
    if column_label and _read_column_value(state, column_label, line):
        return
    if _signer_label_over_name(state, line):
        return
    # Under a label alone, "Direction / Quality" is its answer, not a bilingual label.
    if state.stacked and not (pending and " / " in line) and _bare_label(state, line):
        return
    if not state.stacked and _signing_label_over_value(state, line):
        return
    if not state.stacked and _label_over_its_look(state, line):
        return
    if _column_over_value(state, line):
        return
    if _read_fait_a(state, line) or _read_total_formula(state, line):
        state.columns = None  # the amounts or the signing block: the list above is over
        return
    if _read_told(state, line):
        return
    if _DASHED_HEADING.search(line) and len(line) < 60 and is_heading(line):
        # "ORGANISME - CLIENT": the section's heading, not "ORGANISME" named "CLIENT".
        section = section_for(line.rstrip(" :"), state.fuzzy)
        if section is not None:
            _enter(state, section)
            return
    if _read_signer_below(state, line):
        return
    if _read_checkbox(state, line):
        return
    if _read_headed_list(state, line):
        return
    if _read_labelled_person(state, line) or _read_pairs(state, line):
        return
    if _read_enrolment(state, line):
        return
    # Under a bare "Service", "Siège - Contrôle de gestion" is its value, not the label
    # "Siège" and a value of its own: only a colon makes a pair there.
    answer = pending is not None and len(_COLON.split(line, maxsplit=1)) < 2
    label, value = (None, "") if answer else _split_label(line)
    if label is not None and _assign(state, label, value):
        return
    if _read_glued_amount(state, line):
        return
    if _read_sum(state, line) or _read_without_colon(state, line, dashed=not answer):
        return
    if _read_signed_on(state, line) or _read_signed_by(state, line):
        return
    # Under a bare "Service", "Service RH" is the value, not the label again.
    # Under "Direction / Service" or "Pôle", "Service juridique" is the value too: a line
    # opening with a label of the field that waits for its value is that value.
    # Not under a heading that names the field too ("Organisme-client" over "Dénomination
    # Département de la Nièvre"): a label that never opens a value is the line's own.
    restated = (
        pending is not None
        and not any(_starts_with(line, label) for label in _LABELS_BEFORE_VALUES)
        and (
            any(_starts_with(line, p.strip()) for p in state.pending_label.split("/") if p.strip())
            or any(
                _starts_with(line, label) and field_for(label) is pending
                for label in _PREFIX_LABELS
            )
        )
    )
    if state.prefix_labels and not restated and _read_prefixed(state, line):
        return
    if _read_followed_by(state, line):
        return
    if _continue_value(state, line, indented):
        return
    section = section_for(line.rstrip(" :"), state.fuzzy) if len(line) < 60 else None
    if section is not None:
        _enter(state, section)
        return
    if _named_under_heading(state, line):
        return
    if _read_person_line(state, line) or _read_address_below(state, line):
        return
    if _read_card_line(state, line):
        return
    if pending is not None and ":" not in line and len(line) <= _VALUE_LENGTH:
        # A line nothing else reads, under a label alone on its line: that label's value.
        _put(state, pending, line)
        state.last_field = pending
        return
    if state.last_field is not None and ends_a_label(line, state.last_field):
        # "Nom du responsable | Romain JACQUOT" / "du dossier": the label's second line.
        # "Adresse | 58 rue Vauban" / "postale" / "67000 Strasbourg": an address not yet
        # whole goes on under it.
        address = state.form.values.get(Field.ADDRESS) or ""
        if state.last_field is not Field.ADDRESS or _WHOLE_ADDRESS.search(address):
            state.last_field = None
        return
    if state.last_field is not None and _maybe_cut(state, state.last_field, line):
        # Right under a value, a line nothing reads: maybe the rest of it, cut by the page.
        state.form.trailed.add(state.last_field)
    amid_fields = state.last_field in _BLOCK_FIELDS or state.section in _BLOCK_SECTIONS
    if amid_fields and not _speck(line):
        state.form.unread.append(line)
        if state.last_field in (Field.ORG_NAME, Field.ADDRESS):
            state.form.unread_by_address.append(line)
    state.lone_label = line if exact_field(line) is not None else ""
    state.last_field = None


_DASHED_HEADING = re.compile(r"\s[-–]\s")
# The words a person's numbered heading opens with: "Participant 2", "Inscrite n°3".
_PERSON_HEAD = r"participante?|inscrite?|stagiaire"
_NUMBERED_PART = re.compile(
    rf"^(?P<person>(?:{_PERSON_HEAD})\s*(?:n°\s*)?\d{{1,2}})"
    r"\s*[—–-]\s*(?P<column>[^:@\d]{3,50}?)\s*\*?\s*:?$",
    re.IGNORECASE,
)


def _read_address_below(state: _State, line: str) -> bool:
    """ "1. Mme Aurélie NAVARRE" then "    aurelie.navarre@x.org": the address on its own line."""
    if state.section not in (Section.PARTICIPANTS, Section.PARTICIPANT) or state.columns:
        return False
    people = state.form.participants
    if not people or people[-1].email is not None or not _ADDRESS_ALONE.match(line):
        return False
    if state.row != state.person_row + 1:
        return False  # after a blank line it may be the signature's address, not hers
    people[-1].email = line.strip()
    return True


_ADDRESS_ALONE = re.compile(r"^\s*[^\s@<>()]+@[^\s@<>()]+\s*$")
# The words a service's own name opens with: "Service des ressources humaines", "Pôle formation".
UNIT_WORDS = (
    r"service|p[ôo]le|direction|sous-direction|cellule|bureau|mission|unit[ée]|division"
    r"|d[ée]partement|secr[ée]tariat|d[ée]l[ée]gation"
)
_UNIT = re.compile(rf"^(?:{UNIT_WORDS})\s+\S", re.IGNORECASE)


def _read_card_line(state: _State, line: str) -> bool:
    """ "Contact" / "Frédéric LOUVEL" / "Service des ressources humaines" / "Tél : …" /
    "f.louvel@x.org": the manager's details as a card, the lines under the name unlabelled.
    Only right under the manager's name or another of the card's lines, so that an address
    further down, after a blank line, stays unread."""
    if state.section is not Section.MANAGER or state.last_field not in MANAGER_FIELDS:
        return False
    values = state.form.values
    if Field.MANAGER_NAME not in values or field_for(line.strip(" :"), state.fuzzy) is not None:
        return False  # "Département / service" left blank: a label, not the card's line
    phone = _PHONE_LABELLED.sub("", line.strip(), count=1)
    if _ADDRESS_ALONE.match(line) and Field.MANAGER_EMAIL not in values:
        found = Field.MANAGER_EMAIL
    elif _PHONE.match(phone) and Field.PHONE not in values:
        found, line = Field.PHONE, phone  # "Tél. 05 62 61 56 69", its label without a colon
    elif (
        state.last_field is Field.MANAGER_NAME
        and Field.SERVICE not in values
        and _UNIT.match(line)
        and len(line) <= _VALUE_LENGTH
        and ":" not in line
        and "@" not in line
    ):
        found = Field.SERVICE
    else:
        return False
    _put(state, found, line.strip())
    state.last_field = found
    return True


def _speck(line: str) -> bool:
    """Too little to be text: a speck or a rule OCR read as "[l"."""
    return len(re.findall(r"\w", line)) < 3


def _maybe_cut(state: _State, field: Field, line: str) -> bool:
    """Could ``line``, which nothing reads, be the end of the value just above it?

    An address is whole once it ends on its postcode and town; an organisation's
    name may go on on any line of words; a person's name or a service only on a
    line that opens in lower case (a heading such as "Contact administratif" does
    not).
    """
    value = state.form.values.get(field) if field in _WRAPPABLE else None
    if not value or len(line) >= 80 or _speck(line):
        return False
    if field is Field.ADDRESS:
        return _WHOLE_ADDRESS.search(value) is None
    if field is Field.SIGNATORY and opens_with_a_function(line):
        return True  # "Frédérique ALLAIRE-MOTTE" over "Cheffe du service formation"
    if field is Field.ORG_NAME and not re.search(r"[:@]", line) and not _ADDRESS_WORDS.search(line):
        # "Maison d'Enfants à Caractère Social" over "Saint-Joseph de la Providence": a
        # long name wrapped in its cell, each line a capital; or a unit under the name.
        # ("Zone artisanale de Kergaradec" is the address's first line, set above it.)
        return True
    return line[:1].islower()


def _starts_with(line: str, label: str) -> bool:
    return normalise_label(line).startswith(normalise_label(label) + " ")


def _stacked_labels(rows: Sequence[Sequence[str]]) -> bool:
    """Whether the form puts its values under their labels: several labels written alone,
    without a colon, each followed by a line that is no label. One such pair is more
    likely a blank field over the next heading than a form laid out that way."""
    raw = [cells[0] if len(cells) == 1 else "" for cells in rows]
    raw = [line for line in raw if line.strip()]
    pairs = [
        value[:1].isspace() and not label[:1].isspace()
        for label, value in pairwise(raw)
        if exact_field(label.strip()) in _VALUE_FIELDS
        and not _FILLED_LEADER.search(label)
        and ":" not in value
        and exact_field(value.strip().rstrip(" :")) is None
        and section_for(value.strip().rstrip(" :")) is None
        # "Organisme-client" over "Dénomination ACME": a heading over a label and its value.
        and not any(_starts_with(value.strip(), label) for label in _LABELS_BEFORE_VALUES)
    ]
    # Values indented under their labels ("Dénomination" / "    CD 52") say it plainly.
    return len(pairs) >= _STACKED_PAIRS or sum(pairs) >= 2


# Labels that open a line with their value after them, never a value themselves.
_LABELS_BEFORE_VALUES = (
    "dénomination", "raison sociale", "nom de la structure", "adresse postale", "adresse e-mail",
    "prénom et nom", "téléphone", "courriel", "fait à", "nom du signataire",
)  # fmt: skip

# Labels whose value a form saved as text, or a table turned into text, puts on the
# line under them ("Dénomination" / "ADAPEI de la Gironde").
_VALUE_FIELDS = frozenset(
    {Field.ORG_NAME, Field.ADDRESS, Field.MANAGER_EMAIL, Field.MANAGER_NAME, Field.SERVICE,
     Field.PHONE, Field.PLACE, Field.SIGNED_DATE, Field.SIGNATORY, Field.COUNT, Field.TOTAL,
     Field.POSTCODE, Field.CITY}
)  # fmt: skip
_VALUE_LENGTH = 120
# "Service ……… Direction": typed after the form's dotted line, a value, although
# the words alone would make the label "Service / Direction".
_LEADING_LEADER = re.compile(r"^[.…_]{4,}[\s.…_]*(?=[^\s.…_])")
_FILLED_LEADER = re.compile(r"(?:…|\.{3,}|_{3,})[\s._…]*[^\s._…]")
_STACKED_PAIRS = 3
# Labels that are also a line of a signature block ("Anne ROUX / Direction / CCAS de Pau").
_SIGNATURE_WORDS = frozenset({"direction", "contact"})


def _bare_label(state: _State, line: str) -> bool:
    """A known label alone on its line, written exactly ("Adresse postale 12 rue X" is a
    label with its value); its value is looked for on the next line."""
    # "Par :" with nothing after it is a blank field: only a label without a colon waits,
    # or one whose line below can be nothing but its value.
    colon = line.endswith(":") and line.count(":") == 1
    if (":" in line and not colon) or _FILLED_LEADER.search(line):
        return False
    found = exact_field(line.rstrip(" :")) if colon else exact_field(line)
    if _signing_date(state, found, line):
        found = Field.SIGNED_DATE
    if colon and (found not in _COLON_WAITS or not _value_below(state, found)):
        return False
    # "Contact" over "Thibault LACOSTE" is the form's; over anything else, a signature's.
    named = found is Field.MANAGER_NAME and _a_person(state.following)
    if normalise_label(line) in _SIGNATURE_WORDS and not named:
        return False
    if found not in _VALUE_FIELDS or found in state.form.values:
        return False
    if (found is Field.COUNT and state.form.declared_count is not None) or (
        found is Field.TOTAL and state.form.declared_total is not None
    ):
        return False
    return _await_value(state, found, line)


# Fields whose value is a line of its own; a signing label's is found by its own rules.
_COLON_WAITS = frozenset(
    {Field.ORG_NAME, Field.MANAGER_EMAIL, Field.MANAGER_NAME, Field.SERVICE, Field.PHONE,
     Field.SIGNED_DATE}
)  # fmt: skip


def _value_below(state: _State, found: Field) -> bool:
    """ "Dénomination :" over "Association Familles Rurales": the line below is no label,
    no heading and no pair of its own, and an e-mail or a phone looks like one."""
    below = state.following.strip()
    if not below or ":" in below or "\t" in below or len(below) > _VALUE_LENGTH:
        return False
    if exact_field(below) is not None or section_for(below, state.fuzzy) is not None:
        return False
    if found in (Field.MANAGER_EMAIL, Field.PHONE):
        return bool(looks_like(found, below))
    if found is Field.SIGNED_DATE:
        return bool(find_dates(below, 2000))  # "Le :" over "4 novembre 2026"
    return "@" not in below and not PHONE_NUMBER.search(below)


def _label_over_its_look(state: _State, line: str) -> bool:
    """ "Adresse postale" alone, then "2 chemin des Vignes": where labels stand beside
    their values, one over a line that can only be its value (an address, an e-mail, a
    phone number) waits for it all the same."""
    found = exact_field(line) if ":" not in line else None
    below = state.following.strip()
    if found is None or found in state.form.values or "\t" in below:
        return False
    if found is Field.ADDRESS:
        looks = bool(_STREET.match(below) or _BUILDING.match(below) or _POSTCODE_TOWN.search(below))
    else:
        looks = found in (Field.MANAGER_EMAIL, Field.PHONE) and bool(looks_like(found, below))
    return looks and exact_field(below) is None and _await_value(state, found, line)


def _await_value(state: _State, found: Field, label: str) -> bool:
    """``label``, alone on its line, names ``found``: its value is looked for on the next."""
    state.form.labels_seen.add(found)
    state.pending = state.last_field = found
    state.pending_label = label
    return True


def _signing_date(state: _State, found: Field | None, label: str) -> bool:
    """Whether ``label``, read as ``found``, is a "Date" after the amounts: the
    signature's, not the session's."""
    return found is Field.SESSION and _signing(state) and normalise_label(label) == "date"


def _column_over_value(state: _State, line: str) -> bool:
    """ "Participant 1" / "Civilité" / "Mme" / "Prénom" / "Océane" …: a person's block
    written as labels over their values; the label waits for the next line."""
    if ":" in line or state.columns is not None:
        return False
    if state.section not in (Section.PARTICIPANT, Section.PARTICIPANTS):
        return False
    if exact_column(line) not in _PERSON_COLUMNS or exact_field(line) is not None:
        return False
    below = state.following.strip()
    if not below or ":" in below or exact_column(below) or exact_field(below) or section_for(below):
        return False  # "Civilité" over "Prénom": a table's header, one cell a line
    state.column_label = line
    return True


def _read_column_value(state: _State, label: str, line: str) -> bool:
    if not line or ":" in line or exact_column(line) or section_for(line):
        return False
    return _assign(state, label, line)


def _signing_label_over_value(state: _State, line: str) -> bool:
    """ "Lieu" over "Aurillac", "Date" over "22/10/26", "Nom du signataire" over "Joël
    DELMAS": the signing block written as labels over their values, in a form whose other
    values stand beside their labels."""
    if ":" in line or not _signing(state):
        return False
    found = exact_field(line)
    if _signing_date(state, found, line):
        found = Field.SIGNED_DATE
    if found not in (Field.PLACE, Field.SIGNED_DATE, Field.SIGNATORY) or found in state.form.values:
        return False
    below = state.following.strip()
    if found is Field.SIGNATORY:
        if not _signs(below):
            return False  # "Joël DELMAS", "La Directrice, Anne ROUX": a name, no other label
    elif found is Field.PLACE:
        if not _TOWN.fullmatch(below) or exact_field(below) or section_for(below):
            return False
    elif len(below) > 40 or not find_dates(below, 2000):
        return False
    return _await_value(state, found, line)


def _signer_label_over_name(state: _State, line: str) -> bool:
    """The signer's label left empty over the signer: "Signature de l'ordonnateur :" over
    "Sylvie LAGARDÈRE" in a typed document (a first name and a family name), or over a
    title then the name ("Le Président," / "Bernard GUÉDON"), on a scan too."""
    below = state.following.strip()
    if not line.endswith(":") or Field.SIGNATORY in state.form.values:
        return False
    if not _signing_heading(line):
        return False
    if _SIGNER_TITLE.match(below) or only_a_title(below):
        # "Par (nom du signataire) :" / "Le Président," / "Bernard GUÉDON": the title,
        # then the name, as under "Fait à …, le …".
        state.dated_row = state.row
        return True
    if state.fuzzy or not (_signs(below) and _FULL_NAME_WRITTEN.search(below)):
        return False
    return _await_value(state, Field.SIGNATORY, line)


def _named_under_heading(state: _State, line: str) -> bool:
    """ "Gestionnaire" then "Noémie LECLERCQ": right under the manager's heading, a name
    alone on its line is the manager's, while none was read (further down, "Mme Julie
    PETIT" may open a list of participants that has no heading). "STRUCTURE :" or
    "L'employeur" then "Conseil départemental des Landes": the organisation's name."""
    if state.row != state.section_row + 1:
        return False
    if state.section is Section.ORGANISATION and Field.ORG_NAME not in state.form.values:
        return _organisation_named(state, line)
    if state.section is not Section.MANAGER or Field.MANAGER_NAME in state.form.values:
        return False
    if (
        "@" in line or _STRONG_BREAK.search(line)
    ) and not MANAGER_FIELDS & state.form.values.keys():
        # "Gestionnaire de l'inscription :" then "LOUARN Rachida - r.l@x.fr - Pôle RH - 05 …"
        # or "Bénédicte GAUTIER – Pôle offre médico-sociale" (see _name_then_more).
        parts = _manager_parts(line)
        if len(parts) >= 2 and _a_person(parts[0]):
            _read_manager_line(state, line, parts)
            return True
        if "@" in line:
            return False
    if not _a_person(line):
        return False
    _put(state, Field.MANAGER_NAME, line)
    state.last_field = Field.MANAGER_NAME
    return True


def _organisation_named(state: _State, line: str) -> bool:
    """A line alone between the organisation's heading and the section's first label, that
    no label, address, phone or person opens: the organisation's name. (A block of lines
    under the heading is an envelope, read as one only when it ends with its town.)"""
    next_label, _ = _split_label(state.following)
    if field_for(next_label or state.following.rstrip(" :"), state.fuzzy) is None:
        return False
    if (
        len(line) > _VALUE_LENGTH
        or not line[:1].isupper()
        or any(mark in line for mark in ":@\t")
        or field_for(line, state.fuzzy) is not None
        or column_for(line, state.fuzzy) is not None
        or _postal_only(line, "")
        or _PHONE_LIKE.search(line)
        or parse_civility(line.split(maxsplit=1)[0]) is not None
    ):
        return False
    _put(state, Field.ORG_NAME, line)
    state.provisional.add(Field.ORG_NAME)
    state.form.labels_seen.add(Field.ORG_NAME)
    state.last_field = Field.ORG_NAME
    return True


def _a_person(line: str) -> bool:
    """ "Thibault LACOSTE", "Mme Aurélie VASSEUR": a name whose capitals tell the family
    name, and nothing else on the line."""
    if re.search(r"[\d@:,;()]", line) or not 2 <= len(line.split()) <= 5:
        return False
    if exact_field(line) is not None or exact_column(line) is not None:
        return False  # "Prénom et NOM" is the label of a name, not one
    first, last, sure = split_full_name_checked(split_civility(line)[1])
    # "CCAS de PAU" has capitals too, but no first name opens in lower case.
    return sure and bool(last) and first is not None and first[:1].isupper()


# "…, soit 3 personnes pour 1 875 €", "2 participants pour un montant de 1 270 euros":
# the count and the total told together in a sentence of the form typed in a mail.
_SO = r"(?:donc|ainsi|bien|également|egalement)"  # "Nous inscrivons donc 2 participants"
_COUNT_TOLD = re.compile(
    # "Nous serons 4 personnes.", "Nous inscrivons 3 personnes à cette journée."
    rf"^\s*nous\s+(?:serons|sommes|inscrivons)(?:\s+{_SO})?\s+(?P<n>{COUNT})\s+{PEOPLE_WORDS}\w*"
    r"(?:\s+[àa]\s+(?:cette|la|ce|votre)\s+[^\d€\n]{1,40}?)?\s*(?:[.!]|$)"
    # "… (2 540 €)" / "pour 4 participants": the count on the line under the total.
    rf"|^\s*pour\s+(?P<under>{COUNT})\s+{PEOPLE_WORDS}\w*\s*[.)]?\s*$",
    re.IGNORECASE,
)
_TOLD_TOGETHER = re.compile(
    # "… soit 3 personnes pour 1 905 €", "Nous inscrivons 3 personnes soit 1905 euros".
    rf"\b(?:soit|pour|inscri\w*(?:\s+{_SO})?)\s+(?P<n>{COUNT})\s+{PEOPLE_WORDS}\w*\s*,?\s+(?:pour|soit)\s+"
    r"(?:un\s+(?:montant|total)\s+"
    r"(?:total\s+)?de\s+)?(?P<amount>\d[\d \u00a0\u202f.,]*)\s*(?:€|euros?\b|eur\b)"
    r"(?!\s*(?:par|/)\s*(?:personne|participant|agent|pers\b|inscrit|stagiaire))",
    re.IGNORECASE,
)


# "3 participants, montant total 1 875 €", "4 inscrits - total 2 540 €", "Soit 2
# participants, 1270 €.": a mail's line that declares both, as the form's own two lines would.
_COUNT_THEN_TOTAL = re.compile(
    rf"^\s*(?:soit\s+)?(?P<n>{COUNT})\s+{PEOPLE_WORDS}\w*\s*[,;:\-–]?\s*"
    r"(?:(?:soit|pour|montant|total|un|une|de|au|net|d'un)\s+){0,4}:?\s*"
    r"(?P<amount>\d[\d \u00a0\u202f.,]*)\s*(?:€|euros?\b|eur\b)[\s.]*$",
    re.IGNORECASE,
)


# "Soit un montant de 1 270 € net (frais non soumis à TVA).": an organisation's own
# template writes the total as a sentence; "635 € par participant" is a price, not it.
_TOTAL_TOLD = re.compile(
    r"^\s*(?:soit|pour)\s+(?:un|le)\s+(?:montant|co[ûu]t)(?:\s+(?:total|global))?(?:\s+net)?"
    r"\s+de\s+(?P<amount>\d[\d \u00a0\u202f.,]*)\s*(?:€|euros?\b|eur\b)"
    r"(?P<rest>(?:(?!\bpar\b)[^\d€])*)$",
    re.IGNORECASE,
)


# "Nb : 2 (deux)": the count under the shortest label; "NB : merci de …" is a note.
_NB_COUNT = re.compile(
    rf"^\s*nb\.?\s*:\s*(?P<n>\d{{1,3}})(?:\s*\(\s*(?P<words>{_COUNT_WORDS})\s*\))?\s*\.?$",
    re.IGNORECASE,
)


def _read_told(state: _State, line: str) -> bool:
    form = state.form
    nb = _NB_COUNT.match(line)
    if nb is not None and form.declared_count is None:
        written = int(nb["n"])
        if nb["words"] is None or _count_in_words(nb["words"]) == written:
            form.declared_count = written
        else:
            form.unreadable.add(Field.COUNT)  # "Nb : 3 (deux)": which one is meant
        form.labels_seen.add(Field.COUNT)
        return True
    total = _TOTAL_TOLD.match(line)
    if total is not None and form.declared_total is None:
        form.declared_total = parse_amount(total["amount"])
        form.labels_seen.add(Field.TOTAL)
        return form.declared_total is not None
    alone = _COUNT_TOLD.search(line)
    if alone is not None and form.declared_count is None and not _TOLD_TOGETHER.search(line):
        # "Nous serons 4 personnes.": the count the sender declares, to check the list by.
        form.declared_count = count_value(alone["n"] or alone["under"])
        form.labels_seen.add(Field.COUNT)
        return form.declared_count is not None
    told = _TOLD_TOGETHER.search(line) or _COUNT_THEN_TOTAL.match(line)
    if told is None or form.declared_count is not None or form.declared_total is not None:
        return False
    form.declared_count = count_value(told["n"])
    form.declared_total = parse_amount(told["amount"])
    return True


def _read_sum(state: _State, line: str) -> bool:
    """ "Nombre de participants = 3", "Montant total = 3 x 635 = 1 905 €": a count or
    a total written as a sum, its label followed by "=" instead of a colon."""
    label, equals, value = line.partition("=")
    if not equals or not value.strip():
        return False
    found = field_for(label.strip(), state.fuzzy)
    if found is Field.TOTAL:
        _read_total_value(state, line)
        state.form.labels_seen.add(Field.TOTAL)
        return True
    if found is Field.COUNT:
        return _assign(state, label.strip(), value.strip())
    return False


_DASHED = re.compile(r"^(?P<label>.{2,60}?)\s+[-–—]\s+(?P<value>\S.*)$")
_LED = re.compile(r"^(?P<label>[^.…_:]{2,60}?)\s*(?:\.{3,}|…+|_{3,})[\s.…_]*(?P<value>[^\s.…_].*)$")


def _read_without_colon(state: _State, line: str, *, dashed: bool = True) -> bool:
    """ "Adresse postale - 12 rue X", "NOM DU RESPONSABLE ...... X": a dash or a dotted
    leader instead of a colon, after a label written exactly."""
    for pattern in (_DASHED, _LED) if dashed else (_LED,):
        match = pattern.match(line)
        if match is not None and exact_field(match["label"]) is not None:
            return _assign(state, match["label"], match["value"])
    return False


_PAIR_BREAK = re.compile(r"\s+[–—/-]\s+|\s*[;|]\s*|\t+| {3,}")


def _read_pairs(state: _State, line: str) -> bool:
    """ "Nombre : 3 – Montant : 1 905,00 €": labelled values side by side, read one by one.

    Only where a separator is followed by a label written exactly and its colon or
    dotted leader, so a value holding a dash ("Pôle enfance – famille") stays whole. The
    manager's line is left to ``_manager_parts``, which also sorts unlabelled pieces.
    """
    labels = len(_COLON.findall(line)) + len(_LEADER_RUN.findall(line))
    if labels + len(_PHONE_AFTER_BREAK.findall(line)) < 2:
        return False
    if labels < 2 and _pair_field(line) in (Field.MANAGER_NAME, Field.MANAGER_ROW):
        return False  # "Gestionnaire : Anne ROUX - RH - tél. 05 …": the manager's pieces
    numbered = _NUMBERED.match(line)
    if numbered and _pair_field(line[numbered.end() :]) is not None:
        line = line[numbered.end() :]  # "1)  Civilité : M. …   Prénom : Rémi": the first person
    first = _pair_field(line)
    if first is None:
        return _read_headed_pairs(state, line)
    if first is Field.MANAGER_ROW:
        return False
    cuts: list[re.Match[str]] = []
    for found in _PAIR_BREAK.finditer(line):
        after = line[found.end() :]
        if _pair_field(after) is not None:
            cuts.append(found)
        elif _PHONE_LABELLED.match(after):
            # "Courriel : a@x.fr – Tél. 05 …" parts; "Interlocuteur : Anne ROUX (RH) – Tél.
            # 05 … – Courriel : …" stays the manager's line, whose pieces are sorted by look,
            # and "Téléphone : 05 … – portable 06 …" one value of two numbers.
            opening = line[cuts[-1].end() if cuts else 0 :]
            if _pair_field(opening) not in (Field.MANAGER_NAME, Field.MANAGER_ROW, Field.PHONE):
                cuts.append(found)
    if not cuts:
        return False
    starts = [0, *(found.end() for found in cuts)]
    ends = [*(found.start() for found in cuts), len(line)]
    for start, end in zip(starts, ends, strict=True):
        # "Courriel : a@x.fr – Tél. 05 …": the phone's label without its colon.
        _read_line(state, _PHONE_LABELLED.sub(r"\g<label> : ", line[start:end], count=1))
    return True


_LEADER_RUN = re.compile(r"\.{3,}|…+|_{3,}")
# "Tél. 05 …" after a dash: a phone's label without its colon, a pair all the same.
_PHONE_WORD = r"t[ée]l(?:[ée]phone)?\.?|portable|mobile|ligne directe"
_PHONE_AFTER_BREAK = re.compile(rf"\s[–—/-]\s+(?:{_PHONE_WORD})\s*(?=[+(]?\d)", re.IGNORECASE)
_PHONE_LABELLED = re.compile(rf"^(?P<label>{_PHONE_WORD})\s*(?=[+(]?\d)", re.IGNORECASE)
_NUMBERED = re.compile(
    r"^\s*(?:\d{1,2}\s*[.)]|\(\d{1,2}\)|n°\s*\d{1,2}\s*[:.-]?)\s+", re.IGNORECASE
)
_HEADING_BREAK = re.compile(r"\s+[–—-]\s+|\s*:\s+")


def _read_headed_pairs(state: _State, line: str) -> bool:
    """ "Organisme-client - Dénomination : X - Adresse postale : Y", "Participant 1 :
    Civilité : Mme - Prénom : …": a section's heading, then its pairs on the same line."""
    found = _HEADING_BREAK.search(line)
    if found is None or found.start() > 60:
        return False
    section = section_for(line[: found.start()].strip(), state.fuzzy)
    rest = line[found.end() :]
    if section is None or _pair_field(rest) is None:
        return False
    _enter(state, section)
    _read_line(state, rest)
    return True


# "PARTICIPANTS 1. Mme Marion DELPECH – m.delpech@…": an HTML mail's heading run into its
# list's first item, the line break between them being only the source's.
_HEADED_ITEM = re.compile(r"^(?P<heading>[^\d:]{3,40}?)\s*:?\s+(?P<item>\d{1,2}\s*[.)]\s+\S.*)$")


def _read_headed_list(state: _State, line: str) -> bool:
    found = _HEADED_ITEM.match(line)
    if found is None or section_for(found["heading"], state.fuzzy) is not Section.PARTICIPANTS:
        return False
    _enter(state, Section.PARTICIPANTS)
    _read_line(state, found["item"])
    return True


def _pair_field(text: str) -> Field | None:
    """The field named by the label that opens ``text`` ("Montant : …", "LE ..... …")."""
    label, _ = _split_label(text)
    if label is None and (led := _LED.match(text)) is not None:
        label = led["label"]
    if label is None:
        return None
    return exact_field(label) or exact_column(label)


# "Par (nom du signataire)Capucine ROLLAND-MERCIER": a label that ran up to its value's
# column, the PDF's text leaving no blank between them.
_GLUED = re.compile(r"^(?P<label>[^()\t:]{2,40}\([^()\t]{2,40}\))(?=[A-ZÀ-Þ])")


# "Adresse postale8 rue du Lac": a label run into the number its value opens with.
_GLUED_NUMBER = re.compile(r"^(?P<label>[^\d\t:()]{3,40}[a-zà-ÿ])(?=\d)")


# "Fait àMarvejolsLe2 novembre 2026Par (nom du signataire)Marie-Pierre ASTRUC": the
# signing block's table as a .doc LibreOffice cannot read back prints it, cells run on.
_GLUED_PLACE = re.compile(r"^(?P<label>Fait\s+[àa])(?=[A-ZÀ-Þ][a-zà-ÿ])")
_NEXT_SIGNING_CELL = re.compile(
    r"(?<=\S)(?=Le\s?\d)|(?<=\S)(?=Par\s*\()|(?<=\S)(?=Signature\s+et\s+cachet)"
)


def _signing_cells(line: str) -> list[str] | None:
    glued = _GLUED_PLACE.match(line)
    if glued is None:
        return None
    cells = _NEXT_SIGNING_CELL.split(line[glued.end() :])
    if len(cells) < 2:
        return None  # "Fait àLyon", one cell: read as it stands
    rows = [f"{glued['label']}\t{cells[0]}"]
    rows += [f"Le\t{c[date.end():]}" if (date := re.match(r"^Le\s?(?=\d)", c)) else c
             for c in cells[1:]]  # fmt: skip
    return rows


def _unglued(line: str) -> str:
    glued = _GLUED.match(line)
    if glued is not None and exact_field(glued["label"]) is not None:
        return f"{glued['label']}\t{line[glued.end() :]}"
    glued = _GLUED_NUMBER.match(line)
    if glued is not None and exact_field(glued["label"]) in (Field.ADDRESS, Field.PHONE):
        return f"{glued['label']}\t{line[glued.end() :]}"
    return line


def _split_label(line: str) -> tuple[str | None, str]:
    parts = _COLON.split(line, maxsplit=1)
    if len(parts) == 2 and 0 < len(parts[0]) <= 70:
        return parts[0], parts[1].strip()
    # "Organisme -> ACME", "Dénomination ? ACME", "Adresse = 1 rue X", "Service - RH":
    # another separator, trusted after a label we know only.
    parts = _OTHER_SEPARATOR.split(line, maxsplit=1)
    if len(parts) == 2 and 0 < len(parts[0]) <= 70 and _known_label(parts[0]):
        if _known_label(parts[1].strip()):
            return None, ""  # "Registration contact - Full name": one label, its owner first
        return parts[0], parts[1].strip()
    return None, ""


_OTHER_SEPARATOR = re.compile(r"\s*(?:->|=>|→|=|\?)\s*|\s+[-–]\s+")


def _known_label(text: str) -> bool:
    """A label written exactly as one we know: "SERVICE …… Direction autonomie" before
    " - Service tarification" is a value that holds a dash, not a label."""
    return (
        exact_field(text) is not None
        or exact_column(text) is not None
        or (len(text.split()) <= 3 and section_for(text) is not None)
    )


# "…, par Marion DESCAMPS", "…     Par (nom du signataire) : Marion DESCAMPS", "… ; signataire :"
_BY_WHOM = re.compile(
    r"(?:^|[,;]?\s+)(?:[Pp]ar|[Ss]ignataire|[Ss]ign[ée]e? par)(?:\s*\([^()]{1,30}\))?(?:\s*:)?\s+"
    r"(?P<who>[A-ZÀ-Þ][^:]{2,80})$"
)


# "Le Mans, le 26 octobre 2026" closing an organisation's own template, no "Fait à".
_TOWN_COMMA_LE = re.compile(
    r"^\s*(?P<place>(?-i:[A-ZÀ-Þ])[^,:;@\d]{1,40}?)\s*,\s*le\s+(?P<date>.+?)$", re.IGNORECASE
)


def _read_fait_a(state: _State, line: str) -> bool:
    # "* Fait à Montpellier, le 30/09/2026": a body's bulleted list goes on to the signing.
    match = _FAIT_A.match(line) or _FAIT_A.match(_BULLET.sub("", line, count=1))
    if match is None:
        return _read_date_then_town(state, line) or _read_town_and_date(state, line)
    return _read_place_and_date(state, match)


# "Fait le 12 novembre 2026 à Bergerac": the date first, then the place.
_FAIT_LE = re.compile(
    r"^\s*(?:fait|sign[ée]e?)\s+le\s*:?\s*(?P<date>\d[^à]*?|[a-z]+\s+\d[^à]*?)\s*,?\s+"
    r"[àa]\s*:?\s*(?P<place>(?-i:[A-ZÀ-Þ])[^,;:\d\t]*?)\s*\.?$",
    re.IGNORECASE,
)


def _read_date_then_town(state: _State, line: str) -> bool:
    found = _FAIT_LE.match(line)
    if found is None or not find_dates(found["date"], 2000):
        return False
    return _signed_at(state, found["place"].strip(), found["date"].strip(" ,"))


def _read_town_and_date(state: _State, line: str) -> bool:
    """ "Le Mans, le 26 octobre 2026" alone on its line, once the amounts are read: the
    place and date of signing, as "Fait à" would give them."""
    closing = _TOWN_COMMA_LE.match(line)
    if closing is None or not _signing(state) or not _dates_a_letter(state, closing):
        return False
    return _signed_at(state, closing["place"].strip(), closing["date"].strip(" ."))


def _signed_at(state: _State, place: str, date: str) -> bool:
    """The place and date of signing, read together on one line; its signer may follow."""
    _set(state, Field.PLACE, place)
    _set(state, Field.SIGNED_DATE, date)
    state.form.labels_seen.add(Field.PLACE)
    state.dated_row = state.row
    state.last_field = None
    return True


def _read_place_and_date(state: _State, match: re.Match[str]) -> bool:
    rest = _ENGLISH_HALF.sub("", match.group("rest"), count=1).lstrip("-–=>→? ")
    if match["article"]:
        rest = f"{_ARTICLE_OF[match['article'].lower()]} {rest}"
    tail = labelled = ""
    # "Fait à : Vannes        En date du : 7 septembre 2026": labelled values after a gap.
    cut = next(
        (found for found in _PAIR_BREAK.finditer(rest) if _pair_field(rest[found.end() :])),
        None,
    )
    if cut is not None:
        rest, labelled = rest[: cut.start()], rest[cut.end() :]
    elif len(pieces := re.split(r"\s+[-–]\s+", rest, maxsplit=1)) == 2:
        rest, tail = pieces
        if re.match(r"le\b", tail, re.IGNORECASE) and _split_label(tail)[0] is None:
            rest, tail = f"{rest} {tail}", ""  # "Signé à Quimperlé – le 15 novembre 2026"
        elif _DATE_ALONE.fullmatch(tail.strip(" .")):
            rest, tail = f"{rest} le {tail}", ""  # "Signé à Nevers – 14 novembre 2026"
        elif re.search(r"\d", tail) and _split_label(tail)[0] is None:
            # A date this reader does not know, after the place: never dropped unseen.
            state.form.unreadable.add(Field.SIGNED_DATE)
    # "Fait à Auch, le 14/10/2026, par Marion DESCAMPS": who signed, in the same breath.
    by = _BY_WHOM.search(tail or rest)
    if by and not tail:
        rest = rest[: by.start()]
    place_date = _PLACE_DATE.match(rest) or _PLACE_COMMA_DATE.match(rest.strip())
    if match["bare"] and not _dates_a_letter(state, place_date):
        return False
    date = place_date.group("date").strip() if place_date else ""
    signer = _DATE_THEN_SIGNER.match(date)
    if by is None and signer is not None and _signs(signer["who"]):
        # "Fait à Cusset le 13/10/2026, Marc-Antoine DELORME": the signer after the date.
        by, date = signer, signer["date"]
    if by:
        _set(state, Field.SIGNATORY, by["who"].strip(" ."))
        state.form.labels_seen.add(Field.SIGNATORY)
        tail = ""
    if place_date is not None:
        _set(state, Field.PLACE, place_date.group("place").strip(" ,"))
        _set(state, Field.SIGNED_DATE, date)
    else:
        # "Fait à ……, le ……" left blank: the "le" of the date is no place.
        _set(state, Field.PLACE, _BLANK_DATE_LABEL.sub("", rest).strip(" ,"))
        if Field.PLACE not in state.form.values:
            state.blank_place_row = state.row
    state.form.labels_seen.add(Field.PLACE)
    state.dated_row = state.row
    if tail and _split_label(tail)[0] is not None:
        _read_line(state, tail)  # "Le : 15/09/2026 - Par (nom du signataire) : …"
    state.last_field = None
    if labelled:
        _read_line(state, labelled)
    return True


_DATE_ALONE = re.compile(
    r"(?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\s+)?"
    r"\d{1,2}(?:[/.-]\d{1,2}[/.-]\d{2,4}|(?:er)?\s+[^\W\d_]+\.?\s+\d{4})",
    re.IGNORECASE,
)
_DATE_THEN_SIGNER = re.compile(
    r"^(?P<date>\d{1,2}(?:[/.-]\d{1,2}[/.-]\d{2,4}|(?:er)?\s+\w+\s+\d{4}))\s*[,;]\s*(?P<who>.+)$"
)


def _signs(text: str) -> bool:
    """A name with its family name in capitals, maybe titled: someone signing."""
    found = _SIGNER.match(text.strip(" ."))
    return found is not None and any(is_upper_word(w) for w in found["name"].split())


def _dates_a_letter(state: _State, place_date: re.Match[str] | None) -> bool:
    """ "À Guéret, le …" is the place and date of signing only when what follows "le" is a
    date and the place a town's name: otherwise it is a sentence that opens with "à"."""
    if place_date is None or Field.PLACE in state.form.values:
        return False
    place, date = place_date["place"].strip(" ,"), place_date["date"].strip(" .")
    if not re.fullmatch(r"[\w'’ -]{2,40}", place) or len(date) > 32:
        return False
    # Any default year will do: only whether it reads as a date matters here.
    return bool(find_dates(date, 2026))


# "Bruno AUCLAIR", "Christophe LASSERRE, DAF", "Le Président, Jean-Louis MERCIER": a
# name, its family name in capitals, a title before or after it.
_SIGNER = re.compile(
    # "le Directeur général, X" or "l'Adjoint de direction, X" under "Pour le Président,".
    r"^(?:(?P<title>(?:(?:Le|La|Pour|le|la)\s|l['’]|P\s?/\s?(?:O\.?\s|l[ea]\s|l['’])|P\.O\.\s)"
    # "Pour le Président et par délégation, la Directrice Enfance Famille, X": two titles.
    r"[^,:@\d]{2,60}(?:,\s*(?:le\s|la\s|l['’])[^,:@\d]{2,60})?),\s*)?"
    r"(?P<name>[A-ZÀ-Þ][\w'’-]+(?:\s+[\w'’-]+){1,4})(?:\s*,\s*[^,:@\d]{2,60})?$"
)
_SIGNING_HEADING = re.compile(
    r"(?:cachet\s+et\s+signature|signature\s+et\s+cachet|signature)\s*:?", re.IGNORECASE
)
# Words a stamp's line opens with, never a person's name: an organisation's, its
# service's or its building's.
_BODY_WORDS = _BODY_NAMES | {"service", "direction", "maison", "residence"}
# "Signature de l'ordonnateur :", "Visa de l'autorité territoriale :": whose mark goes there.
_SIGNATURE_OF = re.compile(r"^(?:signature|visa|cachet)\b[^:@\d]{0,60}:$", re.IGNORECASE)


def _signing_heading(line: str) -> bool:
    """A heading over the signer's name, or the signer's label left empty above it."""
    if _SIGNING_HEADING.fullmatch(line) or _SIGNATURE_OF.match(line):
        return True
    return line.endswith(":") and field_for(line.rstrip(" :")) is Field.SIGNATORY


# "Le Directeur général," alone, the name on the next line.
# "Pour la Directrice, l'Adjoint de direction,": a delegation, two titles.
_SIGNER_TITLE = re.compile(r"^(?:Le|La|Pour)\s[^,:@\d]{2,60},(?:\s*(?:le|la|l')[^,:@\d]{2,60},)?$")


def _read_signer_below(state: _State, line: str) -> bool:
    """The signer written right under "Fait à …, le …" or "À Guéret, le …", with no "Par"
    to say so: a name, maybe with a title, maybe the title on a line of its own first.

    Under a bare "Signature et cachet" the same title-then-name block signs too; a name
    alone there is not taken: a stamp's words ("CCAS Ville de PAU") look like one.
    """
    if Field.SIGNATORY in state.form.values:
        return False
    after_date = state.row == state.dated_row + 1
    if after_date and state.carried == state.dated_row:
        # After the blank line, only a label with its colon goes on to the signer:
        # "Signature et cachet" alone there heads the stamp's words.
        if not state.fuzzy and line.strip().endswith(":") and _signing_heading(line.strip()):
            state.dated_row = state.row
            return True
        return False
    under_heading = state.section is Section.SIGNATURE and state.row == state.section_row + 1
    if not (after_date or under_heading):
        return False
    if after_date and not state.fuzzy and _signing_heading(line.strip()):
        # "Cachet et signature :", "Signature de l'ordonnateur :" over the name, typed: the
        # signer still comes next. (On a scan the stamp's words come there instead.)
        state.dated_row = state.row
        return True
    if re.match(r"(?:par|sign)", line, re.IGNORECASE) or _pair_field(line) is not None:
        return False  # "Par Marie DURAND", "Signé : …", "Le : 18.11.2026": labelled
    if _SIGNER_TITLE.match(line) or only_a_title(line):
        # "Le Président" alone on its line: written with the name as "Le Président, …".
        title = line if line.endswith(",") else f"{line},"
        # "Pour le Président et par délégation," / "le Directeur général,": both kept.
        state.signer_title = f"{state.signer_title} {title}".strip()
        state.dated_row = state.row
        return True
    match = _SIGNER.match(line)
    if not after_date or match is None:
        return False
    if not any(is_upper_word(word) for word in match["name"].split()[1:]):
        return False
    if not (match["title"] or state.signer_title or writes_a_first_name(match["name"])):
        return False  # "CCAS de PAU": a stamp's words, no one's first name among them
    if fold(match["name"].split()[0]) in _BODY_WORDS:
        return False  # "Mairie de SAINT-DENIS": a stamp's words all the same
    _set(state, Field.SIGNATORY, f"{state.signer_title} {line}".strip())
    state.form.title_apart = bool(state.signer_title)
    state.form.labels_seen.add(Field.SIGNATORY)
    return True


_PREFIX_LABELS = (
    "par (nom du signataire)", "nom du signataire", "fait à", "dénomination", "adresse postale",
    "prénom et nom", "adresse e-mail", "téléphone", "service", "le", "par", "signataire",
    "raison sociale", "nom de la structure", "courriel",
)  # fmt: skip


# "Nombre de personnes inscrites6": a PDF's text, the value set against its label.
_GLUED_AMOUNT = re.compile(
    r"^(?P<label>[^\d:]{6,60}?[^\W\d_])(?P<value>\d[\d \u00a0.,]*(?:€|euros?)?)$"
)


def _read_glued_amount(state: _State, line: str) -> bool:
    glued = _GLUED_AMOUNT.match(line.strip())
    if glued is None or exact_field(glued["label"]) not in (Field.COUNT, Field.TOTAL):
        return False
    return _assign(state, glued["label"], glued["value"])


# A value never opens on these; a label's next words do ("Dénomination de l'organisme").
# Lower case only: "DE MONTALEMBERT Paul" is a name.
# "Raison sociale de" / "Service ou": a label that goes on, on the next line or in the next
# words, never a value.
_LABEL_GOES_ON = re.compile(r"(?:de|du|des|d'|d’|l'|l’)(?:\s|$|(?<=['’]))|(?:ou|et)(?:\s|$)")


def _read_prefixed(state: _State, line: str) -> bool:
    """ "Par (nom du signataire) Le Directeur, Anne X": the label's words, then the value."""
    if len(line) < 60 and section_for(line.rstrip(" :"), state.fuzzy) is not None:
        return False  # "LE GESTIONNAIRE" is a heading, not "Le" dated "GESTIONNAIRE"
    if exact_field(line.rstrip(" :")) is not None:
        return False  # "Service gestionnaire" left blank: one label, not "Service" and a value
    words = line.split()
    for label in sorted(_PREFIX_LABELS, key=len, reverse=True):
        size = len(label.split())
        if len(words) <= size:
            continue
        head = " ".join(words[:size])
        value = " ".join(words[size:])
        if value.startswith("("):
            continue  # "Par (nom du signataire)" is a longer label, not "Par" + a value
        if _COLON.search(value[:40]) and not _COLON.search(head):
            continue  # "Dénomination de l'employeur : …": a longer label, its colon further on
        if normalise_label(head) == normalise_label(label) and head.lower()[:1] == label[:1]:
            if _LABEL_GOES_ON.match(value):
                return False  # "Dénomination de l'organisme-client X": a longer label
            if label == "le" and not _may_be_a_date(value):
                return False  # "LE MONTANT" is a heading; a date has figures
            if label in ("le", "par") and head.islower():
                return False  # a sentence's "… envoyé / par courriel avant la session."
            if label == "service" and _OF_WHAT.match(value):
                return False  # "Service d'aide à domicile", "Service de placement familial"
            if state.section is not None:
                return _assign(state, head, value)
            state.reading_run_in = True
            try:
                return _assign(state, head, value)
            finally:
                state.reading_run_in = False
    return False


# "Dossier suivi par Mme Léa MARTIN, service RH", "Suivi administratif assuré par X (x@y)":
# the manager, introduced by words rather than by a label, in a mail's text as on a form.
_FOLLOWED_BY = re.compile(
    r"^(?P<label>(?:dossier\s+|affaire\s+)?suivie?\s+(?:administratif\s+|administrativement\s+)?"
    r"(?:assurée?\s+)?par)\s*:?\s+(?P<value>\S.*)$",
    re.IGNORECASE,
)


def _read_followed_by(state: _State, line: str) -> bool:
    found = _FOLLOWED_BY.match(line)
    if found is None or field_for(found["label"]) is not Field.MANAGER_NAME:
        return False
    return _assign(state, found["label"], found["value"])


# What names a service rather than follows its label: "de …", "d'aide …", "à domicile".
_OF_WHAT = re.compile(r"(?:d['’]|de\s|du\s|des\s|à\s|aux\s|et\s)", re.IGNORECASE)


# "Par Marie DURAND", "Par (nom du signataire) Marie DURAND": the label's colon left out.
_SIGNED_BY = re.compile(
    r"^par(?:\s*\([^()]{1,30}\))?\s+(?P<name>[A-ZÀ-Þ][^()]{1,80})$", re.IGNORECASE
)


def _read_signed_by(state: _State, line: str) -> bool:
    """ "Par Marie DURAND" under "Fait à …, le …": the signatory, written without a colon.

    Only in the signature block, and only a name with its family name in
    capitals, or the manager's name: mail prose starts lines with "Par ailleurs" or
    "Par Chorus Pro" too.
    """
    match = _SIGNED_BY.match(line)
    if (
        match is None
        or not state.form.labels_seen & {Field.PLACE, Field.SIGNED_DATE}
        or Field.SIGNATORY in state.form.values
        or line.rstrip().endswith(("?", "."))
    ):
        return False
    words = match.group("name").split()
    # "Par Stephane Roussel directeur", typed on a phone: the manager named again.
    manager = fold(state.form.values.get(Field.MANAGER_NAME) or "").split()
    again = len(manager) >= 2 and [fold(w.strip(",")) for w in words[: len(manager)]] == manager
    if not 2 <= len(words) <= 8 or not (again or any(is_upper_word(w.strip(",")) for w in words)):
        return False
    if fold(words[0]).startswith("delegation"):
        # "Par délégation, le Vice-président, Alain BOUTIN": the words open the title.
        return _assign(state, "Par", " ".join(line.split()))
    return _assign(state, "Par", " ".join(match.group("name").split()))


def _read_signed_on(state: _State, line: str) -> bool:
    """ "Le 31 août 2026" on its own line is the signature date; "Le 08/10/2026, Par :
    Marion LE ROUX", the date and the signer on one line."""
    signer = _DATE_THEN_BY.match(line)
    if signer is not None and _may_be_a_date(signer["date"]):
        _set(state, Field.SIGNED_DATE, signer["date"])
        state.form.labels_seen.add(Field.SIGNED_DATE)
        _read_line(state, signer["by"])
        return True
    match = re.match(r"^le\s+(\S.{4,30})$", line, re.IGNORECASE)
    if match is None or not _may_be_a_date(match.group(1)):
        return False
    _put(state, Field.SIGNED_DATE, match.group(1))  # under "Fait à X", the signer may follow
    state.form.labels_seen.add(Field.SIGNED_DATE)
    return True


_DATE_THEN_BY = re.compile(
    rf"^le\s*:?\s*(?P<date>{_DATE_ALONE.pattern})\s*(?:[,;]|\s[-–—]\s)\s*(?P<by>par\b.+)$",
    re.IGNORECASE,
)
_CLOCK = re.compile(r"\b\d{1,2}\s?h\s?\d{0,2}\b", re.IGNORECASE)


def _may_be_a_date(value: str) -> bool:
    """Figures that may be a date, even misread ("2B/09/2026"); a programme's hours
    ("Le matin : de 9h30 à 12h45") are none."""
    if not re.search(r"\d", value):
        return False
    return bool(find_dates(value, 2000)) or not _CLOCK.search(value)


# "x 635 €", "× 625,00 euros": the price a count is multiplied by.
_TIMES_A_PRICE = r"[x×*]\s*\d[\d \u00a0.,]*\s*(?:€|euros?\b|eur\b)"
_TIMES_PRICE = re.compile(rf"^\s*{_TIMES_A_PRICE}\s*=", re.IGNORECASE)


def _read_total_formula(state: _State, line: str) -> bool:
    """IPP's own line: "Montant net total ... = nombre de participants ( 3 ) x 625 Euros = 1 875 €"."""
    line = _soit_as_equals(line)  # "1 x 635 € soit 635,00 €"
    if "=" not in line and (labelled := _TOTAL_AFTER_PRODUCT.search(line)) is not None:
        # "… ( 3 ) x 635 euros - Montant TTC (exonéré de TVA) : 1 905,00 €": the amount's
        # label and colon stand for the form's "=".
        line = f"{line[: labelled.end() - 1]}={line[labelled.end() :]}"
    if "=" not in line:
        return False
    # Its second half alone when the line wrapped: "nombre de participants ( ) x 635 euros =".
    formula = re.search(r"participant", line, re.IGNORECASE) and (
        re.search(r"montant|total", line, re.IGNORECASE) or _BRACKET_TIMES.search(line)
    )
    # "nombre de participants | 3" then "x 635 euros = | 1905": the formula cut in rows.
    rest = Field.COUNT in state.form.labels_seen and _TIMES_PRICE.match(line) is not None
    if not formula and not rest and _product(line) is None:
        return False
    _read_total_value(state, line)
    state.form.labels_seen.add(Field.TOTAL)
    return True


_TOTAL_AFTER_PRODUCT = re.compile(
    r"participants?\s*[({\[]\s*\d{1,3}\s*[)}\]]\s*[x×*]\s*\d[^:=]*?\b(?:montant|total)\b[^:=\d]*:",
    re.IGNORECASE,
)
# "( 2 }) x 635": OCR reads the bracket's end as a brace or a bar as well.
_BRACKET_TIMES = re.compile(r"[({\[]\s*\d{0,3}\s*[)}\]|]{1,2}\s*[x×*]\s*\d")
_FREE = re.compile(r"^\W*(?:gratuit|gracieux|offert|free of charge)\b", re.IGNORECASE)


# "6 × 635 € soit 3 810 €": the product's result after "soit" stands as after "=".
_SOIT_RESULT = re.compile(r"(?<=[\d€])\s*(?:euros?\b)?\s*\bsoit\s+(?=\d)", re.IGNORECASE)
_PRODUCT_SIGN = re.compile(r"\d\s*[x×*]\s*\d", re.IGNORECASE)


def _soit_as_equals(text: str) -> str:
    """A product's "soit" written as the "=" it stands for ("6 × 635 € soit 3 810 €")."""
    # The word looked for first: every line of a form passes here.
    if "soit" in text.lower() and _PRODUCT_SIGN.search(text):
        return _SOIT_RESULT.sub(" = ", text, count=1)
    return text


def _count_in_words(words: str) -> int | None:
    if re.fullmatch(COUNT, words, re.IGNORECASE):
        return count_value(words)
    amount = words_amount(words)
    return None if amount is None else int(amount)


def _read_total_value(state: _State, value: str) -> None:
    value = _soit_as_equals(value)
    count = _COUNT_IN_TOTAL.search(value)
    if count is not None and state.form.declared_count is None:
        written = count_value(count["a"] or count["b"] or count["c"] or count["d"])
        words = count.group("words")
        # "8 (neuf)": two counts, neither read; the blank count is then doubted.
        if words is None or _count_in_words(words) == written:
            state.form.declared_count = written
    elif (product := _product(value)) is not None and state.form.declared_count is None:
        state.form.declared_count = count_value(product.group("n"))
    elif (
        (bracket := _COUNT_BRACKET.search(value)) is not None
        and state.form.declared_count is None
        and _written(bracket["count"])
    ):
        state.form.unreadable.add(Field.COUNT)  # "nombre de participants (III)"
    after = value.rsplit("=", 1)[1] if "=" in value else value
    if count is not None and count["b"] is not None and "=" not in value:
        # "Total : 3 personnes, 1905 euros": the head count is no amount.
        after = value[: count.start()] + value[count.end() :]
    amounts = all_amounts(after)
    if not amounts and _FREE.search(after):
        amounts = [Decimal(0)]  # "gratuit (partenariat)": a total written, and it is nil
    if not amounts and (spelled := words_amount(after)) is not None:
        amounts = [spelled]  # "mille neuf cent cinq euros", as on a cheque
    if "=" not in value and amounts and state.form.declared_total is None:
        per_head = _PER_HEAD.search(value) or _TIMES_PRICE_ONLY.search(value)
        product = _PRODUCT_ONLY.fullmatch(value.strip())
        if product is not None or (per_head is not None and len(amounts) == 1):
            state.form.unit_price = amounts[-1]
            state.form.unit_count = count_value(product["n"]) if product is not None else None
            return
    # "= nombre de participants (2) x 625" with its "Euros = 1 250,00 €" on the
    # next line, or a line ending on "=": the result wrapped, it is not the count.
    # ("= 1 270 € (nombre de participants : 2)": the count restated after the amount.)
    ahead = re.split(r"participant", after, maxsplit=1, flags=re.IGNORECASE)
    cut = "=" in value and (not amounts or (len(ahead) > 1 and not all_amounts(ahead[0])))
    if cut and _UNIT_TWICE.search(after) and state.form.declared_total is None:
        # "( 1 ) x 635 euro | euros": the form's "= … euros" after the price, its "=" and
        # amount lost under a stamp. Something stood there: doubted, not taken as blank.
        state.form.unreadable.add(Field.TOTAL)
        return
    state.total_pending = cut and state.form.declared_total is None
    if state.total_pending and state.fuzzy and _ENDS_AT_PRICE.search(value):
        # A scan's "( 2 ) x 635 euros =" and nothing after, not even the form's own
        # "euros" closing the line: its end was lost (under a stamp, off the page). Doubted
        # unless the next line holds the amount.
        state.form.unreadable.add(Field.TOTAL)
    if cut:
        return
    if amounts and state.form.declared_total is not None:
        if amounts[0] != state.form.declared_total:
            # "TOTAL | 1 905,00 €" then "… = 1 250,00 €": two totals, one to invoice.
            state.form.unreadable.add(Field.TOTAL)
        return
    if amounts:
        state.form.declared_total = amounts[0] if "=" in value else max(amounts[:1])
        times = _PRICE_TIMES.search(value)
        if times is not None and state.form.declared_count is None:
            # "1 270,00 € (635 € x 2)", "625 € x 3 = 1 875 €": the count, when the
            # formula gives the total.
            price = parse_amount(times["price"] or times["price2"])
            factor = int(times["n"] or times["n2"])
            if price is not None and price * factor == state.form.declared_total:
                state.form.declared_count = factor
        if "=" in value and re.fullmatch(r"\s*\d{1,3}\s*", after):
            state.total_head, state.total_pending = after.strip(), True
    elif not amounts and _written(after):
        state.form.unreadable.add(Field.TOTAL)  # "1 905 euros env.", "voir bon de commande"


_ENDS_AT_PRICE = re.compile(rf"{_TIMES_A_PRICE}[\s=:]*$", re.IGNORECASE)
_UNIT_TWICE = re.compile(rf"{_TIMES_A_PRICE}[\s\W]*(?:€|euros?\b|eur\b)", re.IGNORECASE)
# What a blank count or amount may still show: a unit, the form's "(n)", a dotted line.
_BLANK_WORDS = re.compile(r"\b(?:n|euros?|eur|ttc|ht|net)\b|€", re.IGNORECASE)


def _written(value: str) -> bool:
    """Something is written where a count or an amount goes."""
    return re.search(r"[^\W_]", _BLANK_WORDS.sub(" ", value)) is not None


_PER_HEAD = re.compile(
    r"\d\s*(?:€|euros?\b|eur\b)\s*(?:ttc\s+|net\s+)?(?:par|/)\s*(?:personne|pers\b|participant|"
    r"agent|stagiaire|inscrit|t[êe]te)",
    re.IGNORECASE,
)
# "2 x 635 €", "2 × 635,00 euros": the sum to make, not its result.
# "Montant net total : nombre de participants x 635 Euros": the form's printed rule, no
# count in it and no result; the price per head, not a total.
_TIMES_PRICE_ONLY = re.compile(r"participants?\s*(?:\(\s*\))?\s*[x×*]\s*\d", re.IGNORECASE)
_PRODUCT_ONLY = re.compile(
    r"(?P<n>\d{1,2})\s*(?:participants?\s*|personnes?\s*|agents?\s*)?[x×*]\s*"
    r"\d[\d \u00a0]*(?:[.,]\d{1,2})?\s*(?:€|euros?|eur)\s*(?:ttc|net)?\.?",
    re.IGNORECASE,
)
_AMOUNT_ONLY = re.compile(
    # "1 905,- €": a cheque's way of writing no cents.
    r"^\s*[\d \u00a0\u202f.,']+(?:[.,]-)?\s*(?:€|euros?|eur)?\s*(?:ttc|ht|net)?\s*$",
    re.IGNORECASE,
)


_THOUSANDS_TAIL = re.compile(r"^\s*\d{3}(?:[.,]\d{1,2})?\s*(?:€|euros?\b|eur\b)", re.IGNORECASE)


def _read_wrapped_total(state: _State, line: str) -> bool:
    """The amount of a total line that wrapped after its "=" ("... x 635 euros =" / "3175 euros")."""
    head, state.total_head = state.total_head, ""
    if head:  # "... = 3" then "175 euros": the line broke inside "3 175"
        if not _THOUSANDS_TAIL.match(line):
            return False
        line = f"{head} {line.strip()}"
    if "=" in line:  # the formula's end: "Euros = 1 250,00 €"
        product = _product(line)
        line = line.rsplit("=", 1)[1]
        if product is not None and _AMOUNT_ONLY.match(line) and state.form.declared_count is None:
            # "… = nombre de participants" / "( 3 ) x 635 Euros = 1 905,00 €": a mail's
            # wrap took the count to the next line with the rest of the formula.
            state.form.declared_count = count_value(product["n"])
    if not _AMOUNT_ONLY.match(line):
        return False
    amount = parse_amount(line)
    if amount is None:
        return False
    state.form.declared_total = amount
    state.form.unreadable.discard(Field.TOTAL)
    return True


def _read_checkbox(state: _State, line: str) -> bool:
    segments = [part for part in _BOX_START.split(line) if part.strip()]
    after = _boxes_after(segments)
    if after is not None:
        # "SAAD 18/03/2027 [X]   08/10/2027 [ ]": each box after its date, not before the next.
        read = [_read_one_checkbox(state, part) for part in after]  # every box, not the first
        return any(read)
    if len(segments) > 1:
        # "☐ jeudi 18 mars 2027   ☒ vendredi 8 octobre 2027": both boxes in one cell.
        read = [_read_one_checkbox(state, part.strip(" ,;\t")) for part in segments]
        return any(read)
    return _read_one_checkbox(state, line)


_BOX_TOKEN = re.compile(r"^\s*(\[[^\]]{0,3}\]|\([^)]{0,3}\)|[☒☑☐□■▣]|[xX_](?=\s))")


def _boxes_after(segments: list[str]) -> list[str] | None:
    """A line's boxes each written after its label, rewritten box first ("[X] 18/03/2027"),
    when the line opens on a dated label and its last box closes it."""
    if len(segments) < 2 or not find_dates(segments[0], 2026):
        return None
    boxes = [_BOX_TOKEN.match(segment) for segment in segments[1:]]
    if any(box is None for box in boxes):
        return None
    rests = [segment[box.end() :] for segment, box in zip(segments[1:], boxes, strict=True) if box]
    if re.search(r"\w", rests[-1]):
        return None  # "… [ ] vendredi 8 octobre": a box before its label, as usual
    labels = [segments[0], *rests[:-1]]
    if not all(find_dates(label, 2026) for label in labels):
        return None
    return [
        f"{box[1]} {label.strip(' ,;')}" for box, label in zip(boxes, labels, strict=True) if box
    ]


def _read_one_checkbox(state: _State, line: str) -> bool:
    ticked = _CHECK_MARK.match(line)
    odd = _ODD_MARK.match(line) if ticked is None else None
    empty = _EMPTY_MARK.match(line) if ticked is None and odd is None else None
    match = ticked or odd or empty
    if match is None or not re.search(r"\d", match.group(2)):
        return _read_mark_after(state, line)
    label, on = match.group(2).strip(), ticked is not None or odd is not None
    state.form.faint_ticks |= odd is not None
    after = MARK_AFTER.match(label)
    if after is not None and after["ticked"]:
        # "☐ vendredi 8 octobre 2027 de 9h30 à 17h00 X": the X typed after the date, the box
        # left as printed.
        label, on = after["label"].strip(), True
    state.form.checkboxes.append((label, on))
    state.form.session_lines.append(label)
    return True


def _read_mark_after(state: _State, line: str) -> bool:
    match = MARK_AFTER.match(line)
    if match is None or not find_dates(match["label"], 2026):
        return False
    state.form.checkboxes.append((match["label"].strip(), match["ticked"] is not None))
    state.form.session_lines.append(match["label"].strip())
    return True


def _read_yes_no(state: _State, cells: list[str]) -> bool:
    """ "vendredi 8 octobre 2027 | oui": a session table answered in words."""
    answer = fold(cells[-1]).strip(" .")
    label = " ".join(c for c in cells[:-1] if c)
    if answer not in ("oui", "non") or not label or not find_dates(label, 2026):
        return False
    state.form.checkboxes.append((label, answer == "oui"))
    state.form.session_lines.append(label)
    return True


def _enter(state: _State, section: Section) -> None:
    _close_person(state)
    state.section = section
    state.section_row = state.row
    state.columns = None
    state.last_field = None
    if section is Section.PARTICIPANT:
        state.person = RawPerson()


_ADDRESS_WORDS = re.compile(
    r"\d|\b(?:cedex|cs|bp|rue|avenue|av|place|bd|boulevard|chemin|route|all[ée]e|impasse|quai|"
    r"h[ôo]tel|b[âa]timent|bat|lieu-dit|r[ée]sidence|zone|za|zi|parc|square|cours|"
    # The building and the estate above the street: "Immeuble Le Mistral", "Tour B".
    r"immeuble|tour|espace|centre|domaine|hameau|lotissement|cit[ée]|villa|esplanade|"
    r"promenade|passage|faubourg|mont[ée]e|traverse|rond-point|[ée]tage|escalier|pavillon|"
    r"technop[ôo]le|campus)\b",
    re.IGNORECASE,
)


_WRAPPABLE = frozenset(
    {Field.ORG_NAME, Field.ADDRESS, Field.MANAGER_NAME, Field.SERVICE, Field.SIGNATORY}
)
_PHONE_END = re.compile(r"\d[\d .\-]{0,16}")
_WHOLE_ADDRESS = re.compile(
    r"\b\d{5}\s+[A-Za-zÀ-ÿ'’ -]{2,}(?:\s+cedex(?:\s+\d+)?)?$", re.IGNORECASE
)
_BOXES = frozenset({"cs", "bp", "tsa", "sp", "cedex"})
# What may still follow a town: its Cedex, a box number written last.
_AFTER_TOWN = re.compile(r"^\s*(?:cedex|bp|cs|tsa)\b", re.IGNORECASE)
_TOWN = re.compile(r"[A-ZÀ-Þ][\w'’ -]{1,40}$")


def _own_name_below(field: Field | None, current: str, line: str) -> bool:
    """ "Établissement Public Médico-Social" over "Les Quatre Vents": an organisation's
    name that only says what kind of body it is, wrapped before its own name. A line
    of a building or a street ("Hôtel du Département"), or a unit ("Direction de
    l'Enfance"), stays out."""
    return (
        field is Field.ORG_NAME
        and all(word in _KIND_WORDS for word in re.split(r"[\s'’]+", fold(current)) if word)
        and line[:1].isupper()
        and len(line) <= _NAME_LINE
        and _ADDRESS_WORDS.search(line) is None
        and _UNIT.match(line) is None
        and field_for(line.strip(" :")) is None
    )


# The words that say what kind of body an organisation is, without naming it.
_KIND_WORDS = frozenset(
    {"maison", "enfants", "caractere", "social", "sociale", "medico-social", "medico-sociale",
     "etablissement", "public", "publique", "communaute", "communes", "agglomeration",
     "centre", "communal", "intercommunal", "action", "association", "foyer", "service",
     "services", "aide", "aides", "soins", "domicile", "accueil", "hebergement", "institut",
     "medico-educatif", "medico-professionnel", "departemental", "departementale",
     "syndicat", "intercommunale", "groupement", "cooperation", "sanitaire", "personnes",
     "agees", "handicapees", "adultes", "a", "au", "aux", "de", "des", "du", "d", "la", "le",
     "les", "l", "et", "en", "pour"}
)  # fmt: skip
_NAME_LINE = 60


# A name's acronym in brackets, on a line of its own: "(ASD Haut-Jura)", "(ADAPEI 72)".
_ACRONYM_GLOSS = re.compile(r"\((?=[^()]*\b[A-ZÀ-Þ]{2,}\b)[A-ZÀ-Þ][^():@]{1,50}\)")
# "… le Directeur général adjoint," / "Loïc PENNEC": a comma does not end a value either.
_CUT_SHORT = re.compile(r"(?:-|,|\s(?:et|de|du|des|la|le|les|à|au|aux|en|pour|sur|d'|l'))$")


_HAS_POSTCODE = re.compile(r"(?<!\d)\d{5}(?!\d)")
_TOWN_LINE = re.compile(r"(?:F-)?\d{5}\s+[A-ZÀ-Þ][\w'’ -]{1,40}(?:\s+cedex(?:\s+\d{1,2})?)?", re.I)
_POSTCODE_LINE = re.compile(r"(?:F-)?\d{5}\s+[A-ZÀ-Þ]|(?:BP|CS|TSA)\s*\d", re.IGNORECASE)


def _ends_with_postcode(address: str) -> bool:
    """The address stops on a postcode, not on a mail box's number ("CS 71223")."""
    words = address.replace(",", " ").split()
    return (
        bool(words)
        and re.fullmatch(r"\d{5}", words[-1]) is not None
        and (len(words) == 1 or words[-2].lower() not in _BOXES)
    )


_BLOCK_FIELDS = frozenset(
    {Field.ORG_NAME, Field.ADDRESS, Field.MANAGER_NAME, Field.MANAGER_EMAIL, Field.SERVICE,
     Field.PHONE, Field.MANAGER_ROW}
)  # fmt: skip
_BLOCK_SECTIONS = frozenset({Section.ORGANISATION, Section.MANAGER})


def _rest_of_manager_line(line: str) -> bool:
    """The line under a one-line manager carries more of it: a separator, an address,
    a phone, or words that cannot open a line of their own."""
    return (
        len(line) < 100
        and section_for(line.rstrip(" :")) is None
        and bool(
            re.search(r"\s[–—]\s|@", line)
            or _PHONE_END.fullmatch(line)
            or GOES_ON.match(line)
            or line[:1].islower()
        )
    )


_ARTICLE = re.compile(r"^(?:le|la|l['’])\s*", re.IGNORECASE)
_WRAP_WIDTH = 40  # characters of value a line holds before the page can have wrapped it
_FIRST_NAME_END = re.compile(r"\b[A-ZÀ-Þ][a-zß-ÿ]+(?:-[A-ZÀ-Þ][a-zß-ÿ]+)?$")
_FAMILY_ALONE = re.compile(r"[A-ZÀ-Þ][A-ZÀ-Þ'\-]+(?: [A-ZÀ-Þ][A-ZÀ-Þ'\-]+)?")


def _page_wrapped(field: Field, current: str, line: str) -> bool:
    """A document's line the page broke inside a value: "… la Déléguée" / "départementale,
    Florence AUGÉ", or a signatory's first name / "CASTAGNÉ". (A mail's prose is freer:
    this is for text extracted from documents only.)"""
    if field is Field.ADDRESS or field_for(line) is not None:
        return False
    if len(current) < _WRAP_WIDTH:
        # A short value stopped before the margin: what follows may be another thing,
        # doubted; but a title goes on in lower case in a narrow cell ("Le Directeur
        # général adjoint" / "chargé de la solidarité").
        return (
            field is Field.SIGNATORY
            and opens_with_a_function(_ARTICLE.sub("", current))
            and line[:1].islower()
            and not current.endswith((".", ",", ";", "!", "?"))
        )
    if line[:1].islower():
        return not current.endswith((".", ";", "!", "?"))
    return (
        field in (Field.SIGNATORY, Field.MANAGER_NAME)
        and _FIRST_NAME_END.search(current) is not None
        and _FAMILY_ALONE.fullmatch(line) is not None
    )


def _family_name_below(state: _State, line: str) -> Field | None:
    """The name (a signer's, a manager's) a document stopped on a first name, no family
    name in it, with a family name alone on the next line."""
    field = state.last_field
    if field not in (Field.SIGNATORY, Field.MANAGER_NAME) or not state.prefix_labels:
        return None
    current = state.form.values.get(field) or ""
    # "Le Vice-Président du CCAS, Thierry": the body's acronym is no family name.
    person = current.rsplit(",", 1)[-1]
    cut = (
        _FIRST_NAME_END.search(current) is not None
        and not any(is_upper_word(word) for word in person.split())
        and _FAMILY_ALONE.fullmatch(line.strip()) is not None
        and section_for(line.strip()) is None
    )
    return field if cut else None


def _continue_value(state: _State, line: str, indented: bool) -> bool:
    """A value wrapped in its cell, or an address typed on several lines, continues under its label."""
    field = state.last_field
    current = state.form.values.get(field) if field in _WRAPPABLE else None
    if (
        field is not None
        and current
        # "Nouvelle-" / "Aquitaine", "Délégation" / "des Landes": no one stops a name there
        and (
            _CUT_SHORT.search(current)
            or GOES_ON.match(line)
            # "Aide et Soins à Domicile du Haut-Jura" / "(ASD Haut-Jura)": the name's acronym.
            or (field is Field.ORG_NAME and _ACRONYM_GLOSS.fullmatch(line.strip()) is not None)
            # "Communauté de Communes" / "Cœur de Savoie": a kind of body is no name yet.
            or (state.prefix_labels and not state.fuzzy and _own_name_below(field, current, line))
            # Typed documents only: on a scan, a line of noise would be taken in unflagged.
            or (state.prefix_labels and not state.fuzzy and _page_wrapped(field, current, line))
        )
        # A typed document's cell may wrap a long name on a long line; mail prose may not.
        and len(line) < (100 if state.prefix_labels and not state.fuzzy else 60)
        and ":" not in line
        and "@" not in line
        and section_for(line.rstrip(" :")) is None
        # "Dénomination | ACME" / "de l'organisme": the label's second line, not the value's.
        and not ends_a_label(line, field)
    ):
        joined = current + ("" if current.endswith("-") else " ") + line
        state.form.values[field] = clean_value(joined) or joined
        return True
    if (cut := _family_name_below(state, line)) is not None:
        # "Par | La Directrice territoriale, Catherine" / "MOUNOT": the cell may have
        # wrapped the name, or the line may be a stamp's. Not joined blind: doubted.
        state.form.unreadable.add(cut)
        return False
    if field is Field.MANAGER_ROW and state.manager_line and _rest_of_manager_line(line):
        # "Anne ROUX – a@x.fr – Direction administrative et" / "financière – Tél. 05 …"
        for key in MANAGER_FIELDS:
            state.form.values.pop(key, None)
        # "Tél. 05 … – x@y.fr" under "Anne ROUX – Pôle RH": a piece of its own, not the
        # service's end.
        joint = " – " if _PART_LABEL.match(line.strip()) else " "
        state.manager_line = f"{state.manager_line}{joint}{line}"
        _manager_row(state, _manager_parts(state.manager_line))
        return True
    phone = state.form.values.get(Field.PHONE)
    if (
        field in (Field.PHONE, Field.MANAGER_ROW)
        and phone
        and _PHONE_END.fullmatch(line)
        and len(re.sub(r"\D", "", phone)) < 10  # "07 62 82 36" / "04": the page wrapped it
    ):
        state.form.values[Field.PHONE] = f"{phone} {line}"
        return True
    if (
        state.last_field is not Field.ADDRESS
        and state.address_beside_row == state.row - 1
        and _TOWN_LINE.fullmatch(line.strip())
        and not _HAS_POSTCODE.search(state.form.values.get(Field.ADDRESS) or "")
    ):
        address = state.form.values[Field.ADDRESS].rstrip(" ,")
        state.form.values[Field.ADDRESS] = f"{address}, {clean_value(line.strip()) or line.strip()}"
        return True
    if state.last_field is not Field.ADDRESS:
        return False
    if "@" in line:
        return False
    town = _ends_with_postcode(state.form.values.get(Field.ADDRESS) or "") and _TOWN.match(line)
    # "Avenue de l'Europe" / "Regourd" / "46005 Cahors Cedex 9": a locality above the town.
    locality = _TOWN.match(line) is not None and _POSTCODE_LINE.match(state.following) is not None
    # "6200 Châtelet" / "Belgique": a partner abroad ends the address on its country.
    country = _COUNTRY.fullmatch(line.strip()) is not None
    if (
        not indented
        and not town
        and not locality
        and not country
        and (":" in line or len(line) > 80 or not _ADDRESS_WORDS.search(line))
    ):
        return False
    if section_for(line.rstrip(" :")) is not None:
        return False
    current = (state.form.values.get(Field.ADDRESS) or "").rstrip(" ,")
    if _WHOLE_ADDRESS.search(current) and not country and not _AFTER_TOWN.match(line):
        return False  # "… 35700 Rennes" / "2. Référent formation": the next block's heading
    line = clean_value(line.strip(" \t_")) or ""  # the form's dotted line, not the writer's
    state.form.values[Field.ADDRESS] = (
        f"{current}{_address_joint(current, line)}{line}" if current and line else current or line
    )
    return True


_COUNTRY = re.compile(
    r"(?i)france|belgique|belgium|suisse|switzerland|schweiz|luxembourg|monaco|allemagne|"
    r"germany|deutschland|espagne|spain|italie|italy|portugal|pays-bas|netherlands|"
    # Overseas, written after the town as a country is: "98713 Papeete" / "Polynésie française".
    r"polyn[ée]sie\s+fran[cç]aise|nouvelle-cal[ée]donie|wallis(?:[\s-]et[\s-]futuna)?|"
    r"saint-pierre-et-miquelon|saint-barth[ée]lemy|la\s+r[ée]union|guadeloupe|martinique|"
    r"guyane(?:\s+fran[cç]aise)?|mayotte"
)


def _address_joint(current: str, line: str) -> str:
    """What goes between an address so far and its next line: a postcode and its town
    ("33074" / "Bordeaux Cedex"), a town and its Cedex ("Bordeaux" / "Cedex") are one line
    of an address the page wrapped, not two."""
    wrapped = _ends_with_postcode(current) or re.match(r"cedex\b", line, re.IGNORECASE)
    return " " if wrapped else ", "


# ---------------------------------------------------------------- label assignment


# A purchase order's line: "Désignation | Quantité | Prix unitaire | Montant" over
# "Web-séminaire … | 2 | 635,00 € | 1 270,00 €". The other headings it may carry:
_ORDER_HEADINGS = frozenset(
    {"designation", "libelle", "description", "objet", "prestation", "reference", "ref",
     "prix unitaire", "prix unitaire ht", "pu", "pu ht", "tarif", "tarif unitaire", "tva",
     "taux de tva", "montant ht", "unite"}
)  # fmt: skip


def _read_order_line(state: _State, cells: list[str]) -> bool:
    """A line-item table's heading, then its one line: the count under "Quantité", the
    total under "Montant". Only a heading whose every cell is known, with both."""
    columns, state.order_columns = state.order_columns, None
    if columns is not None and len(cells) == len(columns):
        for cell, column in zip(cells, columns, strict=True):
            if column in (Field.COUNT, Field.TOTAL) and cell.strip():
                state.form.labels_seen.add(column)
                _put(state, column, cell)
        return True
    filled = [c for c in cells if c.strip()]
    if len(filled) < 3:
        return False
    heading: list[Field | None] = []
    for cell in cells:
        found = field_for(cell.strip(" :"), state.fuzzy) if cell.strip() else None
        if found not in (Field.COUNT, Field.TOTAL) and cell.strip():
            if normalise_label(cell) not in _ORDER_HEADINGS:
                return False
            found = None
        heading.append(found)
    if Field.COUNT not in heading or Field.TOTAL not in heading:
        return False
    state.order_columns = heading
    return True


# "Coordonnées" may hold an address, a phone, an e-mail or all three: an address only
# when that is all it holds.
_CONTACT_DETAILS = frozenset(
    {"coordonnees", "coordonnees de la structure", "coordonnees de l etablissement",
     "coordonnees de l organisme", "coordonnees de l association"}
)  # fmt: skip
_POSTCODE_TOWN = re.compile(r"\b\d{5}\s+[A-Za-zÀ-ÿ]")
_PHONE_LIKE = re.compile(r"(?:\d[\s.]?){9}\d|\+\s?\d")


# A street line's start, "12 rue …", "3 bis, avenue …" (the reading's place check uses it too).
STREET = (
    r"\d{1,4}\s*(?:bis|ter)?\s*,?\s*(?:rue|avenue|av\.?|bd|boulevard|place|chemin|route|"
    r"all[ée]e|impasse|quai|cours|square|esplanade|rond-point|faubourg|voie|sentier)\b"
)
_STREET = re.compile(rf"^\s*{STREET}", re.IGNORECASE)
_BUILDING = re.compile(
    r"^(?:maison|h[ôo]tel|immeuble|b[âa]timent|b[âa]t\.?|r[ée]sidence|espace|cit[ée]|parc|zone|"
    r"z\.?[ai]\.?|lieu-dit|centre administratif|p[ôo]le administratif|tour|villa|domaine)\b",
    re.IGNORECASE,
)
_NAME_THEN_ADDRESS_LINE = re.compile(
    rf"^(?P<name>[^,\d]{{3,}}),\s*(?P<address>{STREET}[^@]*\b\d{{5}}\s+[^\W\d][^,@\d]*)$",
    re.IGNORECASE,
)


def _postal_only(value: str, following: str) -> bool:
    """Whether the value is an address and nothing else (its town may be on the next line)."""
    town_below = _POSTCODE_LINE.match(following) is not None
    return (
        bool(_POSTCODE_TOWN.search(value) or _STREET.match(value) or town_below)
        and "@" not in value
        and _PHONE_LIKE.search(value) is None
    )


def _assign(state: _State, label: str, value: str, *, in_row: bool = False) -> bool:
    """Put ``value`` where ``label`` says, given the section we are in; False if unknown."""
    in_list = state.section in (Section.PARTICIPANT, Section.PARTICIPANTS)
    column = column_for(label, state.fuzzy) if in_list and state.columns is None else None
    # "Civilité : Mme" / "Prénom : Claire" / … one block per participant, opened by a
    # label no other part of the form uses ("Nom et prénom du contact" is the manager's);
    # a column filled again starts the next block.
    # In a table row, "NOM | Adresse 6-mail de" is a header OCR damaged, not a pair.
    opens = (
        not in_row
        and state.section is Section.PARTICIPANTS
        and column in (Field.CIVILITY, Field.FIRST_NAME, Field.LAST_NAME)
        and field_for(label, state.fuzzy) is None
    )
    # "NOM : Adresse e-mail de connexion" is the table's header read as a pair, no value.
    header = column_for(value, state.fuzzy) is not None
    if column in _PERSON_COLUMNS and (state.person is not None or opens) and not header:
        if state.person is None or _has(state.person, column):
            _close_person(state)
            state.person = RawPerson()
        _person_cell(state.person, column, value)
        return True
    if section_for(label, state.fuzzy) is Section.PARTICIPANT and clean_value(value):
        # "Participant 1 : Mme Claire DUPONT - c.dupont@x.fr"
        _enter(state, Section.PARTICIPANT)
        person = parse_person_line(value)
        if person is not None:
            _add_person(state, person)
            return True
        return False
    if _two_fields(state, label, value):
        return True
    found = field_for(label, state.fuzzy)
    if found is None:
        column = column_for(label, state.fuzzy)
        section = section_for(label, state.fuzzy)
        # "Participant : Mme Agnès TRONCHE – …" under the manager's block opens the list:
        # no second name for the manager.
        heading = section in (Section.PARTICIPANTS, Section.PARTICIPANT)
        if not heading and _named_in_section(state, column, value):
            return True
        if column in (Field.FIRST_NAME, Field.LAST_NAME, Field.CIVILITY):
            return True  # a participant cell outside a block: nothing to attach it to
        if normalise_label(label) in _CONTACT_DETAILS and _postal_only(value, state.following):
            # "Coordonnées : 14 rue du Clos Courtel, 35700 Rennes": only where it is.
            return _assign(state, "Adresse postale", value)
        if section is not None and not clean_value(value):
            _enter(state, section)
            return True
        if section is Section.ORGANISATION:
            # "Établissement : Foyer Les Glycines": the section's heading carries the name.
            _enter(state, section)
            return _assign(state, "Dénomination", value)
        if section is Section.PARTICIPANTS and (people := _listed_people(value)):
            # "Participants : Mme Laure PICARD (l.picard@x.fr), M. Hervé COSTE (…) et …"
            _enter(state, section)
            state.form.participants.extend(people)
            return True
        if section is Section.PARTICIPANTS and (person := _named_alone(value)) is not None:
            # "Participante : Mlle Pauline THOMAS", her address labelled on the next line.
            _enter(state, section)
            _add_person(state, person)
            return True
        return False
    if found is Field.SIGNATORY and not clean_value(value) and section_for(label) is not None:
        _enter(state, Section.SIGNATURE)
        return True
    if found in (Field.ORG_NAME, Field.MANAGER_NAME) and not clean_value(value):
        # "Gestionnaire de l'inscription :" with nothing after it: the block's heading.
        section = section_for(label, state.fuzzy)
        if section is not None:
            _enter(state, section)
            return True
    if state.section is Section.ASIDE and found in (*MANAGER_FIELDS, Field.MANAGER_ROW):
        state.last_field = None  # the second contact's e-mail is not the manager's
        return True
    if _signing_date(state, found, label):
        found = Field.SIGNED_DATE
    if found is Field.PLACE and ("@" in value or "<" in value):
        return False  # "À : Anne <a@x.fr>" is a forwarded mail's header, not "Fait à"
    state.form.labels_seen.add(found)
    if found is Field.SESSION:
        if not _read_checkbox(state, value):
            state.form.session_lines.append(value)
        state.last_field = found
        return True
    pieces = "@" in value or _PHONE_LIKE.search(value) is not None or _name_then_more(value)
    if found is Field.MANAGER_ROW or (found is Field.MANAGER_NAME and pieces):
        # "Gestionnaire de l'inscription : Anne ROUX – a.roux@x.fr – Direction – Tél. 05 …"
        if not MANAGER_FIELDS & state.form.values.keys():
            _read_manager_line(state, value, _manager_parts(value))
        else:
            _contact_details(state, _manager_parts(value))
        return True
    if value.rstrip().endswith(":") and (
        section_for(value.rstrip(" :"), state.fuzzy) or field_for(value.rstrip(" :"), state.fuzzy)
    ):
        # "Par (nom du signataire) : Signature :": the next label, the field left blank.
        state.last_field = found
        return True
    known = state.form.values.get(found)
    aside = _LABEL_ASIDE.search(label) if found is Field.TOTAL else None
    if aside is not None:
        # "Coût total (2 agents à 625 € par personne) : 1 250 €": the count in the label.
        value = f"{value} ({aside['aside']})"
    _put(state, found, value)
    # A label met again whose value is not taken (a stamp's "Service d'aide" / "à
    # domicile" under the signature) takes its wrapped lines with it: they must not
    # go on the value read first.
    kept = known is not None and state.form.values.get(found) is known
    state.last_field = None if kept else found
    return True


def _two_fields(state: _State, label: str, value: str) -> bool:
    """ "Courriel / Tél. : a.roux@x.fr / 05 56 …": two labels in one, their values in the
    same order. Only when each half is a label of its own field and the value falls in as
    many parts (a bilingual "Courriel / Email" is one field)."""
    halves = label.split(" / ")
    parts = value.split(" / ")
    if len(halves) != 2 or len(parts) != 2:
        return False
    fields = [exact_field(half) for half in halves]
    if None in fields or fields[0] is fields[1] or {Field.SESSION, Field.MANAGER_ROW} & {*fields}:
        return False
    for half, part in zip(halves, parts, strict=True):
        _assign(state, half, part.strip())
    return True


def _signing(state: _State) -> bool:
    """In the signing block, or past the amounts that come just before it."""
    return (
        state.section is Section.SIGNATURE
        or bool(state.form.labels_seen & {Field.PLACE, Field.TOTAL, Field.COUNT})
        or state.form.declared_total is not None  # told in a sentence, with no label
    )


# "=B29*625", "=COUNTA(D20:D27)": a spreadsheet's formula, shown when nothing computed it.
FORMULA = r"=[ \t]*(?:[A-Z]{1,3}\$?\d|[A-Z][A-Z.]+\()"
_FORMULA = re.compile(rf"\s*{FORMULA}")
_TOTAL_AFTER_COUNT = re.compile(
    r"^\s*\d{1,3}\b\D*?(?P<total>\d[\d \u00a0\u202f.,]*\s*(?:€|euros?\b|eur\b).*)$", re.IGNORECASE
)


_LABEL_ASIDE = re.compile(r"\((?P<aside>[^()]*\d[^()]*)\)")


def _put(state: _State, found: Field, value: str) -> None:
    """A label's value where it belongs: the amounts have their own reading."""
    if found in (Field.TOTAL, Field.COUNT) and _FORMULA.match(value):
        return  # "=B29*625": a spreadsheet formula nobody computed holds no amount
    if found is Field.TOTAL:
        _read_total_value(state, value)
    elif found is Field.COUNT:
        if state.form.declared_count is None:
            state.form.declared_count = parse_count(value)
            if state.form.declared_count is None and _written(value):
                state.form.unreadable.add(Field.COUNT)  # "III", "une dizaine"
        total = _TOTAL_AFTER_COUNT.search(value)
        if total is not None:  # "Nombre de participants : 2, soit 1 250 €"
            _read_total_value(state, total.group("total"))
    else:
        _set(state, found, value)
        if found is Field.SIGNED_DATE and Field.PLACE in state.form.values and not state.fuzzy:
            # "Fait à : X" / "Le : D" and the signer under them, unlabelled, as under
            # "Fait à X, le D". Not on a scan: there the stamp's words come next.
            state.dated_row = state.row


# Where one person of a written list ends: right after an address, before ", " or " et ".
_AFTER_ADDRESS = re.compile(r"(?<=[\w)>\]])\s*(?:[,;]\s*(?:et\s+)?|\s+et\s+)(?=\S)")


# "Merci d'inscrire Mme Odile FERRER (o.ferrer@x.fr) et M. …": people asked for in prose.
_ENROLS = re.compile(r"\binscri(?:re|vons|vez|s|t)\b", re.IGNORECASE)
_SWAPS = re.compile(r"rempla[cç]|[àa] la place|au lieu|annul|d[ée]sinscri", re.IGNORECASE)
_CIVILITY_NAME_ADDRESS = re.compile(
    r"\b(?:Mme|Mlle|Melle|Mr|M\.|Madame|Mademoiselle|Monsieur)\s+[^,;:()<>\[\]@]{2,60}?"
    r"\s*[(<\[]\s*[^\s()<>\[\]@]+@[^\s()<>\[\]]+\s*[)>\]]"
)


def _read_enrolment(state: _State, line: str) -> bool:
    """A sentence that enrols people by name, each with an address in brackets."""
    if not _ENROLS.search(line) or _SWAPS.search(line):
        return False
    people = [parse_person_line(m.group(0)) for m in _CIVILITY_NAME_ADDRESS.finditer(line)]
    if not people or not all(p is not None and p.last_name and p.email for p in people):
        return False
    _close_person(state)
    state.form.participants.extend(p for p in people if p is not None)
    return True


def _listed_people(value: str) -> list[RawPerson]:
    """Every person of a one-line list, each with an address; nothing if one does not read."""
    chunks: list[str] = []
    for chunk in (chunk.strip(" .") for chunk in _AFTER_ADDRESS.split(value.strip())):
        if chunks and "@" not in chunks[-1] and _ADDRESS_ALONE.match(chunk):
            chunks[-1] += f", {chunk}"  # "Mlle Manon ROQUES, m.roques@x.fr": her own address
        else:
            chunks.append(chunk)
    if not all("@" in chunk for chunk in chunks):
        return []  # "Mme X, directrice, et M. Y": commas inside a person, not a list
    people = [parse_person_line(chunk) for chunk in chunks]
    return [p for p in people if p is not None] if all(people) else []


def _named_in_section(state: _State, column: Field | None, value: str) -> bool:
    """ "ORGANISME / Nom : Département X", "INTERLOCUTEUR / Prénom : Anne / Nom : ROUX":
    a name label under a section heading names that section's organisation or manager."""
    cleaned = clean_value(value)
    if cleaned is None or column not in (Field.FIRST_NAME, Field.LAST_NAME, Field.FULL_NAME):
        return False
    if state.section is Section.ORGANISATION and column is not Field.FIRST_NAME:
        _set(state, Field.ORG_NAME, cleaned)
        state.form.labels_seen.add(Field.ORG_NAME)
        return True
    if state.section is not Section.MANAGER:
        return False
    state.form.labels_seen.add(Field.MANAGER_NAME)
    known = state.form.values.get(Field.MANAGER_NAME)
    if known is None:
        state.form.values[Field.MANAGER_NAME] = cleaned
    elif len(known.split()) == 1 and column is not Field.FULL_NAME:
        # The first name and the family name on two lines, in either order.
        parts = (cleaned, known) if column is Field.FIRST_NAME else (known, cleaned)
        state.form.values[Field.MANAGER_NAME] = " ".join(parts)
    return True


_PERSON_COLUMNS = (Field.CIVILITY, Field.FIRST_NAME, Field.LAST_NAME, Field.FULL_NAME, Field.EMAIL)


def _has(person: RawPerson, column: Field) -> bool:
    if column is Field.CIVILITY:
        return person.civility is not None or person.civility_written is not None
    if column is Field.FULL_NAME:
        return person.first_name is not None or person.last_name is not None
    attribute = {Field.FIRST_NAME: "first_name", Field.LAST_NAME: "last_name"}.get(column, "email")
    return getattr(person, attribute) is not None


# A form's heading may name the training body ("Organisme : Institut de la Performance
# Publique – ipp@ipp.fr"): that is IPP, never the organisation that registers.
_TRAINING_BODY = re.compile(r"performance publique|\bipp@ipp\.fr\b")


def _set(state: _State, target: Field, value: str) -> None:
    # A cell typed on several lines (an address) is one value, lines joined by ", ";
    # a line's leading or trailing "___" is the form's dotted line, not the writer's.
    value = _ENGLISH_HALF.sub("", value, count=1)
    # Each line may end on the dotted line it was typed on ("14 rue X ..........").
    lines = [line for x in value.splitlines() if (line := clean_value(x.strip(" \t_")))]
    # A name wrapped in its cell goes on in lower case ("…Public" / "de la Haute-Garonne").
    cleaned = clean_value(", ".join(lines) if target is Field.ADDRESS else join_cell_lines(lines))
    if target is Field.ADDRESS and cleaned is not None:
        cleaned = _postal(cleaned)
    if cleaned is None:
        return
    if target in (Field.ORG_NAME, Field.MANAGER_EMAIL) and _TRAINING_BODY.search(fold(cleaned)):
        return  # "Fournisseur : IPP … Mél : ipp@ipp.fr": the seller's, never the client's
    joined = _NAME_THEN_ADDRESS_LINE.match(cleaned) if target is Field.ORG_NAME else None
    if joined is not None and _BUILDING.match(joined["name"]):
        joined = None  # "Maison des services, 12 place du Fronton, …": the address's first line
    if joined is not None and Field.ADDRESS not in state.form.values:
        # "Organisme : SSIAD du Pays de Pontivy, 6 rue du Fil, 56300 Pontivy": the name,
        # then the whole address after it, as an envelope's lines run together.
        cleaned = joined["name"]
        _set(state, Field.ADDRESS, joined["address"])
    known = state.form.values.get(target)
    plainly = not state.reading_run_in and target in state.run_in | state.provisional
    if known is None or _replaces_cover_letter(state, target) or plainly:
        state.provisional.discard(target)
        state.form.values[target] = cleaned
        if state.section is None:
            state.before_form.add(target)
        else:
            state.before_form.discard(target)
        if state.reading_run_in:
            state.run_in.add(target)
        else:
            state.run_in.discard(target)
    elif fold(known) != fold(cleaned):
        state.form.restated.add(target)


# "12 rue de la Fonderie, 25000 BESANÇON, SIRET : 775 612 403 00045": the identifiers
# an office types into its address cell are no part of where the invoice is posted (the
# SIRET is read for the invoice on its own).
_IDENTIFIER_PART = re.compile(
    r"^(?:n[°o]\s*)?(?:siret|siren|tva\b|n[°o]?\s*tva|code\s+(?:ape|naf)|ape\b|naf\b|finess)"
    r"[^,]*\d[^,]*$",
    re.IGNORECASE,
)


def _postal(address: str) -> str:
    parts = [part for part in address.split(", ") if not _IDENTIFIER_PART.match(part.strip())]
    return ", ".join(parts) if parts else address


def _replaces_cover_letter(state: _State, target: Field) -> bool:
    """Whether the value read now is the form's own, in place of one read before the form.

    The organisation's and the manager's are written under their headings: a
    "Tél. :" after the participants is the signature block of whoever sent the mail.
    """
    if target not in state.before_form or state.section is None:
        return False
    return target not in _BLOCK_FIELDS or state.section in _BLOCK_SECTIONS


# What may name a piece of the line; "Service RH" is a service, "Service : RH" names it.
# A whole word only: "Mélanie COUTANT" opens with "Mél".
_PART_LABEL = re.compile(
    r"^(?:(?:t[ée]l[ée]?(?:phone)?|portable|mobile|(?:adresse\s+)?(?:e-?)?mail|m[ée]l|courriel)\b"
    r"\.?\s*:?"
    r"|service\s*:)\s*",
    re.IGNORECASE,
)
_NAME_AND_ADDRESS = re.compile(
    r"^(?P<name>[^@]*?)\s*[(<]\s*(?P<address>[^\s()<>]+@[^\s()<>]+)\s*[)>]$"
)


# (separator, what joins the service's pieces back), strongest first.
_MANAGER_SEPARATORS = (
    (r"\s*[–—;|]\s*", " "),
    (r"\s+/\s+", " / "),  # "Romain GABORIAU / r.g@x.fr / 07 81 22 94 50"
    (r"\s+-\s+", " - "),
    (r",\s+", ", "),
)


# "(f.lebon@x.fr – 05 49 …)", "(Pôle enfance, tél. 01 43 …)": an address or a phone inside.
_CONTACT_IN_BRACKETS = re.compile(
    r"\s*\((?P<inner>[^()]*(?:@|\d\d[\s.]?\d\d[\s.]?\d\d[\s.]?\d\d)[^()]*)\)\s*"
)
_ANY_SEPARATOR = re.compile(r"\s*[–—;|,]\s*|\s+[-/]\s+")


def _manager_parts(value: str) -> list[str]:
    """The manager's name, address, service and phone written in one line.

    Split on the strongest separator the line uses, so that "Fédération - service
    qualité" between en dashes stays one service; what is neither the name, an
    address nor a phone is the service, its pieces joined back.
    """
    # "Franck LEBON, service budget (f.lebon@x.fr – 05 49 06 79 79)": the contact details
    # in brackets are pieces of their own, whatever separates the rest.
    bracketed = _CONTACT_IN_BRACKETS.search(value)
    inner: list[str] = []
    if bracketed is not None:
        inner = [p for p in _ANY_SEPARATOR.split(bracketed["inner"]) if p.strip()]
        value = (value[: bracketed.start()] + " " + value[bracketed.end() :]).strip(" ,")
    parts, joiner = next(
        ((parts, joiner) for separator, joiner in _MANAGER_SEPARATORS
         if len(parts := re.split(separator, value)) > 1),
        ([value], " "),
    )  # fmt: skip
    parts += inner
    names: list[str] = []
    others: list[str] = []
    for raw in parts:
        part = _PART_LABEL.sub("", raw.strip(" -–—"))  # "- - Tél.": an empty piece's dash
        joined = _NAME_AND_ADDRESS.match(part)  # "Anne ROUX (a.roux@x.fr)"
        if joined:
            names.append(joined["name"])
            others.append(joined["address"])
        elif "@" in part or _PHONE.match(part):
            others.append(part)
        elif phoned := _PHONE_THEN_SERVICE.match(part):  # "05 49 55 66 21 (Direction X)."
            others.append(phoned["phone"])
            names.append(phoned["service"])
        elif part:
            names.append(part)
    service = joiner.join(names[1:])
    return [*names[:1], *others, *([service] if service else [])]


_PHONE_THEN_SERVICE = re.compile(
    r"^(?P<phone>[+()\d][\d\s.+\-]{7,}(?:\s*(?:poste|ext\.?|p\.)\s*\d+)?)\s*"
    r"\((?P<service>[^()\d]{3,})\)\s*\.?$",
    re.IGNORECASE,
)


def _contact_details(state: _State, parts: list[str]) -> None:
    """ "Interlocuteur : Karim BENSAÏD" then "Contact : k.bensaid@x.org / 05 53 …": the
    address and the phone of the manager already named, when nothing else is on the line."""
    if state.last_field not in MANAGER_FIELDS:
        return  # further down, a "Contact :" is a signature's
    pieces = [_PART_LABEL.sub("", part.strip()) for part in parts]
    if not all(_ADDRESS_ALONE.match(p) or _PHONE.match(p) for p in pieces):
        return
    for piece in pieces:
        found = Field.MANAGER_EMAIL if "@" in piece else Field.PHONE
        if found not in state.form.values:
            _set(state, found, piece)


def _name_then_more(value: str) -> bool:
    """ "Bénédicte GAUTIER – Pôle offre médico-sociale": a name, then what is not one."""
    if not _STRONG_BREAK.search(value):
        return False
    parts = _manager_parts(value)
    return len(parts) >= 2 and _a_person(parts[0])


_STRONG_BREAK = re.compile(r"\s[–—|-]\s|;")


def _read_manager_line(state: _State, line: str, parts: list[str]) -> None:
    """The manager's pieces written on one line; the line is kept, should the page have
    wrapped it onto the next."""
    state.manager_line = line
    _manager_row(state, parts)
    state.last_field = Field.MANAGER_ROW


def _manager_row(state: _State, cells: list[str]) -> None:
    """ "Gestionnaire | Antoine FERRAND | a.f@x.fr | Direction | 05 …": sort cells by look."""
    state.form.labels_seen.add(Field.MANAGER_ROW)
    names: list[str] = []
    for cell in cells:
        text = _PART_LABEL.sub("", cell.strip())  # "Tél 02 40 73 19 55", "Mél : a@x.fr"
        if not text:
            continue
        if "@" in text:
            _set(state, Field.MANAGER_EMAIL, text)
        elif _PHONE.match(text):
            _set(state, Field.PHONE, text)
        else:
            names.append(text)
    if not names:
        return
    name, service = names[0], names[1] if len(names) > 1 else None
    # "Corentin LE FLOCH (Direction) – secretariat@…": the brackets hold the service.
    bracketed = _BRACKETED_SERVICE.fullmatch(name)
    if bracketed is not None:
        name, service = bracketed["name"], service or bracketed["service"]
    _set(state, Field.MANAGER_NAME, name)
    if service:
        _set(state, Field.SERVICE, service)


_BRACKETED_SERVICE = re.compile(r"(?P<name>[^()]+?)\s*\((?P<service>[^()\d@]{3,60})\)")


# ---------------------------------------------------------------- tables


_SIGNING_FIELDS = frozenset({Field.PLACE, Field.SIGNED_DATE, Field.SIGNATORY})

# The header of a label/value table: it ends a participant table above it.
_TABLE_HEADINGS = frozenset({
    "rubrique", "rubriques", "renseignement", "renseignements", "champ", "valeur", "information",
    "informations", "libelle", "donnees", "element", "elements", "detail", "details",
})  # fmt: skip


def _read_cells(state: _State, cells: list[str]) -> None:
    if _read_roster(state, cells):
        return
    if _read_order_line(state, cells):
        return
    # "Fait à | Mérignac | Signature et cachet": the heading of the next block, not the town.
    kept = [c for c in cells if c and section_for(c) is not Section.SIGNATURE]
    joined = " ".join(kept)
    if _read_mark_after(state, joined) or _read_yes_no(state, cells):
        return
    # The cells apart: "Fait à : Vannes | En date du : 7 septembre 2026" is two values.
    if _read_total_formula(state, joined) or _read_fait_a(state, "\t".join(kept)):
        state.columns = None
        return
    # "1) Civilité : Mme | Prénom : Fanny | NOM : SOULIER | E-mail : …": a person whose
    # every piece names its column, typed with bars between them.
    filled = [c for c in cells if c.strip()]
    pieces = len(filled) >= 3 and all(":" in c for c in filled)
    if pieces and _read_labelled_person(state, " | ".join(filled)):
        return
    heading = _heading_beside_pairs(cells, state.fuzzy)
    if heading is not None:
        _enter(state, heading)
        _read_cells(state, cells[1:])
        return
    header_cells = _numbered_heading(cells)
    header = _header_columns(header_cells, state.fuzzy)
    if header is None and header_cells is not cells:
        header_cells = cells
        header = _header_columns(cells, state.fuzzy)
    if header is not None:
        _close_person(state)
        state.columns = header
        state.section = Section.PARTICIPANTS
        state.family_first = any(
            column is Field.FULL_NAME and normalise_label(cell).startswith("nom")
            for cell, column in zip(header_cells, header, strict=False)
        )
        return
    first = field_for(cells[0], state.fuzzy)
    # "[X] jeudi 18 mars 2027 | [ ] vendredi 8 octobre 2027" under the list: the session's
    # boxes, no one's row.
    boxes = "   ".join(c.strip() for c in cells if c.strip()) if state.columns is not None else ""
    if boxes and _BOX_MARK.match(boxes) and find_dates(boxes, 2026):
        state.columns = None
        _read_line(state, boxes)
        return
    if state.columns is not None and (
        first in _SIGNING_FIELDS or section_for(cells[0], state.fuzzy) is Section.SIGNATURE
    ):
        # "Signature et cachet | Sr" (a scribble read as letters): the signing block, not
        # one more person; the list ended above it.
        state.columns = None
        if first is None:
            return
    if state.columns is not None and _TABLE_HEADINGS.issuperset(
        normalise_label(c) for c in cells if c.strip()
    ):
        state.columns = None  # "Rubrique | Renseignement": a label/value table begins
        return
    # "ÉTABLISSEMENT PAYEUR | CCAS de Saint-Dizier" after the list: the label and its
    # value, no one's row.
    labelled = len(filled) <= 2 and exact_field(cells[0].rstrip(" :")) is not None
    if state.columns is not None and (first is None or first is Field.ORG_NAME) and not labelled:
        _table_person(state, cells)
        return
    if state.columns is not None and len(filled) <= 2:
        state.columns = None  # "Nombre de participants | 3": the list is over
    if first is Field.MANAGER_ROW:
        _manager_row(state, cells[1:])
        return
    if first is Field.SESSION:
        _assign(state, cells[0], " ".join(cells[1:]))
        return
    if _read_sum_row(state, filled):
        return
    if len(filled) >= 3 and section_for(cells[0].rstrip(" :"), state.fuzzy) is Section.PARTICIPANT:
        # "Participant 1 | M. Mathieu CHARPENTIER | m.charpentier@x.fr": one person's
        # cells after the label, the address as much as the name.
        _assign(state, cells[0].rstrip(" :"), "  ".join(c.strip() for c in cells[1:] if c.strip()))
        return
    if state.columns is None and _read_pairs_in_cells(state, cells):
        return
    handled = False
    # "Téléphone | : | 05 …": a colon the OCR or the layout put in a cell of its own
    # sits between a label and its value, and must not be taken for the value.
    cells = [c for c in cells if not (c.strip() and not c.strip(" :"))]
    pairs, tail = _label_value_pairs(cells, state.fuzzy)
    for label, value in pairs:
        if _assign(state, label.rstrip(" :"), value, in_row=True):
            handled = True
            if state.last_field is Field.ADDRESS:
                state.address_beside_row = state.row
        elif handled and state.fuzzy and state.last_field is not None and not _speck(label):
            # "Service | Pôle | enfance-famille | PR": on a scan, words the gap set apart
            # after a value may be its end as well as a stamp's; a person looks.
            state.form.trailed.add(state.last_field)
    field = state.last_field
    if handled and tail is not None and _read_spaced_pair(state, tail):
        return
    if handled and tail is not None and field is not None and _value_split(state, field, tail):
        # "Par | … le Directeur, Olivier | BASTIDE": the value's end in a cell of its own,
        # set apart by a gap on the page; read without it, the name would pass cut short.
        state.form.trailed.add(field)
    filled = [c for c in cells if c.strip()]
    if (
        not handled
        and state.last_field is Field.ADDRESS
        and len(filled) == 2
        and not _ADDRESS_WORDS.search(filled[0])
        and not _speck(filled[1])
    ):
        # "SIRET | 228 700 013 00019", "N° EJ | 2026-…": a field of the form's own that
        # we do not read ends the value above; it is not the address going on.
        state.last_field = None
    if not handled and state.last_field is Field.ADDRESS and _address_going_on(state, filled):
        return
    if not handled and not _read_person_line(state, "  ".join(c for c in cells if c)):
        _read_line(state, " ".join(cells))


def _read_sum_row(state: _State, filled: list[str]) -> bool:
    """ "TOTAL | 3 | 1 905,00 €" under the list: the head count, then the amount."""
    if len(filled) != 3 or not is_total_row(filled[:1]):
        return False
    count, amount = filled[1].strip(), filled[2]
    if not re.fullmatch(r"\d{1,3}(?:[.,]0+)?", count) or parse_amount(amount) is None:
        return False
    _assign(state, "Nombre de participants", count)
    _assign(state, "Montant total", amount)
    return True


def _read_spaced_pair(state: _State, cell: str) -> bool:
    """ "Service | Direction RH | Téléphone  04.94.50.13.78": the row's last cell holds a
    label and its value, set apart by spaces the scan kept in one cell."""
    parts = re.split(r"\s{2,}", cell.strip(), maxsplit=1)
    if len(parts) != 2 or exact_field(parts[0].rstrip(" :")) is None:
        return False
    return _assign(state, parts[0].rstrip(" :"), parts[1], in_row=True)


def _read_roster(state: _State, cells: list[str]) -> bool:
    """A roster's header, or one of its rows: a participant and the organisation's values."""
    if state.roster is not None:
        if not is_total_row(cells) and sum(1 for c in cells if c.strip()) >= _ROSTER_CELLS:
            state.roster.read_row(cells)
            _table_person(state, cells)
            return True
        state.roster = state.columns = None  # the sheet's sum, or what follows the list
        return is_total_row(cells)
    roster = roster_header(cells)
    if roster is None:
        return False
    _close_person(state)
    state.roster = roster
    state.rosters.append(roster)
    state.columns = roster.person_columns
    state.section = Section.PARTICIPANTS
    return True


_ROSTER_CELLS = 3  # fewer filled cells than this under a roster: its list is over


def _address_going_on(state: _State, cells: list[str]) -> bool:
    """ "455 avenue du Prado | 13008 Marseille" under the address: its next lines, which a
    text layer set side by side."""
    if any(
        "@" in cell or _split_label(cell)[0] is not None or field_for(cell, state.fuzzy)
        for cell in cells
    ):
        return False
    if not _continue_value(state, cells[0], False):
        return False
    for cell in cells[1:]:
        _continue_value(state, cell, True)
    return True


def _read_pairs_in_cells(state: _State, cells: list[str]) -> bool:
    """A row whose cells each hold a label and its value ("Service : RH | Téléphone : 05 …"),
    or an address whose lines a text layer set apart by a gap ("Adresse : 455 avenue du
    Prado | 13008 Marseille", "Adresse | 2 rue X | 13008 Marseille"): read whole, never
    one cell taken for the label of the next."""
    filled = [c for c in cells if c.strip()]
    if len(filled) < 2:
        return False
    label, value = _split_label(filled[0])
    label = label if label is not None else filled[0].rstrip(" :")
    field = field_for(label, state.fuzzy)
    rest = [(cell, _split_label(cell)[0]) for cell in filled[1:]]
    if field is None:
        return False
    labelled = _split_label(filled[0])[0] is not None
    if (value or labelled) and all(
        named is not None and field_for(named, state.fuzzy) is not None for _, named in rest
    ):
        # "Tél. fixe : | Messagerie : x@y": a label left empty, then a pair of its own.
        for cell in filled if value else filled[1:]:
            _read_line(state, cell)
        return True
    lines = [value] if value else []
    lines += [cell for cell, _ in rest]
    if field is not Field.ADDRESS or len(lines) < 2:
        return False
    if any(
        named is not None or field_for(cell, state.fuzzy) is not None or section_for(cell)
        for cell, named in rest
    ):
        return False
    address = lines[0]
    for before, line in pairwise(lines):
        # "BP | 20117", "12 | rue X": one line the gaps cut, as "13008 | Marseille" is.
        cut = re.fullmatch(r"\d{1,4}(?: ?(?:bis|ter|[a-d]))?|bp|cs|tsa", before.strip(), re.I)
        address += f"{' ' if cut else _address_joint(address, line)}{line}"
    return _assign(state, label, address)


def _heading_beside_pairs(cells: list[str], fuzzy: bool) -> Section | None:
    """The section a row's first cell titles when label/value pairs follow it:
    "Organisme-client | Dénomination | ACME", the heading cell spanning the rows below."""
    if len(cells) < 3 or not cells[2].strip() or field_for(cells[1], fuzzy) is None:
        return None
    section = section_for(cells[0], fuzzy)
    if section not in (Section.ORGANISATION, Section.MANAGER) or field_for(cells[2], fuzzy):
        return None
    return section


_FIGURES = frozenset({Field.SIGNED_DATE, Field.PHONE, Field.COUNT, Field.TOTAL})


def _value_split(state: _State, field: Field, tail: str) -> bool:
    """Is ``tail``, a row's last cell that no label claims, more of ``field``'s value?"""
    if field in _FIGURES and not re.search(r"\d", tail):
        return False  # "Le | 30/09/2026 | RAA ds": a scribble beside a whole date
    return (
        bool(state.form.values.get(field))
        and not _speck(tail)
        and field_for(tail, state.fuzzy) is None
        and section_for(tail, state.fuzzy) is None
    )


def _label_value_pairs(cells: list[str], fuzzy: bool) -> tuple[list[tuple[str, str]], str | None]:
    """(label, value) pairs of a row, a value found past the empty cells after its label,
    and the row's last cell when it is left without a label.

    A sheet retyped by hand leaves a column or two between a label and its
    value (merged label cells); an empty cell followed by another field's
    label is that label's empty value, though ("Service | | Téléphone | 05 …").
    """
    pairs = []
    index = next((i for i, cell in enumerate(cells) if cell.strip()), len(cells))  # indented row
    while index < len(cells) - 1:
        if not cells[index].strip():
            index += 1  # "Service | DRH | | Tél. | 01 …": a gap between two pairs
            continue
        at = index + 1
        filled = next((k for k in range(at, len(cells)) if cells[k].strip()), None)
        if filled is not None and filled > at:
            # "Service | | Direction": a word that names this very field is its value.
            named = field_for(cells[filled], fuzzy)
            if named is None or named is field_for(cells[index], fuzzy):
                at = filled
        pairs.append((cells[index], cells[at]))
        index = at + 1
    tail = cells[index] if index == len(cells) - 1 and cells[index].strip() else None
    return pairs, tail


# "N° Civilité": a PDF ran the row number's heading into the next one.
_NUMBER_HEADING = re.compile(r"^\s*(n°|no\.|#)\s*(\w.*)$", re.IGNORECASE)


def _numbered_heading(cells: list[str]) -> list[str]:
    match = _NUMBER_HEADING.match(cells[0]) if cells else None
    return [match[1], match[2], *cells[1:]] if match is not None else cells


def _header_columns(cells: list[str], fuzzy: bool) -> list[Field | None] | None:
    if any(_LABEL_AND_VALUE.search(re.sub(r"\([^)]*\)", "", c)) for c in cells):
        return None  # "Prénom et NOM : Thierry MASSON | Adresse e-mail : t.m@x.fr": pairs
    columns = [column_for(c, fuzzy) if len(c) < 50 else None for c in cells]
    named = {Field.FIRST_NAME, Field.LAST_NAME, Field.FULL_NAME}
    found = {c for c in columns if c is not None}
    filled = [c for c in cells if c.strip()]
    # A header names columns in every filled cell; a label|value row does not. One first
    # or last column of the organisation's own ("Code agent", "Antenne", "Site de
    # rattachement") is read past, never a name, if no word of ours is in it ("Civilité
    # Prénom" run into one cell by a PDF is two of our columns, not one of theirs).
    unknown = [c for c, col in zip(cells, columns, strict=True) if c.strip() and col is None]
    own_column = (
        len(unknown) == 1
        and unknown[0] in (filled[0], filled[-1])
        and {Field.EMAIL} <= found
        and len(filled) >= 3
        and re.fullmatch(r"[^\W\d_][\w'’ -]{1,30}", unknown[0].strip()) is not None
        and len(unknown[0].split()) <= 3
        and all(column_for(word, fuzzy) is None for word in unknown[0].split())
    )
    # "N° | Civilité | Prénom | NOM | … | E-mail | Présent le matin | Présent l'après-midi":
    # names and addresses head the list for certain; the organisation's own columns, none
    # holding a word of ours, are read past, however many.
    known = [col is not None for c, col in zip(cells, columns, strict=True) if c.strip()]
    own_columns = (
        len(found & named) >= 1
        and Field.EMAIL in found
        and len(found - {Field.IGNORED}) >= 3
        and len(unknown) <= len(filled) // 2
        # Ours first, then theirs (or theirs, then ours): one amid ours ("N° | salarié |
        # NOM …") is a heading split wrong, read again whole.
        and (known == sorted(known, reverse=True) or known == sorted(known))
        and all(column_for(word, fuzzy) is None for cell in unknown for word in cell.split())
    )
    if found & named and len(found - {Field.IGNORED}) >= 2 and (not unknown or own_column):
        return columns
    if own_columns:  # theirs read past, as the columns we know to skip are
        return [col or (Field.IGNORED if cell.strip() else None)
                for cell, col in zip(cells, columns, strict=True)]  # fmt: skip
    return None


_LABEL_AND_VALUE = re.compile(r"\w\s*:\s*\w")
_CIVILITY_WORD = r"(?:M\.?|Mme|Mlle|Mr|Madame|Monsieur|Mademoiselle)"
# "M. / Mme" left in an empty row by the template: a choice offered, nobody written.
_CIVILITY_CHOICE = re.compile(
    rf"^\s*{_CIVILITY_WORD}(?:\s*(?:/|ou|-)\s*{_CIVILITY_WORD}){{1,2}}\s*$", re.IGNORECASE
)


# A list's own column saying the person is not (or not yet) coming.
_WITHDRAWN = re.compile(
    r"^\W*(?:annul[ée]e?s?|d[ée]sist[ée]e?|en attente|retir[ée]e?|excus[ée]e?|"
    r"ne participe (?:plus|pas))\b",
    re.IGNORECASE,
)


# "3", "n° 3", "3.", and "Participant 3" / "Inscrit n°3": the row's own label.
_ROW_NUMBER = re.compile(
    rf"^\s*(?:(?:{_PERSON_HEAD}|agent|personne)\s*)?"
    r"(?:n°\s*)?\d{1,2}\s*[.):]?\s*$",
    re.IGNORECASE,
)
_NO = re.compile(r"^\W*(?:non|no)\W*$", re.IGNORECASE)


def _table_person(state: _State, cells: list[str]) -> None:
    columns = state.columns or []
    if all(not c.strip() or _CIVILITY_CHOICE.match(c) for c in cells):
        return
    filled = [c for c in cells if c.strip()]
    if all(_WITHDRAWN.search(c) for c in filled):
        return  # a struck row whose words vanished in extraction, "annulé" left alone
    stacked = _stacked_people(cells)
    if stacked is not None:
        for row in stacked:
            _table_person(state, row)
        return
    if _numbered(cells, columns):
        # "1 | M. | Damien | …" under "N° Civilité | Prénom | …": the number's heading ran
        # into the next one, the rows still carry it.
        cells = cells[1:]
    if len(cells) < len(columns) and columns and columns[0] is Field.CIVILITY:
        civility, rest = split_civility(cells[0])
        if civility is not None and rest:  # "Madame Brigitte" merged into one cell
            cells = [cells[0][: len(cells[0]) - len(rest)].strip(), rest, *cells[1:]]
        elif cells[0].strip() and parse_civility(cells[0]) is None:
            # An empty first cell vanished in extraction: align the row on the right. (An
            # empty first cell still there keeps its place: the empty last ones were cut.)
            cells = [""] * (len(columns) - len(cells)) + cells
    cells, columns = _tab_aligned(cells, columns)
    cells = _email_in_its_column(cells, columns)
    cells = [c.strip(" |") for c in cells]
    person = RawPerson()
    for index, cell in enumerate(cells):
        column = columns[index] if index < len(columns) else None
        if column in (None, Field.IGNORED) and _WITHDRAWN.search(cell):
            return  # "Statut : Annulé", "En attente": listed, but not coming
        if column in (None, Field.IGNORED) and _NO.match(cell):
            state.form.picked = True  # a "Non" says someone listed is not (all) coming
        if column is not None:
            _person_cell(person, column, cell)
    if person.civility is None and person.civility_written is None and person.first_name:
        civility, rest = split_civility(person.first_name)
        if civility is not None and rest:
            person.civility, person.first_name = civility, rest
    if (
        person.civility is None
        and person.civility_written is None
        and person.first_name is None
        and person.last_name
    ):
        # "Mme Claire VASSEUR-ROBIN" typed whole in the NOM cell, the others left empty.
        civility, rest = split_civility(person.last_name)
        first, last, sure = split_full_name_checked(rest or "")
        if civility is not None and first and last and sure:
            person.civility, person.first_name, person.last_name = civility, first, last
    if person.order_unsure and state.family_first and person.first_name and person.last_name:
        # "DUPONT JEAN" under "NOM Prénom": no capitals to tell, the heading does.
        person.first_name, person.last_name = person.last_name, person.first_name
        person.order_unsure = False
    if person.email is not None and _AMOUNT_ONLY.match(person.email):
        return  # "Prix unitaire (euros) | 635": a figure under the list, not a person
    if not person.blank():
        state.form.participants.append(person)


def _numbered(cells: list[str], columns: list[Field | None]) -> bool:
    """A row one cell longer than the heading, opening on its number, its address under
    the address heading once the number is set aside (a sum's "3 | 635,00 €" is none)."""
    if len(cells) != len(columns) + 1 or not _ROW_NUMBER.match(cells[0]):
        return False
    return Field.EMAIL not in columns or "@" in cells[1 + columns.index(Field.EMAIL)]


def _tab_aligned(
    cells: list[str], columns: list[Field | None]
) -> tuple[list[str], list[Field | None]]:
    """A row typed with tabs for alignment (WordPad, a text mail): "Mme\t\tCorinne\t\tLE
    GALL" under "Civilité\tPrénom\t\tNOM", the empty cells falling elsewhere than the
    heading's. When a value sits under no heading and the row fills exactly as many
    cells as the heading names, they are taken in order."""
    filled = [c for c in cells if c.strip()]
    named = [column for column in columns if column is not None]
    astray = any(
        cell.strip() and (index >= len(columns) or columns[index] is None)
        for index, cell in enumerate(cells)
    )
    if astray and len(filled) == len(named):
        return filled, list(named)
    return cells, columns


def _stacked_people(cells: list[str]) -> list[list[str]] | None:
    """One row whose every filled cell holds the same number of lines, one address per
    line in one of them ("Mme, M." | "Claire, Paul" | "c@x.fr, p@x.fr"): a person a line."""
    emails = [find_emails(c) for c in cells]
    if max((len(found) for found in emails), default=0) < 2:
        return None
    split = [c.split(", ") if c.strip() else [] for c in cells]
    counts = {len(parts) for parts in split if parts}
    if len(counts) != 1 or counts == {1}:
        return None
    (count,) = counts
    return [[parts[i] if parts else "" for parts in split] for i in range(count)]


def _email_in_its_column(cells: list[str], columns: list[Field | None]) -> list[str]:
    """A short row (an empty Fonction or Service cell left no trace) put back under its header.

    Read left to right, the cells after the gap slid one column left: a job
    title became a name and the address fell under "Service". The address is
    the anchor; the cells before it keep their places.
    """
    if len(cells) >= len(columns) or Field.EMAIL not in columns:
        return cells
    at = next((i for i, cell in enumerate(cells) if "@" in cell), None)
    target = columns.index(Field.EMAIL)
    if at is None or at >= target:
        return cells
    if at == target - 1:
        merged = _merged_with_address(cells, columns, at)
        if merged is not None:
            return merged
    return cells[:at] + [""] * (target - at) + cells[at:]


# "LEBRETON |} b.lebreton@x.fr": the rule between two cells read as a stroke or a brace.
_NAME_THEN_ADDRESS = re.compile(r"^(?P<name>[^\s@|{}\[\]]+)[\s|{}\[\]]+(?P<address>[^\s@]+@\S+)$")


def _merged_with_address(
    cells: list[str], columns: list[Field | None], at: int
) -> list[str] | None:
    """A row one cell short because a scan ran two columns together: "HAMEL
    p.hamel@x.fr" under NOM and the address, or "Olivier BRUN" under Prénom and NOM.

    Split only when the address spells the family name the split gives: any other
    row stays as read and goes to a person."""
    glued = _NAME_THEN_ADDRESS.match(cells[at].strip())
    if glued is not None and columns[at] is Field.LAST_NAME:
        name, address = glued["name"], glued["address"]
        if _spelled_in(name, address):
            return [*cells[:at], name, address, *cells[at + 1 :]]
    if at >= 1 and columns[at] in (Field.IGNORED, None) and columns[at - 1] is Field.LAST_NAME:
        # "Directeur d'établissement f.salvetat@sea56.fr": a long function run into the
        # address beside it, under "Fonction" and the address.
        head, _, address = cells[at].strip().rpartition(" ")
        if (
            head
            and "@" not in head
            and not head.endswith((".", "-", "_"))
            and is_valid(address)
            and _spelled_in(cells[at - 1], address)
        ):
            return [*cells[:at], head, address, *cells[at + 1 :]]
    if at >= 1 and columns[at - 1 : at + 1] == [Field.FIRST_NAME, Field.LAST_NAME]:
        first, last, sure = split_full_name_checked(cells[at - 1].strip())
        if sure and first and last and _spelled_in(last, cells[at]):
            return [*cells[: at - 1], first, last, *cells[at:]]
    return None


def _spelled_in(name: str, address: str) -> bool:
    """Whether the family name, letters only, is in the address's local part."""
    family = letters(name)
    return len(family) >= 2 and family in letters(address.split("@", 1)[0])


def _person_cell(person: RawPerson, column: Field, value: str) -> None:
    text = clean_value(value)
    if text is None:
        return
    if column is Field.CIVILITY:
        person.civility = parse_civility(text)
        if person.civility is None:
            person.civility_written = text
    elif column is Field.FIRST_NAME:
        person.first_name = text
    elif column is Field.LAST_NAME:
        person.last_name = text
    elif column is Field.FULL_NAME:
        # "NOM Prénom / adresse e-mail" in one cell: "DARRIEUTORT Pascale, p.d@x.org",
        # or the address on the cell's second line.
        found = find_emails(text)
        if len(found) == 1 and person.email is None:
            person.email = found[0]
            text = " ".join(text.replace(found[0], " ").split()).strip(" ,;/–—-")
        civility, rest = split_civility(text)
        if civility and person.civility is None:
            person.civility = civility
        person.first_name, person.last_name, sure = split_full_name_checked(rest)
        person.order_unsure = not sure
    elif column is Field.EMAIL:
        person.email = text


def _add_person(state: _State, person: RawPerson) -> None:
    """A person read whole is listed; one read without an address waits for it, labelled
    on the lines under her name ("E-mail de connexion : …")."""
    _close_person(state)
    if person.email is None:
        state.person = person
    else:
        state.form.participants.append(person)


def _named_alone(value: str) -> RawPerson | None:
    """ "Mlle Pauline THOMAS": one person, a civility and a name, nothing else."""
    person = parse_person_line(value)
    if person is None or person.email is not None or person.civility is None:
        return None
    return person if person.first_name and "," not in value and " et " not in value else None


def _close_person(state: _State) -> None:
    if state.person is not None and not state.person.blank():
        state.form.participants.append(state.person)
    state.person = None


# ---------------------------------------------------------------- participant lines


def _read_person_line(state: _State, line: str) -> bool:
    """ "1. Mme Anne ROUX - anne.roux@x.fr" or "M. / ROUX / Paul / Chef / p.roux@x.fr"."""
    person = parse_person_line(line)
    in_list = state.section in (Section.PARTICIPANTS, Section.PARTICIPANT)
    # Below the signature, an address without a civility is the mail's signature block
    # ("accueil@x.fr | www.x.fr"), not one more participant.
    signed = Field.SIGNATORY in state.form.values
    if person is None or not ((in_list and not signed) or (person.civility and person.email)):
        return False
    state.form.participants.append(person)
    # "2. Mme Marie BERTRAND – marie-" ends on the start of an address the page cut:
    # the line below is its end, not an address of its own.
    last = line.rsplit(maxsplit=1)[-1] if line.strip() else ""
    cut = last[-1:] in ("-", ".", "_", "@") or not any(c.isupper() for c in last)
    state.person_row = -2 if cut else state.row
    return True


def parse_person_line(line: str) -> RawPerson | None:
    body = _BULLET.sub("", line, count=1).strip()
    if not body or len(body) > 200 or _CIVILITY_CHOICE.match(body):
        return None
    # "Mme - Laetitia - SAINT-MARTIN - l.s@x.fr": a civility alone in the first cell.
    dashes = re.split(r"\s[-–]\s", body)
    dashed = len(dashes) >= 4 and parse_civility(dashes[0]) is not None
    if body.count("/") >= 2 or body.count(";") >= 2 or body.count("  ") >= 2 or dashed:
        slashed = body.count("/") >= 2 or body.count(";") >= 2
        cells = [c.strip(" -–:,()<>") for c in re.split(r"\s*/\s*|\s*;\s*|\s{2,}|\s[-–]\s", body)]
        if not slashed:
            return _person_from_cells([c for c in cells if c], family_first=False)
        # "Mme /  / Élodie / …": an empty cell between two others is a blank column,
        # and the columns after it must not slide into its place.
        while cells and not cells[0]:
            cells.pop(0)
        while cells and not cells[-1]:
            cells.pop()
        return _labelled_person(cells) or _person_from_cells(cells, family_first=True)
    commas = [c.strip() for c in body.split(",")]
    if 3 <= len(commas) <= 5 and sum("@" in c for c in commas) == 1 and "@" in commas[-1]:
        # "FONTAINE, Jérémie, M., jeremie.fontaine@x.fr" under "(NOM, Prénom, Civilité,
        # Adresse e-mail)": a civility alone among the pieces, and names.
        lone = [c for c in commas if len(c.split()) == 1 and parse_civility(c)]
        names = [c for c in commas[:-1] if c not in lone]
        # Which piece is the family name is told by its capitals, never by the order alone.
        told = (len(names) == 2 and sum(_upper(n) for n in names) == 1) or (
            len(names) == 1 and split_full_name_checked(names[0])[2] and " " in names[0]
        )
        if len(lone) == 1 and told and all(_NAME_PIECE.fullmatch(n) for n in names):
            return _person_from_cells(commas, family_first=True)
    civility, rest = split_civility(body)
    last_piece = _CIVILITY_LAST.search(rest)
    bracketed = _CIVILITY_BRACKETED.findall(rest)
    if civility is None and last_piece is not None:
        # "Margaux PAGÈS – m.pages@x.fr – Mme": the civility as the last piece.
        civility, rest = parse_civility(last_piece["civ"]), rest[: last_piece.start()]
    elif civility is None and len(bracketed) == 1:
        # "DUVERNOIS Claire (Mme) – claire.duvernois@x.fr": in brackets after the name.
        civility, rest = parse_civility(bracketed[0]), _CIVILITY_BRACKETED.sub(" ", rest)
    # An address written wrongly ("x@gironde") is still the one written: keep it as is.
    # "s.poujol@lespep33,fr": a comma typed for the dot stays in the address written.
    emails = find_emails(rest) or re.findall(
        r"[^\s()<>,;:]+@[^\s()<>,;:]*(?:,[a-z]{2,6}\b(?!@))?", rest, re.IGNORECASE
    )
    if civility is None and not emails:
        return None
    email = emails[0] if emails else None
    if email:
        rest = rest.replace(email, " ")
    rest = re.sub(r"\([^)]*\)", " ", rest)  # "(Comptable)": a function, not a name
    rest = re.sub(r"[()<>\[\]]", " ", rest)
    # "Mme Laetitia ROSSI / l.rossi@x.fr": what stood between the name and the address.
    name_part = re.split(r"\s+[-–—:,/|→]\s*|\s*[:,]\s+", rest.strip(" -–—:,/|→"), maxsplit=1)[0]
    name_part = _without_trailing_label(name_part, rest)
    first, last, sure = split_full_name_checked(name_part.strip(" -–—:,/|"))
    if last is None or _WEB.search(name_part):
        return None  # "accueil@x.fr | www.x.fr": a signature's line, no one's name
    return RawPerson(civility, first, last, email, order_unsure=not sure)


def _without_trailing_label(name_part: str, rest: str) -> str:
    """ "Martine CAZENAVE   Mél : m.c@x.fr": the address's label before its colon is no
    part of the name."""
    at = rest.find(name_part)
    after = rest[at + len(name_part) :].lstrip() if at >= 0 else ""

    words = name_part.split()
    if not after.startswith(":"):
        return name_part
    for size in (5, 4, 3, 2, 1):  # "Adresse e-mail de connexion"
        if len(words) > size + 1 and is_label(" ".join(words[-size:])):
            return " ".join(words[:-size])
    return name_part


# A civility as a piece of its own after the name, in brackets or after a separator.
_CIVILITY_PIECE = r"M\.?|Mme|Mlle|Melle|Mr|Monsieur|Madame|Mademoiselle"
_CIVILITY_BRACKETED = re.compile(rf"\(\s*({_CIVILITY_PIECE})\s*\)", re.IGNORECASE)
_CIVILITY_LAST = re.compile(rf"\s*[-–—,;/|(]\s*(?P<civ>{_CIVILITY_PIECE})\s*\)?\s*$")
# Between a person's labelled pieces: " / ", " – ", ";", "|", or a comma before a label.
_LABELLED_PIECES = re.compile(r"\s+[/–—-]\s+|\s*;\s*|\s*\|\s*|,\s+(?=[^\W\d][\w' ]{0,30}:)")


def _read_labelled_person(state: _State, line: str) -> bool:
    """A participant whose every piece is labelled, on one line."""
    body = _BULLET.sub("", line, count=1).strip()
    cells = [c.strip(" -–,") for c in _LABELLED_PIECES.split(body)]
    # "1. Nom et prénom : M. BERTHOLET Jean-Loup – Adresse e-mail : jl.b@x.fr": two pieces
    # are a person too, in the list of participants.
    listed = state.section in (Section.PARTICIPANTS, Section.PARTICIPANT)
    fewest = 2 if listed else 3
    if len(cells) < fewest or body.count(":") < fewest or state.section is Section.MANAGER:
        return False
    person = _labelled_person([c for c in cells if c])
    if person is None or (person.civility is None and person.civility_written is None):
        return False  # "Prénom et NOM : … / Service : …": the manager's line, not a person's
    _close_person(state)
    state.form.participants.append(person)
    return True


def _labelled_person(cells: list[str]) -> RawPerson | None:
    """ "Civilité : Mme / Prénom : Josiane / NOM : CAPDEVILLE / E-mail : j.c@x.fr": each
    piece names its column; None unless every piece does."""
    person = RawPerson()
    for cell in cells:
        label, _, value = cell.partition(":")
        column = column_for(label.strip()) if value else None
        if column is None:
            return None
        _person_cell(person, column, value)
    return None if person.blank() else person


_WEB = re.compile(r"\bwww\.|https?:|\.(?:fr|com|org|net|eu)\b", re.IGNORECASE)


_NAME_PIECE = re.compile(r"[^\W\d_][\w'’ -]{0,40}")


def _person_from_cells(cells: list[str], *, family_first: bool) -> RawPerson | None:
    civility = None
    email = None
    names: list[str] = []
    for cell in cells:
        # "FONTAINE | Jérémie | M. | j.f@x.fr": after the names, only a civility alone.
        alone = len(cell.split()) == 1 and len(cell.strip()) <= 9
        if civility is None and (not names or alone) and parse_civility(cell):
            civility = parse_civility(cell)
        elif "@" in cell and email is None:
            email = cell
        elif email is None:
            names.append(cell)
    if civility is None and email is None:
        return None
    if not any(names):
        # A row with a civility and an address but no name is still someone: kept, it is
        # a missing name for a person to see; dropped, a participant would go unbilled.
        return RawPerson(civility, None, None, email) if civility and email else None
    if len(names) == 1 or not family_first:
        first, last, sure = split_full_name_checked(" ".join(names[:2]))
        return RawPerson(civility, first, last, email, order_unsure=not sure)
    last, first = names[0], names[1]
    if _upper(first) and not _upper(last):  # "Anne / ROUX": the capitals are the family name
        first, last = last, first
    # "MME / LAETITIA / GRANDJEAN": all in capitals, nothing tells which is the family name.
    return RawPerson(civility, first, last, email, order_unsure=_upper(first) == _upper(last))


def _upper(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def amount_of(text: str) -> Decimal | None:
    return parse_amount(text)
