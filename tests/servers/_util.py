"""Shared helpers: free ports, readiness probes, clear errors."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path
from types import TracebackType
from typing import Self

HOST = "127.0.0.1"
SETUP_HINT = "run scripts/setup.sh"


class Managed:
    """``with Server(...) as server:`` starts it and shuts it down whatever the test did."""

    def start(self) -> Self:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class ServerMissing(RuntimeError):
    """A server binary is not installed (the fixtures fail the run with this message)."""


class ServerStartError(RuntimeError):
    """A server was installed but did not come up; the message carries its log tail."""


def free_port() -> int:
    """A TCP port that was free a moment ago on 127.0.0.1.

    Binding port 0 asks the kernel for an unused ephemeral port; there is a small
    race until the server binds it, acceptable on a test machine.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        port: int = s.getsockname()[1]
        return port


def port_open(port: int, host: str = HOST) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.2):
            return True
    except OSError:
        return False


def log_tail(path: Path | None, lines: int = 30) -> str:
    if path is None or not path.exists():
        return "(no log)"
    text = path.read_text(errors="replace").splitlines()
    return "\n".join(text[-lines:]) or "(empty log)"


def wait_for_port(
    port: int,
    *,
    host: str = HOST,
    timeout: float = 15.0,
    proc: subprocess.Popen[bytes] | None = None,
    name: str = "server",
    log: Path | None = None,
) -> None:
    """Poll until ``port`` accepts a TCP connection (a readiness probe, not a sleep).

    Fails fast if ``proc`` exits meanwhile, with the tail of ``log`` in the message.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if port_open(port, host):
            return
        if proc is not None and proc.poll() is not None:
            raise ServerStartError(
                f"{name} exited with code {proc.returncode} before listening on "
                f"{host}:{port}; log:\n{log_tail(log)}"
            )
        time.sleep(0.01)
    raise ServerStartError(
        f"{name} not listening on {host}:{port} after {timeout:.0f} s; log:\n{log_tail(log)}"
    )


def wait_port_closed(port: int, *, host: str = HOST, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while port_open(port, host):
        if time.monotonic() > deadline:
            raise ServerStartError(f"port {host}:{port} still accepting after {timeout:.0f} s")
        time.sleep(0.01)


def require(binary: str, server: str, package: str) -> str:
    """Absolute path of ``binary`` or a :class:`ServerMissing` naming the fix."""
    found = binary if Path(binary).is_absolute() and os.access(binary, os.X_OK) else None
    found = found or shutil.which(binary)
    if not found:
        raise ServerMissing(
            f"{server} not installed ({binary} not found; apt package {package}): {SETUP_HINT}"
        )
    return found


def make_world_traversable(path: Path) -> None:
    """mkdtemp gives 0700; the servers' own users (dovecot, mail, postgres) must traverse it."""
    path.chmod(0o755)
