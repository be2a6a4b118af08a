"""Crash points for the kill -9 tests: die at a named line, as a power cut would.

``MAILBOT_CRASH_AT=after_smtp_send:3`` kills the process with SIGKILL the third
time it passes ``crash_point("after_smtp_send")``. Unset (always, in production),
a crash point costs one dictionary lookup.
"""

from __future__ import annotations

import os
import signal
from collections import Counter

ENV = "MAILBOT_CRASH_AT"
_passed: Counter[str] = Counter()


def _target() -> tuple[str, int] | None:
    spec = os.environ.get(ENV)
    if not spec:
        return None
    name, _, count = spec.partition(":")
    return name, int(count or 1)


def crash_point(name: str) -> None:
    target = _target()
    if target is None or target[0] != name:
        return
    _passed[name] += 1
    if _passed[name] >= target[1]:
        os.kill(os.getpid(), signal.SIGKILL)
