"""XLSX templates of a report: one workbook per form, unit and period, filled offline and uploaded.

The workbook (openpyxl) has one visible sheet:

    row 1  the form's name                  row 4  the deadline (dd/mm/yyyy)
    row 2  the unit's name and code         row 5  how to fill it in
    row 3  the period ("6 tháng đầu năm 2026 (2026S1)")
    row 7  STT | Mã chỉ tiêu | Tên chỉ tiêu | Kỳ trước | Giá trị | Ghi chú
    then one row per section title and one row per field of the form, in section order.

The sheet is protected: only the "Giá trị" and "Ghi chú" cells of reported elements are
unlocked; elements derived from the records show their computed value, locked. "Giá trị" has a
data validation (whole number within the element's bounds) with a Vietnamese message. A very
hidden sheet holds the metadata (version marker, form, unit, period, the row of each element), so
an upload can check it is the template of the report it is uploaded to and read each value
from the row it was written to.

An upload is checked by the upload checker (`check_upload`: core.tables.check_upload, XLSX only:
`settings.UNIT_IMPORT_MAX_BYTES`, a real workbook without macros, the size once unpacked), then opened
read-only (core.tables.open_workbook) and read only in the rows and columns the metadata names. Saving goes through
`services.values_save`: all values or none, errors reported per cell ("Ô E9 (MEMBERS_ACTIVE): …").
"""

import datetime
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from danvan.core import tables, uploads
from danvan.core.dates import day_text
from danvan.core.tables import put_text
from danvan.orgs.models import Unit

from . import periods, selectors, services
from .models import DataValue, FormField, Period, Report, ReportForm
from .validation import ValueParseError, parse_whole

