"""Staff accounts: create, list, disable. Used by `mailbot user` and the tests."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from mailbot.app import App
from mailbot.records.db import unit_of_work
from mailbot.records.models import AuditEntry, StaffUser
from mailbot.web.passwords import hash_password


class UserError(ValueError):
    """An account that cannot be created or changed as asked."""


def add_user(app: App, username: str, password: str, display_name: str | None = None) -> StaffUser:
    username = username.strip().lower()
    if not username or len(username) > 64 or any(c.isspace() for c in username):
        raise UserError("identifiant vide, trop long ou contenant des espaces")
    password_hash = hash_password(password)
    with unit_of_work(app.db) as db:
        if db.scalar(select(StaffUser).where(StaffUser.username == username)) is not None:
            raise UserError(f"le compte « {username} » existe déjà")
        user = StaffUser(
            username=username,
            display_name=(display_name or username).strip(),
            password_hash=password_hash,
            created_at=app.clock.now(),
        )
        db.add(user)
        db.add(_audit(app, "user_added", username))
        return user


def list_users(app: App) -> Sequence[StaffUser]:
    with unit_of_work(app.db) as db:
        return db.scalars(select(StaffUser).order_by(StaffUser.username)).all()


def disable_user(app: App, username: str) -> None:
    with unit_of_work(app.db) as db:
        user = db.scalar(select(StaffUser).where(StaffUser.username == username.strip().lower()))
        if user is None:
            raise UserError(f"aucun compte « {username} »")
        user.active = False
        # Also voids the cookies already issued: a disabled account is out at once.
        user.session_epoch += 1
        db.add(_audit(app, "user_disabled", user.username))


def _audit(app: App, action: str, username: str) -> AuditEntry:
    return AuditEntry(
        at=app.clock.now(), username="cli", action=action, target=f"staff_user:{username}"
    )
