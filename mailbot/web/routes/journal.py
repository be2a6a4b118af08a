"""The status log: every event, filtered by day, kind, level and organisation."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from sqlalchemy import Select, func, or_, select
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mailbot.clock import local_instant
from mailbot.records.db import unit_of_work
from mailbot.records.models import Event, Registration
from mailbot.web.pages import mailbot_app, render

PAGE_SIZE = 50
LEVELS = {"info": "information", "warning": "à vérifier", "error": "erreur"}


def _parse_day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def journal(request: Request) -> Response:
    app = mailbot_app(request)
    params = request.query_params
    filters = {k: params.get(k, "").strip() for k in ("day", "kind", "level", "q")}
    try:
        page = max(1, int(params.get("page", "1")))
    except ValueError:
        page = 1
    query: Select[Event] = select(Event).outerjoin(
        Registration, Event.registration_id == Registration.id
    )
    day = _parse_day(filters["day"])
    if day is not None:
        start = local_instant(day, dt.time(), app.settings.tz)
        query = query.where(Event.at >= start, Event.at < start + dt.timedelta(days=1))
    if filters["kind"]:
        query = query.where(Event.kind == filters["kind"])
    if filters["level"] in LEVELS:
        query = query.where(Event.level == filters["level"])
    if filters["q"]:
        # Organisation names live on the registration, but most sentences name it too.
        pattern = f"%{filters['q']}%"
        query = query.where(
            or_(Registration.organisation_name.ilike(pattern), Event.sentence.ilike(pattern))
        )
    with unit_of_work(app.db) as db:
        total = db.scalar(select(func.count()).select_from(query.subquery())) or 0
        events = db.scalars(
            query.order_by(Event.id.desc()).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)
        ).all()
        kinds = db.scalars(select(Event.kind).distinct().order_by(Event.kind)).all()
    pages = max(1, -(-total // PAGE_SIZE))
    kept = {k: v for k, v in filters.items() if v}
    return render(
        request,
        "journal.html",
        events=events,
        filters=filters,
        kinds=kinds,
        levels=LEVELS,
        total=total,
        page=page,
        pages=pages,
        page_link=lambda n: "?" + urlencode({**kept, "page": n}),
    )


ROUTES = [Route("/journal", journal, methods=["GET"])]
