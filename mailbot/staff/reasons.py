"""Reason codes (``invalid_email:participants[1].email``) as French sentences for staff."""

from __future__ import annotations

import re
from collections.abc import Sequence

from mailbot.templating import Templates

PATH = re.compile(r"^(?P<field>[a-z_]+)(?:\[(?P<index>\d+)\])?(?:\.(?P<sub>[a-z_]+))?$")
# Whose field it is, with the article French puts before it ("de l'organisme").
OWNERS = {
    "participants": "du participant",
    "organisation": "de l'organisme",
    "manager": "du gestionnaire",
    "replacement": "du remplaçant",
    "replaced": "du participant remplacé",
}
FIELD_LABELS = {
    "email": "adresse e-mail",
    "name": "dénomination",
    "address": "adresse postale",
    "full_name": "prénom et nom",
    "civility": "civilité",
    "first_name": "prénom",
    "last_name": "nom",
    "phone": "téléphone",
    "service": "service",
    "session": "session",
    "participants": "participants",
    "declared_count": "nombre de participants déclaré",
    "declared_total_eur": "montant total déclaré",
    "signatory": "signataire",
    "signed_place": "lieu de signature (« Fait à »)",
    "signed_date": "date de signature",
    "ocr_confidence": "document numérisé",
    "unread_line": "ligne du formulaire restée illisible",
    "unread_column": "colonne du fichier joint non reconnue",
}


def field_label(path: str) -> str:
    """'participants[1].email' -> 'adresse e-mail du participant n° 2'."""
    match = PATH.match(path)
    if not match:
        return path
    field, index, sub = match["field"], match["index"], match["sub"]
    if field not in OWNERS:
        return FIELD_LABELS.get(field, field)
    owner = OWNERS[field] + (f" n° {int(index) + 1}" if index is not None else "")
    if sub:
        return f"{FIELD_LABELS.get(sub, sub)} {owner}"
    return owner.split(" ", 1)[1] if owner.startswith("du ") else owner.removeprefix("de l'")


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
