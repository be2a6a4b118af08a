"""Staff corrections to an understood mail: ``participants[1].email=x@y.fr`` and friends.

Pure: a stored understanding dict and a list of ``path=value`` in, a new dict out,
or a ``CorrectionError`` naming the path that does not exist.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from typing import Any

from mailbot.catalog import parse_session_key

STEP = re.compile(r"(?P<key>[a-z_]+)(?:\[(?P<index>\d+)\])?")
OBJECTS = {
    "organisation": {"name": None, "address": None},
    "manager": {"full_name": None, "email": None, "service": None, "phone": None},
    "replaced": {"civility": None, "first_name": None, "last_name": None, "email": None},
    "replacement": {"civility": None, "first_name": None, "last_name": None, "email": None},
    "buyer": {"siret": None, "service_code": None, "engagement_number": None},
}
PERSON = {"civility": None, "first_name": None, "last_name": None, "email": None}
SCALARS = {"declared_count", "declared_total_eur", "signed_place", "signed_date", "signatory"}


class CorrectionError(ValueError):
    """A correction that names no field, or gives an unusable value."""


def parse_assignments(items: list[str]) -> dict[str, str]:
    """``["a.b=c", ...]`` -> ``{"a.b": "c"}``; an empty value clears the field."""
    result: dict[str, str] = {}
    for item in items:
        path, sep, value = item.partition("=")
        if not sep or not path.strip():
            raise CorrectionError(
                f"« {item} » : écrire chemin=valeur, par ex. participants[0].email=a@b.fr"
            )
        result[path.strip()] = value.strip()
    return result


def apply(understanding: Mapping[str, Any], corrections: Mapping[str, str]) -> dict[str, Any]:
    data = copy.deepcopy(dict(understanding))
    for path, value in corrections.items():
        _set(data, path, value or None)
    # A value a person typed is no uncertain reading any more.
    doubted = data.get("uncertain_fields") or []
    data["uncertain_fields"] = [
        name for name in doubted if not any(_covers(path, name) for path in corrections)
    ]
    return data


def _covers(path: str, uncertain: str) -> bool:
    """Whether correcting ``path`` settles the doubt on ``uncertain`` ("replacement.email"
    settles "replacement"; "participants[0].email" settles itself)."""
    return path == uncertain or path.startswith(uncertain + ".")


def _set(data: dict[str, Any], path: str, value: str | None) -> None:
    if path == "session":
        if value is None:
            data["session"] = None
            return
        try:
            webinar_id, day = parse_session_key(value)
        except ValueError as exc:
            raise CorrectionError(f"session : {exc} (ex. cpom-saad@2027-03-18)") from exc
        data["session"] = {"webinar_id": webinar_id, "date": day.isoformat()}
        return
    if path in SCALARS:
        data[path] = int(value) if path == "declared_count" and value is not None else value
        return
    if path == "participants.remove" and value is not None:
        position = int(value)
        participants = data.get("participants") or []
        if not 0 <= position < len(participants):
            raise CorrectionError(f"participants.remove : pas de participant n° {position}")
        participants.pop(position)
        return
    head, _, field = path.partition(".")
    step = STEP.fullmatch(head)
    if step is None or not field:
        raise CorrectionError(f"champ inconnu : {path}")
    key, index = step["key"], step["index"]
    if key == "participants" and index is not None:
        participants = data.setdefault("participants", [])
        position = int(index)
        if position > len(participants):
            raise CorrectionError(
                f"{path} : ajouter les participants dans l'ordre (n° {len(participants)} attendu)"
            )
        if position == len(participants):
            participants.append(dict(PERSON))
        if field not in PERSON:
            raise CorrectionError(f"champ inconnu : {path}")
        participants[position][field] = value
        return
    if key in OBJECTS and index is None and field in OBJECTS[key]:
        target = data.get(key) or dict(OBJECTS[key])
        target[field] = value
        data[key] = target
        return
    raise CorrectionError(f"champ inconnu : {path}")
