"""Keeping checked files: under a random token, never under the name sent; read back against their SHA-256.

- `store(field_file, checked)` writes the content into a row's FileField (the field's `upload_to`
  picks the folder, the kit picks the file name: a random token) without saving the row, and returns
  what the row records: the clean name, the type read from the content, size and SHA-256 of the
  content checked (`content=` writes other bytes, e.g. encrypted, under the same record).
  `keep_name=True` is for rows with no column for the name: the token becomes a folder holding the
  file under its clean name, so a download can still be offered under that name.
- `write_file(field_file, handle)` keeps a file the installation made (an export a job wrote),
  streamed from an open file, with its SHA-256.
- `store_in(folder, checked)` does the same without a row (files waiting for a person's review).
- `read(file, sha256=…)` gives the content back, `decode`d if stored transformed, and raises
  DamagedFile when it no longer matches the SHA-256 recorded.
- `discard(files)` removes files now: those written for rows that were then rolled back (the caller
  catches the failure, discards, re-raises). `discard_after_commit(files)` removes them once the
  current transaction commits: files of rows being deleted or replaced.
Downloads go through `core.downloads`.
"""

import hashlib
import logging
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import IO

from django.core.files.base import ContentFile, File
from django.core.files.storage import Storage, default_storage
from django.db import transaction
from django.db.models.fields.files import FieldFile

from .checks import Checked

log = logging.getLogger(__name__)
_CHUNK_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Stored:
    """A file written by `store`/`store_in`, with what its row records."""

    path: str  # the name in the storage
    name: str  # the clean name the file was sent under, for display and download
    content_type: str
    size: int
    sha256: str
    storage: Storage = field(repr=False, compare=False)


class DamagedFile(ValueError):
    """The stored content no longer matches the SHA-256 recorded when it was received."""


def new_token() -> str:
    """A random name for a stored file (192 bits): unguessable, never derived from what was sent."""
    return secrets.token_urlsafe(24)


def write(field_file: FieldFile, content: bytes, *, keep_name: str = "") -> str:
    """Write `content` into a row's file field under a new token (the row is not saved); its path."""
    token = new_token()
    field_file.save(f"{token}/{keep_name}" if keep_name else token, ContentFile(content), save=False)
    return str(field_file.name)


def write_file(field_file: FieldFile, handle: IO[bytes], *, keep_name: str = "") -> tuple[str, str, int]:
    """Write a generated file (open, binary, at its start) into a row's file field under a new token,
    read in chunks, never whole in memory (the row is not saved); its path, SHA-256 and size."""
    digest, size = hashlib.sha256(), 0
    for chunk in iter(lambda: handle.read(_CHUNK_BYTES), b""):
        digest.update(chunk)
        size += len(chunk)
    handle.seek(0)
    token = new_token()
    field_file.save(f"{token}/{keep_name}" if keep_name else token, File(handle), save=False)
    return str(field_file.name), digest.hexdigest(), size


def store(
    field_file: FieldFile, checked: Checked, *, content: bytes | None = None, keep_name: bool = False
) -> Stored:
    """Write a checked file into a row's file field; the row is not saved (see the module docstring)."""
    path = write(
        field_file,
        checked.content if content is None else content,
        keep_name=checked.name if keep_name else "",
    )
    return _stored(path, checked, field_file.storage)


def store_in(folder: str, checked: Checked, *, storage: Storage | None = None) -> Stored:
    """Write a checked file in `folder` of `storage` (the default one) under a new token."""
    storage = storage or default_storage
    path = storage.save(f"{folder}/{new_token()}", ContentFile(checked.content))
    return _stored(path, checked, storage)


def _stored(path: str, checked: Checked, storage: Storage) -> Stored:
    return Stored(
        path=path,
        name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        storage=storage,
    )


def read(
    file: FieldFile | str,
    *,
    sha256: str,
    decode: Callable[[bytes], bytes] | None = None,
    storage: Storage | None = None,
) -> bytes:
    """The content of a stored file (a file field, or a path in `storage`), checked against `sha256`.

    `decode` undoes what was done before storing (decryption). Raises DamagedFile on a mismatch;
    a missing file raises what the storage raises (FileNotFoundError).
    """
    if isinstance(file, str):
        with (storage or default_storage).open(file, "rb") as handle:
            content = handle.read()
    else:
        with file.open("rb") as handle:
            content = handle.read()
    if decode is not None:
        content = decode(content)
    if not secrets.compare_digest(hashlib.sha256(content).hexdigest(), sha256 or ""):
        raise DamagedFile(f"{getattr(file, 'name', file)} does not match its SHA-256")
    return content


def discard(files: Iterable[FieldFile | Stored | str | None], *, storage: Storage | None = None) -> None:
    """Remove stored files now (paths are in `storage`, the default one; None and empty fields are
    skipped). A file the storage cannot remove is logged and skipped: the caller is already failing."""
    _remove(_locations(files, storage))


def discard_after_commit(
    files: Iterable[FieldFile | Stored | str], *, storage: Storage | None = None
) -> None:
    """Remove stored files once the current transaction commits (now, outside one)."""
    locations = _locations(files, storage)
    if locations:
        transaction.on_commit(lambda: _remove(locations))


def _locations(files, storage: Storage | None) -> list[tuple[Storage, str]]:
    found = []
    for file in files:
        if isinstance(file, Stored):
            found.append((file.storage, file.path))
        elif isinstance(file, str):
            found.append((storage or default_storage, file))
        elif file:  # a file field holding a file (not None, not an empty field)
            found.append((file.storage, file.name))
    return found


def _remove(locations: list[tuple[Storage, str]]) -> None:
    for storage, path in locations:
        try:
            storage.delete(path)
        except OSError:
            log.warning("A stored file could not be removed: %s", path)
