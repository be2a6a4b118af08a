"""Write the small demo documentation dossiers named in config/catalog.toml.

Run once (``.venv/bin/python scripts/make_demo_dossiers.py``); the PDFs are
committed. Deterministic (no creation date, fixed document id), so running it
again does not change them and does not trigger an update mailing.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.pdfgen import canvas

CONFIG = Path(__file__).resolve().parent.parent / "config"


def write_dossier(path: Path, title: str, session_days: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=True)
    pdf.setTitle(f"Dossier documentaire – {title}")
    pdf.setAuthor("IPP – Institut de la Performance Publique")
    _width, height = A4
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawString(2 * cm, height - 3 * cm, "Dossier documentaire")
    pdf.setFont("Helvetica", 12)
    pdf.drawString(2 * cm, height - 4 * cm, title[:90])
    pdf.drawString(2 * cm, height - 5 * cm, "Sessions : " + ", ".join(session_days))
    lines = [
        "Ce dossier accompagne la journée d'étude en ligne.",
        "Il rassemble les textes de référence et les supports des intervenants.",
        "Document de démonstration généré par scripts/make_demo_dossiers.py.",
    ]
    for i, line in enumerate(lines):
        pdf.drawString(2 * cm, height - (7 + i) * cm, line)
    pdf.showPage()
    pdf.save()


def main() -> None:
    catalog = tomllib.loads((CONFIG / "catalog.toml").read_text(encoding="utf-8"))
    wanted: dict[str, tuple[str, list[str]]] = {}
    for webinar in catalog["webinars"]:
        for session in webinar["sessions"]:
            for name in session.get("dossier", []):
                _title, days = wanted.setdefault(name, (webinar["title"], []))
                days.append(str(session["date"]))
    for name, (title, days) in sorted(wanted.items()):
        write_dossier(CONFIG / name, title, days)
        print(f"{CONFIG / name}: {(CONFIG / name).stat().st_size} octets")


if __name__ == "__main__":
    main()
