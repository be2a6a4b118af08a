"""Story helpers for the staff web interface: a staff member, a logged-in browser session."""

from __future__ import annotations

import re
from pathlib import Path

from starlette.testclient import TestClient

from mailbot.app import App
from mailbot.web import create_app
from mailbot.web.users import add_user

SECRET = "test-secret-" + "x" * 40
PASSWORD = "correct horse battery"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def sophie(app: App) -> None:
    add_user(app, "sophie", PASSWORD, "Sophie Martin")


def client_for(app: App) -> TestClient:
    return TestClient(create_app(app, secret=SECRET), follow_redirects=False)


def csrf_token(client: TestClient, path: str = "/login") -> str:
    found = TOKEN.search(client.get(path).text)
    assert found, f"no CSRF token on {path}"
    return found[1]


def log_in(client: TestClient, username: str = "sophie", password: str = PASSWORD) -> int:
    token = csrf_token(client)
    response = client.post(
        "/login", data={"csrf_token": token, "username": username, "password": password}
    )
    return response.status_code


def web_app(tmp_path: Path) -> App:
    from tests.story import app_for

    app = app_for(tmp_path)
    sophie(app)
    return app
