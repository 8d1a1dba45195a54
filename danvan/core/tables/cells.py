"""Spreadsheet cells: text that never runs as a formula, and cells read back as text.

A spreadsheet program reads text starting with = + - @ (or a tab or a carriage return, which some
programs skip before reading a formula) as a formula: "=HYPERLINK(…)" typed on the public portal
would become a live link, or worse, in a staff member's spreadsheet (OWASP, "CSV injection").
Two ways keep such text inert:

- `escape` puts an apostrophe in front, the usual escape: every CSV cell, and the XLSX exports
  people read (dashboards, lists, the audit log). `unescape` takes it off again and the reader
  does so for every CSV cell, so a file we wrote reads back as it was: text that already starts
  with apostrophes before such a character gets one more, which makes the pair exact.
- `text_cell` / `put_text` store the text in an XLSX cell typed as a string, with Excel's quote
  prefix, exactly as written: workbooks that come back (the unit file, report templates) and
  forms printed as they are (the reception register).

Numbers, dates and None are never touched, so they stay typed.
"""

import datetime
import re
from typing import Any

ESCAPE = "'"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Control characters XML 1.0 cannot hold, so neither can a worksheet (as openpyxl's ILLEGAL_CHARACTERS_RE).
ILLEGAL_CHARACTERS = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet would run `text`, once any apostrophes in front are taken off."""
    return text.lstrip(ESCAPE)[:1] in FORMULA_START if text else False


def escape(value: Any) -> Any:
    """`value` as a cell that never runs: formula-like text gets an apostrophe, the rest is unchanged."""
    if isinstance(value, str) and looks_like_formula(value):
        return ESCAPE + value
    return value


def unescape(value: Any) -> Any:
    """The text `escape` was given: the apostrophe it added is taken off."""
    if isinstance(value, str) and value[:1] == ESCAPE and looks_like_formula(value[1:]):
        return value[1:]
    return value


def xlsx_text(value: str) -> str:
    """`value` without the control characters a worksheet cannot hold (openpyxl refuses them)."""
    return ILLEGAL_CHARACTERS.sub("", value)


def put_text(cell, value: Any) -> None:
    """Write `value` into an openpyxl `cell` so that text stays text, exactly as written.

    A formula-like text is stored as a string cell with Excel's quote prefix, so nothing runs when
    the file is opened or the cell edited, and it reads back unchanged.
    """
    if isinstance(value, str):
        value = xlsx_text(value)
    cell.value = value
    if isinstance(value, str) and value[:1] in FORMULA_START:
        cell.data_type = "s"
        cell.quotePrefix = True


def cell_text(value: Any) -> str:
    """A cell read from a file as text: "" for empty, dates as YYYY-MM-DD, 12.0 as "12", trimmed."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
