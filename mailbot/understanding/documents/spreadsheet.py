"""XLSX and CSV attachments: one table per sheet, and the same rows as tab-separated text."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable

import openpyxl

from mailbot.understanding.documents.guards import Limits, check_zip
from mailbot.understanding.documents.model import Document, Source
from mailbot.understanding.documents.tables import Table, clean_cell, render_table, trim_table
from mailbot.understanding.documents.textcodec import decode

MAX_ROWS = 5_000  # a participants list is 1-50 rows; stop reading an exported database
MAX_COLUMNS = 60


def extract_xlsx(data: bytes, limits: Limits) -> Document:
    check_zip(data, limits)
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheets = [
            trim_table(_cells(row) for row in sheet.iter_rows(max_row=MAX_ROWS, values_only=True))
            for sheet in workbook.worksheets
        ]
    finally:
        workbook.close()
    return sheets_document(sheets)


def extract_csv(data: bytes, limits: Limits) -> Document:
    text = decode(data)
    dialect = _dialect(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=dialect)
    rows = (
        [clean_cell(cell) for cell in row[:MAX_COLUMNS]]
        for _, row in zip(range(MAX_ROWS), reader, strict=False)
    )
    return sheets_document([trim_table(rows)])


def sheets_document(sheets: list[Table]) -> Document:
    """A spreadsheet's non-empty sheets as tables, rendered into text one after the other."""
    kept = tuple(sheet for sheet in sheets if sheet)
    return Document(
        filename=None,
        content_type="",
        source=Source.SPREADSHEET,
        text="\n\n".join(render_table(sheet) for sheet in kept),
        tables=kept,
        pages=len(kept),
    )


def _cells(row: Iterable[object]) -> list[str]:
    return [clean_cell(_format(value)) for _, value in zip(range(MAX_COLUMNS), row, strict=False)]


def _format(value: object) -> str:
    """A cell as a French office worker would read it on screen."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _dialect(text: str) -> str:
    """The delimiter: French Excel writes ";", others "," or TAB."""
    sample = text[:20_000]
    try:
        return csv.Sniffer().sniff(sample, delimiters=";,\t|").delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in ";\t,"}
        return max(counts, key=lambda d: counts[d])
