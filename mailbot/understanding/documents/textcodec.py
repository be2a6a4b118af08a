"""Decode the text files French offices send: UTF-8 (with or without BOM), else Windows-1252."""

from __future__ import annotations


def decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    # cp1252 leaves five bytes undefined; latin-1 maps every byte.
    return data.decode("latin-1")
