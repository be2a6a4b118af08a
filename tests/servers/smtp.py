"""An SMTP sink on 127.0.0.1 (aiosmtpd) that records what it receives and misbehaves on demand.

In-process (function-scoped fixture ``smtp_sink``, starts in a few ms)::

    sink = SmtpSink().start()
    ...send with aiosmtplib to sink.host, sink.port (start_tls=False)...
    sink.wait_for(1)[0].message_id

Fault injection, settable while a client is running (each applies to the next
``times`` transactions, ``times=None`` = until :meth:`clear_faults`)::

    sink.fail("data", 451)            # 451 to DATA (message not kept)
    sink.fail("rcpt", 550, times=3)   # 550 to every RCPT of the next 3 transactions
    sink.fail("mail", 421)            # 421 to MAIL FROM, then the server closes the connection
    sink.slow(5.0)                    # wait 5 s before answering DATA (client timeouts)
    sink.drop_after_data()            # keep the mail, then cut the connection with no reply:
                                      # the "sent but not acknowledged" window -> a resend
    sink.refuse_connections()         # stop listening (ECONNREFUSED) ... accept_connections()

Out of process (:class:`SmtpSinkProcess`): same API, but the sink is a child
process that writes every accepted mail to a spool directory, so a test can
SIGKILL the client - or itself restart - and still count copies per
(Message-ID, recipient) with :meth:`copies`.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from email.parser import BytesHeaderParser
from email.policy import compat32
from pathlib import Path
from typing import Literal, Self

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from tests.servers._util import HOST, Managed, free_port, log_tail, wait_for_port, wait_port_closed

Stage = Literal["mail", "rcpt", "data"]

DEFAULT_TEXT = {
    421: "4.3.2 Service not available, closing transmission channel",
    450: "4.2.1 Mailbox busy, try again later",
    451: "4.3.0 Local error in processing, try again later",
    452: "4.3.1 Insufficient system storage",
    550: "5.1.1 Mailbox unavailable",
    552: "5.3.4 Message too big",
    554: "5.7.1 Transaction failed",
}


@dataclass(frozen=True)
class Received:
    """One accepted transaction, as the sink saw it."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    raw: bytes
    message_id: str | None
    received_at: float = 0.0


@dataclass
class Fault:
    """A misbehaviour at one SMTP stage for the next ``times`` transactions.

    code:  reply this code instead of 250 (421 also closes the connection, as
           RFC 5321 requires);
    delay: seconds to wait before replying (``slow``);
    drop:  abort the TCP connection instead of replying;
    keep:  (data stage) keep the message although the client sees a failure -
           the server-committed-but-unacknowledged case that causes resends.
    """

    stage: Stage
    code: int | None = None
    text: str | None = None
    delay: float = 0.0
    drop: bool = False
    keep: bool = False
    times: int | None = 1

    def reply(self) -> str:
        assert self.code is not None
        return f"{self.code} {self.text or DEFAULT_TEXT.get(self.code, 'Injected failure')}"


def _message_id(raw: bytes) -> str | None:
    # Header parsing only: the body may be large and is irrelevant here.
    value = BytesHeaderParser(policy=compat32).parsebytes(raw).get("Message-ID")
    return str(value).strip() if value is not None else None


# -- spool (shared by the in-process and the out-of-process sink) ---------------
def _spool_write(spool: Path, item: Received, seq: int) -> None:
    doc = {
        "mail_from": item.mail_from,
        "rcpt_tos": list(item.rcpt_tos),
        "message_id": item.message_id,
        "received_at": item.received_at,
        "raw": base64.b64encode(item.raw).decode("ascii"),
    }
    # time_ns first so a directory listing sorts in arrival order, also across
    # restarts of the sink process; tmp + rename so a reader never sees half a file.
    name = f"{time.time_ns():020d}-{os.getpid()}-{seq:06d}.json"
    tmp = spool / f".{name}.tmp"
    tmp.write_text(json.dumps(doc))
    tmp.replace(spool / name)


def read_spool(spool: Path) -> list[Received]:
    out = []
    for path in sorted(spool.glob("[0-9]*.json")):
        doc = json.loads(path.read_text())
        out.append(
            Received(
                mail_from=doc["mail_from"],
                rcpt_tos=tuple(doc["rcpt_tos"]),
                raw=base64.b64decode(doc["raw"]),
                message_id=doc["message_id"],
                received_at=doc["received_at"],
            )
        )
    return out


