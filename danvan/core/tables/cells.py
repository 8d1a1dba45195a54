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

Imported cells are read the same way by every importer: `number_text` (the thousands' dot taken
off), `whole_number` (a count or None), `cell_number` (a count or a ValidationError naming the
column), `cell_flag` (yes/no), `cell_choice` (a choice by its label, the first words of one, or its
code), each with its message in the interface language.
"""

import datetime
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from danvan.core.text import search_key

ESCAPE = "'"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Control characters XML 1.0 cannot hold, so neither can a worksheet (as openpyxl's ILLEGAL_CHARACTERS_RE).
ILLEGAL_CHARACTERS = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+$")  # 1.234: the thousands' dot
YES = frozenset({"co", "x", "yes", "1", "true", "dung"})  # compared by search_key
NO = frozenset({"khong", "no", "0", "false", "sai"})


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


# --- imported cells ---------------------------------------------------------------------------


def number_text(value: Any, *, grouped: bool = True) -> str:
    """A cell as text (`cell_text`), "1.234" written with the thousands' dot as "1234" (unless not `grouped`)."""
    text = cell_text(value)
    if grouped and GROUPED.match(text):
        text = text.replace(".", "")
    return text


def whole_number(value: Any, *, grouped: bool = True) -> int | None:
    """A whole number from 0 in a cell (12, "12", 12.0, " 12 ", "1.234" with the thousands' dot);
    None for anything else (empty, a fraction, a negative number, a word, True or False)."""
    if isinstance(value, bool):
        return None
    text = number_text(value, grouped=grouped)
    return int(text) if text.isascii() and text.isdecimal() else None


def cell_number(value: Any, *, label: str, required: bool = False) -> int | None:
    """A whole number from 0 (12, "12", 12.0, "1.234"); None when empty and not required.
    Raises ValidationError naming the column (`label`)."""
    text = cell_text(value)
    if not text:
        if required:
            raise ValidationError(_("%(label)s is missing.") % {"label": label})
        return None
    number = whole_number(text)
    if number is None:
        raise ValidationError(_("%(label)s must be a whole number from 0.") % {"label": label})
    return number


def cell_flag(value: Any, *, label: str) -> bool | None:
    """A yes/no cell (có/không, x or empty, 1/0, accents and case aside); None when empty."""
    if isinstance(value, bool):
        return value
    text = cell_text(value)
    key = search_key(text)
    if not key:
        return None
    if key in YES:
        return True
    if key in NO:
        return False
    raise ValidationError(
        _("%(label)s: “%(value)s” is not a yes or a no (có/không, x or empty, 1/0).")
        % {"label": label, "value": text}
    )


def cell_choice(value: Any, *, choices: type[models.TextChoices], label: str) -> str | None:
    """A choice written as its label (case and accents aside), the first words of one label only
    ("Niêm yết" for "Niêm yết tại trụ sở"), or its code; None when empty."""
    text = cell_text(value)
    key = search_key(text)
    if not key:
        return None
    starting = []
    for choice in choices:
        label_key = search_key(str(choice.label))
        if key in (search_key(choice.value), label_key):
            return choice.value
        if label_key.startswith(key) and not label_key[len(key)].isalnum():
            starting.append(choice.value)
    if len(starting) == 1:
        return starting[0]
    raise ValidationError(
        _("%(label)s “%(value)s” is not one of: %(choices)s.")
        % {"label": label, "value": text, "choices": "; ".join(str(choice.label) for choice in choices)}
    )
