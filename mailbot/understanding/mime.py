"""Walk a raw mail with the stdlib ``email`` package into headers, bodies and attachments.

Robust to what real clients send: wrong declared charsets (fall back to
cp1252 then latin-1), RFC 2047/2231 file names, message/rfc822 attachments and
mails saved as .eml or Outlook .msg files (their bodies and attachments are the
content of a forwarded mail), DSN parts.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import email
import email.utils
import mimetypes
import re
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage, Message

from mailbot.understanding.outlook import saved_message
from mailbot.understanding.smime import unwrapped

_MAX_PARTS = 200  # a registration mail has < 10 parts; beyond this it is hostile


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str | None
    content_type: str
    data: bytes


@dataclass(frozen=True, slots=True)
class MailView:
    """The pieces of one mail that the understanding reads."""

    headers: dict[str, str]  # lower-cased name -> first value (decoded)
    subject: str
    from_address: str | None
    from_name: str | None
    date: dt.datetime | None
    message_id: str | None
    in_reply_to: str | None
    references: tuple[str, ...]
    content_type: str
    report_type: str | None
    plain: str  # the first text/plain body
    html: str  # the first text/html body
    attachments: tuple[Attachment, ...] = ()
    forwarded: tuple[MailView, ...] = ()  # message/rfc822 parts
    report_parts: tuple[str, ...] = field(default=())  # message/delivery-status, headers, text


def parse_mail(raw: bytes) -> MailView:
    message = email.message_from_bytes(raw, policy=policy.default)
    return _view(message, depth=0)


def _header(message: Message, name: str) -> str:
    try:
        value = message.get(name)
    except Exception:  # a malformed header must not lose the mail; the value is optional
        return ""
    return "" if value is None else str(value)


def _view(message: Message, depth: int) -> MailView:
    message = unwrapped(message) or message
    headers: dict[str, str] = {}
    for name in {k.lower() for k in message}:
        headers[name] = _header(message, name)
    from_name, from_address = _address(headers.get("from", ""))
    plain, html = "", ""
    attachments: list[Attachment] = []
    forwarded: list[MailView] = []
    report_parts: list[str] = []
    report_type = message.get_param("report-type") if message.is_multipart() else None
    for count, part in enumerate(message.walk()):
        if count > _MAX_PARTS:
            break
        ctype = part.get_content_type()
        if part is not message and ctype == "message/rfc822" and depth < 3:
            inner = _inner_message(part)
            if inner is not None:
                forwarded.append(_view(inner, depth + 1))
            continue
        if ctype in ("message/delivery-status", "text/rfc822-headers", "message/rfc822-headers"):
            report_parts.append(_report_text(part))
            continue
        if part.is_multipart() or _inside_rfc822(message, part):
            continue
        disposition = (part.get_content_disposition() or "").lower()
        filename = _filename(part)
        if report_type and ctype == "text/plain" and plain:
            report_parts.append(_text(part))
            continue
        if ctype == "text/plain" and not plain and disposition != "attachment" and not filename:
            plain = _text(part)
            if str(part.get_param("format", "")).lower() == "flowed":
                plain = unflow(plain, delsp=str(part.get_param("delsp", "")).lower() == "yes")
        elif ctype == "text/html" and not html and disposition != "attachment" and not filename:
            html = _text(part)
        else:
            data = _payload(part)
            saved = (_saved_mail(filename, data) or saved_message(data)) if depth < 3 else None
            if saved is not None:
                forwarded.append(_view(saved, depth + 1))
            else:
                attachments.append(Attachment(filename, ctype, data))
    attachments += _embedded_images(html)
    plain, uuencoded = _uuencoded(plain)
    attachments += uuencoded
    return MailView(
        headers=headers,
        subject=headers.get("subject", "").strip(),
        from_address=from_address or None,
        from_name=from_name or None,
        date=_date(headers.get("date", "")),
        message_id=headers.get("message-id", "").strip() or None,
        in_reply_to=headers.get("in-reply-to", "").strip() or None,
        references=tuple(headers.get("references", "").split()),
        content_type=message.get_content_type(),
        report_type=str(report_type).lower() if report_type else None,
        plain=plain,
        html=html,
        attachments=tuple(attachments),
        forwarded=tuple(forwarded),
        report_parts=tuple(report_parts),
    )


# <img src="data:image/png;base64,…">: a picture pasted into the HTML itself, not a part.
_DATA_IMAGE = re.compile(
    r"""src\s*=\s*["']?data:(image/[\w.+-]+);base64,([A-Za-z0-9+/=\s]+)""", re.IGNORECASE
)
_MAX_EMBEDDED = 5


