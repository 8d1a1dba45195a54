"""The tables kit: reading uploaded CSV/XLSX within bounds, writing exports that never run and stay typed."""

import csv
import datetime
import io
import random
import string
import tracemalloc
import zipfile
from fractions import Fraction

import openpyxl
import pytest
from django.http import FileResponse

from danvan.core import tables, uploads
from danvan.core.tables import ESCAPE, Column, FileRejected, Sheet, reader

LIMIT = 1_000_000
DANGEROUS = [
    "=1+2",
    "+1",
    "-1",
    "@SUM(A1)",
    '=HYPERLINK("http://evil.example","Bấm vào đây")',
    "\t=1+2",
    "\r=1+2",
]
HARMLESS = ["Khiếu nại", "1+2", "Đơn — số 12", " =1", "'quoted", "don't"]


def read(data: bytes, name: str = "bang.csv") -> list[tuple[int, list]]:
    return tables.read_table(tables.check_upload(data, name=name, max_bytes=LIMIT))


def rejected(data: bytes, name: str = "bang.csv") -> str:
    with pytest.raises(FileRejected) as caught:
        read(data, name)
    return str(caught.value.error)


def workbook_bytes(rows, *, corner=None) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    if corner is not None:
        book.active.cell(row=1_048_576, column=16_384, value=corner)  # XFD1048576
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def saved(book) -> openpyxl.Workbook:
    return openpyxl.load_workbook(tables.xlsx_file(book))


# --- reading CSV ------------------------------------------------------------------------------


def test_a_csv_with_a_bom_and_semicolons_is_read_cell_by_cell():
    data = '\ufeffma;ten\nA1;"Chi bộ; Phòng 1"\n'.encode()
    assert read(data) == [(1, ["ma", "ten"]), (2, ["A1", "Chi bộ; Phòng 1"])]


def test_a_malformed_csv_is_refused_with_its_row_number():
    message = rejected(b'ma,ten\nA1,ok\nA2,"Chi "bo"\n')
    assert message == "Dòng 3: Tệp CSV sai định dạng: hãy kiểm tra dấu ngoặc kép và dấu phân cách."


def test_a_csv_that_is_not_utf8_or_a_file_of_another_kind_is_refused():
    assert rejected("ma,tên\n".encode("utf-16")).startswith("Tệp CSV không phải văn bản UTF-8")
    assert rejected(b"ma,ten\n", "bang.txt") == "Hãy chọn tệp .csv hoặc .xlsx."
    assert rejected(b"x" * (LIMIT + 1)) == "Tệp lớn hơn 976,6\xa0KB."
    assert rejected("\ufeff\n\n \n".encode()) == "Tệp rỗng."


def test_blank_rows_are_skipped_and_a_long_run_of_them_ends_the_table(monkeypatch):
    monkeypatch.setattr(reader, "BLANK_RUN_END", 3)
    assert read(b"ma\nA1\n\n,\nA2\n\n\n\nA3\n") == [(1, ["ma"]), (2, ["A1"]), (5, ["A2"])]
    assert rejected(b"\n\n\nma\n") == "Tệp rỗng."


def test_a_table_longer_than_max_rows_is_refused_blank_rows_counted(monkeypatch):
    monkeypatch.setattr(reader, "MAX_ROWS", 3)
    assert len(read(b"ma\nA1\n\nA3\n")) == 3  # the header and rows 2 to 4
    assert rejected(b"ma\nA1\n\n\nA4\n") == "Tệp có nhiều hơn 3 dòng; hãy chia thành nhiều tệp."


def test_the_escape_the_writer_adds_is_taken_off_on_reading():
    written = b"".join(tables.csv_chunks([[text] for text in DANGEROUS + HARMLESS + ["'=1"]], header=["x"]))
    assert [cells[0] for _number, cells in read(written)[1:]] == DANGEROUS + HARMLESS + ["'=1"]
    for text in DANGEROUS + HARMLESS + ["''@x", "'"]:
        assert tables.unescape(tables.escape(text)) == text


