"""Importing existing registers: `danvan import-activities --kind KIND FILE` and its page.

A file (CSV or XLSX, header in the first row, the register's columns in any order) is checked by
core.tables.check_upload, read by core.tables, its header mapped to the register's `columns` and
`optional` columns, and its rows handed as `Row(line, cells)` to the register's `import_rows(rows=…,
by=…)`, which saves all of them or none. A file of more than settings.JOBS_BACKGROUND_ROWS rows is
kept (core.uploads.store_in) and imported by a background job (danvan.jobs, `IMPORT_KIND`), which
reads it back against its SHA-256, as the reports' bulk values file is.

This module never imports a register: it finds them in `registers`.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.accounts.actors import Actor
from danvan.accounts.policy import Perm
from danvan.core import tables, uploads
from danvan.core.tables import FileRejected
from danvan.jobs import kinds

from .registers import REGISTERS, Register, Row, importable

IMPORT_KIND = "activities.import"
STORE_FOLDER = "imports/activities"
ERRORS_IN_MESSAGE = 20


class UnknownKind(Exception):
    """The kind names no register that can be imported; the message lists those that can."""

    def __init__(self, kind: str):
        self.kind = kind
        super().__init__(unknown_kind_message(kind))


def unknown_kind_message(kind: str) -> str:
    known = ", ".join(f"{item.key} ({item.label})" for item in importable()) or _("none yet")
    return _("There is no register “%(kind)s” to import. The kinds are: %(kinds)s.") % {
        "kind": kind,
        "kinds": known,
    }


def register_for(kind: str) -> Register:
    """The importable register of this kind (the --kind of the command); raises UnknownKind."""
    item = REGISTERS.get((kind or "").strip())
    if item is None or not item.importable:
        raise UnknownKind(kind)
    return item


def read_rows(checked: uploads.Checked, register: Register) -> list[Row]:
    """The checked file's data rows (line numbers as in the file), by column name. Raises FileRejected."""
    table = tables.read_table(checked)
    if not table:
        raise FileRejected(_("The file is empty."))
    header = tables.map_header(*table[0], required=register.columns, optional=register.optional)
    return [Row(line, header.values(cells)) for line, cells in table[1:]]


def import_file(*, checked: uploads.Checked, register: Register, by: Actor) -> int:
    """Read and import a checked file into `register`, all or nothing; the number of rows saved.

    Raises FileRejected (the file or its header), ValidationError ({line: [messages]}) or
    PermissionDenied (from the register)."""
    rows = read_rows(checked, register)
    if not rows:
        raise FileRejected(_("The file has no rows below the header."))
    assert register.import_rows is not None
    with transaction.atomic():  # the register saves all or none; a register that half-wrote is undone too
        return register.import_rows(rows=rows, by=by)


def error_lines(error: ValidationError) -> list[str]:
    """'Dòng N: message' lines from a register's ValidationError (messages of no line as they are)."""
    if not hasattr(error, "error_dict"):
        return [str(message) for message in error.messages]
    lines = []
    for line, messages in sorted(error.message_dict.items(), key=lambda item: _line_order(item[0])):
        for message in messages:
            if str(line) == "__all__":
                lines.append(str(message))
            else:
                lines.append(_("Row %(row)s: %(message)s") % {"row": line, "message": message})
    return lines


def _line_order(key) -> tuple[int, int]:
    try:
        return (0, int(key))
    except (TypeError, ValueError):
        return (-1, 0)  # errors of the whole file first


def sample_rows(register: Register) -> list[list]:
    """The register's example rows, as many cells as it has columns (required then optional)."""
    width = len(register.columns) + len(register.optional)
    return [list(row)[:width] + [None] * (width - len(row)) for row in register.example]


def sample_book(register: Register):
    """A workbook a user can fill in: the register's columns as the header, its example rows below."""
    names = [*register.columns, *register.optional]
    columns = [tables.Column(name, width=max(14, len(name) + 4)) for name in names]
    sheet = tables.Sheet(name=capfirst(str(register.label)), rows=sample_rows(register), columns=columns)
    return tables.workbook([sheet])


def sample_filename(register: Register) -> str:
    return f"mau-nhap-{register.key.replace('_', '-')}.xlsx"


# --- large files as background jobs (danvan.jobs) ---------------------------------------------


def job_params(stored: uploads.Stored, register: Register) -> dict[str, str]:
    """What an import job needs: the register and the kept file (`uploads.store_in`)."""
    return {"kind": register.key, "path": stored.path, "sha256": stored.sha256, "name": stored.name}


def _import_job(job, progress: kinds.Progress) -> kinds.Outcome:
    user, params = job.created_by, job.params
    try:
        if user is None:
            raise kinds.JobFailed(_("The person who started this import no longer has an account."))
        try:
            register = register_for(params.get("kind", ""))
        except UnknownKind as unknown:
            raise kinds.JobFailed(str(unknown)) from None
        try:
            data = uploads.read(params["path"], sha256=params["sha256"])
        except (OSError, uploads.DamagedFile):
            raise kinds.JobFailed(_("The uploaded file can no longer be read.")) from None
        progress(0)
        try:
            checked = tables.check_upload(data, name=params["name"])
            count = import_file(checked=checked, register=register, by=user)
        except FileRejected as error:
            raise kinds.JobFailed("\n".join(str(problem) for problem in error.errors)) from None
        except ValidationError as error:
            raise kinds.JobFailed(failure_text(error_lines(error))) from None
    finally:
        uploads.discard([params["path"]])  # imported or refused, the upload is not kept
    return kinds.Outcome(message=imported_message(count, register), done=count)


def imported_message(count: int, register: Register) -> str:
    return _("Imported %(count)s rows into %(register)s.") % {
        "count": number_format(count, force_grouping=True),
        "register": register.label,
    }


def failure_text(lines: Iterable[str]) -> str:
    lines = list(lines)
    heading = _("%(count)s errors — nothing was saved.") % {
        "count": number_format(len(lines), force_grouping=True)
    }
    shown = lines[:ERRORS_IN_MESSAGE]
    more = len(lines) - len(shown)
    tail = (
        [_("and %(count)s more errors") % {"count": number_format(more, force_grouping=True)}] if more else []
    )
    return "\n".join([heading, *shown, *tail])


IMPORT_JOB = kinds.Kind(
    name=IMPORT_KIND, label=gettext_lazy("Import activities"), run=_import_job, perm=Perm.ACTIVITY_RECORD
)
