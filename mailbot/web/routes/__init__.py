"""One module per page group; this list is the whole URL map."""

from __future__ import annotations

from starlette.routing import BaseRoute

from mailbot.web.routes import (
    audit_log,
    dashboard,
    invoices,
    journal,
    login,
    mails,
    review,
    sessions,
)


def all_routes() -> list[BaseRoute]:
    return [
        *login.ROUTES,
        *dashboard.ROUTES,
        *journal.ROUTES,
        *mails.ROUTES,
        *review.ROUTES,
        *sessions.ROUTES,
        *invoices.ROUTES,
        *audit_log.ROUTES,
    ]
