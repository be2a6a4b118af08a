"""CSRF protection: a random token bound to the session, required in every POST form.

The token lives in the signed session cookie and is echoed in a hidden field; a
cross-site page can make the browser send the cookie but cannot read the token.
"""

from __future__ import annotations

import secrets

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request

FIELD = "csrf_token"
SESSION_KEY = "csrf"


def token(request: Request) -> str:
    """The session's token, created on first use (also for the anonymous login page)."""
    value = request.session.get(SESSION_KEY)
    if not isinstance(value, str):
        value = secrets.token_urlsafe(32)
        request.session[SESSION_KEY] = value
    return value


async def checked_form(request: Request) -> FormData:
    """The POSTed form, or 403 when its token is missing or not this session's."""
    form = await request.form()
    sent = form.get(FIELD)
    expected = request.session.get(SESSION_KEY)
    if not isinstance(sent, str) or not isinstance(expected, str):
        raise HTTPException(403, "Jeton de sécurité manquant : rechargez la page.")
    if not secrets.compare_digest(sent, expected):
        raise HTTPException(403, "Jeton de sécurité invalide : rechargez la page.")
    return form
