"""Benchmark of the document extractors: typed formats in docs/s, scans in s/page, peak RSS.

Run by hand from the project root:

    .venv/bin/python tests/bench/bench_documents.py [--rounds 20]
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from mailbot.understanding.documents import extract_document, extract_html
from tests.factories import forms

TYPED = ("docx", "odt", "rtf", "xlsx", "ods", "csv", "pdf", "acroform")


def docs_per_second(filename: str, content_type: str, data: bytes, rounds: int) -> float:
    start = time.perf_counter()
    for _ in range(rounds):
        (document,) = extract_document(data, filename=filename, content_type=content_type)
        assert document.ok, document.detail
    return rounds / (time.perf_counter() - start)


def seconds_per_page(filename: str, data: bytes) -> float:
    start = time.perf_counter()
    (document,) = extract_document(data, filename=filename, content_type="")
    assert document.ok, document.detail
    return (time.perf_counter() - start) / max(document.pages, 1)


def build_scans() -> dict[str, tuple[str, bytes]]:
    form = forms.sample_form()
    return {
        "png, skewed 2.5°": ("s.png", forms.build_scan(form, dpi=300)),
        "jpeg, sideways 90°": ("s.jpg", forms.build_scan(form, image_format="jpeg", dpi=300,
                                                         quarter_turns=1)),
        "png 1-bit": ("s.png", forms.build_scan(form, image_format="png1", dpi=300)),
        "pdf of a 200-dpi scan": ("s.pdf", forms.build_scanned_pdf(form)),
        "phone photo, shadow, angle": ("IMG.jpg", forms.phone_photo(form)),
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    form = forms.sample_form()
    print(f"{'format':<14}{'docs/s':>10}")
    for fmt in TYPED:
        filename, content_type, data = forms.build(form, fmt)
        rounds = 3 if fmt == "rtf" else args.rounds  # RTF goes through LibreOffice
        print(f"{fmt:<14}{docs_per_second(filename, content_type, data, rounds):>10.1f}")
    html = forms.build_html(form)
    start = time.perf_counter()
    for _ in range(args.rounds):
        extract_html(html)
    print(f"{'html body':<14}{args.rounds / (time.perf_counter() - start):>10.1f}")
    doc_name, doc_type, doc_data = forms.build(form, "doc")
    print(f"{'doc':<14}{docs_per_second(doc_name, doc_type, doc_data, 3):>10.1f}")
    print(f"\n{'scan (300 dpi)':<30}{'s/page':>8}")
    # Drawing a 300-dpi scan takes ~500 MiB in the test factory: done in a process of
    # its own, so the peak RSS printed below is the parser's, not the fixture's.
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        scans = pool.submit(build_scans).result()
    for label, (filename, data) in scans.items():
        print(f"{label:<30}{seconds_per_page(filename, data):>8.2f}")
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"\npeak RSS: {own:.0f} MiB (this process: the extractors), {children:.0f} MiB "
          "(largest child: tesseract, soffice, or the process drawing the scans)")  # fmt: skip


if __name__ == "__main__":
    main()