def _embedded_images(html: str) -> list[Attachment]:
    images = []
    for match in _DATA_IMAGE.finditer(html):
        try:
            data = base64.b64decode("".join(match.group(2).split()), validate=False)
        except ValueError:
            continue  # a broken picture is no form; the rest of the mail still reads
        images.append(Attachment(None, match.group(1).lower(), data))
        if len(images) >= _MAX_EMBEDDED:
            break
    return images


# "begin 644 BULLETIN.PDF" … "end": a file an old client put in the text itself.
_UU_BLOCK = re.compile(r"^begin [0-7]{3,4} (?P<name>[^\n]+)\n(?P<body>.*?)^end[ \t]*$", re.M | re.S)


def _uuencoded(plain: str) -> tuple[str, list[Attachment]]:
    """The text without its uuencoded files, and the files as attachments."""
    if "begin " not in plain:
        return plain, []
    text = plain.replace("\r\n", "\n")
    files: list[Attachment] = []
    for match in _UU_BLOCK.finditer(text):
        data = bytearray()
        try:
            for line in match["body"].splitlines():
                if line.strip() and line.strip() != "`":
                    data += binascii.a2b_uu(line)
        except binascii.Error:
            continue  # a broken block stays text; the rest of the mail still reads
        name = match["name"].strip()
        files.append(Attachment(name, mimetypes.guess_type(name)[0] or "", bytes(data)))
        if len(files) >= _MAX_EMBEDDED:
            break
    return (_UU_BLOCK.sub("", text) if files else plain), files


def _inside_rfc822(root: Message, part: Message) -> bool:
    """True when ``part`` belongs to a nested message/rfc822 (handled by its own view)."""
    for candidate in root.walk():
        if candidate is not root and candidate.get_content_type() == "message/rfc822":
            payload = candidate.get_payload()
            if isinstance(payload, list) and any(
                part is p for m in payload if isinstance(m, Message) for p in m.walk()
            ):
                return True
    return False


def _inner_message(part: Message) -> Message | None:
    payload = part.get_payload()
    if isinstance(payload, list) and payload and isinstance(payload[0], Message):
        return payload[0]
    data = part.get_payload(decode=True)
    if isinstance(data, bytes) and data:
        return email.message_from_bytes(data, policy=policy.default)
    return None


# What a saved mail starts with: header lines, not a document's magic bytes.
_HEADER_LINE = re.compile(rb"^[A-Za-z][A-Za-z0-9-]*:[ \t]")
_MAIL_HEADERS = frozenset({"from", "subject", "date", "message-id", "to"})


def _saved_mail(filename: str | None, data: bytes) -> Message | None:
    """A mail saved to disk and attached as a file (``Inscription.eml``).

    Clients label such a file ``application/octet-stream`` as often as
    ``message/rfc822``; its form is the content of a forwarded mail. Only a
    ``.eml`` name whose bytes start with header lines and carry the headers
    of a mail counts: any other file stays an attachment.
    """
    if not filename or not filename.lower().endswith(".eml"):
        return None
    if not _HEADER_LINE.match(data.lstrip()[:200]):
        return None
    try:
        message = email.message_from_bytes(data.lstrip(), policy=policy.default)
        names = {k.lower() for k in message}
    except Exception:  # a broken saved mail stays an attachment the reader reports on
        return None
    return message if len(names & _MAIL_HEADERS) >= 2 else None


