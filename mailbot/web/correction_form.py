"""The correction form of a review item, built from the stored understanding.

Each field is named by its correction path (``participants[1].email``); on submit
only the fields whose value changed are passed to the approval.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

PERSON_FIELDS = (
    ("civility", "Civilité"),
    ("first_name", "Prénom"),
    ("last_name", "Nom"),
    ("email", "E-mail"),
)
GROUPS: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    ("organisation", "Organisme", (("name", "Nom"), ("address", "Adresse"))),
    (
        "manager",
        "Responsable du suivi",
        (("full_name", "Nom"), ("email", "E-mail"), ("service", "Service"), ("phone", "Téléphone")),
    ),
    (
        "buyer",
        "Facturation",
        (
            ("siret", "SIRET"),
            ("service_code", "Code service Chorus"),
            ("engagement_number", "N° d'engagement"),
        ),
    ),
)
SCALARS = (
    ("declared_count", "Nombre de participants déclaré"),
    ("declared_total_eur", "Montant total déclaré (€)"),
    ("signed_place", "Fait à"),
    ("signed_date", "Le (AAAA-MM-JJ)"),
    ("signatory", "Signataire"),
)


@dataclass(frozen=True, slots=True)
class Field:
    path: str
    label: str
    value: str


@dataclass(frozen=True, slots=True)
class Section:
    title: str
    fields: tuple[Field, ...]


@dataclass(frozen=True, slots=True)
class ParticipantRow:
    number: int
    fields: tuple[Field, ...]


@dataclass(frozen=True, slots=True)
class CorrectionForm:
    session: str
    sections: tuple[Section, ...]
    participants: tuple[ParticipantRow, ...]


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _blank_rows(people: list[Any]) -> int:
    """Empty participant rows offered: one for a participant the reader missed, several
    for a form typed in by hand because it could not be read at all."""
    return 1 if people else _TYPED_IN_ROWS


_TYPED_IN_ROWS = 6


def current_values(understanding: Mapping[str, Any]) -> dict[str, str]:
    """Every correctable path with its stored value as text ('' when absent)."""
    values: dict[str, str] = {}
    session = understanding.get("session") or {}
    values["session"] = f"{session['webinar_id']}@{session['date']}" if session else ""
    for key, _title, fields in GROUPS:
        group = understanding.get(key) or {}
        for name, _label in fields:
            values[f"{key}.{name}"] = _text(group.get(name))
    people = list(understanding.get("participants") or [])
    for index, person in enumerate([*people, *[{}] * _blank_rows(people)]):
        for name, _label in PERSON_FIELDS:
            values[f"participants[{index}].{name}"] = _text((person or {}).get(name))
    for name, _label in SCALARS:
        values[name] = _text(understanding.get(name))
    return values


def build(understanding: Mapping[str, Any]) -> CorrectionForm:
    values = current_values(understanding)
    sections = tuple(
        Section(
            title, tuple(Field(f"{key}.{n}", label, values[f"{key}.{n}"]) for n, label in fields)
        )
        for key, title, fields in GROUPS
    )
    sections += (Section("Bulletin", tuple(Field(n, label, values[n]) for n, label in SCALARS)),)
    people = understanding.get("participants") or []
    count = len(people) + _blank_rows(people)
    participants = tuple(
        ParticipantRow(
            i + 1,
            tuple(
                Field(f"participants[{i}].{n}", label, values[f"participants[{i}].{n}"])
                for n, label in PERSON_FIELDS
            ),
        )
        for i in range(count)
    )
    return CorrectionForm(values["session"], sections, participants)


def changed(understanding: Mapping[str, Any], submitted: Mapping[str, str]) -> dict[str, str]:
    """Only what staff changed: unchanged fields are never rewritten by the approval."""
    return {
        path: submitted[path].strip()
        for path, before in current_values(understanding).items()
        if path in submitted and submitted[path].strip() != before.strip()
    }
