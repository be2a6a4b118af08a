"""IPP's registration form, filled from a ``FormData``, in every format offices send.

Tests build their fixtures here instead of reading files, so each test says
which values it expects and CI needs no corpus. Every builder returns the
file's bytes; ``build(form, fmt)`` picks one by name (see ``FORMATS``).

    form = sample_form()
    data = build_docx(form)                      # a Word form like the seed
    data = build_scan(form, image_format="png")  # the same, printed and scanned

The layout follows IPP's form: the webinar title, the session tick boxes (SAAD
form only), "Organisme-client", "Gestionnaire de l'inscription", the
"Participants" table, "Montant net total...", "Fait à", "Le",
"Par (nom du signataire)" and "Signature et cachet".
"""

from __future__ import annotations

import csv
import io
import random
import shutil
import struct
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

__all__ = [
    "FORMATS",
    "FormData",
    "Participant",
    "build",
    "build_acroform_pdf",
    "build_csv",
    "build_doc",
    "build_docx",
    "build_html",
    "build_ods",
    "build_odt",
    "build_rtf",
    "build_scan",
    "build_scanned_pdf",
    "build_text_pdf",
    "build_tnef",
    "build_xls",
    "build_xlsx",
    "replace",
    "sample_form",
    "signature_png",
]


@dataclass(frozen=True)
class Participant:
    civility: str
    first_name: str
    last_name: str
    email: str


@dataclass(frozen=True)
class FormData:
    """What a manager writes on the form; empty strings are blank fields."""

    webinar_title: str = "Mettre en place un CPOM dans le secteur de l'aide à domicile"
    # (label, ticked) per session box: the SAAD form has two; the others none.
    sessions: tuple[tuple[str, bool], ...] = (
        ("jeudi 18 mars 2027 de 9h30 à 17h00", True),
        ("vendredi 8 octobre 2027 de 9h30 à 17h00", False),
    )
    session_date: str = ""  # printed date of a one-session form ("jeudi 26 novembre 2026")
    price_eur: int = 625
    organisation_name: str = "Mairie de Saint-Médard-en-Jalles"
    address_lines: tuple[str, ...] = ("Place de la République", "CS 60010", "33160 Saint-Médard")
    manager_email: str = "c.lefevre@saint-medard.fr"
    manager_name: str = "Claire LEFÈVRE"
    manager_service: str = "Direction des solidarités"
    manager_phone: str = "05 56 17 11 90"
    participants: tuple[Participant, ...] = (
        Participant("Mme", "Hélène", "GARNIER", "h.garnier@saint-medard.fr"),
        Participant("M.", "Jérôme", "DUBOIS", "j.dubois@saint-medard.fr"),
    )
    declared_count: str = "2"
    declared_total: str = "1 250,00"
    signed_place: str = "Saint-Médard-en-Jalles"
    signed_date: str = "14/10/2026"
    signatory: str = "Le Maire, Stéphane DELPEYRAT"
    blank_participant_rows: int = 2  # empty rows left in the table, as on the printed form
    extra: dict[str, str] = field(default_factory=dict)  # free slot for later tests

    def labelled_fields(self) -> list[tuple[str, str, str]]:
        """(section, label, value) in the form's order, for the label/value tables."""
        return [
            ("Organisme-client", "Dénomination", self.organisation_name),
            ("Organisme-client", "Adresse postale", "\n".join(self.address_lines)),
            ("Gestionnaire de l'inscription", "Adresse e-mail", self.manager_email),
            ("Gestionnaire de l'inscription", "Prénom et NOM", self.manager_name),
            ("Gestionnaire de l'inscription", "Service", self.manager_service),
            ("Gestionnaire de l'inscription", "Téléphone", self.manager_phone),
        ]

    def amount_line(self) -> str:
        count = self.declared_count or "___"
        total = self.declared_total or "_____"
        return (
            "Montant net total des frais d'inscription = nombre de participants "
            f"( {count} ) x {self.price_eur} Euros = {total} €"
        )

    def signature_lines(self) -> list[tuple[str, str]]:
        return [
            ("Fait à", self.signed_place),
            ("Le", self.signed_date),
            ("Par (nom du signataire)", self.signatory),
        ]

    def participant_rows(self) -> list[tuple[str, str, str, str]]:
        rows = [(p.civility, p.first_name, p.last_name, p.email) for p in self.participants]
        return rows + [("", "", "", "")] * self.blank_participant_rows


PARTICIPANT_HEADER = ("Civilité", "Prénom", "NOM", "Adresse e-mail de connexion")
SECTIONS = ("Organisme-client", "Gestionnaire de l'inscription")


def sample_form(**changes: object) -> FormData:
    """The default filled SAAD form, with any field changed."""
    return replace(FormData(), **changes)  # type: ignore[arg-type]


def signature_png(width: int = 240, height: int = 90) -> bytes:
    """A small picture standing for a scanned signature and stamp."""
    from PIL import Image, ImageDraw

    picture = Image.new("RGB", (width, height), "white")
    pen = ImageDraw.Draw(picture)
    pen.ellipse((150, 5, 235, 85), outline="blue", width=3)
    pen.line([(10, 60), (40, 20), (70, 70), (110, 25), (140, 55)], fill="navy", width=3)
    out = io.BytesIO()
    picture.save(out, "PNG")
    return out.getvalue()


