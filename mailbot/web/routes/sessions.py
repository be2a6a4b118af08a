"""Sessions: registrations per session, and participant lists to download."""

from __future__ import annotations

from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mailbot.catalog import Session, Webinar, parse_session_key
from mailbot.records.db import unit_of_work
from mailbot.records.models import Invoice, Registration
from mailbot.web import audit, exports
from mailbot.web.downloads import attachment_response
from mailbot.web.overview import session_figures
from mailbot.web.pages import mailbot_app, render

REGISTRATION_LABELS = {"recorded": "enregistrée", "confirmed": "confirmée", "cancelled": "annulée"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _session(request: Request) -> tuple[Webinar, Session]:
    app = mailbot_app(request)
    try:
        webinar_id, day = parse_session_key(request.path_params["key"])
    except ValueError as exc:
        raise HTTPException(404, "Session introuvable.") from exc
    webinar, session = app.catalog.webinar(webinar_id), app.catalog.session(webinar_id, day)
    if webinar is None or session is None:
        raise HTTPException(404, "Session introuvable.")
    return webinar, session


def sessions_list(request: Request) -> Response:
    app = mailbot_app(request)
    today = app.clock.now().astimezone(app.settings.tz).date()
    with unit_of_work(app.db) as db:
        figures = session_figures(db, app.catalog)
    return render(request, "sessions.html", figures=figures, today=today)


def session_page(request: Request) -> Response:
    app = mailbot_app(request)
    webinar, session = _session(request)
    with unit_of_work(app.db) as db:
        registrations = db.scalars(
            select(Registration)
            .where(Registration.webinar_id == webinar.id, Registration.session_date == session.date)
            .order_by(Registration.id)
        ).all()
        invoices = db.scalars(
            select(Invoice).where(Invoice.registration_id.in_([r.id for r in registrations]))
        ).all()
        by_registration: dict[int, list[Invoice]] = {}
        for invoice in invoices:
            by_registration.setdefault(invoice.registration_id, []).append(invoice)
        return render(
            request,
            "session.html",
            webinar=webinar,
            session=session,
            key=request.path_params["key"],
            registrations=registrations,
            invoices=by_registration,
            labels=REGISTRATION_LABELS,
        )


async def export(request: Request) -> Response:
    app = mailbot_app(request)
    webinar, session = _session(request)
    fmt: str = request.path_params["fmt"]
    if fmt not in {"csv", "xlsx"}:
        raise HTTPException(404, "Format inconnu.")
    key: str = request.path_params["key"]

    def work() -> bytes:
        with unit_of_work(app.db) as db:
            rows = exports.participant_rows(db, webinar.id, session.date)
            audit.record(
                db, app, request, "export", f"session:{key}"[:64],
                format=fmt, rows=len(rows),
            )  # fmt: skip
        if fmt == "csv":
            return exports.to_csv(rows)
        return exports.to_xlsx(rows, f"{webinar.id} {session.date.isoformat()}")

    data = await run_in_threadpool(work)
    filename = f"participants-{webinar.id}-{session.date.isoformat()}.{fmt}"
    media = "text/csv; charset=utf-8" if fmt == "csv" else XLSX
    return attachment_response(data, filename, media)


ROUTES = [
    Route("/sessions", sessions_list, methods=["GET"]),
    Route("/sessions/{key:str}", session_page, methods=["GET"]),
    Route("/sessions/{key:str}/participants.{fmt:str}", export, methods=["GET"]),
]