VERSION = "danvan-report-template/1"
META_SHEET = "danvan_meta"
HEADER_ROW = 7
COLUMNS = ("A", "B", "C", "D", "E", "F")  # STT, code, name, previous, value, comment
VALUE_COLUMN, COMMENT_COLUMN = "E", "F"
WIDTHS = (6, 24, 64, 14, 14, 40)
MAX_META_ROWS = 5000
MIN_WHOLE, MAX_WHOLE = -(10**15) + 1, 10**15 - 1
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class TemplateRejected(Exception):
    """The upload cannot be saved; `messages` are the Vietnamese lines to show (per cell when known)."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


@dataclass
class UploadResult:
    report: Report
    saved: int
    problems: list[str] = field(default_factory=list)  # rules the saved values break, per cell


# ---------------------------------------------------------------- labels


def period_label(period: Period, start: tuple[int, int] | None = None) -> str:
    """The period in words ("6 tháng đầu năm 2026"): `periods.period_words`."""
    return periods.period_words(period, start)


def filename_for(form: ReportForm, unit: Unit, period: Period) -> str:
    return f"{form.code}_{unit.code}_{period.code}.xlsx"


# ---------------------------------------------------------------- building


@dataclass
class _Line:
    section: str | None  # a section title row when set
    number: int = 0
    element: object = None


def _lines(form: ReportForm) -> list[_Line]:
    lines: list[_Line] = []
    current_section = None
    fields = FormField.objects.filter(section__form=form).select_related("section", "element")
    for number, form_field in enumerate(fields, start=1):
        if form_field.section_id != current_section:
            current_section = form_field.section_id
            lines.append(_Line(section=form_field.section.title))
        lines.append(_Line(section=None, number=number, element=form_field.element))
    return lines


def _values(unit: Unit, period: Period | None, codes: list[str]) -> dict[str, tuple[int, str]]:
    if period is None:
        return {}
    rows = DataValue.objects.filter(
        unit=unit, period=period, element__code__in=codes, category=""
    ).values_list("element__code", "value", "comment")
    return {code: (value, comment) for code, value, comment in rows}


def _previous_period(period: Period) -> Period | None:
    try:
        code = periods.shift(period.code, -1, periods.reporting_start())
    except periods.PeriodCodeError:
        return None
    return Period.objects.filter(code=code).first()


def _validation_message(element) -> str:
    if element.max_value is not None and element.min_value is not None:
        return _("Enter a whole number from %(min)s to %(max)s.") % {
            "min": element.min_value,
            "max": element.max_value,
        }
    if element.max_value is not None:
        return _("Enter a whole number of at most %(max)s.") % {"max": element.max_value}
    if element.min_value is not None:
        return _("Enter a whole number of at least %(min)s.") % {"min": element.min_value}
    return _("Enter a whole number.")


def template_build(form: ReportForm, unit: Unit, period: Period) -> bytes:
    """The XLSX template of the unit's report of `form` for `period`, prefilled with the current values.

    Built from the form, the unit and the period alone: no report needs to exist (downloading writes
    nothing). The metadata names the form, unit and period codes and the row of each element, never a
    report or its revision, so the upload opens the draft if need be and saves into it.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.worksheet.datavalidation import DataValidation

    lines = _lines(form)
    codes = [line.element.code for line in lines if line.element is not None]
    current = _values(unit, period, codes)
    previous = _values(unit, _previous_period(period), codes)

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Report")[:31]
    bold = Font(bold=True)
    unlocked = Protection(locked=False)
    editable_fill = PatternFill("solid", fgColor="FFF8DC")
    derived_fill = PatternFill("solid", fgColor="EEEEEE")

    sheet["A1"] = form.name
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = _("Unit: %(name)s (%(code)s)") % {"name": unit.name, "code": unit.code}
    sheet["A3"] = _("Period: %(label)s (%(code)s)") % {"label": period_label(period), "code": period.code}
    sheet["A4"] = _("Deadline: %(date)s") % {"date": day_text(periods.deadline_for(form, period))}
    sheet["A5"] = _(
        "Type only in the columns “Value” and “Comment”; grey rows are computed from the records. "
        "Upload the file on the report's page."
    )
    sheet["A5"].alignment = Alignment(wrap_text=True)
    for row in range(1, 6):
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(COLUMNS))
    sheet.row_dimensions[5].height = 30

    headings = (_("No."), _("Element code"), _("Element"), _("Previous period"), _("Value"), _("Comment"))
    for column, heading in zip(COLUMNS, headings, strict=True):
        cell = sheet[f"{column}{HEADER_ROW}"]
        cell.value = heading
        cell.font = bold
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for column, width in zip(COLUMNS, WIDTHS, strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"

    rows: list[tuple[str, int]] = []
    row = HEADER_ROW
    for line in lines:
        row += 1
        if line.element is None:
            put_text(sheet[f"A{row}"], line.section)
            sheet[f"A{row}"].font = bold
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(COLUMNS))
            continue
        element = line.element
        value, comment = current.get(element.code, (None, ""))
        sheet[f"A{row}"] = line.number
        sheet[f"B{row}"] = element.code
        put_text(sheet[f"C{row}"], element.name)
        sheet[f"C{row}"].alignment = Alignment(wrap_text=True, vertical="top")
        sheet[f"D{row}"] = previous.get(element.code, (None, ""))[0]
        value_cell, comment_cell = sheet[f"{VALUE_COLUMN}{row}"], sheet[f"{COMMENT_COLUMN}{row}"]
        value_cell.value = value
        put_text(comment_cell, comment or None)
        for cell in (sheet[f"D{row}"], value_cell):
            cell.number_format = "#,##0"
        if element.is_derived:
            for column in COLUMNS:
                sheet[f"{column}{row}"].fill = derived_fill
        else:
            for cell in (value_cell, comment_cell):
                cell.protection = unlocked
                cell.fill = editable_fill
            low = MIN_WHOLE if element.min_value is None else element.min_value
            high = MAX_WHOLE if element.max_value is None else element.max_value
            validation = DataValidation(
                type="whole",
                operator="between",
                formula1=str(low),
                formula2=str(high),
                allow_blank=True,
                showErrorMessage=True,
                errorStyle="stop",
                errorTitle=_("Invalid value"),
                error=_validation_message(element),
                promptTitle=element.code,
                prompt=_validation_message(element),
                showInputMessage=True,
            )
            sheet.add_data_validation(validation)
            validation.add(value_cell)
            rows.append((element.code, row))

    sheet.protection.sheet = True
    sheet.protection.formatColumns = False  # widening a column is harmless
    sheet.protection.selectLockedCells = False
    sheet.protection.selectUnlockedCells = False

    meta = workbook.create_sheet(META_SHEET)
    meta.append(["version", VERSION])
    meta.append(["form", form.code])
    meta.append(["unit", unit.code])
    meta.append(["period", period.code])
    meta.append(["sheet", sheet.title])
    for code, element_row in rows:
        meta.append(["field", code, element_row])
    meta.sheet_state = "veryHidden"
    meta.protection.sheet = True
    workbook.security.lockStructure = True

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- reading an upload


