"""A roster: an export with one row per participant and the organisation's columns repeated.

CRM, HR and planning tools export a registration as a sheet ("Raison sociale | Adresse |
Gestionnaire | Mail gestionnaire | Civilité | Prénom | Nom | Email participant"). Each row
is a participant; the organisation's and the manager's columns hold the same value on every
row. A value that differs from one row to the next is nobody's to choose: it is left
unread, and the form then misses it, for a person to settle.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from mailbot.understanding.dates import fold
from mailbot.understanding.labels import (
    Field,
    Section,
    exact_column,
    exact_field,
    normalise_label,
    section_for,
)

# Who a column belongs to when its header names the manager: "Mail gestionnaire",
# "Responsable inscription", "Contact inscription", "Téléphone contact".
_MANAGER_WORDS = frozenset(
    {"gestionnaire", "responsable", "manager", "contact", "referent", "referente",
     "interlocuteur", "interlocutrice"}
)  # fmt: skip
_FILLER_WORDS = frozenset(
    {"de", "du", "l", "la", "d", "inscription", "formation", "dossier", "registration"}
)
# "Établissement de rattachement", "Association", "Account Name": the organisation's name.
_ORGANISATION_WORDS = frozenset(
    {"etablissement", "structure", "organisme", "association", "collectivite", "organisation",
     "organization", "account", "company", "employeur"}
)  # fmt: skip
_STREET_WORDS = frozenset({"adresse", "address", "voie", "rue", "street"})
_PARTICIPANT_WORDS = frozenset({"participant", "participante", "stagiaire", "agent"})
_EMAIL_WORDS = frozenset({"mail", "e", "email", "courriel", "electronique", "connexion", "mel"})
_ADDRESS_PARTS = (Field.ADDRESS, Field.POSTCODE, Field.CITY)


@dataclass(slots=True)
class Roster:
    """The columns of a roster's header, and the organisation's values read under them."""

    person_columns: list[Field | None]  # per cell; the organisation's columns IGNORED
    form_columns: dict[int, Field]  # cell index -> the organisation's or manager's field
    unknown: list[str] = field(default_factory=list)  # headers of columns nobody reads
    values: dict[int, list[str]] = field(default_factory=dict)
    complements: set[int] = field(default_factory=set)  # "Complément d'adresse" columns

    def read_row(self, cells: Sequence[str]) -> None:
        for index in self.form_columns:
            if index < len(cells) and cells[index].strip():
                self.values.setdefault(index, []).append(cells[index].strip())

    def settled(self) -> dict[Field, str]:
        """Each field the same on every row; the address's parts joined in column order."""
        same: dict[int, str] = {}
        for index, found in self.values.items():
            if len({fold(v) for v in found}) == 1:
                same[index] = found[0]
        out: dict[Field, str] = {}
        fields = self.form_columns
        for index, value in same.items():
            if fields[index] not in (*_ADDRESS_PARTS, Field.SESSION):
                out.setdefault(fields[index], value)
        street = [same[i] for i in sorted(same) if fields[i] is Field.ADDRESS]
        town = [same[i] for i in sorted(same) if fields[i] in (Field.POSTCODE, Field.CITY)]
        differing = any(fields[i] in _ADDRESS_PARTS and i not in same for i in self.values)
        # A complement alone ("CS 40264") is no street: the address is left for a person.
        main = any(fields[i] is Field.ADDRESS and i not in self.complements for i in same)
        if street and main and not differing:
            out[Field.ADDRESS] = ", ".join([*street, *([" ".join(town)] if town else [])])
        return out

    def sessions(self) -> list[str]:
        """Every session named in a "Session" column: two of them is no one choice."""
        found = [
            v for i, vs in self.values.items() if self.form_columns[i] is Field.SESSION for v in vs
        ]
        return list(dict.fromkeys(found))


