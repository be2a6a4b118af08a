"""A newcomer types `mailbot demo --once`: six mails in, a confirmation with its PDF invoice out."""

from __future__ import annotations

import email
import re
import subprocess
import sys
from email.policy import default
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]


def run_demo(workdir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mailbot", "demo", "--once", "--workdir", str(workdir)],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )


def test_the_demo_shows_the_whole_route_and_can_run_twice(tmp_path: Path) -> None:
    first = run_demo(tmp_path)

    assert first.returncode == 0, first.stderr
    summary = first.stdout
    invoice = re.search(r"avec la facture n° (\d{4}-\d{6})", summary)
    assert invoice is not None, summary
    outgoing = tmp_path / "sortants"
    pdfs = sorted(outgoing.glob("*.pdf"))
    assert pdfs and all(pdf.read_bytes().startswith(b"%PDF-") for pdf in pdfs)
    assert any(invoice.group(1) in pdf.name for pdf in pdfs)
    assert "Mis en attente de vérification (point n° 1)" in summary
    assert "review approve 1 --set participants[1].email=" in summary
    assert "Chorus Pro" in summary
    # The auto-reply and the newsletter are filed, never answered.
    recipients = set()
    for eml in outgoing.glob("*.eml"):
        message = email.message_from_bytes(eml.read_bytes(), policy=default)
        recipients |= {address.addr_spec for address in message["To"].addresses}
    assert "marc.lenoir@creuse.fr" not in recipients
    assert "newsletter@bureautique-pro.example" not in recipients
    assert summary.count("aucune réponse envoyée") == 2
    assert (tmp_path / "mailbot.log").read_text(encoding="utf-8")
    sent_first = sorted(p.name for p in outgoing.glob("*.eml"))

    # A second run in the same folder starts from nothing: same numbers, no leftovers.
    second = run_demo(tmp_path)

    assert second.returncode == 0, second.stderr
    assert f"avec la facture n° {invoice.group(1)}" in second.stdout
    assert sorted(p.name for p in outgoing.glob("*.eml")) == sent_first
    assert sorted(p.name for p in outgoing.glob("*.pdf")) == [p.name for p in pdfs]
