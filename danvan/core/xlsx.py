"""Cells of exported spreadsheets (CSV and XLSX) that never run as formulas.

Text that starts with = + - @ (or a tab or a carriage return, which some programs skip before
reading a formula) is what a spreadsheet program reads as a formula: "=HYPERLINK(…)" typed on the
public portal would become a live link, or worse, in a staff member's spreadsheet. `safe_cell`
puts an apostrophe in front of such text, the usual escape (OWASP, "CSV injection"); openpyxl then
stores the cell as text. Anything that is not text (numbers, dates, None) is returned as it is, so
it stays typed. Every export of DânVận writes its text cells through it.
"""

ESCAPE = "'"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """`value` as a spreadsheet cell: formula-like text escaped, everything else unchanged."""
    if isinstance(value, str) and value[:1] in FORMULA_START:
        return ESCAPE + value
    return value


def put_text(cell, value) -> None:
    """Write `value` into an openpyxl `cell` so that text stays text, exactly as written.

    For workbooks that come back (templates filled in and uploaded): instead of an apostrophe, a
    formula-like text is stored as a string cell with Excel's quote prefix, so it reads back unchanged.
    Control characters a worksheet cannot hold (openpyxl refuses them) are left out.
    """
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_START):
        cell.data_type = "s"
        cell.quotePrefix = True