# --- reading XLSX -----------------------------------------------------------------------------


def test_a_workbook_is_read_from_its_first_sheet_with_typed_cells():
    data = workbook_bytes([["ma", "ngay", "so"], ["A1", datetime.datetime(2026, 3, 2), 12, None, "x"]])
    (_one, header), (_two, row) = read(data, "bang.xlsx")
    assert header == ["ma", "ngay", "so"]
    # Data rows are read a few columns past the header, so that a cell beyond it can be reported.
    spare = [None] * (reader.XLSX_SPARE_COLUMNS - 2)
    assert row == ["A1", datetime.datetime(2026, 3, 2), 12, None, "x", *spare]


def test_a_huge_declared_sheet_is_read_only_as_far_as_it_holds(monkeypatch):
    seen: list[int] = []
    real = reader._blank

    def counting(cells):
        seen.append(len(cells))
        return real(cells)

    monkeypatch.setattr(reader, "_blank", counting)
    data = workbook_bytes([["ma", "ten"], ["A1", "Chi bộ 1"]], corner="x")
    assert len(data) < 20_000
    rows = read(data, "bang.xlsx")
    assert [row[:2] for _number, row in rows] == [["ma", "ten"], ["A1", "Chi bộ 1"]]
    # Two columns and a few spare ones, a run of blank rows: not a million rows of 16,384 cells.
    header_search, *rest = seen
    assert header_search == reader.XLSX_HEADER_COLUMNS
    assert max(rest) <= 2 + reader.XLSX_SPARE_COLUMNS
    assert len(seen) <= 3 + reader.BLANK_RUN_END + 1


def test_a_zip_bomb_is_refused_before_it_is_parsed(monkeypatch):
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (11 * 100_000))
    assert len(bomb.getvalue()) < 100_000

    def never(*args, **kwargs):
        raise AssertionError("the workbook was parsed")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    with pytest.raises(FileRejected) as caught:
        tables.check_upload(bomb.getvalue(), name="bom.xlsx", max_bytes=100_000)
    assert str(caught.value) == "Sổ tính quá lớn khi giải nén."
    assert caught.value.code == "unpacks"


def test_what_is_not_a_workbook_is_refused():
    for data in (b"ma,ten\n", b"PK\x03\x04 broken", zip_of({"ghi-chu.txt": "không phải sổ tính"})):
        assert rejected(data, "bang.xlsx") == "Tệp không phải là sổ tính XLSX hợp lệ."


