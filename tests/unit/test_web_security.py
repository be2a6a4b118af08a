"""The staff interface keeps strangers out: login, sessions, CSRF, rate limit, headers."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from starlette.routing import Route

from mailbot.records.db import unit_of_work
from mailbot.records.models import AuditEntry
from mailbot.web import create_app
from mailbot.web.application import MissingSecret, session_secret
from mailbot.web.auth import safe_next
from mailbot.web.users import disable_user
from tests.web_helpers import SECRET, client_for, csrf_token, log_in, web_app

SAMPLE_PARAMS = {
    "mail_id": "1",
    "index": "0",
    "item_id": "1",
    "invoice_id": "1",
    "key": "cpom-saad@2027-03-18",
    "fmt": "csv",
}


def every_route(app):
    """(method, concrete path) for every route the application declares."""
    asgi = create_app(app, secret=SECRET)
    for route in asgi.routes:
        if not isinstance(route, Route):
            continue
        path = re.sub(r"{(\w+)(:\w+)?}", lambda m: SAMPLE_PARAMS[m[1]], route.path)
        for method in sorted(route.methods or ()):
            if method != "HEAD":
                yield method, path


@pytest.fixture
def app(tmp_path):
    application = web_app(tmp_path)
    yield application
    application.dispose()


def test_every_page_but_login_needs_a_session(app):
    client = client_for(app)
    routes = list(every_route(app))
    assert len(routes) >= 18
    for method, path in routes:
        if path == "/login":
            continue
        response = client.request(method, path)
        assert response.status_code == 303, (method, path)
        assert response.headers["location"].startswith("/login?next="), (method, path)


def test_login_opens_the_dashboard_and_logout_voids_the_cookie(app):
    client = client_for(app)
    assert log_in(client) == 303
    page = client.get("/")
    assert page.status_code == 200 and "Tableau de bord" in page.text
    stolen = dict(client.cookies)

    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    assert client.get("/").status_code == 303

    # A copy of the cookie taken before logout no longer opens anything.
    replay = client_for(app)
    replay.cookies.update(stolen)
    assert replay.get("/").status_code == 303


def test_a_wrong_password_is_refused_and_audited(app):
    client = client_for(app)
    assert log_in(client, password="not the password") == 401
    assert client.get("/").status_code == 303
    with unit_of_work(app.db) as db:
        actions = db.scalars(select(AuditEntry.action)).all()
    assert "login_failed" in actions


def test_five_failures_lock_the_account_for_this_address(app):
    client = client_for(app)
    for _ in range(5):
        assert log_in(client, password="guess") == 401
    # Even the right password is refused now: guessing on gains nothing.
    assert log_in(client) == 429
    assert client.get("/").status_code == 303
    # Another account from the same address is not affected.
    assert log_in(client_for(app), username="someone-else", password="x") == 401


def test_every_form_without_the_token_is_refused(app):
    client = client_for(app)
    log_in(client)
    posts = [(m, p) for m, p in every_route(app) if m == "POST"]
    assert len(posts) >= 6
    for _method, path in posts:
        assert client.post(path, data={}).status_code == 403, path
        assert client.post(path, data={"csrf_token": "forged"}).status_code == 403, path
    assert client.get("/").status_code == 200  # still logged in: logout was refused too


def test_login_form_needs_its_token_too(app):
    client = client_for(app)
    response = client.post("/login", data={"username": "sophie", "password": "x" * 12})
    assert response.status_code == 403


def test_a_disabled_account_is_out_at_once(app):
    client = client_for(app)
    log_in(client)
    disable_user(app, "sophie")
    assert client.get("/").status_code == 303
    assert log_in(client_for(app)) == 401


def test_security_headers_and_cookie_flags(app):
    client = client_for(app)
    page = client.get("/login")
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["referrer-policy"] == "no-referrer"
    assert page.headers["cache-control"] == "no-store"
    cookie = page.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie


def test_secure_cookies_when_configured(tmp_path):
    from tests.story import app_for

    app = app_for(tmp_path, web={"secure_cookies": True})
    client = client_for(app)
    assert "secure" in client.get("/login").headers["set-cookie"].lower()


def test_next_only_leads_to_our_own_pages():
    assert safe_next("/review/3") == "/review/3"
    for hostile in ("https://evil.example", "//evil.example", "/\\evil.example", None, ""):
        assert safe_next(hostile) == "/"


def test_no_secret_no_server_except_in_demo(app):
    with pytest.raises(MissingSecret, match="MAILBOT_WEB__SESSION_SECRET"):
        session_secret(app)
    assert len(session_secret(app, demo=True)) >= 32


def test_login_rate_limit_and_audit_on_both_databases(tmp_path, db_url):
    from tests.story import app_for
    from tests.web_helpers import sophie

    app = app_for(tmp_path, db_url=db_url, web={"login_max_failures": 2})
    sophie(app)
    client = client_for(app)
    assert log_in(client, password="guess") == 401
    assert log_in(client, password="guess") == 401
    assert log_in(client) == 429
    with unit_of_work(app.db) as db:
        actions = db.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[-3:] == ["login_failed", "login_failed", "login_refused"]
    app.dispose()
