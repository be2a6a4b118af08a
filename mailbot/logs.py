"""Structured log for developers: one JSON object per line on stderr, stable event names."""

from __future__ import annotations

import json
import logging
import sys
from typing import Any

_STANDARD = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": getattr(record, "event", record.getMessage()),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and key != "event" and value is not None:
                entry[key] = (
                    value if isinstance(value, (str, int, float, bool, list, dict)) else str(value)
                )
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure(level: str = "INFO", handler: logging.Handler | None = None) -> None:
    """JSON lines to ``handler`` (stderr by default); chatty libraries only warn."""
    handler = handler or logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in (
        "apscheduler",
        "aiosmtpd",
        "mail.log",
        "pymap",
        "imapclient",
        "alembic",
        "weasyprint",
        "fontTools",
        "pdfminer",
    ):
        logging.getLogger(noisy).setLevel(logging.WARNING)
