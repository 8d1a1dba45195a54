"""The administrators' bulk values file: approved values loaded from CSV or XLSX.

Columns `unit_code, period, element_code, value` and optionally `category`, in any order, header
in the first row. The page and the command check the upload with core.tables.check_upload (the
upload checker with the table rules, `settings.UNIT_IMPORT_MAX_BYTES`) and pass the checked file
here; it is read by core.tables and the values go through `services.values_import`, all or none.
A file of more than settings.JOBS_BACKGROUND_ROWS rows is kept (core.uploads.store_in) and imported
by a background job (danvan.jobs, `IMPORT_KIND`), which reads it back against its SHA-256.
"""

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.accounts.actors import Actor
from danvan.accounts.policy import Perm
from danvan.core import tables, uploads
from danvan.core.tables import FileRejected, cell_text
from danvan.jobs import kinds

from .services import ImportRow, values_import

VALUE_COLUMNS = ("unit_code", "period", "element_code", "value")
OPTIONAL_COLUMNS = ("category",)


def read_value_rows(checked: uploads.Checked) -> list[ImportRow]:
    """The checked file's rows as ImportRow (line numbers as in the file). Raises FileRejected."""
    table = tables.read_table(checked)
    header = tables.map_header(*table[0], required=VALUE_COLUMNS, optional=OPTIONAL_COLUMNS)
    return [_import_row(line, header.values(cells)) for line, cells in table[1:]]


def _import_row(line: int, cells: dict) -> ImportRow:
    value = cells["value"]  # a number cell of a workbook stays a number: values_import checks it
    return ImportRow(
        line=line,
        unit_code=cell_text(cells["unit_code"]),
        period=cell_text(cells["period"]),
        element_code=cell_text(cells["element_code"]),
        value=value.strip() if isinstance(value, str) else value,
        category=cell_text(cells.get("category")),
    )


def import_values_file(*, checked: uploads.Checked, by: Actor) -> int:
    """Read and import a checked bulk values file; raises FileRejected or ValidationError ({line: [messages]})."""
    rows = read_value_rows(checked)
    if not rows:
        raise FileRejected(_("The file has no rows below the header."))
    return values_import(rows=rows, by=by)


def error_lines(error: ValidationError) -> list[str]:
    """'Dòng N: message' lines from a values_import error."""
    lines = []
    for line, messages in error.message_dict.items():
        for message in messages:
            lines.append(_("Row %(row)s: %(message)s") % {"row": line, "message": message})
    return lines


# --- large files as background jobs (danvan.jobs) ---------------------------------------------

IMPORT_KIND = "reports.values_import"
ERRORS_IN_MESSAGE = 20
STORE_FOLDER = "imports/values"


def job_params(stored: uploads.Stored) -> dict[str, str]:
    """What a values import job needs to find its file again (kept by `uploads.store_in`)."""
    return {"path": stored.path, "sha256": stored.sha256, "name": stored.name}


def _import_job(job, progress: kinds.Progress) -> kinds.Outcome:
    user, params = job.created_by, job.params
    try:
        if user is None:
            raise kinds.JobFailed(_("The person who started this import no longer has an account."))
        try:
            data = uploads.read(params["path"], sha256=params["sha256"])
        except (OSError, uploads.DamagedFile):
            raise kinds.JobFailed(_("The uploaded file can no longer be read.")) from None
        progress(0)
        try:
            count = import_values_file(checked=tables.check_upload(data, name=params["name"]), by=user)
        except FileRejected as error:
            raise kinds.JobFailed("\n".join(str(problem) for problem in error.errors)) from None
        except ValidationError as error:
            raise kinds.JobFailed(_failure_text(error_lines(error))) from None
    finally:
        uploads.discard([params["path"]])  # imported or refused, the upload is not kept
    message = _("Values imported: %(count)s.") % {"count": number_format(count, force_grouping=True)}
    return kinds.Outcome(message=message, done=count)


def _failure_text(lines: list[str]) -> str:
    heading = _("%(count)s errors — nothing was saved.") % {
        "count": number_format(len(lines), force_grouping=True)
    }
    return "\n".join([heading, *lines[:ERRORS_IN_MESSAGE]])


IMPORT_JOB = kinds.Kind(
    name=IMPORT_KIND, label=gettext_lazy("Import values"), run=_import_job, perm=Perm.VALUE_IMPORT
)
