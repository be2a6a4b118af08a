"""Rendering pages with the project's Jinja environment (same filters, StrictUndefined)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

from mailbot.app import App
from mailbot.web import csrf


def _common(request: Request) -> dict[str, Any]:
    return {
        "staff": request.scope.get("state", {}).get("staff"),
        "csrf_token": csrf.token(request),
        "path": request.url.path,
        "flash": request.session.pop("flash", None),
    }


def make_pages(app: App) -> Jinja2Templates:
    return Jinja2Templates(env=app.templates.env, context_processors=[_common])


def mailbot_app(request: Request) -> App:
    app: App = request.app.state.mailbot
    return app


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> Response:
    pages: Jinja2Templates = request.app.state.pages
    return pages.TemplateResponse(request, f"web/{name}", context, status_code=status_code)


def flash(request: Request, message: str, ok: bool = True) -> None:
    """A one-line message shown on the next page (after a POST-redirect-GET)."""
    request.session["flash"] = {"message": message, "ok": ok}
