"""Which format an attachment really is: magic bytes first, then file name, then MIME type.

Mail clients often label attachments ``application/octet-stream`` and users
rename files, so the bytes are the most trustworthy witness.
"""

from __future__ import annotations

import io
import zipfile
from enum import StrEnum
from pathlib import PurePosixPath, PureWindowsPath


class Format(StrEnum):
    PDF = "pdf"
    DOCX = "docx"
    DOC = "doc"
    ODT = "odt"
    ODS = "ods"
    RTF = "rtf"
    XLSX = "xlsx"
    XLS = "xls"
    CSV = "csv"
    TEXT = "text"
    HTML = "html"
    IMAGE = "image"
    TNEF = "tnef"
    ENCRYPTED_OFFICE = "encrypted_office"  # OOXML wrapped in an encrypted OLE2 file
    OUTLOOK_MSG = "msg"  # a mail saved by Outlook: its attachments are streams inside
    SEALED_MAIL = "p7m"  # an S/MIME mail encrypted for its recipient's key
    ZIP = "zip"
    UNKNOWN = "unknown"


_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_TNEF = b"\x78\x9f\x3e\x22"
# An ISO media file's brand: HEIC/HEIF stills, as iPhones take photos by default.
_HEIF_BRANDS = (b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1")
_IMAGE_MAGIC = (
    b"\xff\xd8\xff",  # JPEG
    b"\x89PNG\r\n\x1a\n",
    b"II*\x00",  # TIFF little-endian
    b"MM\x00*",  # TIFF big-endian
    b"GIF87a",
    b"GIF89a",
    b"BM",
)

_ZIP_BASED = frozenset({Format.DOCX, Format.XLSX, Format.ODT, Format.ODS})

_BY_EXTENSION = {
    ".pdf": Format.PDF,
    ".docx": Format.DOCX,
    ".docm": Format.DOCX,
    ".dotx": Format.DOCX,
    ".doc": Format.DOC,
    ".dot": Format.DOC,
    ".odt": Format.ODT,
    ".ods": Format.ODS,
    ".rtf": Format.RTF,
    ".xlsx": Format.XLSX,
    ".xlsm": Format.XLSX,
    ".xls": Format.XLS,
    ".csv": Format.CSV,
    ".txt": Format.TEXT,
    ".htm": Format.HTML,
    ".html": Format.HTML,
    ".jpg": Format.IMAGE,
    ".jpeg": Format.IMAGE,
    ".png": Format.IMAGE,
    ".tif": Format.IMAGE,
    ".tiff": Format.IMAGE,
    ".gif": Format.IMAGE,
    ".bmp": Format.IMAGE,
    ".webp": Format.IMAGE,
    ".heic": Format.IMAGE,
    ".heif": Format.IMAGE,
    ".msg": Format.OUTLOOK_MSG,
    ".p7m": Format.SEALED_MAIL,
    ".dat": Format.UNKNOWN,  # winmail.dat is recognised by its magic, not its name
}

_BY_CONTENT_TYPE = {
    "application/pdf": Format.PDF,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": Format.DOCX,
    "application/msword": Format.DOC,
    "application/vnd.oasis.opendocument.text": Format.ODT,
    "application/vnd.oasis.opendocument.spreadsheet": Format.ODS,
    "application/rtf": Format.RTF,
    "text/rtf": Format.RTF,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": Format.XLSX,
    "application/vnd.ms-excel": Format.XLS,
    "text/csv": Format.CSV,
    "text/plain": Format.TEXT,
    "text/html": Format.HTML,
    "application/ms-tnef": Format.TNEF,
    "application/vnd.ms-tnef": Format.TNEF,
    "application/zip": Format.ZIP,
    "application/pkcs7-mime": Format.SEALED_MAIL,
    "application/x-pkcs7-mime": Format.SEALED_MAIL,
}


def sniff(data: bytes, filename: str | None, content_type: str) -> Format:
    """The format of ``data``; ``UNKNOWN`` when nothing vouches for one."""
    declared = _from_extension(filename) or _from_content_type(content_type)
    found = magic_format(data)
    if found is Format.ZIP and declared in _ZIP_BASED:
        # A truncated DOCX is still "PK..." but no longer lists its members:
        # trust the name, so the reader reports it unreadable, not unsupported.
        return declared
    if found is None and declared is None and _delimited_text(data):
        return Format.CSV  # "ATT00001.bin", application/octet-stream: a list exported as CSV
    return found or declared or Format.UNKNOWN


def is_outlook_msg(data: bytes) -> bool:
    """A mail saved by Outlook; cheap on anything else (a DOCX's zip is not opened)."""
    return data.startswith(_OLE2) and _ole_flavour(data) is Format.OUTLOOK_MSG


def magic_format(data: bytes) -> Format | None:
    """The format the bytes themselves declare, if any."""
    head = data[:1024]
    if b"%PDF-" in head:  # some generators put junk before the header; readers accept it
        return Format.PDF
    if head.startswith(b"PK\x03\x04"):
        return _zip_flavour(data)
    if head.startswith(_OLE2):
        return _ole_flavour(data)
    if head.startswith(_TNEF):
        return Format.TNEF
    if head.lstrip().startswith(b"{\\rtf"):
        return Format.RTF
    if head.startswith(_IMAGE_MAGIC) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return Format.IMAGE
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return Format.IMAGE
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith((b"<!doctype html", b"<html")):
        return Format.HTML
    return None


def _zip_flavour(data: bytes) -> Format:
    """Tell DOCX/XLSX/ODF apart from a plain archive by the members they must have."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, RuntimeError):
        # A truncated DOCX still starts with PK: the extension will decide.
        return Format.ZIP
    if "word/document.xml" in names:
        return Format.DOCX
    if "xl/workbook.xml" in names:
        return Format.XLSX
    if mimetype.startswith(b"application/vnd.oasis.opendocument.text"):
        return Format.ODT
    if mimetype.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
        return Format.ODS
    return Format.ZIP


def _ole_flavour(data: bytes) -> Format | None:
    """OLE2 holds Word 97, Excel 97 and encrypted OOXML; directory names are UTF-16."""
    if "EncryptedPackage".encode("utf-16-le") in data:
        return Format.ENCRYPTED_OFFICE
    # First: a .msg carrying a Word or Excel file holds that file's names too.
    if "__substg1.0_".encode("utf-16-le") in data:
        return Format.OUTLOOK_MSG
    if "WordDocument".encode("utf-16-le") in data:
        return Format.DOC
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return Format.XLS
    return None  # something else: let the name decide


def _from_extension(filename: str | None) -> Format | None:
    if not filename:
        return None
    # Windows clients send "C:\\Users\\...\\form.docx" now and then.
    name = PureWindowsPath(PurePosixPath(filename).name).name
    suffix = PurePosixPath(name.lower().strip()).suffix
    found = _BY_EXTENSION.get(suffix)
    return None if found is Format.UNKNOWN else found


def _from_content_type(content_type: str) -> Format | None:
    main = content_type.split(";", maxsplit=1)[0].strip().lower()
    if main.startswith("image/"):
        return Format.IMAGE
    return _BY_CONTENT_TYPE.get(main)


def _delimited_text(data: bytes) -> bool:
    """Whether unnamed bytes are a table in text: every line cut by the same separator alike."""
    head = data[:8192]
    if b"\x00" in head:
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        text = head.decode("cp1252", errors="replace")
    lines = [line for line in text.lstrip("\ufeff").splitlines()[:20] if line.strip()]
    if len(data) > len(head):
        lines = lines[:-1]  # the last line read may be cut short
    if len(lines) < 2:
        return False
    for separator in (";", "\t", ","):
        counts = {line.count(separator) for line in lines}
        if len(counts) == 1 and counts.pop() >= 1:
            return True
    return False
