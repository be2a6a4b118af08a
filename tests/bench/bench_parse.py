"""Benchmark of ``mailbot parse``: whole mails, from bytes to decision.

- typed formats, in-process on one core: mails/s (goal >= 20);
- a scanned 300-dpi page in a mail with OMP_THREAD_LIMIT=1: seconds (goal <= 2);
- the dev corpus through ``parse_files`` (the CLI's worker pool), when
  ../shared/corpus/dev is there: mails/s and the largest worker's peak RSS
  (goal: no mail over 500 MB).

Run by hand from the project root:

    .venv/bin/python tests/bench/bench_parse.py [--rounds 20] [--no-corpus]
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import sys
import time
from pathlib import Path

os.environ["OMP_THREAD_LIMIT"] = "1"  # Tesseract single-threaded, as the workers run it
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from mailbot.catalog import load_catalog  # noqa: E402 - after the path and environment are set
from mailbot.understanding import understand  # noqa: E402
from mailbot.understanding.runner import parse_files  # noqa: E402
from tests.factories import forms  # noqa: E402
from tests.factories.mails import BODY_FORM, mail  # noqa: E402

TYPED = ("docx", "odt", "xlsx", "pdf", "acroform", "html")
CORPUS = ROOT.parent / "shared" / "corpus" / "dev"


def _mail_with(fmt: str) -> bytes:
    form = forms.sample_form()
    filename, content_type, data = forms.build(form, fmt)
    return mail(
        "Bonjour,\nVeuillez trouver ci-joint notre bulletin d'inscription.\nCordialement",
        subject="Inscription webinaire CPOM SAAD",
        attachments=[(filename, content_type, data)],
    )


def mails_per_second(raw: bytes, rounds: int) -> float:
    catalog = load_catalog(ROOT / "config" / "catalog.toml")
    understand(raw, catalog)  # imports and caches out of the measure
    start = time.perf_counter()
    for _ in range(rounds):
        understand(raw, catalog)
    return rounds / (time.perf_counter() - start)


def seconds_for(raw: bytes) -> float:
    catalog = load_catalog(ROOT / "config" / "catalog.toml")
    start = time.perf_counter()
    understand(raw, catalog)
    return time.perf_counter() - start


def corpus_run() -> None:
    paths = sorted(CORPUS.glob("*.eml"))
    catalog = load_catalog(ROOT / "config" / "catalog.toml")
    start = time.perf_counter()
    parse_files(paths, catalog, json_lines=True, out=io.StringIO())
    elapsed = time.perf_counter() - start
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"\ndev corpus: {len(paths)} mails in {elapsed:.1f} s = {len(paths) / elapsed:.1f} mails/s "
          f"({os.cpu_count()} cores); largest worker or tesseract peak RSS {children:.0f} MiB")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--no-corpus", action="store_true")
    args = parser.parse_args()
    print(f"{'typed mail':<22}{'mails/s':>10}")
    for fmt in TYPED:
        print(f"{fmt:<22}{mails_per_second(_mail_with(fmt), args.rounds):>10.1f}")
    print(f"{'form in the body':<22}{mails_per_second(mail(BODY_FORM), args.rounds):>10.1f}")
    print(f"\n{'scanned page (300 dpi)':<34}{'s':>8}")
    form = forms.sample_form()
    scans = {
        "png, skewed 2.5°": ("scan.png", "image/png", forms.build_scan(form, dpi=300)),
        "jpeg, sideways, pen tick": ("IMG.jpg", "image/jpeg", forms.build_scan(
            form, image_format="jpeg", dpi=300, quarter_turns=1, tick_style="pen")),
        "pdf of a 300-dpi scan": ("scan.pdf", "application/pdf",
                                  forms.build_scanned_pdf(form, dpi=300)),
    }  # fmt: skip
    for label, (filename, content_type, data) in scans.items():
        raw = mail("Ci-joint le bulletin.", attachments=[(filename, content_type, data)])
        print(f"{label:<34}{seconds_for(raw):>8.2f}")
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"\npeak RSS: {own:.0f} MiB (this process), {children:.0f} MiB (largest tesseract)")
    if CORPUS.is_dir() and not args.no_corpus:
        corpus_run()


if __name__ == "__main__":
    main()
