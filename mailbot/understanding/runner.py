"""``mailbot parse``: each file in a worker process with time and memory limits, one line each.

A hostile or broken mail can hang a parser or balloon its memory; isolating
each mail in a worker (reused while healthy, replaced after a timeout) keeps
the run going and every file gets its line.

The time limit counts work, as the OCR budget does (``guards.work_seconds``):
a mail read while the machine is busy with something else must get the same
answer as on a quiet machine, not a ``timeout``. The worker stops its own mail
once it has worked ``MAIL_WORK_S``; the parent's wall clock only stops a worker
stuck without working (or inside C code that never returns), at ``WALL_SLACK``
times that.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import resource
import signal
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any, TextIO

from mailbot.catalog import Catalog
from mailbot.understanding.documents.guards import WALL_SLACK, work_seconds
from mailbot.understanding.model import Decision, Kind, Understanding

log = logging.getLogger(__name__)

MAIL_WORK_S = 30.0  # CPU seconds of the worker and its Tesseract runs for one mail
MEMORY_LIMIT_BYTES = (
    1_500_000_000  # address space, not RSS: Python and Tesseract map more than they use
)
MAX_MAIL_BYTES = 50_000_000

_CATALOG: Catalog | None = None
_WORK_S = MAIL_WORK_S
_armed = False  # a budget's signal landing after its mail finished is ignored


class MailOverBudget(BaseException):
    """Raised in a worker's main thread once its mail has used its budget of work.

    A BaseException, so that no extractor's ``except Exception`` can swallow it.
    """


def _init_worker(catalog: Catalog, parent: int, work_s: float) -> None:
    global _CATALOG, _WORK_S  # noqa: PLW0603 - set once per worker process, at start
    _CATALOG = catalog
    _WORK_S = work_s
    # Ctrl-C reaches the whole process group: the parent stops its workers itself,
    # a worker's own KeyboardInterrupt would only print a traceback at the user.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGXCPU, _over_budget)
    _die_with_parent(parent)
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    try:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))
    except (ValueError, OSError):  # some platforms refuse; the timeout still protects us
        pass


def _die_with_parent(parent: int) -> None:
    """A worker outliving a killed daemon would hold its stdout and a core: leave with it.

    ``parent`` is passed in rather than read here: if the daemon died while this
    worker was starting, ``getppid()`` would already name init.
    """

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _over_budget(signum: int, frame: FrameType | None) -> None:
    if _armed:
        raise MailOverBudget


@contextmanager
def work_budget(seconds: float, poll_s: float = 0.1) -> Iterator[None]:
    """Raise ``MailOverBudget`` in the main thread once ``seconds`` of work are spent.

    A thread watches the work and signals the main thread (SIGXCPU, whose
    handler ``_init_worker`` installs): a real signal also interrupts a wait,
    such as a Tesseract run's, which ``subprocess.run`` then kills.
    """
    global _armed  # noqa: PLW0603 - read by the signal handler, main thread only
    end = work_seconds() + seconds
    main = threading.main_thread().ident
    assert main is not None
    done = threading.Event()

    def watch() -> None:
        while not done.wait(poll_s):
            if work_seconds() >= end:
                signal.pthread_kill(main, signal.SIGXCPU)
                return

    watcher = threading.Thread(target=watch, name="work-budget", daemon=True)
    _armed = True
    watcher.start()
    try:
        yield
    finally:
        _armed = False
        done.set()
        watcher.join()


def _work(path: str) -> dict[str, Any]:
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        return _failed(f"unreadable_file_{type(error).__name__.lower()}").to_dict()
    return _work_bytes(raw)


def _work_bytes(raw: bytes) -> dict[str, Any]:
    from mailbot.understanding import understand

    assert _CATALOG is not None
    if len(raw) > MAX_MAIL_BYTES:
        return _failed("mail_too_large").to_dict()
    try:
        with work_budget(_WORK_S):
            return understand(raw, _CATALOG).to_dict()
    except MemoryError:
        return _failed("memory_limit").to_dict()
    except MailOverBudget:
        return _failed("timeout").to_dict()


def _failed(reason: str) -> Understanding:
    return Understanding(kind=Kind.OTHER, decision=Decision.REVIEW, reasons=(reason,))


def parse_files(paths: list[Path], catalog: Catalog, *, json_lines: bool, out: TextIO) -> int:
    """Print one line per file, in order; 0 when every file was understood."""
    workers = _workers(len(paths))
    pool = _new_pool(catalog, workers)
    code = 0
    finished = False
    try:
        futures: list[Future[dict[str, Any]]] = [pool.submit(_work, str(p)) for p in paths]
        for index, path in enumerate(paths):
            result, pool, futures = _collect(index, paths, futures, pool, catalog, workers=workers)
            understanding = Understanding.from_dict(result)
            if understanding.reasons[:1] and understanding.reasons[0] in (
                "timeout", "memory_limit", "worker_crashed", "mail_too_large",
            ):  # fmt: skip
                code = 1
            out.write(_render(path, understanding, json_lines) + "\n")
            out.flush()
        finished = True
    finally:
        if finished:
            # Every future is done: joining costs nothing, and a pool left to the
            # interpreter's exit hooks writes to its closed wake-up pipe
            # ("Exception ignored ... OSError: Bad file descriptor").
            pool.shutdown(wait=True)
        else:  # interrupted (Ctrl-C, closed stdout): do not wait for mails nobody will read
            _kill(pool)
    return code


def _workers(files: int) -> int:
    """One worker for one file (a second would only cost its start); else one per core, at most two.

    OCR dominates and Tesseract runs single-threaded (OMP_THREAD_LIMIT=1),
    so a worker per core keeps both cores of the target machine busy; more
    would only multiply the memory (up to MEMORY_LIMIT_BYTES each).
    """
    return max(1, min(files, 2, os.cpu_count() or 1))


def _collect(
    index: int,
    paths: list[Path],
    futures: list[Future[dict[str, Any]]],
    pool: ProcessPoolExecutor,
    catalog: Catalog,
    *,
    workers: int,
) -> tuple[dict[str, Any], ProcessPoolExecutor, list[Future[dict[str, Any]]]]:
    try:
        result = futures[index].result(timeout=MAIL_WORK_S * WALL_SLACK)
    except FutureTimeout:
        reason = "timeout"
    except BrokenProcessPool:
        reason = "worker_crashed"
    except Exception as error:
        log.error("parse failed for %s: %s", paths[index], error)
        return _failed("parser_error").to_dict(), pool, futures
    else:
        if not _stopped(result):
            return result, pool, futures
        reason = "timeout"
    log.warning("%s: %s; restarting the workers", paths[index], reason)
    _kill(pool)
    pool = _new_pool(catalog, workers)
    # Everything after the culprit is resubmitted to the fresh pool.
    resubmitted = [pool.submit(_work, str(p)) for p in paths[index + 1 :]]
    futures = futures[: index + 1] + resubmitted
    return _failed(reason).to_dict(), pool, futures


def _stopped(result: dict[str, Any]) -> bool:
    """Whether the worker stopped this mail mid-way (its budget spent).

    The exception may have landed anywhere, in a cleanup too: the worker's
    state is no longer known, so the caller replaces it.
    """
    return list(result.get("reasons", ()))[:1] == ["timeout"]


def _new_pool(catalog: Catalog, workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        max_workers=workers,
        initializer=_init_worker,
        initargs=(catalog, os.getpid(), MAIL_WORK_S),
    )


def _kill(pool: ProcessPoolExecutor) -> None:
    """Stop a pool whose worker hangs: kill its processes, then join its threads.

    Joining (wait=True) is quick once the processes are dead, as the pool's
    manager thread sees them go; not joining leaves that thread to the
    interpreter's exit, where it fails on closed pipes.
    """
    processes = getattr(pool, "_processes", None) or {}
    for process in list(processes.values()):
        process.kill()
    pool.shutdown(wait=True, cancel_futures=True)


def _render(path: Path, u: Understanding, json_lines: bool) -> str:
    if json_lines:
        return json.dumps(
            u.to_corpus_json(), ensure_ascii=True
        )  # U+2028 would split the line for some readers
    return summary(path, u)


def summary(path: Path, u: Understanding) -> str:
    """One readable line per mail for a person at a terminal."""
    parts = [f"{path.name}: {u.kind} -> {u.decision}"]
    if u.reasons:
        parts.append("(" + ", ".join(u.reasons) + ")")
    if u.session is not None:
        parts.append(f"session {u.session.webinar_id} {u.session.date.isoformat()}")
    if u.organisation is not None and u.organisation.name:
        parts.append(f"| {u.organisation.name}")
    if u.participants:
        parts.append(f"| {len(u.participants)} participant(s)")
    if u.replacement is not None:
        parts.append(f"| {u.replaced and u.replaced.last_name} -> {u.replacement.last_name}")
    if u.side_question:
        parts.append(f"| question: « {u.side_question[:120]} »")
    if u.listed_apart:
        parts.append(f"| listed apart: {u.listed_apart[:120]}")
    return " ".join(parts)


class IsolatedParser:
    """``understand`` for the daemon, in a worker process with the same limits as ``parse``.

    A mail that hangs a parser or balloons its memory must not stall or kill the
    daemon: once it has worked ``work_s`` seconds (or, stuck, after ``WALL_SLACK``
    times that on the wall clock) the worker is replaced and the mail gets a
    ``timeout`` (or ``worker_crashed``/``memory_limit``) reason — review, not a crash.
    The worker is spawned (not forked: the daemon has threads) once and reused.
    """

    def __init__(self, catalog: Catalog, work_s: float = MAIL_WORK_S) -> None:
        self._catalog = catalog
        self._work_s = work_s
        self._pool: ProcessPoolExecutor | None = None

    def understand(self, raw: bytes) -> Understanding:
        if len(raw) > MAX_MAIL_BYTES:
            return _failed("mail_too_large")
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=1,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_init_worker,
                initargs=(self._catalog, os.getpid(), self._work_s),
            )
        try:
            result = self._pool.submit(_work_bytes, raw).result(timeout=self._work_s * WALL_SLACK)
        except FutureTimeout:
            reason = "timeout"
        except BrokenProcessPool:
            reason = "worker_crashed"
        else:
            if not _stopped(result):
                return Understanding.from_dict(result)
            reason = "timeout"
        log.warning("parser worker %s: restarting it", reason)
        self.close()
        return _failed(reason)

    def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            _kill(pool)
