"""The administrators' bulk values file: approved values loaded from CSV or XLSX.

Columns `unit_code, period, element_code, value` and optionally `category`, in any order, header
in the first row. The page and the command check the upload with core.tables.check_upload (the
upload checker with the table rules, `settings.UNIT_IMPORT_MAX_BYTES`) and pass the checked file
here; it is read by core.tables and the values go through `services.values_import`, all or none.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from danvan.accounts.actors import Actor
from danvan.core import tables, uploads
from danvan.core.tables import FileRejected, cell_text

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
