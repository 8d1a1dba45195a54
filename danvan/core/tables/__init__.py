"""Tables in and out: the one CSV/XLSX reader and the one writer of every module.

- `reader`: an uploaded CSV or XLSX table checked by the one upload checker (`check_upload`:
  core.uploads with the table rules `upload_rules`) and read within bounds (rows, blank runs,
  columns), its header row mapped to named columns, problems as `RowError` / `FileRejected` in the
  interface language.
- `writer`: CSV streamed in chunks, XLSX written in openpyxl's write-only mode to a temporary
  file; the usual sheet layout (`Sheet`, `Column`); typed numbers and dates.
- `cells`: text that never runs as a formula (`escape` / `unescape`, `put_text`), cells as text,
  imported cells read the same way everywhere (`whole_number`, `cell_number`, `cell_flag`, `cell_choice`).

Modules import the names below from here (`from danvan.core import tables`).
"""

from .cells import (
    ESCAPE,
    FORMULA_START,
    cell_choice,
    cell_flag,
    cell_number,
    cell_text,
    escape,
    number_text,
    put_text,
    unescape,
    whole_number,
)
from .reader import (
    TABLE_KINDS,
    FileRejected,
    Header,
    RowError,
    check_upload,
    map_header,
    open_workbook,
    read_table,
    upload_rules,
)
from .writer import (
    CSV_TYPE,
    XLSX_TYPE,
    Column,
    Sheet,
    add_sheet,
    cell,
    csv_chunks,
    csv_response,
    file_response,
    new_workbook,
    temporary_file,
    workbook,
    write_csv,
    xlsx_file,
    xlsx_response,
)

__all__ = [
    "CSV_TYPE",
    "ESCAPE",
    "FORMULA_START",
    "TABLE_KINDS",
    "XLSX_TYPE",
    "Column",
    "FileRejected",
    "Header",
    "RowError",
    "Sheet",
    "add_sheet",
    "cell",
    "cell_choice",
    "cell_flag",
    "cell_number",
    "cell_text",
    "check_upload",
    "csv_chunks",
    "csv_response",
    "escape",
    "file_response",
    "map_header",
    "new_workbook",
    "number_text",
    "open_workbook",
    "put_text",
    "read_table",
    "temporary_file",
    "unescape",
    "upload_rules",
    "whole_number",
    "workbook",
    "write_csv",
    "xlsx_file",
    "xlsx_response",
]