def copies_of(messages: Iterable[Received]) -> Counter[tuple[str | None, str]]:
    """How many times each (Message-ID, recipient) pair arrived: the duplicate-send check."""
    return Counter((m.message_id, rcpt) for m in messages for rcpt in m.rcpt_tos)


# -- the aiosmtpd handler ---------------------------------------------------------
class SinkHandler:
    """aiosmtpd handler: records accepted mails, applies queued faults.

    Hooks run on the controller's event-loop thread while tests call the API
    from theirs, hence the lock around shared state.
    """

    def __init__(self, spool: Path | None = None, control: Path | None = None) -> None:
        self.received: list[Received] = []
        self.transactions = 0
        self.faults: list[Fault] = []
        self.spool = spool
        self.control = control
        self._control_stamp: int | None = None
        # (not a property: aiosmtpd inspects the handler's members at start)
        self._state_file = control.with_name(control.name + ".state") if control else Path()
        self._cond = threading.Condition()

    # -- faults -----------------------------------------------------------------
    def _reload_control(self) -> None:
        """Out-of-process mode: the parent rewrites ``control`` to change faults at runtime."""
        if self.control is None:
            return
        try:
            stamp = self.control.stat().st_mtime_ns
        except FileNotFoundError:
            return
        if stamp == self._control_stamp:
            return
        self._control_stamp = stamp
        doc = json.loads(self.control.read_text())
        # A restarted sink must not replay faults its predecessor already used
        # up: the remaining counts are kept next to the control file, keyed by
        # the control file's version.
        with contextlib.suppress(FileNotFoundError, ValueError):
            state = json.loads(self._state_file.read_text())
            if state["stamp"] == stamp:
                doc = state
        with self._cond:
            self.faults = [Fault(**f) for f in doc["faults"]]

    def _save_state(self) -> None:
        if self.control is None:
            return
        tmp = self._state_file.with_suffix(".tmp")
        tmp.write_text(
            json.dumps({"stamp": self._control_stamp, "faults": [asdict(f) for f in self.faults]})
        )
        tmp.replace(self._state_file)

    def _take(self, stage: Stage) -> Fault | None:
        self._reload_control()
        with self._cond:
            for i, fault in enumerate(self.faults):
                if fault.stage != stage:
                    continue
                if fault.times is not None:
                    fault.times -= 1
                    if fault.times <= 0:
                        del self.faults[i]
                    self._save_state()
                return fault
        return None

    async def _apply(self, server: SMTP, fault: Fault) -> str | None:
        """Run a fault; returns the reply to send, or None when 'no fault reply' applies."""
        if fault.delay:
            await asyncio.sleep(fault.delay)
        if fault.drop:
            transport = server.transport
            # abort(): drop the buffers and close now - no reply reaches the client.
            if isinstance(transport, asyncio.Transport):
                transport.abort()
            elif transport is not None:
                transport.close()
            # connection_lost cancels this handler task; never reply.
            await asyncio.Event().wait()
        if fault.code is None:
            return None
        if fault.code == 421 and server.transport is not None:
            # RFC 5321: 421 closes the channel. close() flushes the reply first.
            asyncio.get_running_loop().call_soon(server.transport.close)
        return fault.reply()

    # -- aiosmtpd hooks ---------------------------------------------------------
    async def handle_MAIL(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        mail_options: list[str],
    ) -> str:
        with self._cond:
            self.transactions += 1
        fault = self._take("mail")
        if fault is not None:
            reply = await self._apply(server, fault)
            if reply is not None:
                return reply
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        # One fault covers every RCPT of a transaction ("the next N messages"),
        # so it is drawn at the first RCPT and remembered on the envelope.
        if not hasattr(envelope, "sink_rcpt_fault"):
            setattr(envelope, "sink_rcpt_fault", self._take("rcpt"))  # noqa: B010
        fault: Fault | None = getattr(envelope, "sink_rcpt_fault")  # noqa: B009
        if fault is not None:
            reply = await self._apply(server, fault)
            if reply is not None:
                return reply
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        assert isinstance(raw, bytes)
        item = Received(
            mail_from=envelope.mail_from or "",
            rcpt_tos=tuple(envelope.rcpt_tos),
            raw=raw,
            message_id=_message_id(raw),
            received_at=time.time(),
        )
        fault = self._take("data")
        if fault is None or fault.keep or (fault.code is None and not fault.drop):
            # Kept before replying: a drop/timeout after this point is exactly
            # the window where the client can't know the mail went through.
            self._record(item)
        if fault is not None:
            reply = await self._apply(server, fault)
            if reply is not None:
                return reply
        return "250 OK: queued"

    def _record(self, item: Received) -> None:
        with self._cond:
            self.received.append(item)
            seq = len(self.received)
            if self.spool is not None:
                _spool_write(self.spool, item, seq)
            self._cond.notify_all()


