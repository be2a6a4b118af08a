"""Invoices rendered per second, Factur-X PDF/A-3 included, warm, one process.

Run by hand: ``.venv/bin/python tests/bench/bench_invoices.py [count]``. Prints the
first-call latency (imports, font loading, template compilation) and the warm rate.
"""

from __future__ import annotations

import sys
import time


def main(count: int = 100) -> None:
    started = time.perf_counter()
    from mailbot.invoicing.render import render_invoice
    from mailbot.invoicing.samples import PRIVATE_BUYER, PUBLIC_BUYER, sample_invoice

    render_invoice(sample_invoice())
    first = time.perf_counter() - started

    specs = [
        sample_invoice(webinar, participants, buyer, number=f"2026-{n:06d}")
        for n, (webinar, participants, buyer) in enumerate(
            [
                ("cpom-ase", 1, PUBLIC_BUYER),
                ("cpom-ph", 4, PRIVATE_BUYER),
                ("cpom-saad", 8, PUBLIC_BUYER),
            ]
            * (count // 3 + 1)
        )
    ][:count]
    started = time.perf_counter()
    for spec in specs:
        render_invoice(spec)
    elapsed = time.perf_counter() - started
    print(f"first call (imports + fonts + templates): {first * 1000:.0f} ms")
    print(
        f"warm: {count} invoices in {elapsed:.2f} s = {count / elapsed:.1f} invoices/s "
        f"({elapsed / count * 1000:.1f} ms each)"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
