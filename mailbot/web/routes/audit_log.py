"""The audit trail page: who did what from this interface."""

from __future__ import annotations

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mailbot.records.db import unit_of_work
from mailbot.records.models import AuditEntry
from mailbot.web.audit import ACTION_LABELS
from mailbot.web.pages import mailbot_app, render


def audit_page(request: Request) -> Response:
    app = mailbot_app(request)
    with unit_of_work(app.db) as db:
        entries = db.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(300)).all()
    return render(request, "audit.html", entries=entries, labels=ACTION_LABELS)


ROUTES = [Route("/audit", audit_page, methods=["GET"])]