# --- Word ------------------------------------------------------------------


def build_docx(
    form: FormData,
    *,
    checkbox_style: str = "content_control",
    with_signature: bool = True,
) -> bytes:
    """A Word form like IPP's: headings, label/value tables, the participants table.

    ``checkbox_style``: "content_control" (Word 2010+ ☒ control), "legacy"
    (Word 97 form field) or "glyph" (a typed ☒/☐ character).
    """
    import docx
    from docx.shared import Cm

    document = docx.Document()
    document.add_heading(f"Web-séminaire {form.webinar_title}", level=1)
    if form.sessions:
        document.add_paragraph("Session choisie (cocher une case)")
        for label, ticked in form.sessions:
            _add_checkbox_paragraph(document, label, ticked, checkbox_style)
    elif form.session_date:
        document.add_paragraph(form.session_date)
    document.add_paragraph(
        "Les frais d'inscription, non soumis à TVA, sont de "
        f"{form.price_eur} euros par participant."
    )
    for section in SECTIONS:
        document.add_heading(section, level=2)
        rows = [(label, value) for sec, label, value in form.labelled_fields() if sec == section]
        table = document.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for label, value in rows:
            cells = table.add_row().cells
            cells[0].text = label
            _set_cell_lines(cells[1], value.split("\n"))
    document.add_heading("Participants", level=2)
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, title in zip(table.rows[0].cells, PARTICIPANT_HEADER, strict=True):
        cell.text = title
    for row in form.participant_rows():
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = value
    document.add_paragraph(form.amount_line())
    for label, value in form.signature_lines():
        document.add_paragraph(f"{label} : {value}")
    document.add_paragraph("Signature et cachet")
    if with_signature:
        document.add_picture(io.BytesIO(signature_png()), width=Cm(5))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _set_cell_lines(cell: object, lines: list[str]) -> None:
    """One paragraph per address line, as people type them in a cell."""
    cell.text = lines[0] if lines else ""  # type: ignore[attr-defined]
    for line in lines[1:]:
        cell.add_paragraph(line)  # type: ignore[attr-defined]


_W14_NS = "http://schemas.microsoft.com/office/word/2010/wordml"


def _add_checkbox_paragraph(document: object, label: str, ticked: bool, style: str) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    paragraph = document.add_paragraph()  # type: ignore[attr-defined]
    glyph = "☒" if ticked else "☐"
    if style == "glyph":
        paragraph.add_run(f"{glyph} {label}")
        return
    if style == "content_control":
        xml = (
            f'<w:sdt {nsdecls("w")} xmlns:w14="{_W14_NS}"><w:sdtPr>'
            f'<w14:checkbox><w14:checked w14:val="{int(ticked)}"/>'
            '<w14:checkedState w14:val="2612" w14:font="MS Gothic"/>'
            '<w14:uncheckedState w14:val="2610" w14:font="MS Gothic"/></w14:checkbox>'
            f"</w:sdtPr><w:sdtContent><w:r><w:t>{glyph}</w:t></w:r></w:sdtContent></w:sdt>"
        )
        paragraph._p.append(parse_xml(xml))
    else:  # legacy Word 97 check box form field
        begin = (
            f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="begin"><w:ffData>'
            '<w:name w:val="Session"/><w:enabled/><w:calcOnExit w:val="0"/>'
            f'<w:checkBox><w:sizeAuto/><w:default w:val="0"/><w:checked w:val="{int(ticked)}"/>'
            "</w:checkBox></w:ffData></w:fldChar></w:r>"
        )
        paragraph._p.append(parse_xml(begin))
        run = f"<w:r {nsdecls('w')}>"
        paragraph._p.append(parse_xml(f"{run}<w:instrText> FORMCHECKBOX </w:instrText></w:r>"))
        paragraph._p.append(parse_xml(f'{run}<w:fldChar w:fldCharType="end"/></w:r>'))
    paragraph.add_run(f" {label}")


def build_doc(form: FormData) -> bytes:
    """Word 97: the DOCX converted by LibreOffice (fails loudly if soffice is missing)."""
    return _soffice_convert(build_docx(form), ".docx", "doc")


