"""The staff web interface beside the live demo, when the project has one.

Optional by design: the demo's mail route must work even if the web package
is missing or fails to start, so every failure here is reported, not raised.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Any

from mailbot.app import App
from mailbot.demo.servers import HOST, free_port

log = logging.getLogger("mailbot.demo")
DEMO_LOGIN = "demo"
# Meets the interface's minimum length; the account lives only in the demo's database.
DEMO_PASSWORD = "demo-mailbot"


@dataclass
class DemoWeb:
    url: str
    login: str
    password: str
    _server: Any
    _thread: threading.Thread

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(5)


def start_web(app: App) -> DemoWeb | None:
    """Create the demo account and serve the interface on a free port; None if unavailable."""
    try:
        from mailbot.web.server import serve_in_thread
        from mailbot.web.users import add_user
    except ImportError:
        return None
    try:
        add_user(app, DEMO_LOGIN, DEMO_PASSWORD, "Compte de démonstration")
        port = free_port()
        server, thread = serve_in_thread(app, host=HOST, port=port, demo=True)
    except Exception:  # an unfinished web UI must not spoil the mail demo
        log.exception("demo_web_failed", extra={"event": "demo_web_failed"})
        return None
    return DemoWeb(f"http://{HOST}:{port}/", DEMO_LOGIN, DEMO_PASSWORD, server, thread)
