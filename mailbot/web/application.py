"""The ASGI application factory: routes, middleware order, error pages."""

from __future__ import annotations

import secrets
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

from mailbot.app import App
from mailbot.web import routes
from mailbot.web.auth import RequireLogin
from mailbot.web.headers import SecurityHeaders
from mailbot.web.pages import make_pages, render

STATIC = Path(__file__).resolve().parent / "static"
SESSION_COOKIE = "mailbot_session"


class MissingSecret(RuntimeError):
    """`mailbot web` without MAILBOT_WEB__SESSION_SECRET outside demo mode."""


def session_secret(app: App, *, demo: bool = False) -> str:
    """The configured secret; a throw-away one in demo mode (sessions end with the process)."""
    configured = app.settings.web.session_secret
    if configured is not None and len(configured.get_secret_value()) >= 32:
        return configured.get_secret_value()
    if demo:
        return secrets.token_urlsafe(48)
    raise MissingSecret(
        "web.session_secret: set MAILBOT_WEB__SESSION_SECRET to a random string of at least "
        '32 characters, e.g. python -c "import secrets; print(secrets.token_urlsafe(48))"'
    )


def create_app(app: App, *, secret: str | None = None, demo: bool = False) -> Starlette:
    """The staff interface over ``app``'s database; ``secret`` signs the session cookies."""
    web = app.settings.web
    middleware = [
        # Outermost first: headers go on every answer, even the login redirect.
        Middleware(SecurityHeaders),
        Middleware(
            SessionMiddleware,
            secret_key=secret or session_secret(app, demo=demo),
            session_cookie=SESSION_COOKIE,
            max_age=web.session_max_age_s,
            same_site="lax",
            https_only=web.secure_cookies,
        ),
        Middleware(RequireLogin, mailbot=app),
    ]
    all_routes: list[BaseRoute] = [
        *routes.all_routes(),
        Mount("/static", app=StaticFiles(directory=STATIC), name="static"),
    ]
    asgi = Starlette(
        routes=all_routes,
        middleware=middleware,
        exception_handlers={HTTPException: _error_page},
        # Forms are a few fields; this stops a client from streaming megabytes at us.
        max_body_size=1_000_000,
    )
    asgi.state.mailbot = app
    asgi.state.pages = make_pages(app)
    return asgi


async def _error_page(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return render(request, "error.html", status_code=exc.status_code, error=exc)