def _wrong_template() -> str:
    return _(
        "This file is not a template of DânVận reports: download the template from the report's page and fill it in."
    )


def check_upload(file) -> uploads.Checked:
    """A filled template as uploaded (a django File), through the upload checker: XLSX only, as large
    as the unit import allows. Raises core.tables.FileRejected."""
    return tables.check_upload(
        file, kinds=(uploads.XLSX,), choose=_("Choose the .xlsx template of the report.")
    )


def _open(checked: uploads.Checked):
    try:
        return tables.open_workbook(checked)
    except tables.FileRejected as rejected:
        raise TemplateRejected([rejected.error.message]) from None


def _text(value) -> str:
    return "" if value is None else str(value).strip()


@dataclass
class _Meta:
    values: dict[str, str]
    rows: dict[str, int]  # element code → row of its value (reported elements only)


def _read_meta(workbook) -> _Meta:
    if META_SHEET not in workbook.sheetnames:
        raise TemplateRejected([_wrong_template()])
    sheet = workbook[META_SHEET]
    sheet.reset_dimensions()
    values: dict[str, str] = {}
    rows: dict[str, int] = {}
    for cells in sheet.iter_rows(max_row=MAX_META_ROWS, max_col=3, values_only=True):
        cells = [*cells, None, None, None][:3]
        key = _text(cells[0])
        if key == "field":
            try:
                row = int(cells[2])
            except (TypeError, ValueError):
                raise TemplateRejected([_wrong_template()]) from None
            if row > 0:
                rows[_text(cells[1])] = row
        elif key:
            values[key] = _text(cells[1])
    if values.get("version") != VERSION:
        raise TemplateRejected([_wrong_template()])
    return _Meta(values, rows)


def _check_meta(meta: _Meta, report: Report) -> None:
    expected = {"form": report.form.code, "unit": report.unit.code, "period": report.period.code}
    if any(meta.values.get(key, "").upper() != value.upper() for key, value in expected.items()):
        raise TemplateRejected(
            [
                _(
                    "This template is for form %(form)s, unit %(unit)s, period %(period)s; this page is for form "
                    "%(expected_form)s, unit %(expected_unit)s, period %(expected_period)s. Upload the right "
                    "template or download it again."
                )
                % {
                    "form": meta.values.get("form") or "?",
                    "unit": meta.values.get("unit") or "?",
                    "period": meta.values.get("period") or "?",
                    "expected_form": report.form.code,
                    "expected_unit": report.unit.code,
                    "expected_period": report.period.code,
                }
            ]
        )


def _cell_name(column: str, row: int) -> str:
    return f"{column}{row}"


def _cell_message(cell: str, code: str, message: str) -> str:
    return _("Cell %(cell)s (%(code)s): %(message)s") % {"cell": cell, "code": code, "message": message}


@dataclass
class TemplateValues:
    values: dict[str, object]  # element code → raw cell content (None: empty)
    comments: dict[str, str]
    rows: dict[str, int]


