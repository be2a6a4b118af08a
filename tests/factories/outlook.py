"""Outlook ``.msg`` files (MS-OXMSG) built for tests: a mail with its attachments.

A .msg is an OLE2 compound file; pycfb writes the container and this module
lays out what MS-OXMSG puts in it: a property stream per object (message,
recipient, attachment) whose fixed-size values sit inline, and one
``__substg1.0_<tag>`` stream per string or binary value.
"""

from __future__ import annotations

import struct
import uuid

from pycfb import CFBWriter

PT_LONG, PT_UNICODE, PT_BINARY = 0x0003, 0x001F, 0x0102
_READABLE_WRITABLE = 0x6
_MESSAGE_CLSID = uuid.UUID("00020d0b-0000-0000-c000-000000000046")

Property = tuple[int, int, "int | str | bytes"]


def _properties(header: bytes, properties: list[Property]) -> tuple[bytes, dict[str, bytes]]:
    entries, streams = [header], {}
    for ident, kind, value in properties:
        tag = (ident << 16) | kind
        if isinstance(value, int):
            entries.append(struct.pack("<IIi4x", tag, _READABLE_WRITABLE, value))
            continue
        # A string stream holds no terminator; the size declared for it counts one.
        data = value.encode("utf-16-le") if isinstance(value, str) else value
        size = len(data) + 2 if isinstance(value, str) else len(data)
        entries.append(struct.pack("<IIII", tag, _READABLE_WRITABLE, size, 0))
        streams[f"__substg1.0_{tag:08X}"] = data
    return b"".join(entries), streams


def build_msg(
    *,
    sender: tuple[str, str],
    subject: str,
    body: str,
    headers: str,
    attachments: list[tuple[str, str, bytes]] = (),  # type: ignore[assignment]
    recipient: str = "ipp@ipp.fr",
) -> bytes:
    """A received mail as Outlook saves it: ``headers`` are its transport headers."""
    paths: list[str] = []
    data: list[bytes | None] = []

    def add(path: str, content: bytes | None) -> None:  # None: a storage (a folder)
        paths.append(path)
        data.append(content)

    def add_object(folder: str, header: bytes, properties: list[Property]) -> None:
        prefix = f"{folder}/" if folder else ""
        if folder:
            add(folder, None)
        stream, values = _properties(header, properties)
        add(f"{prefix}__properties_version1.0", stream)
        for name, value in values.items():
            add(prefix + name, value)

    count = len(attachments)
    add_object("", struct.pack("<8xIIII8x", 1, count, 1, count), [
        (0x001A, PT_UNICODE, "IPM.Note"),  # message class
        (0x0037, PT_UNICODE, subject),
        (0x1000, PT_UNICODE, body),
        (0x0C1A, PT_UNICODE, sender[0]),
        (0x0C1E, PT_UNICODE, "SMTP"),
        (0x0C1F, PT_UNICODE, sender[1]),
        (0x007D, PT_UNICODE, headers),  # transport message headers
    ])  # fmt: skip
    # The named-property map: one numeric name in a private GUID (pycfb cannot
    # write an empty stream, whose start sector must be end-of-chain).
    add("__nameid_version1.0", None)
    add("__nameid_version1.0/__substg1.0_00020102", uuid.UUID(int=1).bytes_le)
    add("__nameid_version1.0/__substg1.0_00030102", struct.pack("<IHH", 0x8501, 3 << 1, 0))
    add("__nameid_version1.0/__substg1.0_00040102", bytes(4))
    add_object("__recip_version1.0_#00000000", bytes(8), [
        (0x0C15, PT_LONG, 1),  # To
        (0x3001, PT_UNICODE, recipient),
        (0x3002, PT_UNICODE, "SMTP"),
        (0x3003, PT_UNICODE, recipient),
        (0x39FE, PT_UNICODE, recipient),
    ])  # fmt: skip
    for index, (filename, content_type, content) in enumerate(attachments):
        add_object(f"__attach_version1.0_#{index:08X}", bytes(8), [
            (0x3705, PT_LONG, 1),  # attached by value
            (0x3707, PT_UNICODE, filename),
            (0x3704, PT_UNICODE, filename[:12]),
            (0x370E, PT_UNICODE, content_type),
            (0x3701, PT_BINARY, content),
        ])  # fmt: skip
    return bytes(CFBWriter(paths, data, _MESSAGE_CLSID).data)  # type: ignore[arg-type]