# -- shared test-facing API -------------------------------------------------------
class _FaultAPI:
    def _set_faults(self, faults: list[Fault]) -> None:
        raise NotImplementedError

    def _get_faults(self) -> list[Fault]:
        raise NotImplementedError

    def _add(self, fault: Fault) -> Self:
        self._set_faults([*self._get_faults(), fault])
        return self

    def fail(
        self,
        stage: Stage,
        code: int,
        *,
        times: int | None = 1,
        text: str | None = None,
        keep: bool = False,
    ) -> Self:
        """Answer ``code`` at ``stage`` for the next ``times`` transactions."""
        if not 400 <= code <= 599:
            raise ValueError(f"an injected failure needs a 4xx/5xx code, not {code}")
        return self._add(Fault(stage, code=code, text=text, times=times, keep=keep))

    def slow(self, seconds: float, *, stage: Stage = "data", times: int | None = None) -> Self:
        """Wait ``seconds`` before answering ``stage`` (default: every DATA until cleared)."""
        return self._add(Fault(stage, delay=seconds, times=times))

    def drop_after_data(self, *, times: int | None = 1, keep: bool = True) -> Self:
        """After the message data, abort the connection without any reply."""
        return self._add(Fault("data", drop=True, keep=keep, times=times))

    def clear_faults(self) -> Self:
        self._set_faults([])
        return self

    # -- reading ------------------------------------------------------------------
    @property
    def messages(self) -> list[Received]:
        raise NotImplementedError

    def copies(self) -> Counter[tuple[str | None, str]]:
        return copies_of(self.messages)

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Received]:
        """Block until at least ``count`` messages arrived; AssertionError on timeout."""
        deadline = time.monotonic() + timeout
        while True:
            got = self.messages
            if len(got) >= count:
                return got
            if time.monotonic() > deadline:
                raise AssertionError(f"SMTP sink got {len(got)} message(s), expected {count}")
            time.sleep(0.01)


class _SinkController(Controller):
    def factory(self) -> SMTP:
        # Without a hostname aiosmtpd does a reverse-DNS lookup per start: slow
        # and pointless on loopback.
        return SMTP(self.handler, hostname="sink.test", enable_SMTPUTF8=True)


class SmtpSink(_FaultAPI, Managed):
    """In-process aiosmtpd sink (its event loop runs in a thread)."""

    def __init__(self, *, port: int | None = None, spool: Path | None = None) -> None:
        self.host = HOST
        # Controller(port=0) does not work: it self-connects to the requested port
        # to detect readiness. Pick a free port first.
        self.port = port or free_port()
        if spool is not None:
            spool.mkdir(parents=True, exist_ok=True)
        self.handler = SinkHandler(spool=spool)
        self._controller: Controller | None = None

    def _set_faults(self, faults: list[Fault]) -> None:
        with self.handler._cond:
            self.handler.faults = faults

    def _get_faults(self) -> list[Fault]:
        with self.handler._cond:
            return list(self.handler.faults)

    @property
    def messages(self) -> list[Received]:
        with self.handler._cond:
            return list(self.handler.received)

    @property
    def transactions(self) -> int:
        """MAIL FROM commands seen (attempts, including failed ones)."""
        return self.handler.transactions

    def clear(self) -> None:
        with self.handler._cond:
            self.handler.received.clear()
            self.handler.transactions = 0

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Received]:
        # Condition-based: wakes up on the delivery itself, no polling.
        with self.handler._cond:
            ok = self.handler._cond.wait_for(lambda: len(self.handler.received) >= count, timeout)
            got = list(self.handler.received)
        if not ok:
            raise AssertionError(f"SMTP sink got {len(got)} message(s), expected {count}")
        return got

    @property
    def running(self) -> bool:
        return self._controller is not None

    def start(self) -> Self:
        if self._controller is None:
            ctl = _SinkController(self.handler, hostname=self.host, port=self.port)
            ctl.start()
            self._controller = ctl
        return self

    def stop(self) -> None:
        ctl, self._controller = self._controller, None
        if ctl is not None:
            ctl.stop()

    def close(self) -> None:
        self.stop()

    def refuse_connections(self) -> Self:
        """Stop listening: new connections get ECONNREFUSED, open ones are dropped."""
        self.stop()
        return self

    def accept_connections(self) -> Self:
        """Listen again on the same port."""
        return self.start()