def zip_of(parts: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def with_parts(workbook: bytes, parts: dict) -> bytes:
    """A real workbook with more parts in its package."""
    buffer = io.BytesIO(workbook)
    with zipfile.ZipFile(buffer, "a") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


# --- the upload checker, in the readers' words --------------------------------------------------


def test_an_upload_is_checked_by_the_one_upload_checker_before_it_is_read(monkeypatch):
    seen = []
    real = uploads.check

    def spying(file, rules, *, name=None):
        seen.append((rules.kinds, rules.max_file_bytes, rules.max_unpacked_bytes))
        return real(file, rules, name=name)

    monkeypatch.setattr(uploads, "check", spying)
    checked = tables.check_upload(b"ma\nA1\n", name="bang.csv", max_bytes=LIMIT)
    assert (checked.kind, checked.name) == (uploads.CSV, "bang.csv")
    assert seen == [((uploads.CSV, uploads.XLSX), LIMIT, reader.UNPACKED_FACTOR * LIMIT)]


def test_the_limit_is_the_settings_one_read_at_each_call(settings):
    settings.UNIT_IMPORT_MAX_BYTES = 10
    with pytest.raises(FileRejected) as caught:
        tables.check_upload(b"ma\nA1\nA2\nA3\n", name="bang.csv")
    assert (caught.value.code, str(caught.value)) == ("too_big", "Tệp lớn hơn 10\xa0byte.")
    assert tables.upload_rules().max_unpacked_bytes == 10 * reader.UNPACKED_FACTOR


def test_macros_and_files_valid_as_two_types_keep_the_checkers_message():
    macros = with_parts(workbook_bytes([["ma"], ["A1"]]), {"xl/vbaProject.bin": b"VBA"})
    with pytest.raises(FileRejected) as caught:
        tables.check_upload(macros, name="bang.xlsx", max_bytes=LIMIT)
    assert caught.value.code == "macros"
    assert str(caught.value).startswith("Tệp “bang.xlsx” có macro")
    with pytest.raises(FileRejected) as caught:
        tables.check_upload(b"ma\nA1 %PDF-1.4 1 0 obj\n", name="bang.csv", max_bytes=LIMIT)
    assert caught.value.code == "polyglot"
    assert "đồng thời cũng đọc được như tệp PDF" in str(caught.value)


def test_a_name_the_content_disagrees_with_is_told_in_the_readers_words():
    book = workbook_bytes([["ma"], ["A1"]])
    # A workbook named .csv: the checker says what it really is.
    assert "Excel (XLSX)" in rejected(book, "bang.csv")
    # Text in another encoding named .csv (Windows-1258, as older Vietnamese editors save it).
    assert rejected("ma,tên\n".encode("cp1258"), "bang.csv").startswith("Tệp CSV không phải văn bản UTF-8")
    # Only workbooks accepted, and a name of no accepted kind: the caller's words, or the checker's.
    only_books = {"kinds": (uploads.XLSX,), "max_bytes": LIMIT}
    with pytest.raises(FileRejected) as caught:
        tables.check_upload(b"ma\n", name="bang.csv", choose="Chọn sổ tính.", **only_books)
    assert str(caught.value) == "Chọn sổ tính."
    with pytest.raises(FileRejected) as caught:
        tables.check_upload(b"ma\n", name="bang.csv", **only_books)
    assert caught.value.code == "type" and "(.xlsx)" in str(caught.value)


def test_the_readers_take_only_what_the_checker_let_through():
    text = uploads.check(b"ma\n", uploads.Rules((uploads.TXT,), max_file_bytes=LIMIT), name="bang.txt")
    with pytest.raises(FileRejected):
        tables.read_table(text)
    with pytest.raises(FileRejected):
        tables.open_workbook(text)


# --- the header row ---------------------------------------------------------------------------


def test_the_header_names_columns_in_any_order_and_case():
    header = tables.map_header(
        1, ["Value", "", "\ufeffunit_code", "period"], required=["unit_code", "period", "value"]
    )
    assert header.positions == {"value": 0, "unit_code": 2, "period": 3}
    assert header.values(["5", "", "STP"]) == {"value": "5", "unit_code": "STP", "period": None}
    assert not header.overflows(["5", "", "STP", "2026", ""]) and header.overflows(
        ["5", "", "STP", "2026", "x"]
    )


def test_header_problems_are_told_column_by_column_in_vietnamese():
    with pytest.raises(FileRejected) as caught:
        tables.map_header(
            1,
            ["unit_code", "value", "ghi_chu", "Value"],
            required=["unit_code", "period", "value"],
            optional=["category"],
        )
    assert [str(error) for error in caught.value.errors] == [
        "Dòng 1, cột ghi_chu: Cột không hợp lệ; các cột là: unit_code, period, value, category.",
        "Dòng 1, cột Value: Cột này xuất hiện hai lần ở dòng tiêu đề.",
        "Dòng 1, cột period: Thiếu cột này ở dòng tiêu đề.",
    ]
    assert "period" in str(caught.value) and "ghi_chu" in str(caught.value)


# --- writing: text never runs -----------------------------------------------------------------


def test_escape_guards_formula_like_text_and_leaves_everything_else_alone():
    for text in DANGEROUS:
        assert tables.escape(text) == ESCAPE + text
    for value in ("", *HARMLESS, 5, -1, 73.5, None, datetime.date(2026, 3, 2)):
        assert tables.escape(value) == value


def test_formula_like_text_never_runs_in_a_csv():
    text = b"".join(tables.csv_chunks([[t, 3] for t in DANGEROUS], header=["=x", "n"])).decode("utf-8")
    assert text.startswith("\ufeff=x,n\r\n")  # the header is the caller's own column names
    rows = list(csv.reader(io.StringIO(text[1:], newline="")))[1:]
    assert rows == [[ESCAPE + t, "3"] for t in DANGEROUS]


def test_the_usual_sheet_writes_formula_like_text_as_text_and_numbers_as_numbers():
    sheet = Sheet(
        name="Bảng",
        title="=1+2",  # a unit named by someone careless or malicious
        columns=[Column("@Tên"), Column("Số", "count"), Column("Tỷ lệ", "rate"), Column("Ngày", "date")],
        rows=[[text, 3, Fraction(147, 2), datetime.date(2026, 3, 2)] for text in DANGEROUS]
        + [["Bình thường", -1, Fraction(-1, 2), None]],
    )
    book = saved(tables.workbook([sheet]))
    written = book["Bảng"]
    assert (written["A1"].data_type, written["A1"].value) == ("s", "'=1+2")
    assert (written["A2"].data_type, written["A2"].value) == ("s", "'@Tên")
    assert written.freeze_panes == "A3" and "A1:D1" in written.merged_cells
    for row, text in enumerate(DANGEROUS, start=3):
        assert (written.cell(row, 1).data_type, written.cell(row, 1).value) == ("s", ESCAPE + text)
        count, rate, day = written.cell(row, 2), written.cell(row, 3), written.cell(row, 4)
        assert (count.value, count.data_type, count.number_format) == (3, "n", "#,##0")
        assert (rate.value, rate.data_type, rate.number_format) == (73.5, "n", '0.0" %"')
        assert (
            day.value == datetime.datetime(2026, 3, 2) and day.is_date and day.number_format == "dd/mm/yyyy"
        )
    last = len(DANGEROUS) + 3
    assert written.cell(last, 1).value == "Bình thường"
    assert (written.cell(last, 2).value, written.cell(last, 3).value) == (-1, -0.5)
    assert not any(cell.data_type == "f" for row in written.iter_rows() for cell in row)


def test_exact_text_is_kept_as_written_with_the_quote_prefix_and_control_characters_dropped():
    sheet = Sheet(
        "Đơn vị",
        [[text] for text in DANGEROUS] + [["Phản ánh\x0bđèn\x1f", ""]],
        [Column("ten")],
        exact_text=True,
    )
    written = saved(tables.workbook([sheet])).active
    cells = [row[0] for row in written.iter_rows(min_row=2)]
    assert [cell.value for cell in cells] == [*DANGEROUS, "Phản ánhđèn"]
    assert all(cell.data_type == "s" for cell in cells)
    assert all(cell.quotePrefix for cell in cells[: len(DANGEROUS)])
    assert written.freeze_panes == "A2" and written.cell(2 + len(DANGEROUS), 2).value is None


def test_a_sheet_without_columns_writes_its_rows_typed():
    written = saved(tables.workbook([Sheet("Nhật ký", [["Thời gian", "Số"], ["=x", 2]])])).active
    assert list(written.iter_rows(values_only=True)) == [("Thời gian", "Số"), ("'=x", 2)]


def test_downloads_are_sent_from_a_file_as_attachments():
    response = tables.csv_response([["=x", 1]], filename="nhat-ky.csv", header=["a", "b"])
    assert isinstance(response, FileResponse) and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="nhat-ky.csv"'
    assert response.getvalue() == "\ufeffa,b\r\n'=x,1\r\n".encode()
    response = tables.xlsx_response(tables.workbook([Sheet("x", [[1]])]), filename="bang.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert openpyxl.load_workbook(io.BytesIO(response.getvalue())).active["A1"].value == 1


# --- writing: streamed ------------------------------------------------------------------------


def test_a_csv_is_written_as_its_rows_come():
    consumed = 0

    def rows():
        nonlocal consumed
        for index in range(10_000):
            consumed += 1
            yield [f"A{index}", index]

    chunks = tables.csv_chunks(rows())
    first = next(chunks)
    while len(first) <= 3:  # the BOM may come alone
        first += next(chunks)
    assert first.startswith("\ufeffA0,0\r\n".encode())
    assert consumed < 10_000  # output before the input is exhausted
    assert len(b"".join(chunks).splitlines()) + first.count(b"\n") == 10_000


def _text(length: int) -> str:
    return "".join(random.choices(string.ascii_letters + "ăâđêôơư ", k=length))


def _peak_while(write) -> int:
    tracemalloc.start()
    try:
        write()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_large_csv_export_keeps_memory_bounded():
    words = [_text(200) for _ in range(50)]
    rows = ([f"M{index}", words[index % 50] + str(index), index] for index in range(50_000))
    peak = _peak_while(lambda: sum(len(chunk) for chunk in tables.csv_chunks(rows)))
    assert peak < 5_000_000  # the 50,000 rows (about 20 MB held as a list) are never held together


def test_a_large_xlsx_export_keeps_memory_bounded():
    words = [_text(2000) for _ in range(50)]
    # Each cell a new string, as rows read from the database are.
    rows = ([words[index % 50] + str(index), words[(index + 3) % 50] + str(index)] for index in range(3_000))

    def write():
        book = tables.new_workbook()
        tables.add_sheet(book, Sheet("x", rows, [Column("a"), Column("b")]))
        tables.xlsx_file(book).close()

    # 3,000 rows of 4,000 characters: over 20 MB held as a list, far more as an ordinary workbook.
    assert _peak_while(write) < 8_000_000


def test_lazy_text_and_aware_moments_are_written_as_plain_values():
    from django.utils import timezone
    from django.utils.translation import gettext_lazy

    moment = datetime.datetime(2026, 12, 6, 1, 30, tzinfo=datetime.UTC)  # 08:30 in Hà Nội
    sheet = Sheet("x", [[gettext_lazy("Unit"), moment]], [Column(gettext_lazy("Unit")), Column("Lúc")])
    written = saved(tables.workbook([sheet])).active
    assert written["A1"].value == "Đơn vị" and written["A2"].value == "Đơn vị"
    assert written["B2"].value == timezone.localtime(moment).replace(tzinfo=None)
    assert written["B2"].number_format == "dd/mm/yyyy hh:mm"


def _book_bytes(cells: dict[str, object]) -> bytes:
    book = openpyxl.Workbook()
    for place, value in cells.items():
        book.active[place] = value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_the_fast_reader_gives_the_rows_openpyxl_gives():
    """A plainly bounded sheet is read by python-calamine, with openpyxl's values: None for an empty
    cell, whole numbers as int, dates as datetimes, the rows and columns where they stand."""
    data = _book_bytes(
        {
            "B3": "ma",
            "C3": "so",
            "D3": "ngay",
            "B4": "A1",
            "C4": 12,
            "D4": datetime.date(2026, 3, 1),
            "B6": "A2",
            "C6": 2.5,
            "D6": datetime.datetime(2026, 3, 1, 9, 30),
            "E6": "tràn",
        }
    )
    checked = tables.check_upload(data, name="bang.xlsx", max_bytes=LIMIT)
    assert reader._calamine_sheet(checked) is not None  # this file takes the fast way
    fast = tables.read_table(checked)
    careful = list(reader._bounded(reader._openpyxl_rows(checked)))
    assert fast == careful
    assert fast[1] == (4, [None, "A1", 12, datetime.datetime(2026, 3, 1), *[None] * 8])
    assert type(fast[1][1][2]) is int


def test_a_sheet_with_a_far_cell_is_read_by_openpyxl_within_bounds():
    """A cell far away would make the fast reader's grid huge: such a sheet is read by openpyxl."""
    data = _book_bytes({"A1": "ma", "A2": "A1", "XFD20": "xa"})
    checked = tables.check_upload(data, name="bang.xlsx", max_bytes=LIMIT)
    assert reader._calamine_sheet(checked) is None
    assert tables.read_table(checked) == [(1, ["ma"]), (2, ["A1", *[None] * 8])]
