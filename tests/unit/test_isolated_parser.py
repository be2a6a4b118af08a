"""The daemon parses in a worker process: a mail that takes too long gets a reason, not a hang."""

from __future__ import annotations

import subprocess
import sys
import time

from mailbot.catalog import load_catalog
from mailbot.settings import PROJECT_ROOT
from mailbot.understanding.runner import IsolatedParser
from tests.story import a_mail, app_for

CATALOG = load_catalog(PROJECT_ROOT / "config" / "catalog.toml")


def test_a_mail_over_the_time_limit_is_a_review_and_the_worker_is_replaced():
    # 1 ms (3 ms of wall time): less than the worker needs even to start, so the
    # limit is hit for sure.
    parser = IsolatedParser(CATALOG, work_s=0.001)
    try:
        late = parser.understand(a_mail())
        assert (late.kind, late.decision, late.reasons) == ("other", "review", ("timeout",))
        parser._work_s = 60
        understood = parser.understand(a_mail(message_id="<q@cd33.fr>"))
        assert understood.kind == "question" and understood.message_id == "<q@cd33.fr>"
    finally:
        parser.close()


def test_an_oversized_mail_is_refused_before_parsing():
    parser = IsolatedParser(CATALOG)
    huge = a_mail() + b"x" * 60_000_000
    assert parser.understand(huge).reasons == ("mail_too_large",)
    parser.close()


def test_the_app_parses_in_a_worker_unless_configured_off(tmp_path):
    app = app_for(tmp_path, parser={"isolated": True, "timeout_s": 60})
    try:
        assert app.understand(a_mail()).kind == "question"
        assert app._parser is not None
    finally:
        app.dispose()
    assert app._parser._pool is None  # the worker process is gone


def test_the_worker_does_not_outlive_a_killed_daemon():
    """A SIGKILLed daemon's worker must leave too (it would hold the daemon's stdout)."""
    code = (
        "from mailbot.catalog import load_catalog\n"
        "from mailbot.settings import PROJECT_ROOT\n"
        "from mailbot.understanding.runner import IsolatedParser\n"
        "p = IsolatedParser(load_catalog(PROJECT_ROOT / 'config' / 'catalog.toml'))\n"
        "p.understand(b'From: a@b.fr\\r\\nSubject: x\\r\\n\\r\\nhello')\n"
        "print('ready', flush=True)\n"
        "import time; time.sleep(60)\n"
    )
    daemon = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    assert daemon.stdout is not None
    assert daemon.stdout.readline().strip() == b"ready"
    daemon.kill()
    started = time.monotonic()
    daemon.stdout.read()  # EOF only once every holder of the pipe, the worker too, is gone
    assert time.monotonic() - started < 5
    daemon.wait()
