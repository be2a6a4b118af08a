"""A mail's time limit counts the work done for it, not the time it waited for a core."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from mailbot.understanding import runner


@pytest.fixture(autouse=True)
def _handler() -> Iterator[None]:
    """The handler ``_init_worker`` installs in a worker, here in the test's process."""
    previous = signal.signal(signal.SIGXCPU, runner._over_budget)
    yield
    signal.signal(signal.SIGXCPU, previous)


_BUSY_CHILD = "import time\nwhile time.process_time() < 0.2: pass"


def _spin(cpu_seconds: float) -> None:
    """Work, however little of a core a busy machine gives us."""
    end = time.process_time() + cpu_seconds
    while time.process_time() < end:
        pass


def test_work_past_the_budget_is_stopped() -> None:
    started = time.process_time()
    with pytest.raises(runner.MailOverBudget), runner.work_budget(0.3, poll_s=0.02):
        _spin(10.0)
    assert time.process_time() - started < 2.0


def test_waiting_is_not_work() -> None:
    with runner.work_budget(0.3, poll_s=0.02):
        time.sleep(0.8)


def test_the_work_of_children_waited_for_counts() -> None:
    # Tesseract runs in a child: its work counts once the run has been waited for,
    # so a mail spending its budget in OCR runs is stopped at the next one.
    runs = 0
    with pytest.raises(runner.MailOverBudget), runner.work_budget(0.5, poll_s=0.02):
        for runs in range(1, 20):  # noqa: B007 - counted for the assertion below
            subprocess.run([sys.executable, "-c", _BUSY_CHILD], check=True)
    assert runs <= 4  # 0.2 s of work each, and their starts


def test_a_signal_once_the_mail_is_done_is_ignored() -> None:
    with runner.work_budget(5.0):
        pass
    signal.raise_signal(signal.SIGXCPU)  # raised at once if the handler were still armed
