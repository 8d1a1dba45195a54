"""Serving a stored file to someone the policy has already let through: one way for every module."""

from django.http import FileResponse, Http404


def stored_file(field_file, name: str, content_type: str = "") -> FileResponse:
    """`field_file` as a download named `name`: never shown inline, never sniffed, never cached by a
    shared cache. A file missing from the storage answers 404, not a server error."""
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
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
