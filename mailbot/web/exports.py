"""Participant lists of a session as CSV (Excel-friendly, French) and XLSX."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import astuple, dataclass

from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from mailbot.records.models import (
    Invoice,
    InvoiceKind,
    Participant,
    ParticipantStatus,
    Registration,
    RegistrationStatus,
)

COLUMNS = (
    "Civilité",
    "Prénom",
    "Nom",
    "E-mail",
    "Organisme",
    "Responsable",
    "E-mail du responsable",
    "Inscription n°",
    "Facture",
)
# A cell starting with one of these is a formula to Excel/LibreOffice: a participant
# named "=HYPERLINK(...)" must stay text in the file staff open.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
class Row:
    civility: str
    first_name: str
    last_name: str
    email: str
    organisation: str
    manager: str
    manager_email: str
    registration: int
    invoice: str


def participant_rows(db: DbSession, webinar_id: str, day: dt.date) -> list[Row]:
    """Active participants of confirmed or recorded registrations, by organisation."""
    found = db.execute(
        select(Participant, Registration)
        .join(Registration, Participant.registration_id == Registration.id)
        .where(
            Registration.webinar_id == webinar_id,
            Registration.session_date == day,
            Registration.status != RegistrationStatus.CANCELLED,
            Participant.status == ParticipantStatus.ACTIVE,
        )
        .order_by(Registration.organisation_name, Registration.id, Participant.position)
    ).all()
    numbers = dict(
        db.execute(
            select(Invoice.registration_id, Invoice.number).where(
                Invoice.kind == InvoiceKind.INVOICE,
                Invoice.registration_id.in_([r.id for _p, r in found]),
            )
        ).all()
    )
    return [
        Row(
            p.civility or "",
            p.first_name,
            p.last_name,
            p.email,
            r.organisation_name,
            r.manager_name,
            r.manager_email,
            r.id,
            numbers.get(r.id, ""),
        )
        for p, r in found
    ]


def _cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def to_csv(rows: Sequence[Row]) -> bytes:
    buffer = io.StringIO()
    # Semicolons and a BOM: what French Excel expects when the file is double-clicked.
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows([_cell(v) for v in astuple(row)] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(rows: Sequence[Row], title: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]  # Excel's limit on sheet names
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_cell(v) for v in astuple(row)])
    for column, width in zip("ABCDEFGHI", (9, 16, 18, 32, 36, 24, 32, 13, 14), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
