"""A private Dovecot IMAP server on 127.0.0.1 (recipe: shared notes on servers, §1).

    with Dovecot() as imap:
        imap.deliver(raw)                       # into INBOX of the default user
        box = imap.new_mailbox()                # a fresh, empty user for one test
        with box.client() as c: ...             # logged-in IMAPClient
        imap.restart()                          # fault tests: same port, same mails

Gotchas the code handles (each cost someone an afternoon):
- mail processes may not run as uid 0 -> user ``mail`` (uid 8) and ``first_valid_uid``;
- every directory above config/passwd/Maildir must be traversable -> chmod 755;
- dovecot doesn't expand variables -> the config is written with real paths,
  and ``-c`` is always absolute because doveadm/lda re-read it;
- errors only go to ``log_path`` -> start failures quote its tail.
"""

from __future__ import annotations

import contextlib
import grp
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from imapclient import IMAPClient

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

DEFAULT_USER = "ipp@ipp.fr"
DEFAULT_PASSWORD = "secret"


def _binary(name: str, path: str) -> str:
    # /usr/sbin is not on an ordinary user's PATH; try the Debian location first.
    return require(path if Path(path).exists() else name, "dovecot", "dovecot-imapd")


def _wait_group_gone(pgid: int, timeout: float) -> None:
    """Wait until no live (non-zombie) process has process group ``pgid``.

    Zombies are ignored: in a container PID 1 may never reap the orphans.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        alive = False
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                # "pid (comm) state ppid pgrp ..." - comm may contain spaces.
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[2]) == pgid and fields[0] != "Z":
                alive = True
                break
        if not alive:
            return
        time.sleep(0.01)


class Mailbox:
    """One IMAP account on a :class:`Dovecot`: credentials plus test helpers.

    ``deliver`` and ``folders`` use doveadm (no IMAP session, works while the
    server is stopped); ``messages`` and ``client`` use IMAP.
    """

    def __init__(self, server: Dovecot, user: str, password: str) -> None:
        self.server = server
        self.user = user
        self.password = password

    @property
    def host(self) -> str:
        return self.server.host

    @property
    def port(self) -> int:
        return self.server.port

    def __repr__(self) -> str:
        return f"Mailbox({self.user!r} on {self.host}:{self.port})"

    def _doveadm(self, *args: str, stdin: bytes | None = None) -> str:
        return self.server.doveadm(*args, "-u", self.user, stdin=stdin)

    def deliver(self, raw: bytes, folder: str = "INBOX") -> None:
        """Put ``raw`` into ``folder`` (created if missing) like an MTA would, ~15 ms."""
        if folder != "INBOX" and folder not in self.folders():
            self.create_folder(folder)
        self.server.doveadm("save", "-u", self.user, "-m", folder, stdin=raw)

    def append(self, raws: Iterable[bytes], folder: str = "INBOX") -> int:
        """Bulk delivery over one IMAP connection (~420 mails/s vs ~65/s for deliver)."""
        n = 0
        with self.client() as c:
            if folder != "INBOX" and not c.folder_exists(folder):
                c.create_folder(folder)
            for raw in raws:
                c.append(folder, raw)
                n += 1
        return n

    def create_folder(self, folder: str) -> None:
        self._doveadm_mailbox("create", folder)

    def _doveadm_mailbox(self, action: str, folder: str) -> None:
        self.server.doveadm("mailbox", action, "-u", self.user, folder)

    def folders(self) -> list[str]:
        """Folder names, decoded to Unicode (``Traités``, not modified UTF-7)."""
        out = self.server.doveadm("mailbox", "list", "-u", self.user)
        return [line for line in out.splitlines() if line]

    def count(self, folder: str = "INBOX") -> int:
        out = self.server.doveadm(
            "-f", "flow", "mailbox", "status", "-u", self.user, "messages", folder
        )
        # flow formatter prints "messages=N"
        return int(out.strip().split("=", 1)[1])

    def messages(self, folder: str = "INBOX") -> list[bytes]:
        """Raw bytes of every message in ``folder``, in UID order (read-only, flags untouched)."""
        with self.client() as c:
            c.select_folder(folder, readonly=True)
            uids = sorted(c.search("ALL"))
            if not uids:
                return []
            data = c.fetch(uids, ["BODY.PEEK[]"])
            return [bytes(data[uid][b"BODY[]"]) for uid in uids]

    @contextlib.contextmanager
    def client(self, timeout: float = 10.0) -> Iterator[IMAPClient]:
        """A logged-in IMAPClient, logged out on exit."""
        c = IMAPClient(self.host, port=self.port, ssl=False, timeout=timeout)
        # imapclient sends APPEND's literal and CRLF in two writes: without
        # TCP_NODELAY each APPEND waits for a delayed ACK (notes §3).
        c.socket().setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            c.login(self.user, self.password)
            yield c
        finally:
            with contextlib.suppress(Exception):
                c.logout()


class Dovecot(Managed):
    """A Dovecot 2.3 instance in its own temp dir, run as ``dovecot -F`` (foreground child)."""

    def __init__(
        self,
        *,
        port: int | None = None,
        user: str = DEFAULT_USER,
        password: str = DEFAULT_PASSWORD,
    ) -> None:
        self.host = HOST
        self.port = port or free_port()
        self.binary = _binary("dovecot", "/usr/sbin/dovecot")
        self.doveadm_binary = _binary("doveadm", "/usr/bin/doveadm")
        self.dir = Path(tempfile.mkdtemp(prefix="mailbot-dovecot-"))
        make_world_traversable(self.dir)
        self.conf = self.dir / "dovecot.conf"
        self.log = self.dir / "dovecot.log"
        self.passwd = self.dir / "passwd"
        self.proc: subprocess.Popen[bytes] | None = None
        self._users: dict[str, str] = {}
        self._next_user = 0
        self._write_config()
        self.default = self.add_user(user, password)

    # -- credentials (the default mailbox) -----------------------------------
    @property
    def user(self) -> str:
        return self.default.user

    @property
    def password(self) -> str:
        return self.default.password

    def deliver(self, raw: bytes, folder: str = "INBOX") -> None:
        self.default.deliver(raw, folder)

    def messages(self, folder: str = "INBOX") -> list[bytes]:
        return self.default.messages(folder)

    def folders(self) -> list[str]:
        return self.default.folders()

    def client(self, timeout: float = 10.0) -> contextlib.AbstractContextManager[IMAPClient]:
        return self.default.client(timeout)

    # -- users ----------------------------------------------------------------
    def add_user(self, user: str, password: str = DEFAULT_PASSWORD) -> Mailbox:
        """An account with its own password (in the passwd-file).

        Dovecot re-reads the file by itself, but at most once a second: a user
        added while the server runs may need up to 1 s before LOGIN works.
        Users with the default password need no entry at all (see new_mailbox).
        """
        if ":" in user or ":" in password or "\n" in user + password:
            raise ValueError("user/password may not contain ':' or newlines (passwd-file)")
        self._users[user] = password
        tmp = self.passwd.with_suffix(".tmp")
        tmp.write_text("".join(f"{u}:{{PLAIN}}{p}::::::\n" for u, p in self._users.items()))
        tmp.chmod(0o644)
        tmp.replace(self.passwd)  # atomic: a concurrent login never sees half a file
        return Mailbox(self, user, password)

    def new_mailbox(self, prefix: str = "test") -> Mailbox:
        """A fresh empty account, so tests sharing the session server don't see each other."""
        self._next_user += 1
        # The static passdb accepts any user with the default password: no
        # passwd-file change, so the account is usable at once.
        return Mailbox(self, f"{prefix}{self._next_user}-{os.getpid()}@ipp.fr", DEFAULT_PASSWORD)

    # -- config ---------------------------------------------------------------
    def _write_config(self) -> None:
        d = self.dir
        for sub in ("run", "state", "mail"):
            (d / sub).mkdir(exist_ok=True)
        if os.geteuid() == 0:
            # Dovecot refuses mail processes as root: use the system user "mail".
            mail_uid = pwd.getpwnam("mail").pw_uid
            mail_gid = grp.getgrnam("mail").gr_gid
            os.chown(d / "mail", mail_uid, mail_gid)
            userdb = "uid=mail gid=mail"
            extra = f"first_valid_uid = {mail_uid}\n"
        else:
            # Whole Dovecot as the current user (notes §1): no chroot, own uids.
            me = pwd.getpwuid(os.geteuid()).pw_name
            group = grp.getgrgid(os.getegid()).gr_name
            userdb = f"uid={os.geteuid()} gid={os.getegid()}"
            extra = (
                f"first_valid_uid = {os.geteuid()}\n"
                f"default_login_user = {me}\n"
                f"default_internal_user = {me}\n"
                f"default_internal_group = {group}\n"
            )
        # Non-root: no chroot for login/anvil ("chroot(...) failed: Operation not permitted").
        chroot = "" if os.geteuid() == 0 else "  chroot =\n"
        # No one-line blocks: dovecot rejects "x { a = b }" ("Garbage after '{'").
        self.conf.write_text(
            f"""\
protocols = imap
listen = {self.host}
base_dir = {d}/run
state_dir = {d}/state
log_path = {self.log}
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{d}/mail/%u
{extra}\
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {self.passwd}
}}
# Any other user logs in with the default password: new_mailbox() needs no
# passwd-file change (Dovecot re-reads that file at most once a second).
passdb {{
  driver = static
  args = password={DEFAULT_PASSWORD}
}}
userdb {{
  driver = static
  args = {userdb} home={d}/mail/%u allow_all_users=yes
}}
service imap-login {{
{chroot}\
  inet_listener imap {{
    address = {self.host}
    port = {self.port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
protocol imap {{
  mail_max_userip_connections = 1000
}}
# IDLE learns of new mail through inotify, and without it only every 30 s: a
# machine whose "mail" user has used up its inotify instances (128 by default,
# shared by every container of the host) made live-mail tests wait that long.
mailbox_idle_check_interval = 1 secs
# A wrong-password test must not slow every later login from 127.0.0.1:
# no 2 s failure delay, and no per-IP auth penalty (2 -> 4 -> 8 -> 15 s).
auth_failure_delay = 0
service anvil {{
{chroot}\
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
"""
        )
        self.conf.chmod(0o644)

    # -- lifecycle ------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def start(self, timeout: float = 15.0) -> Dovecot:
        if self.running:
            return self
        with (self.dir / "stdout.log").open("ab") as out:
            self.proc = subprocess.Popen(
                [self.binary, "-F", "-c", str(self.conf)],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                # Own process group: stop(kill=True) can take down master and
                # children at once, like a machine crash.
                start_new_session=True,
            )
        try:
            wait_for_port(self.port, proc=self.proc, name="dovecot", log=self.log, timeout=timeout)
        except ServerStartError as e:
            self.stop()
            raise ServerStartError(f"{e}\nstdout:\n{log_tail(self.dir / 'stdout.log')}") from e
        return self

    def stop(self, *, kill: bool = False, timeout: float = 15.0) -> None:
        """Stop Dovecot and wait until every process of it and the port are gone.

        Graceful (SIGTERM) takes ~1.1 s: the master waits for its children.
        ``kill=True`` is a crash: SIGKILL to the whole process group (master,
        auth, imap, imap-login...), ~10 ms. Either way a following start() on
        the same port and base_dir works.
        """
        proc, self.proc = self.proc, None
        if proc is None:
            return
        if proc.poll() is None:
            if kill:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
            else:
                proc.terminate()
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        # Leftover children would keep the listening socket or the base_dir busy.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        _wait_group_gone(proc.pid, timeout)
        wait_port_closed(self.port, timeout=timeout)

    def restart(self, *, kill: bool = False) -> None:
        """Stop then start on the same port and Maildir: mails survive, sessions don't."""
        self.stop(kill=kill)
        self.start()

    def close(self) -> None:
        """Stop and delete the temp dir (SIGKILL: the data is thrown away, save the 1 s)."""
        self.stop(kill=True)
        shutil.rmtree(self.dir, ignore_errors=True)

    # -- doveadm ----------------------------------------------------------------
    def doveadm(self, *args: str, stdin: bytes | None = None) -> str:
        """Run ``doveadm -c CONF ARGS``; raises with stderr and the log tail on failure."""
        res = subprocess.run(
            [self.doveadm_binary, "-c", str(self.conf), *args],
            input=stdin if stdin is not None else b"",
            capture_output=True,
            check=False,
            timeout=30,
        )
        if res.returncode != 0:
            raise RuntimeError(
                f"doveadm {' '.join(args)} failed ({res.returncode}): "
                f"{res.stderr.decode(errors='replace').strip()}\nlog:\n{log_tail(self.log, 10)}"
            )
        return res.stdout.decode()
