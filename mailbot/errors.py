"""Exceptions for bugs and infrastructure; business problems are return values."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError


class MailbotError(Exception):
    """Base class for errors mailbot reports to an operator."""


class ConfigError(MailbotError):
    """The configuration cannot be used; the message names the key and the file."""


def format_validation_error(exc: ValidationError, path: Path | str) -> str:
    """One line per problem, each naming the key as written in the file."""
    lines = []
    for error in exc.errors():
        key = ".".join(str(part) for part in error["loc"]) or "(top level)"
        lines.append(f"{path}: {key}: {error['msg']}")
    return "\n".join(lines)
