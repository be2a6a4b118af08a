"""Who is asking: staff login with rate limiting, and the gate in front of every page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import quote

from sqlalchemy import func, select
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from mailbot.app import App
from mailbot.records.db import unit_of_work
from mailbot.records.models import AuditEntry, StaffUser
from mailbot.web.passwords import verify_password

PUBLIC_PATHS = frozenset({"/login"})
PUBLIC_PREFIXES = ("/static/",)


@dataclass(frozen=True, slots=True)
class Staff:
    id: int
    username: str
    display_name: str
    epoch: int


@dataclass(frozen=True, slots=True)
class LoginResult:
    staff: Staff | None
    blocked: bool = False


def attempt_login(app: App, username: str, password: str, ip: str | None) -> LoginResult:
    """Check a password, counting failures per username and address; audits every outcome."""
    username = username.strip().lower()[:64]
    web = app.settings.web
    now = app.clock.now()
    with unit_of_work(app.db) as db:
        since = now - dt.timedelta(seconds=web.login_window_s)
        failures = db.scalar(
            select(func.count(AuditEntry.id)).where(
                AuditEntry.action == "login_failed",
                AuditEntry.username == username,
                AuditEntry.ip == ip,
                AuditEntry.at >= since,
            )
        )
        if (failures or 0) >= web.login_max_failures:
            # Refused before the password is even checked: guessing on gains nothing.
            db.add(AuditEntry(at=now, username=username, action="login_refused", ip=ip))
            return LoginResult(None, blocked=True)
        user = db.scalar(select(StaffUser).where(StaffUser.username == username))
        valid = verify_password(user.password_hash if user else None, password)
        if user is None or not valid or not user.active:
            db.add(AuditEntry(at=now, username=username, action="login_failed", ip=ip))
            return LoginResult(None)
        user.last_login_at = now
        db.add(AuditEntry(at=now, username=username, action="login", ip=ip))
        return LoginResult(Staff(user.id, user.username, user.display_name, user.session_epoch))


def end_sessions(app: App, staff: Staff) -> None:
    """Void every cookie this person holds (logout is meant everywhere)."""
    with unit_of_work(app.db) as db:
        user = db.get(StaffUser, staff.id)
        if user is not None:
            user.session_epoch += 1


def load_staff(app: App, user_id: object, epoch: object) -> Staff | None:
    if not isinstance(user_id, int) or not isinstance(epoch, int):
        return None
    with unit_of_work(app.db) as db:
        user = db.get(StaffUser, user_id)
        if user is None or not user.active or user.session_epoch != epoch:
            return None
        return Staff(user.id, user.username, user.display_name, user.session_epoch)


def start_session(request: Request, staff: Staff) -> None:
    # A fresh session (and CSRF token) at login: nothing chosen before login survives it.
    request.session.clear()
    request.session.update({"uid": staff.id, "epoch": staff.epoch})


def current_staff(request: Request) -> Staff:
    staff = request.scope.get("state", {}).get("staff")
    if not isinstance(staff, Staff):  # the gate guarantees it; this is a programming error
        raise RuntimeError("page reached without a logged-in staff member")
    return staff


def safe_next(target: str | None) -> str:
    """Only our own paths: a crafted ?next= must not send staff to another site."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/"


class RequireLogin:
    """Every path but the login page and static files needs a valid staff session."""

    def __init__(self, app: ASGIApp, mailbot: App) -> None:
        self.app = app
        self.mailbot = mailbot

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES):
            await self.app(scope, receive, send)
            return
        session = scope.get("session", {})
        staff = await run_in_threadpool(
            load_staff, self.mailbot, session.get("uid"), session.get("epoch")
        )
        if staff is None:
            query = scope.get("query_string", b"").decode("latin-1")
            wanted = path + (f"?{query}" if query else "")
            response = RedirectResponse(f"/login?next={quote(wanted, safe='')}", status_code=303)
            await response(scope, receive, send)
            return
        scope.setdefault("state", {})["staff"] = staff
        await self.app(scope, receive, send)
