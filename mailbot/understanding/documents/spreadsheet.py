"""XLSX and CSV attachments: one table per sheet, and the same rows as tab-separated text."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from typing import Any

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
    # A file written by a program rather than Excel may hold formulas Excel never
    # computed: their cells show the formula, which no reading takes for a value.
    formulas = (
        openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        if _uncomputed_formulas(data)
        else None
    )
    try:
        sheets = [
            trim_table(
                [
                    clean_cell(_format(cell.value, getattr(cell, "number_format", None)))
                    for cell in row
                ]
                for row in _rows(sheet, None if formulas is None else formulas[sheet.title])
            )
            for sheet in workbook.worksheets
            # A hidden sheet holds a form's drop-down lists and sample rows, not what was typed.
            if sheet.sheet_state == "visible"
        ]
    finally:
        workbook.close()
        if formulas is not None:
            formulas.close()
    return sheets_document(sheets)


_UNCOMPUTED = re.compile(rb"</f>(?:<v\s*/>|<v></v>)?</c>")


def _uncomputed_formulas(data: bytes) -> bool:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return any(
            _UNCOMPUTED.search(package.read(name))
            for name in package.namelist()
            if name.startswith("xl/worksheets/") and name.endswith(".xml")
        )


def _rows(sheet: Any, formulas: Any) -> Iterator[list[Any]]:
    """The sheet's rows; a cell without a value shows its formula, if it has one."""
    rows = sheet.iter_rows(max_row=MAX_ROWS, max_col=MAX_COLUMNS)
    if formulas is None:
        yield from (list(row) for row in rows)
        return
    written = formulas.iter_rows(max_row=MAX_ROWS, max_col=MAX_COLUMNS)
    for row, raw in zip(rows, written, strict=False):
        yield [
            raw_cell if cell.value is None and isinstance(raw_cell.value, str) else cell
            for cell, raw_cell in zip(row, raw, strict=False)
        ]


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
    kept = tuple(_one_record_down(sheet) for sheet in sheets if sheet)
    return Document(
        filename=None,
        content_type="",
        source=Source.SPREADSHEET,
        text="\n\n".join(render_table(sheet) for sheet in kept),
        tables=kept,
        pages=len(kept),
    )


def _format(value: object, number_format: str | None = None) -> str:
    """A cell as a French office worker would read it on screen."""
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool) and number_format:
        shown = _digits_by_format(value, number_format)
        if shown is not None:
            return shown
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


# A format made of digit places and literals only: a phone number typed as a
# number keeps its leading 0 and its spaces on screen ('0#" "##" "##" "##" "##').
_DIGITS_ONLY_FORMAT = re.compile(r'^(?:[0#]|"[^"]*"|\\.|[ \-./()])+$')
_FORMAT_TOKEN = re.compile(r'"[^"]*"|\\.|.')


def _digits_by_format(value: float, number_format: str) -> str | None:
    """What Excel shows for a whole number under a digit-place format; None for others."""
    if not _DIGITS_ONLY_FORMAT.match(number_format) or not float(value).is_integer():
        return None
    tokens = _FORMAT_TOKEN.findall(number_format)
    digits = str(abs(int(value)))
    left = len(digits)
    shown: list[str] = []
    for token in reversed(tokens):
        if token in ("0", "#"):
            if left:
                left -= 1
                shown.append(digits[left])
            elif token == "0":
                shown.append("0")
        elif token.startswith('"'):
            shown.append(token[1:-1])
        elif token.startswith("\\"):
            shown.append(token[1:])
        else:
            shown.append(token)
    # Digits beyond the places are all shown, before the first one.
    text = digits[:left] + "".join(reversed(shown))
    return ("-" if value < 0 else "") + text.strip()


# "Participant 2 - Prénom": a column of one person among several numbered in one row.
_NUMBERED_PERSON = re.compile(r"\bparticipant(?:e)?\s*(?:n°\s*)?\d", re.IGNORECASE)


def _one_record_down(sheet: Table) -> Table:
    """The form laid out along one row under a row of labels ("Dénomination | Adresse
    postale | … | Participant 2 - E-mail"), turned to a label and its value per row, as
    the form prints them. A list of people (one row each) is left as it is: only a single
    record whose participants are numbered columns is turned."""
    filled = [row for row in sheet if any(cell.strip() for cell in row)]
    if len(filled) != 2 or not any(_NUMBERED_PERSON.search(cell) for cell in filled[0]):
        return sheet
    labels, values = filled
    padded = [*values, *[""] * len(labels)]
    return tuple(
        (label, value) for label, value in zip(labels, padded, strict=False) if label.strip()
    )
