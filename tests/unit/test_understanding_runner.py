"""``mailbot parse`` prints one line per file, in order, and exits cleanly, even after a timeout."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from mailbot.understanding import runner
from tests.factories.mails import BODY_FORM, mail

ROOT = Path(__file__).resolve().parents[2]

_SCRIPT = """
import sys
from pathlib import Path
from mailbot.catalog import load_catalog
from mailbot.understanding import runner
runner.MAIL_WORK_S = float(sys.argv[1])
catalog = load_catalog(Path("config/catalog.toml"))
sys.exit(runner.parse_files([Path(p) for p in sys.argv[2:]], catalog, json_lines=True, out=sys.stdout))
"""


def _files(tmp_path: Path) -> list[str]:
    bodies = [BODY_FORM, "Je suis absente jusqu'au 3 mai.", BODY_FORM]
    paths = []
    for index, body in enumerate(bodies):
        path = tmp_path / f"{index}.eml"
        path.write_bytes(mail(body))
        paths.append(str(path))
    missing = tmp_path / "missing.eml"
    return [*paths, str(missing)]


def _run(
    work_s: float, files: list[str], script: str = _SCRIPT
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", script, str(work_s), *files],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_one_line_per_file_in_order_and_a_quiet_exit(tmp_path: Path) -> None:
    done = _run(30.0, _files(tmp_path))
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["kind"] for line in lines] == [
        "registration",
        "auto_reply",
        "registration",
        "other",
    ]
    assert lines[3]["reasons"][0].startswith("unreadable_file")
    # The pool used to be left to the exit hooks, which wrote to its closed pipe.
    assert "Exception ignored" not in done.stderr and "Bad file descriptor" not in done.stderr


def test_timeouts_restart_the_workers_and_still_exit_quietly(tmp_path: Path) -> None:
    done = _run(0.001, _files(tmp_path)[:2])
    assert done.returncode == 1
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(lines) == 2 and lines[0]["reasons"] == ["timeout"]
    assert "Exception ignored" not in done.stderr and "Bad file descriptor" not in done.stderr


# The workers are forked: a parser replaced here is the one they run.
_SLOW_PARSER = _SCRIPT.replace(
    "catalog = load_catalog",
    """import time
import mailbot.understanding as understanding
real = understanding.understand
def understand(raw, catalog):
    if b"SPIN" in raw:
        while True:
            pass
    if b"WAIT" in raw:
        time.sleep(3.0)
    return real(raw, catalog)
understanding.understand = understand
catalog = load_catalog""",
)


def test_a_mail_that_works_past_its_budget_is_stopped_and_the_next_one_read(
    tmp_path: Path,
) -> None:
    spinning, after = tmp_path / "spin.eml", tmp_path / "after.eml"
    spinning.write_bytes(mail("SPIN"))
    after.write_bytes(mail(BODY_FORM))
    # 3 s of work; the mail after it has 9 s of wall time, with a new worker to start.
    done = _run(3.0, [str(spinning), str(after)], _SLOW_PARSER)
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["reasons"][:1] for line in lines] == [["timeout"], []]
    assert lines[1]["kind"] == "registration" and done.returncode == 1


def test_a_mail_that_waits_longer_than_its_budget_is_not_stopped(tmp_path: Path) -> None:
    """Waiting is not work: on a busy machine a mail takes longer, and must read the same."""
    waiting = tmp_path / "wait.eml"
    waiting.write_bytes(mail("WAIT\n" + BODY_FORM))
    done = _run(4.0, [str(waiting)], _SLOW_PARSER)  # 3 s of wall time, 12 s allowed
    [line] = [json.loads(line) for line in done.stdout.splitlines()]
    assert line["kind"] == "registration" and "timeout" not in line["reasons"]
    assert done.returncode == 0


@pytest.mark.parametrize(("files", "workers"), [(1, 1), (2, 2), (25, 2)])
def test_one_worker_per_core_at_most_two(
    files: int, workers: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner.os, "cpu_count", lambda: 8)
    assert runner._workers(files) == workers