def _address(value: str) -> tuple[str, str]:
    try:
        name, address = email.utils.parseaddr(value)
    except Exception:  # parseaddr on hostile input; the sender is optional information
        return "", ""
    return name.strip(), address.strip()


def _date(value: str) -> dt.datetime | None:
    if not value:
        return None
    try:
        return email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _filename(part: Message) -> str | None:
    try:
        name = part.get_filename()
    except Exception:  # broken RFC 2231 parameters: treat as unnamed
        return None
    return str(name) if name else None


def _payload(part: Message) -> bytes:
    try:
        data = part.get_payload(decode=True)
    except Exception:  # broken transfer encoding: keep what is there
        data = None
    if isinstance(data, bytes):
        return data
    raw = part.get_payload()
    return raw.encode("utf-8", "replace") if isinstance(raw, str) else b""


def _report_text(part: Message) -> str:
    """A DSN's status blocks are parsed by ``email`` as header-only messages; rejoin them."""
    payload = part.get_payload()
    if isinstance(payload, list):
        return "\n".join(block.as_string() for block in payload if isinstance(block, Message))
    return _text(part)


_LATIN_1 = frozenset(
    {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "iso-ir-100", "cp819", "ibm819",
     "us-ascii", "ascii", "iso-8859-1:1987", "csisolatin1", "windows-1252", "cp1252"}
)  # fmt: skip


def _text(part: Message) -> str:
    """Decoded text, trying the declared charset, then UTF-8, cp1252, latin-1."""
    data = _payload(part)
    declared = part.get_content_charset() or "utf-8"
    if declared.replace("_", "-") in _LATIN_1:
        # Outlook writes Windows' quotes, dashes, "œ" and "€" in a part it labels
        # latin-1; read so, they would be control characters. Browsers do the same
        # (the WHATWG encoding standard maps these labels to windows-1252).
        declared = "cp1252"
    # UTF-8 first: strict UTF-8 decoding of real latin-1 text with accents fails,
    # while a UTF-8 body mislabelled latin-1 would silently become mojibake.
    for charset in ("utf-8", declared, "cp1252", "latin-1"):
        try:
            return data.decode(charset)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("latin-1", "replace")


def is_email_message(message: object) -> bool:
    return isinstance(message, EmailMessage)


def unflow(text: str, *, delsp: bool = False) -> str:
    """A format=flowed body (RFC 3676) with its soft line breaks undone.

    Thunderbird and others cut long lines after a space and mark the cut by
    that trailing space; read as is, "Montant total : …" or a participant
    line lost its end to a line of its own.
    """
    lines: list[str] = []
    joining = False
    for raw in text.replace("\r\n", "\n").split("\n"):
        depth = len(raw) - len(raw.lstrip(">"))
        quote, content = raw[:depth], raw[depth:]
        if content.startswith(" "):
            content = content[1:]  # space-stuffing
        if joining and _continues(lines[-1], content, depth):
            lines[-1] += content
        else:
            lines.append(quote + (" " if quote and content else "") + content)
        joining = content.endswith(" ") and content != "-- "
        if joining and delsp:
            lines[-1] = lines[-1][:-1]
    return "\n".join(lines)


# Clients cut lines at 72 to 78 characters; none cuts one shorter than this.
_SHORTEST_CUT = 60


def _continues(previous: str, content: str, depth: int) -> bool:
    if _depth(previous) != depth or content == "-- ":
        return False
    if previous.rstrip().endswith(":"):
        # "Service : " typed with nothing after it is an empty field, not a cut:
        # only a line that the next word would have made too long was cut.
        first_word = content.split(" ", 1)[0]
        return len(previous) + len(first_word) >= _SHORTEST_CUT
    return True


def _depth(line: str) -> int:
    return len(line) - len(line.lstrip(">"))
