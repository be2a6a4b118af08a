"""Responses that the browser must save, never display: attachments, PDFs, exports."""

from __future__ import annotations

from urllib.parse import quote

from starlette.responses import Response


def attachment_response(data: bytes, filename: str, content_type: str) -> Response:
    ascii_name = filename.encode("ascii", "replace").decode().replace('"', "_").replace("?", "_")
    return Response(
        data,
        media_type=content_type,
        headers={
            # RFC 6266: a plain fallback name plus the exact UTF-8 one.
            "Content-Disposition": (
                f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
            ),
            "X-Content-Type-Options": "nosniff",
            # Even if a browser opened it, it would run in an origin-less sandbox.
            "Content-Security-Policy": "sandbox; default-src 'none'",
        },
    )
