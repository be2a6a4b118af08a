"""Serving the staff interface with uvicorn: alone (`mailbot web`) or beside the daemon."""

from __future__ import annotations

import threading

import uvicorn

from mailbot.app import App
from mailbot.web.application import create_app


def make_server(
    app: App, *, host: str | None = None, port: int | None = None, demo: bool = False
) -> uvicorn.Server:
    web = app.settings.web
    config = uvicorn.Config(
        create_app(app, demo=demo),
        host=host or web.host,
        port=port if port is not None else web.port,
        log_level="warning",
        # Only a proxy on this machine may tell us the client's real address.
        proxy_headers=True,
        forwarded_allow_ips="127.0.0.1",
        server_header=False,
    )
    return uvicorn.Server(config)


def serve(
    app: App, *, host: str | None = None, port: int | None = None, demo: bool = False
) -> None:
    """Block serving until interrupted (Ctrl-C / SIGTERM)."""
    make_server(app, host=host, port=port, demo=demo).run()


def serve_in_thread(
    app: App, *, host: str | None = None, port: int | None = None, demo: bool = False
) -> tuple[uvicorn.Server, threading.Thread]:
    """Start serving in a background thread (the daemon's process, tests); returns once up."""
    server = make_server(app, host=host, port=port, demo=demo)
    thread = threading.Thread(target=server.run, name="mailbot-web", daemon=True)
    thread.start()
    while not server.started and thread.is_alive():
        threading.Event().wait(0.02)
    if not server.started:
        raise RuntimeError("the web interface did not start (port in use?)")
    return server, thread
