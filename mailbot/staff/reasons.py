"""Reason codes (``invalid_email:participants[1].email``) as French sentences for staff."""

from __future__ import annotations

import re
from collections.abc import Sequence

from mailbot.templating import Templates

PATH = re.compile(r"^(?P<field>[a-z_]+)(?:\[(?P<index>\d+)\])?(?:\.(?P<sub>[a-z_]+))?$")
FIELD_LABELS = {
    "participants": "participant",
    "organisation": "organisme",
    "manager": "gestionnaire",
    "replacement": "remplaçant",
    "replaced": "participant remplacé",
    "session": "session",
    "email": "adresse e-mail",
    "name": "dénomination",
    "address": "adresse postale",
    "full_name": "prénom et nom",
    "civility": "civilité",
    "first_name": "prénom",
    "last_name": "nom",
    "ocr_confidence": "document numérisé",
}


def field_label(path: str) -> str:
    """'participants[1].email' -> 'adresse e-mail du participant n° 2'."""
    match = PATH.match(path)
    if not match:
        return path
    owner = FIELD_LABELS.get(match["field"], match["field"])
    if match["index"] is not None:
        owner = f"{owner} n° {int(match['index']) + 1}"
    if match["sub"]:
        return f"{FIELD_LABELS.get(match['sub'], match['sub'])} du {owner}"
    return owner


def explain(reasons: Sequence[str], templates: Templates) -> str:
    """All reasons, one French clause each, from templates/staff/reasons.txt."""
    module = templates.get("staff/reasons.txt").module
    clauses = []
    for reason in reasons:
        code, _, path = reason.partition(":")
        macro = getattr(module, code, None) or getattr(module, _family(code), None)
        text = str(macro(field=field_label(path) if path else "")) if macro else code
        clauses.append(" ".join(text.split()))
    return " ; ".join(clauses) + "."


def _family(code: str) -> str:
    """'parser_error_valueerror' -> 'parser_error': codes that carry a detail after a known stem."""
    return code.rsplit("_", 1)[0]
