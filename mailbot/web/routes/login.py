"""Login and logout."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from mailbot.records.db import unit_of_work
from mailbot.web import audit, csrf
from mailbot.web.auth import attempt_login, current_staff, end_sessions, safe_next, start_session
from mailbot.web.pages import mailbot_app, render


def login_page(request: Request) -> Response:
    return render(
        request, "login.html", next=safe_next(request.query_params.get("next")), error=None
    )


async def login(request: Request) -> Response:
    form = await csrf.checked_form(request)
    username = str(form.get("username") or "")
    password = str(form.get("password") or "")
    target = safe_next(str(form.get("next") or ""))
    app = mailbot_app(request)
    result = await run_in_threadpool(
        attempt_login, app, username, password, audit.client_ip(request)
    )
    if result.staff is None:
        minutes = app.settings.web.login_window_s // 60
        error = (
            f"Trop de tentatives infructueuses : réessayez dans {minutes} minutes."
            if result.blocked
            else "Identifiant ou mot de passe incorrect."
        )
        status = 429 if result.blocked else 401
        return render(request, "login.html", status_code=status, next=target, error=error)
    start_session(request, result.staff)
    return RedirectResponse(target, status_code=303)


async def logout(request: Request) -> Response:
    await csrf.checked_form(request)
    staff = current_staff(request)
    app = mailbot_app(request)

    def work() -> None:
        end_sessions(app, staff)
        with unit_of_work(app.db) as db:
            audit.record(db, app, request, "logout")

    await run_in_threadpool(work)
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


ROUTES = [
    Route("/login", login_page, methods=["GET"]),
    Route("/login", login, methods=["POST"]),
    Route("/logout", logout, methods=["POST"]),
]
