"""Uploads: one checker and one storage helper for every module (imports no danvan app).

A module declares what it accepts as `Rules` (kinds from the catalogue, bytes per file, number of
files, bytes together), checks what it receives with `check`/`check_all` (type read from the
content, name agreeing with it, Office macros and zip bombs, PDF scripts, polyglots: checks.py says
exactly what is refused), keeps it with `store` (random token, SHA-256, size) and reads it back with
`read` (SHA-256 verified). Downloads are served by `core.downloads`. `zip_entries` and
`unpacks_too_far` are the ZIP inspection the Office checks use, for readers of packages that need
stricter bounds of their own (directives.extract).

    rules = uploads.Rules((uploads.PDF, uploads.DOCX), max_file_bytes=10 * uploads.MB)
    checked = uploads.check(request.FILES["file"], rules)     # or uploads.check(data, rules, name=…)
    stored = uploads.store(row.file, checked)                  # row.name = stored.name …
"""

from .checks import Checked, check, check_all, is_text
from .kinds import (
    BY_MIME,
    CATALOGUE,
    CSV,
    DOCX,
    JPEG,
    M4A,
    MB,
    MP3,
    PDF,
    PNG,
    TXT,
    UNPACKED_MAX_BYTES,
    XLSX,
    Kind,
    Rules,
    accept,
    megabytes_text,
    setting_bytes,
)
from .names import NAME_MAX, sanitise_name
from .packages import unpacks_too_far, zip_entries
from .storage import (
    DamagedFile,
    Stored,
    discard,
    discard_after_commit,
    new_token,
    read,
    store,
    store_in,
    write,
    write_file,
)

__all__ = [
    "BY_MIME",
    "CATALOGUE",
    "CSV",
    "DOCX",
    "JPEG",
    "M4A",
    "MB",
    "MP3",
    "NAME_MAX",
    "PDF",
    "PNG",
    "TXT",
    "UNPACKED_MAX_BYTES",
    "XLSX",
    "Checked",
    "DamagedFile",
    "Kind",
    "Rules",
    "Stored",
    "accept",
    "check",
    "check_all",
    "discard",
    "discard_after_commit",
    "is_text",
    "megabytes_text",
    "new_token",
    "read",
    "sanitise_name",
    "setting_bytes",
    "store",
    "store_in",
    "unpacks_too_far",
    "write",
    "write_file",
    "zip_entries",
]
