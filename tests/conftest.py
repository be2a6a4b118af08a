"""Project-wide test configuration: hypothesis profiles, real-server fixtures, markers.

Fixtures (servers are real, on 127.0.0.1, started by the tests themselves):

- ``dovecot``     (session)  -> tests.servers.Dovecot: host, port, user, password,
                                deliver(raw, folder), messages(folder), folders(),
                                client(), new_mailbox(), restart(kill=False)
- ``mailbox``     (function) -> tests.servers.Mailbox: a fresh empty account on
                                the session Dovecot (same helpers, no cross-test leaks)
- ``postgres``    (session)  -> tests.servers.PostgresCluster: url, create_database()
- ``db_url``      (function, parametrized "sqlite" / "postgresql") -> SQLAlchemy URL
                                of an empty database of its own
- ``smtp_sink``   (function) -> tests.servers.SmtpSink: in-process aiosmtpd with
                                fault injection (fail/slow/drop_after_data/refuse_connections)
- ``postfix``     (session)  -> tests.servers.Postfix: a real MTA that discards
                                everything; sent() counts (~2.5 s start, root only)
- ``smtp_sink_process`` (function) -> tests.servers.SmtpSinkProcess: the same sink in a
                                child process, persisting to a spool dir (kill -9 tests)

A server that is not installed FAILS the tests that need it (never a skip):
the test command installs it (scripts/setup.sh), and a silently skipped
integration suite would hide exactly the failures it exists to catch.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from hypothesis import HealthCheck, settings

from tests.servers import (
    Dovecot,
    Mailbox,
    Postfix,
    PostgresCluster,
    ServerMissing,
    ServerStartError,
    SmtpSink,
    SmtpSinkProcess,
    free_port,
)

__all__ = ["free_port"]  # re-exported for tests: `from tests.conftest import free_port` works too

# Tesseract's OpenMP threads thrash on 2 cores (0.6 s/page with 1 thread, 3+ s
# without); scripts/test.sh sets it too, this covers a bare `pytest`.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

# -- hypothesis: fast locally, thorough on CI (the aiosmtplib arrangement) -----
# deadline=None: on a loaded 2-core CI box a single slow example is noise, not a bug.
settings.register_profile(
    "dev",
    max_examples=25,
    deadline=None,
)
settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    print_blob=True,  # a CI failure prints the @reproduce_failure blob
    suppress_health_check=[HealthCheck.too_slow],
)
_ci = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if _ci else "dev"))


# -- markers ------------------------------------------------------------------
_SERVER_FIXTURES = {"dovecot", "mailbox", "postfix", "postgres", "smtp_sink", "smtp_sink_process"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark real-server tests `integration`, so `-m "not integration"` is the quick loop."""
    integration_dir = Path(__file__).parent / "integration"
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if integration_dir in Path(item.path).parents or fixtures & _SERVER_FIXTURES:
            item.add_marker(pytest.mark.integration)


# -- server fixtures ----------------------------------------------------------
T = TypeVar("T")


def _start(factory: Callable[[], T]) -> T:
    """Build/start a server, turning "not installed"/"didn't start" into a clear failure."""
    try:
        return factory()
    except ServerMissing as e:
        message = str(e)
    except ServerStartError as e:
        message = f"server did not start: {e}"
    # Outside the except block: the report shows the one clear line, not a chained traceback.
    pytest.fail(message, pytrace=False)


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    """One Dovecot for the session (~15 ms start; a graceful stop costs ~1 s)."""
    server = _start(lambda: Dovecot().start())
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def mailbox(dovecot: Dovecot) -> Mailbox:
    """A fresh, empty IMAP account for one test (instant: no server change needed)."""
    return dovecot.new_mailbox()


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresCluster]:
    """One throw-away PostgreSQL 15 cluster for the session (~0.7 s initdb + start)."""
    cluster = _start(lambda: PostgresCluster().start())
    try:
        yield cluster
    finally:
        cluster.close()


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param("postgresql", marks=pytest.mark.integration),
    ]
)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """SQLAlchemy URL of an empty database: a SQLite file, or a new database on the cluster.

    The cluster is only started if a postgresql case actually runs
    (`-k sqlite` needs no PostgreSQL).
    """
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'mailbot.db'}"
        return
    cluster: PostgresCluster = request.getfixturevalue("postgres")
    url = cluster.create_database()
    yield url
    # Dropped so hundreds of tests don't pile up databases in /tmp.
    cluster.drop_database(url.rsplit("/", 1)[1])


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    """An in-process recording SMTP sink (~3 ms start), faults cleared per test."""
    sink = _start(lambda: SmtpSink().start())
    try:
        yield sink
    finally:
        sink.stop()


@pytest.fixture
def smtp_sink_process(tmp_path: Path) -> Iterator[SmtpSinkProcess]:
    """The sink as a child process persisting to ``tmp_path/smtp-sink`` (~0.1 s start)."""
    sink = _start(lambda: SmtpSinkProcess(tmp_path / "smtp-sink").start())
    try:
        yield sink
    finally:
        sink.stop()


@pytest.fixture(scope="session")
def postfix() -> Iterator[Postfix]:
    """A private Postfix that accepts and discards (only when a real MTA matters)."""
    mta = _start(lambda: Postfix().start())
    try:
        yield mta
    finally:
        mta.close()
