"""The staff web interface: status log, review queue, invoices, exports (server-rendered)."""

from mailbot.web.application import create_app

__all__ = ["create_app"]
