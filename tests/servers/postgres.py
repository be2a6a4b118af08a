"""A throw-away PostgreSQL 15 cluster on 127.0.0.1 (recipe: shared notes on servers, §7).

    with PostgresCluster() as pg:
        url = pg.create_database()   # postgresql+psycopg://postgres@127.0.0.1:PORT/test_1

~0.7 s from nothing to accepting (initdb --no-sync, fsync off): durability is
irrelevant for a cluster that is deleted at the end of the session.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from tests.servers._util import HOST, Managed, ServerStartError, free_port, log_tail, require

PG_BIN = Path("/usr/lib/postgresql/15/bin")
_IDENT = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class PostgresCluster(Managed):
    def __init__(self, *, port: int | None = None) -> None:
        self.host = HOST
        self.port = port or free_port()
        self.initdb = require(str(PG_BIN / "initdb"), "postgresql", "postgresql")
        self.pg_ctl = require(str(PG_BIN / "pg_ctl"), "postgresql", "postgresql")
        self.dir = Path(tempfile.mkdtemp(prefix="mailbot-pg-"))
        self.data = self.dir / "data"
        self.log = self.dir / "pg.log"
        self._running = False
        self._n = 0
        # initdb refuses to run as root: run the server tools as user postgres.
        self._run_as: dict[str, Any] = {}
        if os.geteuid() == 0:
            import pwd

            pw = pwd.getpwnam("postgres")
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
            self._run_as = {"user": pw.pw_uid, "group": pw.pw_gid, "extra_groups": []}
        self.dir.chmod(0o755)

    @property
    def url(self) -> str:
        """SQLAlchemy URL of the cluster's ``postgres`` database."""
        return self.url_for("postgres")

    def url_for(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@{self.host}:{self.port}/{database}"

    @property
    def dsn(self) -> str:
        """libpq DSN (for psycopg.connect)."""
        return f"host={self.host} port={self.port} user=postgres dbname=postgres"

    def _tool(self, *args: str) -> None:
        res = subprocess.run(
            args,
            cwd=self.dir,  # the postgres user can't read root's cwd
            stdin=subprocess.DEVNULL,
            capture_output=True,
            check=False,
            timeout=60,
            env={**os.environ, "LC_ALL": "C.UTF-8"},
            **self._run_as,
        )
        if res.returncode != 0:
            raise ServerStartError(
                f"{Path(args[0]).name} failed ({res.returncode}): "
                f"{(res.stdout + res.stderr).decode(errors='replace').strip()}\n"
                f"log:\n{log_tail(self.log)}"
            )

    def start(self) -> PostgresCluster:
        if self._running:
            return self
        if not self.data.exists():
            self._tool(
                self.initdb,
                "-D", str(self.data),
                "-U", "postgres",
                "-A", "trust",
                "-E", "UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            )  # fmt: skip
        # -k: the unix socket goes in our dir (the default /var/run/postgresql
        # belongs to the packaged cluster and may not exist).
        opts = (
            f"-p {self.port} -k {self.dir} -c listen_addresses={self.host} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=200"
        )
        data, log = str(self.data), str(self.log)
        self._tool(self.pg_ctl, "-D", data, "-l", log, "-w", "start", "-o", opts)
        self._running = True
        return self

    def stop(self) -> None:
        if not self._running:
            return
        self._running = False
        self._tool(self.pg_ctl, "-D", str(self.data), "-m", "fast", "-w", "stop")

    def close(self) -> None:
        try:
            self.stop()
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)

    # -- databases -------------------------------------------------------------
    def _admin(self, sql: str) -> None:
        import psycopg

        # CREATE/DROP DATABASE can't run inside a transaction block.
        with psycopg.connect(self.dsn, autocommit=True, connect_timeout=10) as conn:
            conn.execute(sql.encode())  # identifiers validated by _IDENT, no user input

    def create_database(self, name: str | None = None) -> str:
        """A new empty database; returns its SQLAlchemy URL. Cheap (~50 ms, copies template1)."""
        if name is None:
            self._n += 1
            name = f"test_{os.getpid()}_{self._n}"
        if not _IDENT.match(name):
            raise ValueError(f"not a plain lowercase identifier: {name!r}")
        self._admin(f'CREATE DATABASE "{name}"')
        return self.url_for(name)

    def drop_database(self, name: str) -> None:
        if not _IDENT.match(name):
            raise ValueError(f"not a plain lowercase identifier: {name!r}")
        # FORCE (PG 13+): a test that leaked a connection must not block cleanup.
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
