"""Files in and out of the reports module: bulk values (CSV/XLSX), form templates, table exports.

Bulk values: columns `unit_code, period, element_code, value` and optionally `category`, in any
order, header in the first row. Reading is bounded the same way as the unit import.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from danvan.orgs.exchange import FileRejected, read_table

from .services import ImportRow, values_import

VALUE_COLUMNS = ("unit_code", "period", "element_code", "value")
OPTIONAL_COLUMNS = ("category",)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_value_rows(data: bytes, filename: str) -> list[ImportRow]:
    """The file's rows as ImportRow (line numbers as in the file). Raises FileRejected."""
    table = read_table(data, filename)
    header_line, header = table[0]
    names = [_cell(name).lower().lstrip("\ufeff") for name in header]
    missing = [column for column in VALUE_COLUMNS if column not in names]
    if missing:
        raise FileRejected(
            _("The first row must name the columns %(columns)s; missing: %(missing)s.")
            % {"columns": ", ".join(VALUE_COLUMNS), "missing": ", ".join(missing)},
            header_line,
        )
    unknown = [name for name in names if name and name not in VALUE_COLUMNS + OPTIONAL_COLUMNS]
    if unknown:
        raise FileRejected(_("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)}, header_line)
    twice = [name for name in dict.fromkeys(names) if name and names.count(name) > 1]
    if twice:
        raise FileRejected(
            _("These columns appear twice in the header row: %(columns)s.") % {"columns": ", ".join(twice)},
            header_line,
        )
    index = {name: names.index(name) for name in VALUE_COLUMNS + OPTIONAL_COLUMNS if name in names}

    def get(cells, name):
        position = index.get(name)
        if position is None or position >= len(cells):
            return ""
        return cells[position]

    return [
        ImportRow(
            line=line,
            unit_code=_cell(get(cells, "unit_code")),
            period=_cell(get(cells, "period")),
            element_code=_cell(get(cells, "element_code")),
            value=get(cells, "value")
            if not isinstance(get(cells, "value"), str)
            else get(cells, "value").strip(),
            category=_cell(get(cells, "category")),
        )
        for line, cells in table[1:]
    ]


def import_values_file(*, data: bytes, filename: str, by=None) -> int:
    """Read and import a bulk values file; raises FileRejected or ValidationError ({line: [messages]})."""
    rows = read_value_rows(data, filename)
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
