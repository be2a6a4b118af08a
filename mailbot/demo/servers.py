"""The demo's throw-away mail servers on 127.0.0.1: pymap for IMAP, aiosmtpd as the SMTP sink.

pymap runs as a child process rather than in a thread: its ``run()`` installs
signal handlers, which only the main thread may do, and a child process can be
stopped cleanly whatever state its event loop is in. Start-up costs ~0.7 s.
"""

from __future__ import annotations

import email
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

HOST = "127.0.0.1"
DEMO_USER = "ipp@ipp.fr"
PYMAP_MAIN = "from pymap.main import main; main()"


class DemoServerError(RuntimeError):
    """A demo server did not come up; the message says which and why."""


def free_port() -> int:
    # aiosmtpd's Controller cannot take port 0 (it connects to itself to check
    # readiness), so every server gets a port chosen this way.
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def _accepts(port: int) -> bool:
    try:
        socket.create_connection((HOST, port), timeout=0.2).close()
    except OSError:
        return False
    return True


class ImapServer:
    """pymap's in-memory backend with one user; everything is gone when it stops."""

    def __init__(self, password: str, *, start_timeout_s: float = 15.0) -> None:
        self.password = password
        self.start_timeout_s = start_timeout_s
        self.port = 0
        self._process: subprocess.Popen[bytes] | None = None

    def start(self, attempts: int = 3) -> None:
        # Another program may take the free port between our probe and pymap's
        # bind; pymap then exits at once and we try another port.
        last_error = ""
        for _ in range(attempts):
            self.port = free_port()
            last_error = self._try_start()
            if not last_error:
                return
        raise DemoServerError(
            f"le serveur IMAP de démonstration (pymap) n'a pas démarré : {last_error}"
        )

    def _try_start(self) -> str:
        command = [
            sys.executable,
            "-c",
            PYMAP_MAIN,
            "--host",
            HOST,
            "--port",
            str(self.port),
            "--no-tls",
            "dict",
            "--demo-user",
            DEMO_USER,
            "--demo-password",
            self.password,
        ]
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            # Its own session: Ctrl-C in the terminal reaches only the demo, which
            # stops the daemon first and the mailbox after, not both at once.
            start_new_session=True,
        )
        deadline = time.monotonic() + self.start_timeout_s
        while time.monotonic() < deadline:
            if process.poll() is not None:
                stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
                return stderr.strip().splitlines()[-1] if stderr.strip() else "arrêté"
            if _accepts(self.port):
                self._process = process
                return ""
            time.sleep(0.05)
        process.kill()
        process.wait()
        return f"pas de réponse sur le port {self.port} après {self.start_timeout_s:.0f} s"

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stderr:
            process.stderr.close()


@dataclass(frozen=True)
class KeptMail:
    """One mail the sink received, as written to WORKDIR/sortants."""

    number: int
    message_id: str
    purpose: str
    recipients: tuple[str, ...]
    subject: str
    eml: Path
    pdfs: tuple[Path, ...]


class _KeepEverything:
    """aiosmtpd handler: write each mail to a file, and its PDF attachments next to it."""

    def __init__(
        self,
        folder: Path,
        purpose_of: Callable[[str], str] | None,
        on_mail: Callable[[KeptMail], None] | None,
    ) -> None:
        self.folder = folder
        # Set by the demo once the database exists; until then a neutral name.
        self.purpose_of = purpose_of or (lambda _message_id: "courriel")
        self.on_mail = on_mail
        self.kept: list[KeptMail] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = bytes(envelope.content)
        with self._lock:
            kept = self._write(raw, tuple(envelope.rcpt_tos))
            self.kept.append(kept)
        if self.on_mail is not None:
            self.on_mail(kept)
        return "250 OK: gardé dans " + kept.eml.name

    def _write(self, raw: bytes, recipients: tuple[str, ...]) -> KeptMail:
        message = email.message_from_bytes(raw, policy=default_policy)
        assert isinstance(message, EmailMessage)
        number = len(self.kept) + 1
        message_id = " ".join(str(message["Message-ID"] or "").split())
        purpose = _safe_name(self.purpose_of(message_id))[:-4]
        stem = f"{number:03d}-{purpose}"
        eml = self.folder / f"{stem}.eml"
        eml.write_bytes(raw)
        pdfs = []
        for part in message.iter_attachments():
            if part.get_content_type() == "application/pdf":
                name = _safe_name(part.get_filename() or "piece-jointe.pdf")
                target = self.folder / f"{stem}-{name}"
                payload = part.get_content()  # bytes for an application/* part
                target.write_bytes(payload if isinstance(payload, bytes) else b"")
                pdfs.append(target)
        return KeptMail(
            number, message_id, purpose, recipients, str(message["Subject"] or ""), eml, tuple(pdfs)
        )


def _safe_name(name: str) -> str:
    cleaned = re.sub(r"[^\w.\-]+", "_", Path(name).name).strip("._")
    return cleaned if cleaned.lower().endswith(".pdf") else f"{cleaned or 'piece-jointe'}.pdf"


class SmtpSink:
    """aiosmtpd in this process: accepts every mail for every address and keeps it."""

    def __init__(
        self,
        folder: Path,
        purpose_of: Callable[[str], str] | None = None,
        on_mail: Callable[[KeptMail], None] | None = None,
    ) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.handler = _KeepEverything(folder, purpose_of, on_mail)
        self.port = 0
        self._controller: Controller | None = None

    @property
    def kept(self) -> list[KeptMail]:
        return list(self.handler.kept)

    def start(self) -> None:
        self.port = free_port()
        controller = Controller(self.handler, hostname=HOST, port=self.port)
        try:
            controller.start()
        except Exception as exc:  # aiosmtpd raises various types for a taken port
            raise DemoServerError(
                f"le puits SMTP de démonstration (aiosmtpd) n'a pas démarré : {exc}"
            ) from exc
        self._controller = controller

    def stop(self) -> None:
        controller, self._controller = self._controller, None
        if controller is not None:
            controller.stop()
