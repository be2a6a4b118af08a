"""A private Postfix on 127.0.0.1 that accepts and discards everything (notes §2).

Only for tests that need a real MTA's SMTP dialect; the aiosmtpd sink
(:mod:`tests.servers.smtp`) is faster, records content and injects faults.

    with Postfix() as mta:
        ...send to mta.host, mta.port...
        mta.wait_for_sent(1)

Gotchas handled: ``postfix start`` reports errors only to a tty/syslog (we
quote our own log file instead); the temp dir must be 0755 ("master.lock:
Permission denied"); ``data_directory`` must belong to user postfix;
the first ``postfix start`` creates the queue directories. Needs root; ~2.5 s to start.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Self

from tests.servers._util import (
    HOST,
    Managed,
    ServerStartError,
    free_port,
    log_tail,
    make_world_traversable,
    require,
    wait_for_port,
    wait_port_closed,
)

MASTER_CF_DIST = Path("/usr/share/postfix/master.cf.dist")


class Postfix(Managed):
    def __init__(self, *, port: int | None = None) -> None:
        self.host = HOST
        self.port = port or free_port()
        self.binary = require("/usr/sbin/postfix", "postfix", "postfix")
        if os.geteuid() != 0:
            raise ServerStartError("a private Postfix instance needs root (use the aiosmtpd sink)")
        self.dir = Path(tempfile.mkdtemp(prefix="mailbot-postfix-"))
        make_world_traversable(self.dir)
        self.etc = self.dir / "etc"
        self.log = self.dir / "postfix.log"
        self._running = False
        self._configure()

    def _configure(self) -> None:
        import pwd

        for sub in ("etc", "spool", "data"):
            (self.dir / sub).mkdir()
        pw = pwd.getpwnam("postfix")
        os.chown(self.dir / "data", pw.pw_uid, pw.pw_gid)
        master = MASTER_CF_DIST.read_text()
        master, n = re.subn(
            r"^smtp\s+inet\s+n\s+-\s+y\s+-\s+-\s+smtpd$",
            f"{self.host}:{self.port} inet n - n - - smtpd",
            master,
            flags=re.MULTILINE,
        )
        if n != 1:
            raise ServerStartError(f"unexpected {MASTER_CF_DIST}: no 'smtp inet' line to replace")
        (self.etc / "master.cf").write_text(master)
        d = self.dir
        (self.etc / "main.cf").write_text(
            f"""\
compatibility_level = 3.6
config_directory = {self.etc}
queue_directory = {d}/spool
data_directory = {d}/data
mail_owner = postfix
setgid_group = postdrop
myhostname = localhost
inet_interfaces = {self.host}
inet_protocols = ipv4
mydestination =
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject
default_transport = discard:
relay_transport = discard:
local_transport = discard:
virtual_transport = discard:
alias_maps =
alias_database =
maillog_file = {self.log}
maillog_file_prefixes = /tmp, /var
smtputf8_enable = yes
"""
        )

    def _postfix(self, *args: str) -> None:
        res = subprocess.run(
            [self.binary, "-c", str(self.etc), *args],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            check=False,
            timeout=60,
        )
        if res.returncode != 0:
            raise ServerStartError(
                f"postfix {' '.join(args)} failed ({res.returncode}): "
                f"{(res.stdout + res.stderr).decode(errors='replace').strip()}\n"
                f"log:\n{log_tail(self.log)}"
            )

    def start(self) -> Self:
        if not self._running:
            # `start` runs postfix's own check-fatal, which creates the queue
            # directories (~2.5 s the first time: it walks the install tree).
            self._postfix("start")
            self._running = True
            wait_for_port(self.port, name="postfix", log=self.log)
        return self

    def stop(self) -> None:
        if self._running:
            self._running = False
            self._postfix("stop")
            wait_port_closed(self.port)

    def close(self) -> None:
        try:
            self.stop()
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)

    def sent(self) -> int:
        """Mails accepted and discarded so far (``status=sent`` lines of the discard agent)."""
        if not self.log.exists():
            return 0
        return sum(
            1
            for line in self.log.read_text(errors="replace").splitlines()
            if "postfix/discard" in line and "status=sent" in line
        )

    def wait_for_sent(self, count: int, timeout: float = 10.0) -> int:
        deadline = time.monotonic() + timeout
        while (n := self.sent()) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"postfix discarded {n} mail(s), expected {count}")
            time.sleep(0.02)
        return n
