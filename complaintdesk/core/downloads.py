"""Serving a stored file to a person who was already allowed to read it, with headers that keep a
hostile file harmless: never sniffed, never run as a page, downloaded unless it is a plain image."""

from __future__ import annotations

from django.http import FileResponse

# A served file may load nothing, run nothing and is sandboxed even when opened directly.
DOWNLOAD_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
INLINE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif"})


def protected_file_response(file, *, content_type: str, filename: str) -> FileResponse:
    """``file`` is an open file (e.g. ``attachment.file.open("rb")``); ``content_type`` is the one
    recorded when the content was checked, never what the client claimed."""
    inline = content_type in INLINE_TYPES
    response = FileResponse(file, as_attachment=not inline, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = DOWNLOAD_CSP
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["X-Frame-Options"] = "DENY"
    return response
