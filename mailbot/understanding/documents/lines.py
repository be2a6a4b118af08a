"""Rebuild text lines from positioned words (PDF text layer, OCR), keeping table columns apart."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from itertools import pairwise
from statistics import median

from mailbot.understanding.emails import is_valid


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    is_field: bool = False  # a form field's value: always its own cell
    cell: int = -1  # the table cell the word is drawn in, when the page has ruled cells
    depth: float = 0.0  # the bottom of the last line of a value wrapped in its cell
    # The first word of a value typed right against its label, in another typeface: a cell
    # of its own, as if a column's gap stood between them.
    opens_cell: bool = False

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 1.0)

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(frozen=True, slots=True)
class Line:
    text: str
    top: float


# A gap wider than this many line heights separates two cells, not two words:
# a space is about a third of the font size, a table column gap is much wider.
COLUMN_GAP = 1.2


def build_lines(
    words: Iterable[Word],
    is_heading: Callable[[str], bool] | None = None,
    is_label: Callable[[str], bool] | None = None,
) -> list[Line]:
    """Words grouped into visual lines, top to bottom; wide gaps become a TAB.

    We group by geometry rather than by the producer's blocks because forms
    put a label and its value in separate cells (separate blocks) that a
    reader needs on one line. With ``is_heading``, two sections set side by side
    are read one after the other (``columns_apart``); with ``is_label``, a label
    wrapped in its cell beside a value's lines is read line by line.
    """
    rows = visual_rows(words)
    if is_heading is not None:
        rows = columns_apart(rows, is_heading)
    return [Line(text=_join(row, is_label), top=min(w.top for w in row)) for row in rows]


def columns_apart(rows: list[list[Word]], is_heading: Callable[[str], bool]) -> list[list[Word]]:
    """Rows with two sections laid side by side read as one column, then the other.

    A form retyped in two columns ("Organisme-client" left, "Gestionnaire de
    l'inscription" right, each label above its value) interleaves its lines: row
    by row, a reader would pair the left column's address with the right one's
    "Service". A row of two headings opens such a block; the right heading's left
    edge is the gutter; the block runs while no word straddles the gutter, up to a
    heading alone ("Participants") or a row of three cells or more (a table).
    """
    if not any(_headings_side_by_side(row, is_heading) is not None for row in rows):
        return _halves_apart(rows, is_heading)
    out: list[list[Word]] = []
    index = 0
    while index < len(rows):
        gutter = _headings_side_by_side(rows[index], is_heading)
        if gutter is None:
            out.append(rows[index])
            index += 1
            continue
        left: list[list[Word]] = []
        right: list[list[Word]] = []
        end = index
        while end < len(rows) and _in_block(rows[end], gutter, is_heading, opening=end == index):
            left.append([w for w in rows[end] if w.x1 <= gutter])
            right.append([w for w in rows[end] if w.x0 >= gutter])
            end += 1
        out += [*_unwrapped([r for r in left if r]), *_unwrapped([r for r in right if r])]
        index = end
    return out


def _halves_apart(rows: list[list[Word]], is_heading: Callable[[str], bool]) -> list[list[Word]]:
    """A page set in two halves (a landscape form: "Organisme-client" and the manager on
    the left, "Participants" and the signature on the right), its headings not level.

    A heading that opens a cell right of another one marks the gutter; the half-page
    runs up and down from it while no word straddles the gutter, up to a heading alone
    on its row (a full-width section under the halves). It is taken for halves only
    when the left half has a heading of its own: a form's value column has none.
    """
    for index, row in enumerate(rows):
        for cell in _cells(row)[1:]:
            if not is_heading(_cell_text(cell)):
                continue
            gutter = cell[0].x0 - median(w.height for w in row)
            first = last = index
            while first > 0 and _in_half(rows[first - 1], gutter, is_heading):
                first -= 1
            while last + 1 < len(rows) and _in_half(rows[last + 1], gutter, is_heading):
                last += 1
            block = rows[first : last + 1]
            left = [[w for w in r if w.x1 <= gutter] for r in block]
            right = [[w for w in r if w.x0 >= gutter] for r in block]
            if not any(is_heading(_cell_text(_cells(r)[0])) for r in left if r):
                continue
            halves = [r for r in (*left, *right) if r]
            return rows[:first] + halves + _halves_apart(rows[last + 1 :], is_heading)
    return rows


def _in_half(row: list[Word], gutter: float, is_heading: Callable[[str], bool]) -> bool:
    if any(w.x0 < gutter < w.x1 for w in row):
        return False
    cells = _cells(row)
    return not (len(cells) == 1 and is_heading(_cell_text(cells[0])))


def _cells(row: list[Word]) -> list[list[Word]]:
    """A row's words (left to right, as ``_rows`` gives them) in cells: runs of words
    closer than a column gap, in one ruled cell; a form field's value is a cell alone."""
    height = median(w.height for w in row)
    if _justified(row, height):
        return [row]
    cells = [[row[0]]]
    for previous, word in pairwise(row):
        own_cell = (
            word.is_field or previous.is_field or previous.cell != word.cell or word.opens_cell
        )
        if own_cell or word.x0 - previous.x1 > COLUMN_GAP * height:
            cells.append([word])
        else:
            cells[-1].append(word)
    return cells


# A justified line spreads its words evenly: every gap the same, however wide. A table's
# columns part words by gaps as unequal as the words are long.
_JUSTIFIED_WORDS = 5
_EVEN_GAPS = 0.15  # line heights between the widest and the narrowest gap
_WIDEST_JUSTIFIED_GAP = 4.0  # line heights


def _justified(row: list[Word], height: float) -> bool:
    if len(row) < _JUSTIFIED_WORDS or any(w.is_field or w.cell != row[0].cell for w in row):
        return False
    gaps = [word.x0 - previous.x1 for previous, word in pairwise(row)]
    return (
        min(gaps) > 0
        and max(gaps) <= _WIDEST_JUSTIFIED_GAP * height
        and max(gaps) - min(gaps) <= _EVEN_GAPS * height
    )


def _cell_text(cell: list[Word], is_label: Callable[[str], bool] | None = None) -> str:
    stacked = _stacked_lines(cell)
    lines = _lines_of(cell, stacked)
    if len(lines) < 2:
        plain = " ".join(w.text for w in cell)
        if is_label is None or len(cell) < 2 or is_label(plain):
            return plain
        return _wrapped_label(stacked, is_label) or plain
    # "27 avenue Gabriel Péri" / "91700 Sainte-Geneviève-des-Bois", a cell's two lines
    # brought onto one row by a label wrapped beside them: read left to right they would
    # interleave; each line whole, as an address's lines are joined.
    return ", ".join(" ".join(w.text for w in line) for line in lines)


def _wrapped_label(lines: list[list[Word]], is_label: Callable[[str], bool]) -> str | None:
    """ "Nom du" / "responsable" beside "N'DIAYE Ronan": a label's lines (``lines``, the
    cell's words as they stand), mixed left to right ("Nom responsable du"), read line by
    line when that makes a known label."""
    if len(lines) < 2:
        return None
    label = " ".join(w.text for line in lines for w in sorted(line, key=lambda w: w.x0))
    return label if is_label(label) else None


def _lines_of(cell: list[Word], lines: list[list[Word]]) -> list[list[Word]]:
    """The cell's words as the lines they stand on (``lines``, ``_stacked_lines``), when
    its left-to-right order mixes two lines' words; one line otherwise."""
    if len(lines) < 2:
        return [cell]
    ordered = [sorted(line, key=lambda w: w.x0) for line in lines]
    if any(_TOWN_LINE.match(" ".join(w.text for w in line)) for line in ordered[1:]):
        # "Kerampuil" / "29270 Carhaix-Plouguer": an address's lines, however they stand.
        return ordered
    line_of = {id(w): n for n, line in enumerate(lines) for w in line}
    order = [line_of[id(w)] for w in cell]  # the cell's words left to right
    if order == sorted(order) or order == sorted(order, reverse=True):
        return [cell]  # side by side, not interleaved: the row's order stands
    # An address's lines, whose join is known (", "); any other value's lines are left
    # mixed, so that its reading stays in doubt rather than guess how they join.
    if not any(_ADDRESS_START.match(line[0].text) for line in ordered):
        return [cell]
    return ordered


def _stacked_lines(cell: list[Word]) -> list[list[Word]]:
    """The cell's words grouped into the lines they stand on, top to bottom."""
    lines: list[list[Word]] = []
    for word in sorted(cell, key=lambda w: w.top):
        # On the line above while it shares a third of the shorter one's height: a dash
        # or a comma, however short, stands within its line's letters.
        if lines and _shared(lines[-1], word) > _SAME_LINE * min(word.height, lines[-1][0].height):
            lines[-1].append(word)
        else:
            lines.append([word])
    return lines


# The first word of an address's own line: a post box, a building, a street.
_ADDRESS_LINE_WORD = re.compile(
    r"^(?:BP|CS|TSA|Cedex|B[âa]t(?:iment|\.)?|Immeuble|R[ée]sidence|Lieu-dit|Hameau|ZA|ZI|"
    r"Rue|Avenue|Av\.|Boulevard|Bd|Place|Chemin|Route|All[ée]e|Impasse|Quai|Cours|Square|"
    r"Esplanade|Rond-point|Faubourg|Voie|Sentier|Parvis|Cit[ée])$",
    re.IGNORECASE,
)
# A postcode and its town opening a line: an address's last line.
_TOWN_LINE = re.compile(r"^\d{5}\s+[^\W\d]")
# The first word of an address's line: a number, a postcode, a post box.
_ADDRESS_START = re.compile(r"^(?:\d{5}|\d{1,4}(?:bis|ter)?|BP|CS|TSA)$", re.IGNORECASE)


_SAME_LINE = 0.3  # share of the shorter height two words of one line stand side by side
_ALIGNED = 0.5  # line heights between two lines' left edges that start at one column


def _shared(line: list[Word], word: Word) -> float:
    """How much of ``word``'s height ``line``'s words also span."""
    return min(word.bottom, max(w.bottom for w in line)) - max(word.top, min(w.top for w in line))


def _headings_side_by_side(row: list[Word], is_heading: Callable[[str], bool]) -> float | None:
    cells = _cells(row)
    if len(cells) != 2 or not all(is_heading(_cell_text(cell)) for cell in cells):
        return None
    # A line height to the left of the right heading: a scan's words stand a few pixels
    # off their column's edge, and no word of the left column reaches that close.
    return cells[1][0].x0 - median(w.height for w in row)


def _in_block(
    row: list[Word], gutter: float, is_heading: Callable[[str], bool], *, opening: bool
) -> bool:
    """Whether ``row`` is still the two blocks' (each side a label, its value, or a line of
    either): no word across the gutter, no table's three cells on one side."""
    if any(w.x0 < gutter < w.x1 for w in row):
        return False
    sides = ([w for w in row if w.x1 <= gutter], [w for w in row if w.x0 >= gutter])
    if any(len(_cells(side)) > 2 for side in sides if side):
        return False
    return opening or not is_heading(_cell_text(row))


def _unwrapped(rows: list[list[Word]]) -> list[list[Word]]:
    """A column's rows with each value its narrow column wrapped put back on one row:
    "Service | Direction des ressources" over "humaines et de la formation", the lower-case
    line standing right under the value's first word. (A line in capitals may be another
    thing, a unit under a name: the reader doubts it. An address's lines stay apart.)"""
    out: list[list[Word]] = []
    for row in rows:
        cells = _cells(out[-1]) if out else []
        # Only under a value beside its label: a label alone over its value's line is no
        # value that wrapped.
        if len(cells) >= 2 and _wraps(cells[-1], row):
            out[-1] = [*out[-1], *row]
        else:
            out.append(row)
    return out


def _wraps(value: list[Word], row: list[Word]) -> bool:
    first = row[0]
    height = median(w.height for w in row)
    return (
        len(_cells(row)) == 1
        and first.text[:1].islower()
        and not any("@" in w.text for w in row)
        and abs(first.x0 - value[0].x0) <= _ALIGNED * height
        and 0 < first.top - max(w.bottom for w in value) < height
        and not any("@" in w.text for w in value)  # an address cut is the reader's to join
        and not value[-1].text.endswith((".", ";", "!", "?"))
    )


def _same_row(row: list[Word], word: Word) -> bool:
    # A value wrapped in its cell stands as high as its lines: a label centred beside it
    # ("Par (nom du signataire)" | "La Directrice générale, Fabienne" / "ROUVIÈRE") is
    # on its row, not under it.
    top = min(w.top for w in row)
    bottom = max(max(w.bottom, w.depth) for w in row)
    return top <= word.middle <= bottom


def _join(ordered: list[Word], is_label: Callable[[str], bool] | None = None) -> str:
    """A row's words: spaces within a cell, TABs between cells."""
    return "\t".join(_cell_text(cell, is_label) for cell in _cells(ordered))


def cells_text(words: Iterable[Word]) -> dict[int, str]:
    """The text of each cell the words were placed in (``Word.cell``), its lines kept."""
    placed: dict[int, list[Word]] = {}
    for word in words:
        if word.cell >= 0:
            placed.setdefault(word.cell, []).append(word)
    return {
        cell: "\n".join(" ".join(w.text for w in row) for row in visual_rows(inside))
        for cell, inside in placed.items()
    }


def text_of(lines: Iterable[Line]) -> str:
    return "\n".join(line.text for line in lines)


Box = tuple[float, float, float, float]  # x0, top, x1, bottom
# An address's local part cut after a dot or an underscore, before its "@".
_NAME_CUT = re.compile(r"[a-z0-9.+'_-]+[._]")
_LINKING_WORDS = frozenset(
    {"et", "de", "du", "des", "la", "le", "les", "à", "au", "aux", "d'", "l'", "en", "pour", "sur"}
)


def join_wrapped(
    words: list[Word],
    cells: Iterable[Box],
    opens_block: Callable[[list[str]], bool] | None = None,
    *,
    top_aligned: bool = False,
) -> list[Word]:
    """Words with each table cell's wrapped lines put back on the line they continue.

    A narrow column wraps a long value ("vsimon@genetsdor" / "-asso.fr"), and
    the next visual line is read as another row. A line is a wrap when its
    first word would not have fitted after the line above within the cell;
    a line that would have fitted was broken on purpose (an address) and stays.
    A cell holding a whole section (``opens_block``: a heading, labels over values)
    keeps its lines: they are the section's lines, read by ``columns_apart``.
    ``top_aligned``: each table row read from its top line (a PDF's text, placed exactly;
    a scan's words stand a little up or down, and a speck would set a row's top).
    """
    cells = list(cells)
    taken: set[int] = set()
    joined: list[Word] = []
    for number, box in enumerate(cells):
        inside = [i for i, w in enumerate(words) if i not in taken and _within(w, box)]
        taken.update(inside)
        # Each word knows its cell, so two cells that nearly touch stay two cells.
        rows = visual_rows([replace(words[i], cell=number) for i in inside])
        block = opens_block is not None and opens_block([_join(row) for row in rows])
        if len(rows) > 1 and not block:
            joined += _unwrap(rows, box)
        else:
            joined += [w for row in rows for w in row]
    if top_aligned:
        joined = _top_aligned(joined, cells)
    return joined + [w for i, w in enumerate(words) if i not in taken]


# What an address's piece is made of: no space, no capital (a name or a heading has one).
_ADDRESS_PIECE = re.compile(r"[a-z0-9.+'_@-]+")


def centred_addresses(words: list[Word], cells: Iterable[Box] = ()) -> list[Word]:
    """Words with an e-mail address wrapped in a cell centred on its row made whole.

    A table row whose last cell holds an address too long for it, its text centred
    up and down (an HTML table's default, a Word cell set so), puts the address's two
    lines above and below the row's other cells: "thibault.lacroix-moreau@" / "M. |
    Thibault | LACROIX-MOREAU" / "lotetgaronne.fr". With no ruled cell to hold them,
    the row would lose its address and the pieces stand as lines of their own. Two
    pieces on consecutive lines of one column are joined onto the row between them
    only when neither is an address alone and together they make one. Words in a ruled
    cell (``cells``) are left to ``join_wrapped``, which knows the cell's edges.
    """
    cells = list(cells)
    pieces = [
        w
        for w in words
        if _ADDRESS_PIECE.fullmatch(w.text)
        and ("@" not in w.text or not is_valid(w.text))
        and not any(_within(w, box) for box in cells)
    ]
    if not any("@" in w.text for w in pieces):
        return words
    merged: dict[int, Word] = {}  # the upper piece's id -> the whole address
    dropped: set[int] = set()
    for upper in sorted(pieces, key=lambda w: w.top):
        if id(upper) in dropped or id(upper) in merged:
            continue
        for lower in pieces:
            whole = upper.text + lower.text
            if (
                lower is upper
                or id(lower) in merged
                or not -0.3 * upper.height <= lower.top - upper.bottom <= 0.8 * upper.height
                or abs(lower.x0 - upper.x0) > 0.5 * upper.height
                or whole.count("@") != 1
                or not is_valid(whole)
            ):
                continue
            left, right = min(upper.x0, lower.x0), max(upper.x1, lower.x1)
            if not any(
                upper.middle < w.middle < lower.middle and (w.x1 < left or w.x0 > right)
                for w in words
            ):
                break  # no row between them: a plain wrap, joined with its cell or row
            # As a wrapped cell's value stands: on its first line, as deep as its last,
            # so that the row's cells centred between them are on its row.
            merged[id(upper)] = replace(upper, text=whole, x1=right, depth=lower.bottom)
            dropped.add(id(lower))
            break
    if not merged:
        return words
    return [merged.get(id(w), w) for w in words if id(w) not in dropped]


def _top_aligned(words: list[Word], cells: list[Box]) -> list[Word]:
    """Each table row's cells read from the row's top line.

    A label centred in its cell beside a value of three lines stands level with the
    value's second line: read as it stands, the value's first line ("Avenue de
    l'Europe") comes before the label, as a line of its own, and the address loses it.
    A cell whose text starts lower than another cell's of the same row is raised to it.
    """
    first: dict[int, Word] = {}
    for word in words:
        if word.cell >= 0 and (word.cell not in first or word.top < first[word.cell].top):
            first[word.cell] = word
    rows: dict[tuple[int, int], list[int]] = {}
    for number in first:
        box = cells[number]
        rows.setdefault((round(box[1]), round(box[3])), []).append(number)
    shift: dict[int, float] = {}
    for members in rows.values():
        top = min(first[number].top for number in members)
        for number in members:
            if first[number].top - top > 0.5 * first[number].height:
                shift[number] = top - first[number].top
    if not shift:
        return words
    return [
        replace(
            w,
            top=w.top + shift[w.cell],
            bottom=w.bottom + shift[w.cell],
            depth=w.depth + shift[w.cell] if w.depth else 0.0,
        )
        if w.cell in shift
        else w
        for w in words
    ]


# A gap narrower than this many line heights is a space between two words of one text.
_WORD_SPACE = 0.5


def stretch_cells(words: list[Word], cells: list[Box]) -> list[Box]:
    """``cells`` widened to the words typed on past their right border.

    A flat form filled with a text tool, then printed to PDF, holds text that runs
    over the ruling ("…, Hélène" | "FAUCHER"): the words past the border belong to
    no cell, and a cell read alone would lose them. A word outside every cell that
    follows a word of the cell at an ordinary space, on its line, stretches the cell.
    """
    outside = sorted(
        (w for w in words if not any(_within(w, box) for box in cells)), key=lambda w: w.x0
    )
    stretched = []
    for box in cells:
        inside = [w for w in words if _within(w, box)]
        right = box[2]
        for row in visual_rows(inside):
            last = row[-1]
            for word in outside:
                gap = word.x0 - last.x1
                if 0 <= gap <= _WORD_SPACE * last.height and _same_row(row, word):
                    last = word
            right = max(right, last.x1 + 0.5)
        stretched.append((box[0], box[1], right, box[3]))
    return stretched


def _within(word: Word, box: Box) -> bool:
    x0, top, x1, bottom = box
    return x0 <= (word.x0 + word.x1) / 2 <= x1 and top <= word.middle <= bottom


def visual_rows(words: Iterable[Word]) -> list[list[Word]]:
    """Words grouped into visual rows, top to bottom, each row left to right."""
    rows: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        if rows and _same_row(rows[-1], word):
            rows[-1].append(word)
        else:
            rows.append([word])
    return [sorted(row, key=lambda w: w.x0) for row in rows]


def _flush_left(rows: list[list[Word]]) -> bool:
    """Whether the cell's lines all start at one edge, as text set left does."""
    height = rows[0][0].height
    return max(row[0].x0 for row in rows) - min(row[0].x0 for row in rows) < 0.6 * height


def _unwrap(rows: list[list[Word]], box: Box) -> list[Word]:
    inset = max(min(w.x0 for w in rows[0]) - box[0], 1.0)
    right = box[2] - inset  # text stops this far from the cell's right border
    flush = _flush_left(rows)
    if not flush:
        # Set right or centred, a line does not end where the next word would have gone:
        # it is measured by its own width against the cell's, less the least padding any
        # of its lines leaves (the widest line's), and no more than a cell's usual padding.
        least = min(min(r[0].x0 - box[0], box[2] - r[-1].x1) for r in rows)
        inset = max(min(least, rows[0][0].height), 1.0)
        right = box[2] - inset
    kept = [list(rows[0])]
    depths: dict[int, float] = {}  # a joined line's id -> the bottom of its last row
    for row in rows[1:]:
        line = kept[-1]
        last, first = line[-1], row[0]
        # A token alone on its line that fills it was cut where it met the border.
        cut = len(line) == 1 and last.x1 >= right - 0.6 * last.height
        # Otherwise the next word must clearly not have fitted: a line typed just
        # short of the border ("... Wilson" / "33000 Bordeaux") is a deliberate
        # break, and joining it would lose the comma of an address.
        end = last.x1 if flush else box[0] + inset + (last.x1 - line[0].x0)
        overflow = end + 0.3 * last.height + (first.x1 - first.x0) - right
        # "… de la Préfecture" / "CS 20349", "… du Moulin" / "Bâtiment C": an address's
        # next line, whatever the cell's alignment makes of the first line's width.
        deliberate = first.text[:1].isdigit() or _ADDRESS_LINE_WORD.match(first.text) is not None
        clear = overflow > (0.5 * last.height if flush else 0.0) and not deliberate
        # Nobody ends a line on "et" or starts one in lower case on purpose.
        midsentence = (
            first.text[:1].islower()
            or last.text.lower() in _LINKING_WORDS
            or last.text.endswith("-")  # "DUPONT-" / "MOREAU": the break a hyphen allows
        )
        wrapped = overflow > 0 and (clear or midsentence)
        if not (cut or wrapped):
            kept.append(list(row))
            continue
        tail = " ".join(w.text for w in row)
        # An e-mail address has no space: its end wraps as a fragment of the same token.
        in_address = (
            "@" in last.text
            or tail.startswith("@")
            # "corentin.lebihan." / "direction@adapei72.org": cut after a dot of the name.
            or ("@" in tail and len(line) == 1 and _NAME_CUT.fullmatch(last.text) is not None)
        ) and " " not in tail
        # "DUPONT-" / "MOREAU" is one name; "la santé -" / "Service SAAD" keeps its dash apart.
        hyphen = len(last.text) > 1 and last.text.endswith("-")
        # "FONTAINE-DUBREUIL" filling its line over "Cédric": a word that fitted, the next
        # one wrapped whole; a word cut at the border goes on in its own case ("GRANDJE" /
        # "AN", "Administra" / "tion").
        word_after = (
            last.text[-1:].isalpha()
            and tail[:1].isupper()
            and (tail[1:2].islower() or last.text[-1].islower())
        )
        glue = "" if (cut and not word_after) or in_address or hyphen else " "
        line[-1] = replace(last, text=glue.join((last.text, tail)), x1=max(last.x1, row[-1].x1))
        depths[id(line)] = max(w.bottom for w in row)
    return [
        replace(w, depth=depths[id(line)]) if id(line) in depths else w
        for line in kept
        for w in line
    ]