def roster_header(cells: Sequence[str]) -> Roster | None:
    """The roster whose header ``cells`` are, or None for any other row."""
    person: list[Field | None] = []
    form: dict[int, Field] = {}
    for index, cell in enumerate(cells):
        found = _form_field(cell) if cell.strip() else None
        if found is not None:
            form[index] = found
            person.append(Field.IGNORED)
        else:
            person.append(_person_column(cell) if cell.strip() else None)
    complements = {i for i in form if _complement(_header_words(cells[i]))}
    _managers_bare_columns(cells, person, form)
    civilities = [i for i, column in enumerate(person) if column is Field.CIVILITY]
    if len(civilities) > 1:
        # "Salutation | … | Title": beside the civility's own column, "Title" is the job.
        for i in civilities:
            if normalise_label(cells[i]) in ("title", "titre"):
                person[i] = Field.IGNORED
    named = {Field.FIRST_NAME, Field.LAST_NAME} <= set(person) or Field.FULL_NAME in person
    owned = set(form.values())
    if not named or Field.EMAIL not in person or Field.ORG_NAME not in owned:
        return None
    if not owned & {Field.ADDRESS, Field.MANAGER_NAME, Field.MANAGER_EMAIL}:
        return None  # an "Établissement" column beside the names: whose each one is
    unknown = [c.strip() for i, c in enumerate(cells) if c.strip() and person[i] is None]
    return Roster(person, form, unknown, complements=complements)


_MANAGERS = (Field.MANAGER_NAME, Field.MANAGER_EMAIL, Field.PHONE, Field.SERVICE)


def _managers_bare_columns(
    cells: Sequence[str], person: list[Field | None], form: dict[int, Field]
) -> None:
    """ "Gestionnaire | Courriel gestionnaire | Téléphone | Service | Civilité | …": a bare
    "Téléphone" or "Service" right after the manager's columns, before the participants'
    own, is the manager's too."""
    index = max((i for i, f in form.items() if f in _MANAGERS), default=None)
    while index is not None and index + 1 < len(cells):
        index += 1
        found = exact_field(cells[index])
        if found not in (Field.PHONE, Field.SERVICE) or found in form.values():
            return
        form[index] = found
        person[index] = Field.IGNORED


def is_total_row(cells: Sequence[str]) -> bool:
    """ "TOTAL | | | 4375": the sheet's sum under its rows, nobody's row."""
    return any(normalise_label(c) in ("total", "total general", "totaux") for c in cells)


def _header_words(cell: str) -> list[str]:
    words = normalise_label(cell).split()
    if words[:1] in (["billing"], ["facturation"]) and len(words) > 1:
        return words[1:]  # "Billing Street", "Billing City": the address IPP bills
    return words


def _form_field(cell: str) -> Field | None:
    words = _header_words(cell)
    if not words:
        return None
    if _MANAGER_WORDS & set(words):
        return _manager_field([w for w in words if w not in _MANAGER_WORDS | _FILLER_WORDS])
    if _complement(words):
        return Field.ADDRESS  # "Complément d'adresse", "Address line 2": the street's next line
    if words[0] in _STREET_WORDS and not _EMAIL_WORDS & set(words[1:]):
        return Field.ADDRESS  # "Adresse", "Adresse postale", "Adresse établissement", "Voie"
    if words[0] in _ORGANISATION_WORDS and not _MANAGER_WORDS & set(words):
        return Field.ORG_NAME
    found = exact_field(" ".join(words))
    if found in (Field.ORG_NAME, Field.POSTCODE, Field.CITY, Field.SESSION):
        return found
    if section_for(cell) is Section.ORGANISATION:
        return Field.ORG_NAME  # "Établissement", "Structure"
    return None


def _complement(words: list[str]) -> bool:
    """ "Complément d'adresse", "Address line 2", "Adresse 2": the street's next line."""
    return words[0] == "complement" or (
        words[0] in ("adresse", "address") and words[-1] in ("2", "3")
    )


def _manager_field(rest: list[str]) -> Field | None:
    if not rest:
        return Field.MANAGER_NAME  # "Gestionnaire", "Responsable inscription"
    key = " ".join(rest)
    column = exact_column(key)
    found = exact_field(key)
    if column is Field.EMAIL or found is Field.MANAGER_EMAIL:
        return Field.MANAGER_EMAIL
    if found is Field.PHONE:
        return Field.PHONE
    if found is Field.SERVICE:
        return Field.SERVICE
    if column in (Field.FULL_NAME, Field.LAST_NAME) or found is Field.MANAGER_NAME:
        return Field.MANAGER_NAME
    return None


def _person_column(cell: str) -> Field | None:
    """A participant's column; "Email participant" is the participant's e-mail."""
    words = [w for w in normalise_label(cell).split() if w not in _PARTICIPANT_WORDS]
    return exact_column(" ".join(words)) if words else None
