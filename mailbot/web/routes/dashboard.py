"""The dashboard: is the daemon healthy, what happened today, what is coming."""

from __future__ import annotations

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mailbot.records.db import unit_of_work
from mailbot.records.models import OutboundMail, OutboundStatus
from mailbot.staff.status import collect
from mailbot.web.overview import session_figures
from mailbot.web.pages import mailbot_app, render

TODAY_LABELS = {
    "done": "traités automatiquement",
    "review": "mis en vérification",
    "ignored": "ignorés",
    "pending": "en cours de traitement",
}


def dashboard(request: Request) -> Response:
    app = mailbot_app(request)
    status = collect(app, events=10)
    today = app.clock.now().astimezone(app.settings.tz).date()
    with unit_of_work(app.db) as db:
        failed = db.scalars(
            select(OutboundMail)
            .where(OutboundMail.status.in_([OutboundStatus.FAILED, OutboundStatus.RETRY_WAIT]))
            .order_by(OutboundMail.id.desc())
            .limit(10)
        ).all()
        upcoming = session_figures(db, app.catalog, since=today)[:8]
    return render(
        request,
        "dashboard.html",
        status=status,
        today=[(TODAY_LABELS[k], n) for k, n in status.inbound_today.items()],
        failed=failed,
        upcoming=upcoming,
    )


ROUTES = [Route("/", dashboard, methods=["GET"])]