def _soffice_convert(data: bytes, suffix: str, target: str) -> bytes:
    program = shutil.which("soffice") or shutil.which("libreoffice")
    if program is None:
        raise RuntimeError(
            "LibreOffice (soffice) is required to build this fixture: "
            "apt-get install libreoffice-writer-nogui libreoffice-calc-nogui"
        )
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        source = folder / f"form{suffix}"
        source.write_bytes(data)
        subprocess.run(
            [
                program,
                f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                "--headless",
                "--convert-to",
                target,
                "--outdir",
                str(folder),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        return (folder / f"form.{target}").read_bytes()


# --- OpenDocument, RTF, spreadsheets ----------------------------------------


def build_odt(form: FormData) -> bytes:
    """A LibreOffice Writer form (odfpy): paragraphs and tables like the Word one."""
    from odf.opendocument import OpenDocumentText
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import H, P

    document = OpenDocumentText()

    def table(rows: list[tuple[str, ...]]) -> None:
        widest = max(len(row) for row in rows)
        grid = Table()
        grid.addElement(TableColumn(numbercolumnsrepeated=widest))
        for row in rows:
            line = TableRow()
            for value in row:
                cell = TableCell()
                for part in value.split("\n") or [""]:
                    cell.addElement(P(text=part))
                line.addElement(cell)
            grid.addElement(line)
        document.text.addElement(grid)

    document.text.addElement(H(outlinelevel=1, text=f"Web-séminaire {form.webinar_title}"))
    for label, ticked in form.sessions:
        document.text.addElement(P(text=f"{'☒' if ticked else '☐'} {label}"))
    for section in SECTIONS:
        document.text.addElement(H(outlinelevel=2, text=section))
        table([(lab, val) for sec, lab, val in form.labelled_fields() if sec == section])
    document.text.addElement(H(outlinelevel=2, text="Participants"))
    table([PARTICIPANT_HEADER, *form.participant_rows()])
    document.text.addElement(P(text=form.amount_line()))
    for label, value in form.signature_lines():
        document.text.addElement(P(text=f"{label} : {value}"))
    document.text.addElement(P(text="Signature et cachet"))
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


def build_rtf(form: FormData) -> bytes:
    """An RTF form with real tables (\\trowd ... \\cell ... \\row), written by hand.

    No maintained Python library writes RTF tables; the syntax is small and
    this is how Word itself writes them (accents as \\'e9 in Windows-1252).
    """

    def escape(text: str) -> str:
        out = []
        for char in text:
            if char in "\\{}":
                out.append("\\" + char)
            elif ord(char) < 128:
                out.append(char)
            elif char in "☒☐":
                out.append(f"\\u{ord(char) - 65536 if ord(char) > 32767 else ord(char)}?")
            else:
                out.append(f"\\'{char.encode('cp1252')[0]:02x}")
        return "".join(out)

    def row(cells: tuple[str, ...]) -> str:
        edges = "".join(f"\\cellx{2400 * (i + 1)}" for i in range(len(cells)))
        body = "".join(
            "\\pard\\intbl " + "\\line ".join(escape(p) for p in cell.split("\n")) + "\\cell "
            for cell in cells
        )
        return f"\\trowd{edges}{body}\\row\n"

    parts = [
        "{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0 Arial;}}\n",
        f"\\pard {escape('Web-séminaire ' + form.webinar_title)}\\par\n",
    ]
    for label, ticked in form.sessions:
        parts.append(f"\\pard {escape(('☒ ' if ticked else '☐ ') + label)}\\par\n")
    for section in SECTIONS:
        parts.append(f"\\pard {escape(section)}\\par\n")
        parts.extend(row((lab, val)) for sec, lab, val in form.labelled_fields() if sec == section)
    parts.append("\\pard Participants\\par\n")
    parts.extend(row(r) for r in [PARTICIPANT_HEADER, *form.participant_rows()])
    parts.append(f"\\pard {escape(form.amount_line())}\\par\n")
    for label, value in form.signature_lines():
        parts.append(f"\\pard {escape(f'{label} : {value}')}\\par\n")
    parts.append("\\pard Signature et cachet\\par\n}")
    return "".join(parts).encode("ascii")


def _sheet_rows(form: FormData) -> list[tuple[str, ...]]:
    """The form laid out in a sheet, as organisations retype it in Excel."""
    rows: list[tuple[str, ...]] = [(f"Web-séminaire {form.webinar_title}",)]
    rows += [(("X" if ticked else ""), label) for label, ticked in form.sessions]
    rows += [(label, value.replace("\n", ", ")) for _, label, value in form.labelled_fields()]
    rows += [PARTICIPANT_HEADER, *(r for r in form.participant_rows() if any(r))]
    rows += [("Nombre de participants", form.declared_count), ("Total", form.declared_total)]
    rows += form.signature_lines()
    return rows


def build_xlsx(form: FormData) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Inscription"
    for row in _sheet_rows(form):
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def build_xls(form: FormData) -> bytes:
    """Excel 97: the XLSX converted by LibreOffice (fails loudly if soffice is missing)."""
    return _soffice_convert(build_xlsx(form), ".xlsx", "xls")


def build_ods(form: FormData) -> bytes:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    sheet = Table(name="Inscription")
    for values in _sheet_rows(form):
        row = TableRow()
        for value in values:
            cell = TableCell(valuetype="string")
            cell.addElement(P(text=value))
            row.addElement(cell)
        sheet.addElement(row)
    document.spreadsheet.addElement(sheet)
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


def build_csv(form: FormData, *, delimiter: str = ";", encoding: str = "cp1252") -> bytes:
    """A participants list as French Excel exports it: ";" and Windows-1252."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(PARTICIPANT_HEADER)
    writer.writerows((p.civility, p.first_name, p.last_name, p.email) for p in form.participants)
    return out.getvalue().encode(encoding)


# --- PDF --------------------------------------------------------------------

_PAGE_MARGIN = 50.0


def build_text_pdf(
    form: FormData, *, with_signature: bool = True, tick_style: str = "typed"
) -> bytes:
    """A PDF with a text layer, as "print to PDF" from Word makes (reportlab canvas).

    ``tick_style`` marks the ticked session boxes: "typed" (a bold X inside,
    as Word prints ☒) or "pen" (a hand-drawn check mark that overflows the
    box, as on a printed form ticked before scanning).
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    cursor = _PdfCursor(page, A4[1] - _PAGE_MARGIN)
    cursor.heading(f"Web-séminaire {form.webinar_title}")
    for label, ticked in form.sessions:
        cursor.box_line(label, ticked, tick_style)
    cursor.text(f"Les frais d'inscription sont de {form.price_eur} euros par participant.")
    for section in SECTIONS:
        cursor.heading(section)
        for sec, label, value in form.labelled_fields():
            if sec == section:
                cursor.grid_row((label, value.replace("\n", ", ")), (170, 340))
    cursor.people_and_signing(form)
    if with_signature:
        from reportlab.lib.utils import ImageReader

        page.drawImage(ImageReader(io.BytesIO(signature_png())), 70, cursor.y - 60, 150, 56)
    page.showPage()
    page.save()
    return out.getvalue()


def build_two_column_pdf(
    form: FormData, *, ruled: bool = False, labels_beside: bool = False
) -> bytes:
    """The form retyped in two columns: "Organisme-client" on the left, "Gestionnaire
    de l'inscription" on the right, each label above its value, no ruling between them
    (``ruled``: each column framed as one cell of a two-cell table; ``labels_beside``:
    each label on its value's first line, the value's next lines under it)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    cursor = _PdfCursor(page, A4[1] - _PAGE_MARGIN)
    cursor.heading(f"Web-séminaire {form.webinar_title}")
    for label, ticked in form.sessions:
        cursor.box_line(label, ticked)
    top = cursor.y - 10
    for section, x in zip(SECTIONS, (_PAGE_MARGIN, 310.0), strict=True):
        y = top
        page.setFont("Helvetica-Bold", 12)
        page.drawString(x, y, section)
        y -= 20
        for sec, label, value in form.labelled_fields():
            if sec != section:
                continue
            page.setFont("Helvetica-Bold", 9)
            page.drawString(x, y, label)
            page.setFont("Helvetica", 10)
            if labels_beside:
                for number, line in enumerate(value.split("\n")):
                    page.drawString(x + 80, y - 13 * number, line)
                y -= 13 * value.count("\n") + 17
                continue
            for line in value.split("\n"):
                y -= 13
                page.drawString(x, y, line)
            y -= 17
        cursor.y = min(cursor.y, y)
    if ruled:
        for x in (_PAGE_MARGIN - 6, _PAGE_MARGIN + 248):
            page.rect(x, cursor.y + 4, 254, top + 16 - cursor.y - 4)
        cursor.y -= 6
    cursor.people_and_signing(form)
    page.showPage()
    page.save()
    return out.getvalue()


class _PdfCursor:
    """Writes lines and bordered table rows down a reportlab page."""

    def __init__(self, page: object, y: float) -> None:
        self.page = page
        self.y = y

    def people_and_signing(self, form: FormData) -> None:
        """The form's lower half: participants table, amount line, signing rows."""
        self.heading("Participants")
        for row in [PARTICIPANT_HEADER, *form.participant_rows()]:
            self.grid_row(row, (60, 110, 120, 220))
        self.text(form.amount_line(), size=8.5)
        for label, value in form.signature_lines():
            self.grid_row((label, value), (170, 340))
        self.text("Signature et cachet")

    def heading(self, text: str) -> None:
        self.y -= 10
        self.text(text, font="Helvetica-Bold", size=12)

    def text(self, text: str, *, font: str = "Helvetica", size: float = 10) -> None:
        self.page.setFont(font, size)  # type: ignore[attr-defined]
        self.page.drawString(_PAGE_MARGIN, self.y, text)  # type: ignore[attr-defined]
        self.y -= size + 8

    def box_line(self, label: str, ticked: bool, tick_style: str = "typed") -> None:
        self.page.rect(_PAGE_MARGIN, self.y - 2, 10, 10)  # type: ignore[attr-defined]
        if ticked and tick_style == "pen":
            # A quick stroke: down into the box, then up and out past its top-right corner.
            self.page.setLineWidth(1.6)  # type: ignore[attr-defined]
            path = self.page.beginPath()  # type: ignore[attr-defined]
            path.moveTo(_PAGE_MARGIN + 1.5, self.y + 4)
            path.lineTo(_PAGE_MARGIN + 4.5, self.y)
            path.lineTo(_PAGE_MARGIN + 13, self.y + 12)
            self.page.drawPath(path, stroke=1, fill=0)  # type: ignore[attr-defined]
            self.page.setLineWidth(1)  # type: ignore[attr-defined]
        elif ticked:
            self.page.setFont("Helvetica-Bold", 10)  # type: ignore[attr-defined]
            self.page.drawString(_PAGE_MARGIN + 1.8, self.y, "X")  # type: ignore[attr-defined]
        self.page.setFont("Helvetica", 10)  # type: ignore[attr-defined]
        self.page.drawString(_PAGE_MARGIN + 18, self.y, label)  # type: ignore[attr-defined]
        self.y -= 18

    def grid_row(self, cells: tuple[str, ...], widths: tuple[float, ...]) -> None:
        x = _PAGE_MARGIN
        self.page.setFont("Helvetica", 9.5)  # type: ignore[attr-defined]
        for value, width in zip(cells, widths, strict=True):
            self.page.rect(x, self.y - 6, width, 18)  # type: ignore[attr-defined]
            self.page.drawString(x + 4, self.y, value)  # type: ignore[attr-defined]
            x += width
        self.y -= 18


def build_acroform_pdf(form: FormData) -> bytes:
    """A fillable PDF whose values live in AcroForm fields (reportlab's acroForm).

    Field names are the kind Word-to-PDF tools generate ("Texte1"...), so a
    reader must rely on the labels printed next to them, not on the names.
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    acro = page.acroForm
    y = A4[1] - _PAGE_MARGIN
    page.setFont("Helvetica-Bold", 12)
    page.drawString(_PAGE_MARGIN, y, f"Web-séminaire {form.webinar_title}")
    counter = iter(range(1, 1000))
    y -= 28
    page.setFont("Helvetica", 10)
    for label, ticked in form.sessions:
        acro.checkbox(
            name=f"CaseACocher{next(counter)}", x=_PAGE_MARGIN, y=y - 3, size=12,
            checked=ticked, buttonStyle="cross", borderWidth=1,
        )  # fmt: skip
        page.drawString(_PAGE_MARGIN + 20, y, label)
        y -= 22

    def text_row(label: str, value: str, x_label: float, x_field: float, width: float) -> None:
        page.drawString(x_label, y, label)
        acro.textfield(
            name=f"Texte{next(counter)}", value=value, x=x_field, y=y - 5, width=width,
            height=17, fontSize=9, borderWidth=0.5,
            fieldFlags="multiline" if "\n" in value else "",
        )  # fmt: skip

    for section in SECTIONS:
        page.setFont("Helvetica-Bold", 11)
        y -= 6
        page.drawString(_PAGE_MARGIN, y, section)
        page.setFont("Helvetica", 10)
        y -= 22
        for sec, label, value in form.labelled_fields():
            if sec == section:
                text_row(label, value.replace("\n", ", "), _PAGE_MARGIN, 200, 340)
                y -= 22
    page.setFont("Helvetica-Bold", 11)
    page.drawString(_PAGE_MARGIN, y, "Participants")
    page.setFont("Helvetica", 9)
    y -= 20
    columns = (_PAGE_MARGIN, 110, 220, 330)
    widths = (55, 105, 105, 215)
    for x, title in zip(columns, PARTICIPANT_HEADER, strict=True):
        page.drawString(x, y, title)
    y -= 20
    for row in form.participant_rows():
        for x, width, value in zip(columns, widths, row, strict=True):
            acro.textfield(
                name=f"Texte{next(counter)}", value=value, x=x, y=y - 5, width=width,
                height=16, fontSize=9, borderWidth=0.5,
            )  # fmt: skip
        y -= 20
    page.setFont("Helvetica", 10)
    page.drawString(_PAGE_MARGIN, y, "Nombre de participants")
    acro.textfield(name=f"Texte{next(counter)}", value=form.declared_count, x=200, y=y - 5,
                   width=60, height=17, fontSize=9)  # fmt: skip
    y -= 22
    page.drawString(_PAGE_MARGIN, y, "Montant total (€)")
    acro.textfield(name=f"Texte{next(counter)}", value=form.declared_total, x=200, y=y - 5,
                   width=100, height=17, fontSize=9)  # fmt: skip
    y -= 26
    for label, value in form.signature_lines():
        text_row(label, value, _PAGE_MARGIN, 200, 340)
        y -= 22
    page.drawString(_PAGE_MARGIN, y, "Signature et cachet")
    page.showPage()
    page.save()
    return out.getvalue()


# --- Scans ------------------------------------------------------------------


def render_page(pdf: bytes, *, dpi: int = 200) -> object:
    """The first page of a PDF as a greyscale Pillow image (pypdfium2)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        return document[0].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    finally:
        document.close()


def render_text_page(lines: list[str], *, dpi: int = 300) -> bytes:
    """A typed letter printed and scanned: the lines on an A4 page, as a grey PNG."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    page.setFont("Helvetica", 11)
    for row, line in enumerate(lines):
        page.drawString(60, 760 - 22 * row, line)
    page.showPage()
    page.save()
    image = render_page(out.getvalue(), dpi=dpi)
    png = io.BytesIO()
    image.save(png, "PNG")  # type: ignore[attr-defined]
    return png.getvalue()


def scanned_image(
    form: FormData,
    *,
    dpi: int = 200,
    skew_deg: float = 2.5,
    quarter_turns: int = 0,
    seed: int = 7,
    tick_style: str = "typed",
    with_signature: bool = True,
) -> object:
    """The text PDF "printed and scanned": skewed, blurred, grey paper, speckles.

    ``quarter_turns`` = 1 feeds the page sideways (90° counter-clockwise);
    ``tick_style`` and ``with_signature`` as for ``build_text_pdf``.
    """
    from PIL import Image, ImageFilter

    pdf = build_text_pdf(form, with_signature=with_signature, tick_style=tick_style)
    page = render_page(pdf, dpi=dpi)
    page = page.rotate(skew_deg, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    page = page.filter(ImageFilter.GaussianBlur(0.6))
    page = page.point(lambda v: 40 + v * 0.78)  # grey paper, grey ink
    rng = random.Random(seed)
    pixels = page.load()
    for _ in range(page.width * page.height // 400):  # dust
        x, y = rng.randrange(page.width), rng.randrange(page.height)
        pixels[x, y] = rng.choice((30, 90, 230))
    if quarter_turns:
        page = page.rotate(90 * quarter_turns, expand=True)
    return page


def build_scan(
    form: FormData,
    *,
    image_format: str = "png",
    dpi: int = 200,
    skew_deg: float = 2.5,
    quarter_turns: int = 0,
    pages: int = 1,
    tick_style: str = "typed",
    with_signature: bool = True,
) -> bytes:
    """A scanned form as JPEG, PNG (grey or 1-bit with ``image_format="png1"``) or TIFF.

    ``pages`` > 1 makes a multi-page TIFF (each page the same form).
    """
    image = scanned_image(
        form, dpi=dpi, skew_deg=skew_deg, quarter_turns=quarter_turns, tick_style=tick_style,
        with_signature=with_signature,
    )  # fmt: skip
    out = io.BytesIO()
    if image_format == "png1":
        # A scanner's 1-bit mode thresholds; Pillow's default would dither the grey paper.
        bilevel = image.point(lambda v: 255 if v > 140 else 0).convert("1", dither=0)  # type: ignore[attr-defined]
        bilevel.save(out, "PNG", dpi=(dpi, dpi))
    elif image_format in ("jpeg", "jpg"):
        image.save(out, "JPEG", quality=80, dpi=(dpi, dpi))  # type: ignore[attr-defined]
    elif image_format in ("tiff", "tif"):
        extra = [image.copy() for _ in range(pages - 1)]  # type: ignore[attr-defined]
        image.save(  # type: ignore[attr-defined]
            out, "TIFF", compression="tiff_deflate", save_all=True, append_images=extra,
            dpi=(dpi, dpi),
        )  # fmt: skip
    else:
        image.save(out, "PNG", dpi=(dpi, dpi))  # type: ignore[attr-defined]
    return out.getvalue()


def build_scanned_pdf(
    form: FormData, *, dpi: int = 200, quarter_turns: int = 0, tick_style: str = "typed"
) -> bytes:
    """A PDF holding only a grey JPEG of the scanned page, as office copiers send."""
    from PIL import Image

    image = scanned_image(form, dpi=dpi, quarter_turns=quarter_turns, tick_style=tick_style)
    assert isinstance(image, Image.Image)
    out = io.BytesIO()
    image.convert("L").save(out, "PDF", resolution=float(dpi), quality=80)
    return out.getvalue()


def phone_photo(form: FormData, *, shadow: bool = True, tilt: bool = True) -> bytes:
    """The printed form photographed on a dark desk: lit from one side, taken at an angle."""
    import numpy as np
    from PIL import Image

    from mailbot.understanding.documents.sheet import _coefficients

    page = scanned_image(form, dpi=300, skew_deg=0.8)
    assert isinstance(page, Image.Image)
    desk = Image.new("L", (int(page.width * 1.2), int(page.height * 1.15)), 70)
    left, top = (desk.width - page.width) // 2, (desk.height - page.height) // 2
    desk.paste(page, (left, top))
    if tilt:
        # The far edge of the sheet shorter than the near one, and a little turned.
        w, h = page.width, page.height
        sheet = np.array(
            [[left, top], [left + w, top], [left + w, top + h], [left, top + h]], float
        )
        seen = sheet + np.array(
            [[0.09 * w, 0.03 * h], [-0.05 * w, 0.06 * h], [0.01 * w, 0], [-0.02 * w, 0]]
        )
        desk = desk.transform(
            desk.size, Image.Transform.PERSPECTIVE, _coefficients(seen, sheet),
            Image.Resampling.BICUBIC, fillcolor=70,
        )  # fmt: skip
    pixels = np.asarray(desk, dtype=np.float64)
    if shadow:
        rows, columns = np.mgrid[0 : desk.height, 0 : desk.width]
        pixels = pixels * (0.95 - 0.45 * (columns / desk.width) * (0.5 + 0.5 * rows / desk.height))
    out = io.BytesIO()
    Image.fromarray(np.clip(pixels + 8, 0, 255).astype(np.uint8)).save(out, "JPEG", quality=85)
    return out.getvalue()


# --- Mail bodies and containers -------------------------------------------


def build_html(form: FormData) -> str:
    """An Outlook-style HTML body with the form typed into tables."""
    from html import escape

    def rows(pairs: list[tuple[str, ...]]) -> str:
        return "".join(
            "<tr>" + "".join(f"<td><p class=MsoNormal>{escape(c)}<o:p></o:p></p></td>"
                             for c in row) + "</tr>"
            for row in pairs
        )  # fmt: skip

    sessions = "".join(
        f"<p class=MsoNormal>{'☒' if ticked else '☐'} {escape(label)}</p>"
        for label, ticked in form.sessions
    )
    sections = "".join(
        f"<p class=MsoNormal><b>{escape(section)}</b></p><table border=1>"
        + rows([(lab, val.replace("\n", "<br>")) for sec, lab, val in form.labelled_fields()
                if sec == section]).replace("&lt;br&gt;", "<br>")
        + "</table>"
        for section in SECTIONS
    )  # fmt: skip
    participants = rows([PARTICIPANT_HEADER, *(r for r in form.participant_rows() if any(r))])
    signature = "".join(
        f"<p class=MsoNormal>{escape(label)} : {escape(value)}</p>"
        for label, value in form.signature_lines()
    )
    return (
        "<html><head><style>p.MsoNormal{margin:0}</style>"
        "<script>alert('x')</script></head><body lang=FR>"
        f"<div class=WordSection1><p class=MsoNormal>Bonjour,<br>Veuillez trouver notre "
        f"inscription au web-séminaire {escape(form.webinar_title)}.</p>{sessions}{sections}"
        f"<p class=MsoNormal><b>Participants</b></p><table border=1>{participants}</table>"
        f"<p class=MsoNormal>{escape(form.amount_line())}</p>{signature}</div></body></html>"
    )


def build_tnef(
    attachments: list[tuple[str, bytes]], *, body: str = "Veuillez trouver le formulaire."
) -> bytes:
    """A winmail.dat holding ``attachments`` and a plain-text body.

    Written by hand because no maintained Python library writes TNEF
    (tnefparse only reads it). The layout is MS-OXTNEF's: signature, key,
    then attributes (level, id, length, data, checksum); an attachment starts
    with attAttachRendData and carries attAttachTitle and attAttachData.
    """

    def attribute(level: int, ident: int, kind: int, data: bytes) -> bytes:
        checksum = sum(data) & 0xFFFF
        return (
            struct.pack("<BHHI", level, ident, kind, len(data)) + data + struct.pack("<H", checksum)
        )

    message, attachment = 1, 2
    parts = [
        struct.pack("<IH", 0x223E9F78, 0x0001),
        attribute(message, 0x9006, 0x0008, struct.pack("<I", 0x00010000)),  # attTnefVersion
        attribute(message, 0x9007, 0x0006, struct.pack("<II", 1252, 0)),  # attOemCodepage
        attribute(message, 0x800C, 0x0002, body.encode("cp1252")),  # attBody
    ]
    for name, data in attachments:
        parts.append(attribute(attachment, 0x9002, 0x0006, bytes(14)))  # attAttachRendData
        parts.append(attribute(attachment, 0x8010, 0x0001, name.encode("ascii") + b"\x00"))
        parts.append(attribute(attachment, 0x800F, 0x0006, data))  # attAttachData
    return b"".join(parts)


# --- By name ----------------------------------------------------------------

FORMATS: dict[str, tuple[str, str, Callable[[FormData], bytes]]] = {
    # name: (file name, content type, builder)
    "docx": ("inscription.docx", "application/vnd.openxmlformats-officedocument."
             "wordprocessingml.document", build_docx),
    "doc": ("inscription.doc", "application/msword", build_doc),
    "odt": ("inscription.odt", "application/vnd.oasis.opendocument.text", build_odt),
    "rtf": ("inscription.rtf", "application/rtf", build_rtf),
    "xlsx": ("inscription.xlsx", "application/vnd.openxmlformats-officedocument."
             "spreadsheetml.sheet", build_xlsx),
    "xls": ("inscription.xls", "application/vnd.ms-excel", build_xls),
    "ods": ("inscription.ods", "application/vnd.oasis.opendocument.spreadsheet", build_ods),
    "csv": ("participants.csv", "text/csv", build_csv),
    "pdf": ("inscription.pdf", "application/pdf", build_text_pdf),
    "acroform": ("inscription.pdf", "application/pdf", build_acroform_pdf),
    "scanned_pdf": ("scan.pdf", "application/pdf", build_scanned_pdf),
    "png": ("scan.png", "image/png", lambda f: build_scan(f, image_format="png")),
    "jpeg": ("scan.jpg", "image/jpeg", lambda f: build_scan(f, image_format="jpeg")),
    "tiff": ("scan.tif", "image/tiff", lambda f: build_scan(f, image_format="tiff")),
    "html": ("inscription.html", "text/html", lambda f: build_html(f).encode("utf-8")),
}  # fmt: skip


def build(form: FormData, fmt: str) -> tuple[str, str, bytes]:
    """(file name, content type, bytes) of the form in format ``fmt`` (a key of FORMATS)."""
    filename, content_type, builder = FORMATS[fmt]
    return filename, content_type, builder(form)


# --- Pen-filled scans -------------------------------------------------------

_FONTS = Path("/usr/share/fonts/truetype/dejavu")


def pen_filled_page(form: FormData, *, seed: int = 3) -> object:
    """IPP's form printed (DejaVu Sans, ruled rows) and filled "by hand" at 300 dpi.

    The values are drawn in a thicker slanted font, each word shifted a few
    pixels up or down and sideways, the way a pen wanders on a printed line;
    the machine has no handwriting font, and this is what the zone reader must
    cope with: strokes unlike the print, off the label's baseline.
    """
    from PIL import Image, ImageDraw, ImageFont

    rng = random.Random(seed)
    page = Image.new("L", (2480, 3508), 245)
    pen = ImageDraw.Draw(page)
    printed = ImageFont.truetype(str(_FONTS / "DejaVuSans.ttf"), 38)
    bold = ImageFont.truetype(str(_FONTS / "DejaVuSans-Bold.ttf"), 42)
    hand = ImageFont.truetype(str(_FONTS / "DejaVuSerifCondensed-BoldItalic.ttf"), 46)

    def write(x: int, y: int, value: str) -> None:
        for word in value.split():
            dy, dx = rng.randint(-6, 6), rng.randint(-4, 8)
            pen.text((x + dx, y + dy), word, font=hand, fill=25)
            x += int(pen.textlength(word + " ", font=hand)) + dx

    y = 200
    pen.text((200, y), f"Web-séminaire « {form.webinar_title} »", font=bold, fill=20)
    y += 120
    for section in SECTIONS:
        pen.text((200, y), section, font=bold, fill=20)
        y += 80
        for sec, label, value in form.labelled_fields():
            if sec != section:
                continue
            pen.rectangle((200, y - 15, 2280, y + 85), outline=40, width=3)
            pen.line((760, y - 15, 760, y + 85), fill=40, width=3)
            pen.text((220, y + 10), label, font=printed, fill=20)
            write(790, y + 8, value.replace("\n", ", "))
            y += 100
        y += 60
    pen.text((200, y), "Participants", font=bold, fill=20)
    y += 80
    xs = (200, 420, 820, 1260, 2280)
    for index, row in enumerate([PARTICIPANT_HEADER, *form.participant_rows()]):
        pen.rectangle((200, y - 15, 2280, y + 75), outline=40, width=3)
        for x in xs[1:-1]:
            pen.line((x, y - 15, x, y + 75), fill=40, width=3)
        for x, cell in zip(xs, row, strict=False):
            if index == 0:
                pen.text((x + 20, y + 8), cell, font=printed, fill=20)
            elif cell:
                write(x + 20, y + 4, cell)
        y += 90
    y += 60
    for label, value in form.signature_lines():
        pen.text((200, y), label, font=printed, fill=20)
        write(760, y - 4, value)
        y += 90
    pen.text((200, y), "Signature et cachet", font=printed, fill=20)
    return page


def serif_scan_150(seed: int = 5) -> bytes:
    """A typed form in a thin serif type, scanned at 150 dpi: grey, noisy, JPEG, a little
    skewed. Enlarged for Tesseract, its strokes are thin enough for a median to erode."""
    from PIL import Image, ImageDraw, ImageFont

    dpi = 150
    width, height = int(8.27 * dpi), int(11.69 * dpi)
    page = Image.new("L", (width, height), 255)
    pen = ImageDraw.Draw(page)
    font = ImageFont.truetype(str(_FONTS / "DejaVuSerif.ttf"), int(12 / 72 * dpi))
    bold = ImageFont.truetype(str(_FONTS / "DejaVuSerif-Bold.ttf"), int(14 / 72 * dpi))
    rows = [
        ("Dénomination", "Association Les Papillons Blancs d'Armor"),
        ("Adresse postale", "BP 40217, 22192 Plérin Cedex"),
        ("Adresse e-mail", "g.legoff@papillonsblancs-armor.org"),
        ("Prénom et NOM", "Gwenaëlle LE GOFF"),
        ("Service", "Ressources humaines"),
        ("Téléphone", "02 96 74 31 08"),
    ]
    top = 120
    pen.text((60, top), "Organisme-client", font=bold, fill=0)
    top += 40
    for label, value in rows:
        pen.rectangle((60, top, 420, top + 36), outline=0, width=1)
        pen.rectangle((420, top, width - 60, top + 36), outline=0, width=1)
        pen.text((66, top + 6), label, font=font, fill=0)
        pen.text((428, top + 6), value, font=font, fill=0)
        top += 36
    top += 30
    pen.text((60, top), "Participants", font=bold, fill=0)
    top += 40
    people = [
        ("Civilité", "Prénom", "NOM", "Adresse e-mail de connexion"),
        ("Mme", "Gwenaëlle", "LE GOFF", "g.legoff@papillonsblancs-armor.org"),
        ("M.", "Yann", "L'HÉNORET", "yann.lhenoret@papillonsblancs-armor.org"),
        ("Mme", "Soizic", "PENVERN", "soizic.penvern@papillonsblancs-armor.org"),
    ]
    columns = [60, 170, 330, 530, width - 60]
    for row in people:
        for i, cell in enumerate(row):
            pen.rectangle((columns[i], top, columns[i + 1], top + 36), outline=0, width=1)
            pen.text((columns[i] + 6, top + 6), cell, font=font, fill=0)
        top += 36
    page = page.rotate(1.5, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    page = page.point(lambda v: 45 + v * 0.78)
    rng = random.Random(seed)
    pixels = page.load()
    for _ in range(page.width * page.height // 300):
        x, y = rng.randrange(page.width), rng.randrange(page.height)
        pixels[x, y] = max(0, min(255, pixels[x, y] + rng.randint(-40, 40)))  # type: ignore[index,operator]
    out = io.BytesIO()
    page.save(out, "JPEG", quality=75, dpi=(dpi, dpi))
    return out.getvalue()