class SmtpSinkProcess(_FaultAPI, Managed):
    """The same sink in a child process, persisting every accepted mail to ``spool``.

    Faults are passed through a control file the child re-reads on every
    command, so ``fail``/``slow``/... work at runtime here too. Restarting
    (``stop``/``start`` or ``kill``) keeps the spool: counts span restarts.
    """

    def __init__(self, spool: Path, *, port: int | None = None) -> None:
        self.host = HOST
        self.port = port or free_port()
        self.dir = spool
        self.spool = spool / "received"
        self.spool.mkdir(parents=True, exist_ok=True)
        self.control = spool / "control.json"
        self.log = spool / "sink.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self._faults: list[Fault] = []
        self._set_faults([])

    def _set_faults(self, faults: list[Fault]) -> None:
        self._faults = list(faults)
        tmp = self.control.with_suffix(".tmp")
        tmp.write_text(json.dumps({"faults": [asdict(f) for f in faults]}))
        tmp.replace(self.control)
        # The child notices changes by mtime_ns; make sure two quick writes differ.
        now = time.time_ns()
        os.utime(self.control, ns=(now, now))

    def _get_faults(self) -> list[Fault]:
        # Counters ("times") live in the child; this is what was last requested.
        return list(self._faults)

    @property
    def messages(self) -> list[Received]:
        return read_spool(self.spool)

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def start(self, timeout: float = 15.0) -> Self:
        if self.running:
            return self
        root = Path(__file__).resolve().parents[2]
        pythonpath = os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")]))
        env = {**os.environ, "PYTHONPATH": pythonpath}
        argv = [sys.executable, "-m", "tests.servers.smtp_process", "--port", str(self.port)]
        argv += ["--spool", str(self.spool), "--control", str(self.control)]
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                argv,
                cwd=root,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # a ^C to the test run must not hit it first
            )
        wait_for_port(
            self.port, proc=self.proc, name="SMTP sink process", log=self.log, timeout=timeout
        )
        return self

    def stop(self, *, kill: bool = False) -> None:
        proc, self.proc = self.proc, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        wait_port_closed(self.port)

    def close(self) -> None:
        self.stop()

    def kill(self) -> None:
        self.stop(kill=True)

    def wait_idle(self, timeout: float = 10.0) -> None:
        """Wait until the sink holds no client connection open.

        A client killed right after writing the end of DATA leaves bytes the
        sink still reads, records and answers into the void: until the sink
        has closed its side, the spool may still grow.
        """
        import psutil

        if self.proc is None:
            return
        sink = psutil.Process(self.proc.pid)
        open_states = {psutil.CONN_ESTABLISHED, psutil.CONN_CLOSE_WAIT, psutil.CONN_SYN_RECV}
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            busy = [
                c
                for c in sink.net_connections(kind="tcp")
                if c.laddr and c.laddr.port == self.port and c.status in open_states
            ]
            if not busy:
                return
            time.sleep(0.02)
        raise AssertionError(f"SMTP sink still has connections open after {timeout} s")

    def refuse_connections(self) -> Self:
        self.stop()
        return self

    def accept_connections(self) -> Self:
        return self.start()

    def log_tail(self) -> str:
        return log_tail(self.log)


def serve(port: int, spool: Path, control: Path | None) -> None:
    """Child-process main loop: serve until SIGTERM/SIGINT."""
    handler = SinkHandler(spool=spool, control=control)
    ctl = _SinkController(handler, hostname=HOST, port=port)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    ctl.start()
    print(f"SMTP sink listening on {HOST}:{port}, spool {spool}", flush=True)
    try:
        stop.wait()
    finally:
        with contextlib.suppress(Exception):
            ctl.stop()


def main(argv: Sequence[str] | None = None) -> None:
    import argparse

    p = argparse.ArgumentParser(description="Recording SMTP sink with fault injection")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--spool", type=Path, required=True)
    p.add_argument("--control", type=Path)
    a = p.parse_args(argv)
    a.spool.mkdir(parents=True, exist_ok=True)
    serve(a.port, a.spool, a.control)


__all__ = [
    "Fault",
    "Received",
    "SinkHandler",
    "SmtpSink",
    "SmtpSinkProcess",
    "copies_of",
    "read_spool",
]
