"""Serving a stored file to someone the policy has already let through: one way for every module.

`stored_file` streams a file field; `stored_content` serves content already read back (decrypted,
its SHA-256 checked: `core.uploads.read`). Both answer with the same headers: a download, never shown
inline, never sniffed, sandboxed if opened anyway, never cached by a shared cache.
"""

from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header


def stored_file(field_file, name: str, content_type: str = "") -> FileResponse:
    """`field_file` as a download named `name`. A file missing from the storage answers 404, not a
    server error."""
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=name or field_file.name.rsplit("/", 1)[-1],
        content_type=content_type or None,  # none given: guessed from the name
    )
    return _download_headers(response)


def stored_content(content: bytes, name: str, content_type: str = "application/octet-stream") -> HttpResponse:
    """Content read back from a stored file, as a download named `name`."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name) or "attachment"
    return _download_headers(response)


def _download_headers(response):
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
