"""IPP's registration form as a filled Word document, for the demo's sample mails.

A trimmed copy of the test fixture factory (tests/factories/forms.py): the
package must not import from tests/, and the demo only needs the .docx format,
which python-docx writes without LibreOffice.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

PARTICIPANT_HEADER = ("Civilité", "Prénom", "NOM", "Adresse e-mail de connexion")
_W14_NS = "http://schemas.microsoft.com/office/word/2010/wordml"


@dataclass(frozen=True)
class Person:
    civility: str
    first_name: str
    last_name: str
    email: str


@dataclass(frozen=True)
class FilledForm:
    """What a manager types into IPP's SAAD form."""

    organisation_name: str
    address_lines: tuple[str, ...]
    manager_email: str
    manager_name: str
    manager_service: str
    manager_phone: str
    participants: tuple[Person, ...]
    signed_place: str
    signed_date: str
    signatory: str
    price_eur: int = 625
    webinar_title: str = "Mettre en place un CPOM dans le secteur de l'aide à domicile"
    # (label, ticked) per tick box, as printed on the SAAD form.
    sessions: tuple[tuple[str, bool], ...] = (
        ("jeudi 18 mars 2027 de 9h30 à 17h00", True),
        ("vendredi 8 octobre 2027 de 9h30 à 17h00", False),
    )

    def amount_line(self) -> str:
        count = len(self.participants)
        total = f"{count * self.price_eur:,}".replace(",", " ") + ",00"
        return (
            "Montant net total des frais d'inscription = nombre de participants "
            f"( {count} ) x {self.price_eur} Euros = {total} €"
        )


def build_docx(form: FilledForm) -> bytes:
    """The form laid out like IPP's: headings, label/value tables, the participants table."""
    document = Document()
    document.add_heading(f"Web-séminaire {form.webinar_title}", level=1)
    document.add_paragraph("Session choisie (cocher une case)")
    for label, ticked in form.sessions:
        _add_checkbox(document, label, ticked)
    document.add_paragraph(
        "Les frais d'inscription, non soumis à TVA, sont de "
        f"{form.price_eur} euros par participant."
    )
    _add_section(
        document,
        "Organisme-client",
        [("Dénomination", form.organisation_name), ("Adresse postale", *form.address_lines)],
    )
    _add_section(
        document,
        "Gestionnaire de l'inscription",
        [
            ("Adresse e-mail", form.manager_email),
            ("Prénom et NOM", form.manager_name),
            ("Service", form.manager_service),
            ("Téléphone", form.manager_phone),
        ],
    )
    document.add_heading("Participants", level=2)
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, title in zip(table.rows[0].cells, PARTICIPANT_HEADER, strict=True):
        cell.text = title
    # Two empty rows stay in the table, as on the printed form.
    rows = [(p.civility, p.first_name, p.last_name, p.email) for p in form.participants]
    for row in [*rows, ("", "", "", ""), ("", "", "", "")]:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = value
    document.add_paragraph(form.amount_line())
    document.add_paragraph(f"Fait à : {form.signed_place}")
    document.add_paragraph(f"Le : {form.signed_date}")
    document.add_paragraph(f"Par (nom du signataire) : {form.signatory}")
    document.add_paragraph("Signature et cachet")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _add_section(document: object, title: str, rows: list[tuple[str, ...]]) -> None:
    document.add_heading(title, level=2)  # type: ignore[attr-defined]
    table = document.add_table(rows=0, cols=2)  # type: ignore[attr-defined]
    table.style = "Table Grid"
    for label, first, *more in rows:
        cells = table.add_row().cells
        cells[0].text = label
        cells[1].text = first
        for line in more:  # one paragraph per address line, as people type them
            cells[1].add_paragraph(line)


def _add_checkbox(document: object, label: str, ticked: bool) -> None:
    """A Word 2010+ check box content control (☒/☐), as in IPP's form."""
    paragraph = document.add_paragraph()  # type: ignore[attr-defined]
    glyph = "☒" if ticked else "☐"
    paragraph._p.append(
        parse_xml(
            f'<w:sdt {nsdecls("w")} xmlns:w14="{_W14_NS}"><w:sdtPr>'
            f'<w14:checkbox><w14:checked w14:val="{int(ticked)}"/>'
            '<w14:checkedState w14:val="2612" w14:font="MS Gothic"/>'
            '<w14:uncheckedState w14:val="2610" w14:font="MS Gothic"/></w14:checkbox>'
            f"</w:sdtPr><w:sdtContent><w:r><w:t>{glyph}</w:t></w:r></w:sdtContent></w:sdt>"
        )
    )
    paragraph.add_run(f" {label}")
