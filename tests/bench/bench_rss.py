"""Daemon memory: RSS of ``mailbot run`` idle after start-up, and after handling 1,000 mails.

Run by hand: ``.venv/bin/python tests/bench/bench_rss.py [count]``.

Starts a private Dovecot and an aiosmtpd sink (own process), runs the daemon
as a child process (``python -m mailbot run -c CONFIG``, SQLite), waits until
it is idle after start-up (imports done, first IMAP pass made), samples its RSS
with psutil, APPENDs ``count`` mails of ~22 KB (opaque attachment, see
bench_intake), waits until every mail is filed and every reply sent, and
samples again (plus the peak seen while it worked). Goal: idle <= 120 MB.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import psutil  # noqa: E402
from bench_intake import make_mails  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from tests.servers import Dovecot, free_port, wait_for_port  # noqa: E402

MB = 1024 * 1024


def main(count: int = 1000) -> None:
    mails = make_mails(count, "bin")
    smtp_port = free_port()
    sink = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "aiosmtpd",
            "-n",
            "-u",
            "-l",
            f"127.0.0.1:{smtp_port}",
            "-c",
            "aiosmtpd.handlers.Sink",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    daemon = None
    try:
        wait_for_port(smtp_port, proc=sink, name="aiosmtpd sink")
        with Dovecot() as dovecot, tempfile.TemporaryDirectory() as tmp:
            box = dovecot.new_mailbox("rss")
            config = Path(tmp) / "mailbot.toml"
            config.write_text(
                f'data_dir = "{tmp}/data"\n\n[imap]\nhost = "127.0.0.1"\nport = {box.port}\n'
                f'username = "{box.user}"\npoll_interval_s = 2\n\n'
                f'[smtp]\nhost = "127.0.0.1"\nport = {smtp_port}\n\n'
                "[scheduler]\noutbox_interval_s = 1\n",
                encoding="utf-8",
            )
            env = {**os.environ, "MAILBOT_IMAP__PASSWORD": box.password, "PYTHONPATH": str(ROOT)}
            env.pop("MAILBOT_CRASH_AT", None)
            env.pop("MAILBOT_DATABASE__URL", None)
            started = time.perf_counter()
            daemon = subprocess.Popen(
                [sys.executable, "-m", "mailbot", "run", "-c", str(config)],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.STDOUT,
            )
            proc = psutil.Process(daemon.pid)
            db = create_engine(f"sqlite:///{tmp}/data/mailbot.sqlite3")

            def scalar(sql: str) -> int:
                try:
                    with db.connect() as conn:
                        return int(conn.execute(text(sql)).scalar() or 0)
                except Exception:  # the daemon has not created its tables yet
                    return 0

            while scalar("select count(*) from service_health where component='imap'") == 0:
                assert daemon.poll() is None, "the daemon exited"
                time.sleep(0.1)
            ready = time.perf_counter() - started
            time.sleep(3)  # settle: first IDLE issued, scheduler running
            idle = proc.memory_info().rss
            print(f"daemon ready (first IMAP pass done) after {ready:.1f} s")
            print(f"RSS idle:                    {idle / MB:6.1f} MB   (goal <= 120 MB)")

            box.append(mails)
            appended = time.perf_counter()
            peak = idle
            while True:
                peak = max(peak, proc.memory_info().rss)
                moved = scalar("select count(*) from inbound_mail where moved_at is not null")
                sent = scalar("select count(*) from outbound_mail where status='sent'")
                if moved >= count and sent >= count:
                    break
                assert daemon.poll() is None, "the daemon exited"
                assert time.perf_counter() - appended < 600, (moved, sent)
                time.sleep(0.2)
            took = time.perf_counter() - appended
            time.sleep(2)
            after = proc.memory_info().rss
            print(
                f"{count} mails filed and answered in {took:.1f} s ({count / took:.0f} mails/s "
                "end to end, including the APPEND)"
            )
            print(f"RSS after {count} mails:      {after / MB:6.1f} MB (peak {peak / MB:.1f} MB)")
            # The parser runs in a worker process (isolated from hostile mail): its own memory.
            workers = [child.memory_info().rss for child in proc.children(recursive=True)]
            print(
                f"parser worker(s) RSS:        {sum(workers) / MB:6.1f} MB ({len(workers)} process(es))"
            )
            daemon.send_signal(signal.SIGTERM)
            print(f"daemon exit code after SIGTERM: {daemon.wait(60)}")
            db.dispose()
    finally:
        if daemon is not None and daemon.poll() is None:
            daemon.kill()
        sink.terminate()
        sink.wait(5)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
