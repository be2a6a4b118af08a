"""The audit trail: one row per staff action, written in the action's own transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session as DbSession
from starlette.requests import Request

from mailbot.app import App
from mailbot.records.models import AuditEntry

# Shown to staff on the audit page and in a review item's history.
ACTION_LABELS = {
    "login": "connexion",
    "login_failed": "échec de connexion",
    "login_refused": "connexion refusée (trop d'échecs)",
    "logout": "déconnexion",
    "review_approve": "approbation",
    "review_approve_refused": "approbation refusée",
    "review_reject": "rejet",
    "review_resolve": "résolution",
    "attachment_download": "téléchargement d'une pièce jointe",
    "invoice_download": "téléchargement d'une facture",
    "credit_note": "émission d'un avoir",
    "chorus_deposited": "dépôt Chorus Pro noté",
    "export": "export des participants",
    "user_added": "compte créé",
    "user_disabled": "compte désactivé",
}


def client_ip(request: Request) -> str | None:
    # The proxy in front is trusted only if uvicorn runs with --forwarded-allow-ips;
    # then request.client already carries the original address.
    return request.client.host if request.client else None


def record(
    db: DbSession,
    app: App,
    request: Request,
    action: str,
    target: str | None = None,
    **detail: Any,
) -> AuditEntry:
    """Add the logged-in staff member's ``action`` on ``target`` to ``db``'s transaction."""
    staff = request.scope.get("state", {}).get("staff")
    entry = AuditEntry(
        at=app.clock.now(),
        username=staff.username if staff is not None else "?",
        action=action,
        target=target,
        ip=client_ip(request),
        detail=detail or None,
    )
    db.add(entry)
    return entry
