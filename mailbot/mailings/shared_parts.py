"""A file many mails carry, stored once and base64-encoded once.

An OutboundMail that carries a dossier holds, in place of the dossier's MIME part, a
small text stand-in (valid MIME: the copy saved to the Sent folder stays small and
readable). ``OutboundPart`` rows record where the stand-in sits in ``raw``; the
sender swaps it for the real part, encoded once per process by ``PartCache``.
Encoding is deterministic, so a retry sends byte-for-byte the same message.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP

STAND_IN_HEADER = "X-Mailbot-Part"
_CONTAINER_BOUNDARY = "mailbot-part-container"


@dataclass(frozen=True, slots=True)
class SharedFile:
    """A file stored once (``StoredFile``), attached to many mails by reference."""

    sha256: str
    filename: str
    content_type: str
    size: int


@dataclass(frozen=True, slots=True)
class PartRef:
    """``raw[start:end]`` is the stand-in for ``sha256`` sent as ``filename``."""

    start: int
    end: int
    sha256: str
    filename: str


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def stand_in(shared: SharedFile, position: int) -> EmailMessage:
    """The small part kept in the database where the real attachment will go."""
    part = EmailMessage(policy=SMTP)
    part.set_content(
        f"[Pièce jointe envoyée avec ce courriel : {shared.filename}, {shared.size} octets]\n",
        subtype="plain",
        charset="utf-8",
    )
    part[STAND_IN_HEADER] = _token(shared, position)
    return part


def _token(shared: SharedFile, position: int) -> str:
    # Short enough never to be folded (78 columns): 40 hex digits identify the file.
    return f"{shared.sha256[:40]}.{position}"


def locate(raw: bytes, boundary: str, shared: SharedFile, position: int) -> PartRef:
    """Where the stand-in of ``shared`` sits in a serialised multipart message."""
    token = f"{STAND_IN_HEADER}: {_token(shared, position)}".encode()
    at = raw.find(token)
    if at < 0:
        raise ValueError(f"stand-in for {shared.filename} not found in the message")
    start, end = _part_bounds(raw, boundary.encode(), at)
    return PartRef(start, end, shared.sha256, shared.filename)


def _part_bounds(raw: bytes, boundary: bytes, inside: int) -> tuple[int, int]:
    opening = b"\r\n--" + boundary + b"\r\n"
    head = raw.rfind(opening, 0, inside)
    tail = raw.find(b"\r\n--" + boundary, inside)
    if head < 0 or tail < 0:
        raise ValueError("part boundaries not found")
    return head + len(opening), tail


def encode_part(data: bytes, content_type: str, filename: str) -> bytes:
    """The complete MIME part (headers, blank line, base64 body) as it goes on the wire.

    Built by the email package inside a throw-away container, so headers and line
    lengths are exactly what ``EmailMessage.add_attachment`` would produce.
    """
    container = EmailMessage(policy=SMTP)
    maintype, _, subtype = content_type.partition("/")
    container.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    container.set_boundary(_CONTAINER_BOUNDARY)
    raw = container.as_bytes(policy=SMTP)
    opening = b"--" + _CONTAINER_BOUNDARY.encode() + b"\r\n"
    start = raw.index(opening) + len(opening)
    end = raw.index(b"\r\n--" + _CONTAINER_BOUNDARY.encode(), start)
    return raw[start:end]


def assemble(raw: bytes, refs: Sequence[PartRef], part_for: Callable[[PartRef], bytes]) -> bytes:
    """``raw`` with each stand-in replaced by its real part (refs in any order)."""
    pieces: list[bytes] = []
    cursor = 0
    for ref in sorted(refs, key=lambda r: r.start):
        pieces += [raw[cursor : ref.start], part_for(ref)]
        cursor = ref.end
    pieces.append(raw[cursor:])
    return b"".join(pieces)


class PartCache:
    """Encoded parts by (sha256, filename), so a 500-mail mailing encodes the dossier once.

    ``load`` fetches a stored file's bytes and content type (from the database);
    ``encodings`` counts real encodings, which the benchmark and tests check.
    """

    def __init__(self, load: Callable[[str], tuple[bytes, str]], capacity: int = 8) -> None:
        self._load = load
        self._capacity = capacity
        self._parts: OrderedDict[tuple[str, str], bytes] = OrderedDict()
        self.encodings = 0

    def part(self, ref: PartRef) -> bytes:
        key = (ref.sha256, ref.filename)
        cached = self._parts.get(key)
        if cached is not None:
            self._parts.move_to_end(key)
            return cached
        data, content_type = self._load(ref.sha256)
        if sha256_of(data) != ref.sha256:
            raise ValueError(f"stored file {ref.sha256[:12]} is corrupt (checksum mismatch)")
        encoded = encode_part(data, content_type, ref.filename)
        self.encodings += 1
        self._parts[key] = encoded
        if len(self._parts) > self._capacity:
            self._parts.popitem(last=False)
        return encoded

    def assemble(self, raw: bytes, refs: Sequence[PartRef]) -> bytes:
        return assemble(raw, refs, self.part) if refs else raw