def template_read(checked: uploads.Checked, report: Report) -> TemplateValues:
    """The values and comments of a checked upload (`check_upload`) of a template of `report`.
    Raises TemplateRejected."""
    workbook = _open(checked)
    try:
        meta = _read_meta(workbook)
        _check_meta(meta, report)
        expected = [
            element.code for element in selectors.form_elements(report.form) if not element.is_derived
        ]
        if sorted(meta.rows) != sorted(expected):
            raise TemplateRejected(
                [_("The form has changed since this template was made: download the template again.")]
            )
        sheet_name = meta.values.get("sheet", "")
        if sheet_name not in workbook.sheetnames:
            raise TemplateRejected([_wrong_template()])
        sheet = workbook[sheet_name]
        sheet.reset_dimensions()
        first, last = (
            min(meta.rows.values(), default=HEADER_ROW + 1),
            max(meta.rows.values(), default=HEADER_ROW + 1),
        )
        by_row = {
            row: list(cells)
            for row, cells in enumerate(
                sheet.iter_rows(min_row=first, max_row=last, max_col=len(COLUMNS), values_only=True),
                start=first,
            )
        }
        values: dict[str, object] = {}
        comments: dict[str, str] = {}
        errors: list[str] = []
        for code, row in sorted(meta.rows.items(), key=lambda item: item[1]):
            cells = (by_row.get(row, []) + [None] * len(COLUMNS))[: len(COLUMNS)]
            if _text(cells[1]) != code:
                errors.append(
                    _cell_message(
                        _cell_name("B", row), code, _("the rows were changed; download the template again.")
                    )
                )
                continue
            raw = cells[4]
            if isinstance(raw, datetime.datetime | datetime.date | datetime.time):
                raw = str(raw)
            values[code] = raw
            comments[code] = _text(cells[5])
    except TemplateRejected:
        raise
    except Exception:  # an uploaded file may break the reader in any way
        raise TemplateRejected([_("The file is not a valid XLSX workbook.")]) from None
    finally:
        workbook.close()
    if errors:
        raise TemplateRejected(errors)
    return TemplateValues(values, comments, meta.rows)


def template_upload(*, report: Report, checked: uploads.Checked, by) -> UploadResult:
    """Save the values of a checked upload (`check_upload`) of a template of `report`: all or nothing,
    errors per cell.

    Raises TemplateRejected (messages per cell), or PermissionDenied from values_save.
    """
    read = template_read(checked, report)
    try:
        result = services.values_save(report=report, values=read.values, comments=read.comments, by=by)
    except ValidationError as error:
        raise TemplateRejected(_error_lines(error, read)) from None
    problems = []
    for problem in result.problems:
        cells = [_cell_name(VALUE_COLUMN, read.rows[code]) for code in problem.elements if code in read.rows]
        if len(cells) == 1:
            problems.append(_cell_message(cells[0], problem.elements[0], problem.message))
        elif cells:
            problems.append(
                _("Cells %(cells)s: %(message)s") % {"cells": ", ".join(cells), "message": problem.message}
            )
        else:
            problems.append(problem.message)
    saved = sum(1 for value in result.saved.values() if value is not None)
    return UploadResult(report=result.report, saved=saved, problems=problems)


def _error_lines(error: ValidationError, read: TemplateValues) -> list[str]:
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    lines: list[tuple[int, str]] = []
    for code, messages in error.message_dict.items():
        row = read.rows.get(code)
        if row is None:
            lines.extend((0, message) for message in messages)
            continue
        try:
            parse_whole(read.values.get(code))
            column = COMMENT_COLUMN  # the value reads well: the message is about the comment
        except ValueParseError:
            column = VALUE_COLUMN
        lines.extend((row, _cell_message(_cell_name(column, row), code, message)) for message in messages)
    return [line for _row, line in sorted(lines, key=lambda item: item[0])]
