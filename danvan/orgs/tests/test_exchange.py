"""Unit files: reading CSV and XLSX, checking every row, importing all or nothing, exporting."""

import datetime
import io

import openpyxl
import pytest

from conftest import make_unit
from danvan.accounts.actors import System
from danvan.core.tables import reader
from danvan.orgs import selectors, services
from danvan.orgs.exchange import apply, export, fileformat
from danvan.orgs.models import Unit, UnitLink, UnitVersion
from danvan.orgs.services import NewUnit

SYSTEM = System("tests")

D = datetime.date
pytestmark = pytest.mark.django_db

HEADER = "code,name,parent_code,type,groups,valid_from,valid_to,predecessors"


def csv_file(*lines: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode("utf-8")


def run(data: bytes, filename: str = "don-vi.csv", **kwargs) -> apply.ImportResult:
    return apply.import_file(data=data, filename=filename, **kwargs, by=SYSTEM)


def messages(result) -> list[str]:
    return [str(error) for error in result.errors]


def name_on(code: str, day: datetime.date) -> str:
    return selectors.version_of(Unit.objects.get(code=code), day).name


GOOD = [
    "BK,Đảng ủy Khối Doanh nghiệp,,bloc,,2020-01-01,,",
    "BK-01,Đảng ủy Công ty Điện lực,BK,grassroots,enterprise,2020-01-01,,",
    "BK-01-CB1,Chi bộ Phòng Kỹ thuật,BK-01,cell,,2020-02-01,,",
    "BK-01-CB2,Chi bộ Phòng Kinh doanh,BK-01,cell,,2020-02-01,,",
    "BK-02,Đảng ủy Trường Cao đẳng Nghề,BK,grassroots,vocational_school;public_service_unit,2021-01-01,,",
    "BK-02-CB1,Chi bộ Khoa Cơ khí,BK-02,cell,,2021-01-01,,",
    "BK-02-CB2,Chi bộ Khoa Điện,BK-02,cell,,2021-01-01,,",
    "BK-03,Công đoàn Khối,BK,mass_org,,2020-01-01,,",
    "BK-04,Đảng ủy Cảng Hàng không,BK,grassroots,enterprise,2020-06-01,,",
    "BK-04-CB1,Chi bộ Khai thác,BK-04,cell,,2020-06-01,,",
]


# --- reading ----------------------------------------------------------------------------------


def test_it_imports_a_csv_file_into_the_tree(catalogue):
    result = run(csv_file(*GOOD))
    assert result.ok, messages(result)
    assert result.summary["units"] == 10
    root = Unit.objects.get(code="BK")
    assert sorted(v.unit.code for v in selectors.descendants(root, D(2021, 1, 1))) == [
        "BK-01",
        "BK-01-CB1",
        "BK-01-CB2",
        "BK-02",
        "BK-02-CB1",
        "BK-02-CB2",
        "BK-03",
        "BK-04",
        "BK-04-CB1",
    ]
    school = selectors.version_of(Unit.objects.get(code="BK-02"), D(2021, 1, 1))
    assert sorted(g.code for g in school.groups.all()) == ["public_service_unit", "vocational_school"]
    assert selectors.version_of(Unit.objects.get(code="BK-01-CB1"), D(2020, 1, 15)) is None


def test_it_reads_a_csv_with_a_bom_and_semicolons_between_cells(catalogue):
    data = "\ufeff" + "\n".join(
        [
            HEADER.replace(",", ";"),
            "BK;Đảng ủy Khối;;bloc;;2020-01-01;;",
            'BK-01;"Đảng ủy Công ty; Điện lực";BK;grassroots;"enterprise;admin_agency";2020-01-01;;',
        ]
    )
    result = run(data.encode("utf-8"))
    assert result.ok, messages(result)
    assert name_on("BK-01", D(2020, 1, 1)) == "Đảng ủy Công ty; Điện lực"


def test_columns_may_come_in_any_order(catalogue):
    header = "valid_from,type,code,name,predecessors,groups,valid_to,parent_code"
    result = run(csv_file("2020-01-01,bloc,BK,Đảng ủy Khối,,,,", header=header))
    assert result.ok, messages(result)
    assert Unit.objects.filter(code="BK").exists()


def xlsx_file(rows, header=fileformat.COLUMNS) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(row)
    workbook.create_sheet("Khác").append(["không đọc trang này"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_it_reads_the_first_sheet_of_an_xlsx_with_real_dates_and_number_codes(catalogue):
    data = xlsx_file(
        [
            ["BK", "Đảng ủy Khối", None, "bloc", None, datetime.datetime(2020, 1, 1), None, None],
            [101, "Chi bộ 101", "BK", "cell", "admin_agency", "2020-03-01", "2024-01-01", None],
            [102.0, "Chi bộ 102", "BK", "cell", None, "2020-03-01", None, None],
        ]
    )
    result = run(data, "don-vi.xlsx")
    assert result.ok, messages(result)
    cell = Unit.objects.get(code="101")
    assert (cell.valid_from, cell.valid_to) == (D(2020, 3, 1), D(2024, 1, 1))
    assert Unit.objects.filter(code="102").exists()


def test_an_empty_column_in_the_header_is_ignored(catalogue):
    result = run(csv_file("BK,Đảng ủy Khối,,bloc,,2020-01-01,,,", header=HEADER + ","))
    assert result.ok, messages(result)


def test_rows_with_the_same_code_are_successive_versions(catalogue):
    result = run(
        csv_file(
            "BK,Đảng ủy Khối,,bloc,,2020-01-01,,",
            "BK-A,Đảng ủy A,BK,grassroots,,2020-01-01,,",
            "BK-B,Đảng ủy B,BK,grassroots,,2020-01-01,,",
            "CB,Chi bộ 1,BK-A,cell,,2020-01-01,2022-01-01,",
            "CB,Chi bộ Một,BK-A,cell,admin_agency,2022-01-01,2023-05-01,",
            "CB,Chi bộ Một,BK-B,cell,admin_agency,2023-05-01,2024-01-01,",
            "CB,Chi bộ Một,BK-B,grassroots,admin_agency,2024-01-01,2025-01-01,",
        )
    )
    assert result.ok, messages(result)
    assert (result.summary["changes"], result.summary["moves"], result.summary["dissolutions"]) == (2, 1, 1)
    cell = Unit.objects.get(code="CB")
    assert name_on("CB", D(2021, 12, 31)) == "Chi bộ 1"
    assert name_on("CB", D(2022, 1, 1)) == "Chi bộ Một"
    assert selectors.version_of(cell, D(2023, 5, 1)).parent.code == "BK-B"
    assert selectors.version_of(cell, D(2024, 1, 1)).unit_type.code == "grassroots"
    assert selectors.version_of(cell, D(2025, 1, 1)) is None
    assert cell.valid_to == D(2025, 1, 1)


def test_moves_on_one_day_are_applied_parents_first(catalogue):
    # Until 2024 B sits under A; from 2024 B moves to the root and A moves under B.
    result = run(
        csv_file(
            "R,Gốc,,bloc,,2020-01-01,,",
            "A,Đơn vị A,R,grassroots,,2020-01-01,2024-01-01,",
            "A,Đơn vị A,B,grassroots,,2024-01-01,,",
            "B,Đơn vị B,A,grassroots,,2020-01-01,2024-01-01,",
            "B,Đơn vị B,R,grassroots,,2024-01-01,,",
        )
    )
    assert result.ok, messages(result)
    a = selectors.version_of(Unit.objects.get(code="A"), D(2024, 1, 1))
    assert (a.parent.code, a.depth) == ("B", 2)


def test_merges_are_recorded_as_predecessors(catalogue):
    result = run(
        csv_file(
            "BK,Đảng ủy Khối,,bloc,,2020-01-01,,",
            "A,Đảng ủy A,BK,grassroots,,2020-01-01,2025-03-01,",
            "B,Đảng ủy B,BK,grassroots,,2020-01-01,2025-03-01,",
            "A-CB,Chi bộ của A,A,cell,,2020-01-01,2025-03-01,",
            "A-CB,Chi bộ của A,AB,cell,,2025-03-01,,",
            "AB,Đảng ủy A – B,BK,grassroots,,2025-03-01,,A;B",
        )
    )
    assert result.ok, messages(result)
    links = UnitLink.objects.filter(successor__code="AB")
    assert sorted(link.predecessor.code for link in links) == ["A", "B"]
    assert {link.effective_on for link in links} == {D(2025, 3, 1)}
    assert {link.kind for link in links} == {UnitLink.Kind.MERGE}
    assert selectors.successors_on(Unit.objects.get(code="A"), D(2025, 6, 1)) == [Unit.objects.get(code="AB")]


def test_a_unit_taken_over_by_several_is_recorded_as_a_split_and_one_by_one_as_a_succession(catalogue):
    result = run(
        csv_file(
            "BK,Đảng ủy Khối,,bloc,,2020-01-01,,",
            "A,Đảng ủy A,BK,grassroots,,2020-01-01,2025-03-01,",
            "A1,Đảng ủy A1,BK,grassroots,,2025-03-01,,A",
            "A2,Đảng ủy A2,BK,grassroots,,2025-03-01,,A",
            "C,Đảng ủy C,BK,grassroots,,2020-01-01,2024-01-01,",
            "C2,Đảng ủy C mới,BK,grassroots,,2024-01-01,,C",
        )
    )
    assert result.ok, messages(result)
    kinds = dict(UnitLink.objects.values_list("successor__code", "kind"))
    assert kinds == {"A1": "split", "A2": "split", "C2": "succession"}


# --- all or nothing ---------------------------------------------------------------------------


def test_ten_good_rows_and_one_bad_row_save_nothing_and_name_the_bad_row(catalogue):
    result = run(csv_file(*GOOD, "BK-05,Chi bộ lạc,KHONG-CO,cell,,2020-01-01,,"))
    assert not result.ok
    assert messages(result) == [
        "Dòng 12, cột parent_code: Không tìm thấy đơn vị cấp trên KHONG-CO: mã này không có trong tệp "
        "và cũng không có trong hệ thống."
    ]
    assert not Unit.objects.filter(code__startswith="BK").exists()


def test_an_error_raised_by_a_service_rolls_back_the_whole_file(tree):
    # "stp" differs from the existing STP only in case: the checks pass, unit_create refuses it.
    result = run(csv_file(*GOOD, "stp,Đảng ủy trùng mã,BK,grassroots,,2020-01-01,,"))
    assert [(e.row, e.column) for e in result.errors] == [(12, "code")]
    assert "stp" in result.errors[0].message
    assert not Unit.objects.filter(code__startswith="BK").exists()


def test_a_dry_run_checks_everything_and_saves_nothing(catalogue):
    result = run(csv_file(*GOOD), dry_run=True)
    assert result.ok
    assert result.summary["units"] == 10
    assert not Unit.objects.exists()
    assert "không lưu" in apply.summary_text(result.summary)


def test_every_wrong_row_is_reported_at_once(catalogue):
    result = run(
        csv_file(
            "BK,Đảng ủy Khối,,bloc,,2020-01-01,,",
            "X1,,BK,cell,,2020-01-01,,",
            "X2,Chi bộ,BK,chi-bo,,2020-01-01,,",
            "X3,Chi bộ,BK,cell,,32/02/2020,,",
        )
    )
    assert [(e.row, e.column) for e in result.errors] == [(3, "name"), (4, "type"), (5, "valid_from")]


# --- every error, in Vietnamese ---------------------------------------------------------------

ROOT = "BK,Đảng ủy Khối,,bloc,,2020-01-01,,"

ROW_ERRORS = {
    "unknown parent": (
        ["X,Chi bộ,KHONG-CO,cell,,2020-01-01,,"],
        3,
        "parent_code",
        "Không tìm thấy đơn vị cấp trên",
    ),
    "unknown type": (["X,Chi bộ,BK,chi_bo,,2020-01-01,,"], 3, "type", "Loại đơn vị “chi_bo” không có"),
    "unknown group": (
        ["X,Chi bộ,BK,cell,nha_may,2020-01-01,,"],
        3,
        "groups",
        "Nhóm đơn vị “nha_may” không có",
    ),
    "missing type": (["X,Chi bộ,BK,,,2020-01-01,,"], 3, "type", "Hãy nhập loại đơn vị."),
    "bad date": (["X,Chi bộ,BK,cell,,2020-02-30,,"], 3, "valid_from", "“2020-02-30” không phải là ngày"),
    "missing date": (["X,Chi bộ,BK,cell,,,,"], 3, "valid_from", "Hãy nhập ngày bắt đầu hiệu lực"),
    "end not after start": (
        ["X,Chi bộ,BK,cell,,2021-01-01,2021-01-01,"],
        3,
        "valid_to",
        "valid_to phải sau valid_from",
    ),
    "bad code": (["X Y,Chi bộ,BK,cell,,2021-01-01,,"], 3, "code", "Mã chỉ được gồm chữ cái"),
    "missing code": ([",Chi bộ,BK,cell,,2021-01-01,,"], 3, "code", "Hãy nhập mã đơn vị"),
    "long name": (["X," + "a" * 256 + ",BK,cell,,2021-01-01,,"], 3, "name", "dài quá 255 ký tự"),
    "control characters": (["X,Chi\x01bộ,BK,cell,,2021-01-01,,"], 3, "name", "ký tự điều khiển"),
    "too many cells": (["X,Chi bộ,BK,cell,,2021-01-01,,,thừa"], 3, None, "nhiều ô hơn"),
    "duplicate version": (
        ["X,Chi bộ,BK,cell,,2021-01-01,,", "X,Chi bộ 1,BK,cell,,2021-01-01,,"],
        4,
        "valid_from",
        "đã có một phiên bản bắt đầu ngày 01/01/2021",
    ),
    "overlapping versions": (
        ["X,Chi bộ,BK,cell,,2021-01-01,2022-06-01,", "X,Chi bộ 1,BK,cell,,2022-01-01,,"],
        4,
        "valid_from",
        "chồng lên phiên bản ở dòng 3",
    ),
    "still open version": (
        ["X,Chi bộ,BK,cell,,2021-01-01,,", "X,Chi bộ 1,BK,cell,,2022-01-01,,"],
        4,
        "valid_from",
        "chồng lên phiên bản ở dòng 3",
    ),
    "gap between versions": (
        ["X,Chi bộ,BK,cell,,2021-01-01,2021-06-01,", "X,Chi bộ 1,BK,cell,,2022-01-01,,"],
        4,
        "valid_from",
        "phải nối tiếp nhau",
    ),
    "valid before its parent": (
        ["X,Chi bộ,BK,cell,,2019-01-01,,"],
        3,
        "valid_from",
        "trước khi đơn vị cấp trên BK",
    ),
    "outlives its parent": (
        ["P,Đảng ủy,BK,grassroots,,2020-01-01,2023-01-01,", "X,Chi bộ,P,cell,,2021-01-01,,"],
        4,
        "valid_to",
        "Đơn vị cấp trên P kết thúc ngày 01/01/2023",
    ),
    "own parent": (["X,Chi bộ,X,cell,,2021-01-01,,"], 3, "parent_code", "không thể trực thuộc chính nó"),
    "unknown predecessor": (
        ["X,Chi bộ,BK,cell,,2021-01-01,,KHONG-CO"],
        3,
        "predecessors",
        "Không tìm thấy đơn vị tiền thân KHONG-CO",
    ),
    "predecessor still in force": (
        ["P,Chi bộ cũ,BK,cell,,2020-01-01,,", "X,Chi bộ,BK,cell,,2021-01-01,,P"],
        4,
        "predecessors",
        "Đơn vị tiền thân P phải kết thúc vào ngày 01/01/2021 hoặc trước đó",
    ),
    "own predecessor": (
        ["X,Chi bộ,BK,cell,,2021-01-01,,X"],
        3,
        "predecessors",
        "tiền thân của chính nó",
    ),
    "same code in another case": (
        ["X,Chi bộ,BK,cell,,2021-01-01,,", "x,Chi bộ,BK,cell,,2021-01-01,,"],
        4,
        "code",
        "chỉ khác mã X ở chữ hoa",
    ),
}


@pytest.mark.parametrize("case", ROW_ERRORS)
def test_each_kind_of_wrong_row_gets_a_vietnamese_message(catalogue, case):
    lines, row, column, text = ROW_ERRORS[case]
    result = run(csv_file(ROOT, *lines))
    assert [(e.row, e.column) for e in result.errors] == [(row, column)], messages(result)
    assert text in result.errors[0].message
    assert not Unit.objects.exists()


def test_a_cycle_is_reported_on_the_rows_that_make_it(catalogue):
    result = run(
        csv_file(
            ROOT,
            "A,Đảng ủy A,BK,grassroots,,2020-01-01,2024-01-01,",
            "A,Đảng ủy A,B,grassroots,,2024-01-01,,",
            "B,Đảng ủy B,A,grassroots,,2020-01-01,,",
        )
    )
    assert [(e.row, e.column) for e in result.errors] == [(4, "parent_code")]
    assert "vòng lặp: A → B → A" in result.errors[0].message


def test_units_may_be_placed_under_units_already_in_the_system(tree):
    result = run(csv_file("STP-CB3,Chi bộ 3,STP,cell,,2024-01-01,,"))
    assert result.ok, messages(result)
    assert "STP-CB3" in [v.unit.code for v in selectors.descendants(tree.stp, D(2024, 1, 1))]


def test_a_dissolved_parent_in_the_system_is_refused(tree):
    services.unit_dissolve(unit=tree.stp_cb2, effective_on=D(2023, 1, 1), by=SYSTEM)
    result = run(csv_file("T1,Tổ 1,STP-CB2,cell,,2021-01-01,,"))
    assert messages(result) == [
        "Dòng 2, cột parent_code: Đơn vị cấp trên STP-CB2 đã giải thể ngày 01/01/2023."
    ]


def test_permission_is_asked_for_every_parent_in_the_system(tree):
    def only_stp(unit):
        return unit is not None and unit.path.startswith(tree.stp.path)

    result = run(
        csv_file(
            "STP-CB3,Chi bộ 3,STP,cell,,2024-01-01,,",
            "SYT-CB2,Chi bộ 2,SYT,cell,,2024-01-01,,",
            "MOI,Đơn vị mới,,bloc,,2024-01-01,,",
            "STP-CB4,Chi bộ 4,STP,cell,,2024-01-01,,SYT-CB1",
        ),
        permitted=only_stp,
    )
    assert [(e.row, e.column) for e in result.errors] == [
        (3, "parent_code"),
        (4, "parent_code"),
        (5, "predecessors"),
    ]
    assert all("không có quyền" in e.message for e in result.errors)
    assert not Unit.objects.filter(code="STP-CB3").exists()


def zip_file() -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("ghi-chu.txt", "không phải sổ tính")
    return buffer.getvalue()


FILE_ERRORS = {
    "missing column": (
        HEADER.replace(",predecessors", "").encode() + b"\nX,a,,bloc,,2020-01-01,\n",
        "d.csv",
        "Dòng 1, cột predecessors: Thiếu cột này ở dòng tiêu đề.",
    ),
    "unknown column": ((HEADER + ",ghi_chu\n").encode(), "d.csv", "Dòng 1, cột ghi_chu: Cột không hợp lệ"),
    "duplicate column": (
        (HEADER + ",code\n").encode(),
        "d.csv",
        "Dòng 1, cột code: Cột này xuất hiện hai lần",
    ),
    "header only": ((HEADER + "\n").encode(), "d.csv", "Tệp chỉ có dòng tiêu đề"),
    "empty": (b"", "d.csv", "Tệp rỗng."),
    "only a BOM and blank lines": ("\ufeff\n\n".encode(), "d.csv", "Tệp rỗng."),
    "malformed CSV": (
        csv_file('BK,"Đảng ủy "Khối",,bloc,,2020-01-01,,'),
        "d.csv",
        "Dòng 2: Tệp CSV sai định dạng",
    ),
    "not UTF-8": (
        csv_file("BK,Đảng ủy Khối,,bloc,,2020-01-01,,").decode().encode("utf-16"),
        "d.csv",
        "không phải văn bản UTF-8",
    ),
    "not an XLSX": (csv_file(ROOT), "d.xlsx", "không phải là sổ tính XLSX hợp lệ"),
    "a broken zip": (b"PK\x03\x04 not a zip", "d.xlsx", "không phải là sổ tính XLSX hợp lệ"),
    "a zip that is not a workbook": (zip_file(), "d.xlsx", "không phải là sổ tính XLSX hợp lệ"),
    "wrong extension": (csv_file(ROOT), "d.txt", "Hãy chọn tệp .csv hoặc .xlsx."),
}


@pytest.mark.parametrize("case", FILE_ERRORS)
def test_a_file_that_cannot_be_read_is_refused_in_vietnamese(catalogue, case):
    data, filename, text = FILE_ERRORS[case]
    result = run(data, filename)
    assert not result.ok
    assert text in messages(result)[0], messages(result)


def test_a_file_larger_than_the_limit_is_refused(catalogue, settings):
    settings.UNIT_IMPORT_MAX_BYTES = 100
    result = run(csv_file(*GOOD))
    assert messages(result)[0].startswith("Tệp lớn hơn 100")
    assert not Unit.objects.exists()


def test_a_file_with_too_many_rows_is_refused(catalogue, monkeypatch):
    monkeypatch.setattr(reader, "MAX_ROWS", 5)
    for data, name in [(csv_file(*GOOD), "d.csv"), (xlsx_file([line.split(",") for line in GOOD]), "d.xlsx")]:
        result = run(data, name)
        assert "nhiều hơn 5 dòng" in messages(result)[0]
    assert run(csv_file(*GOOD[:5])).ok


def test_a_workbook_that_unpacks_too_large_is_refused(catalogue, settings, monkeypatch):
    data = xlsx_file([line.split(",") for line in GOOD])
    settings.UNIT_IMPORT_MAX_BYTES = len(data)
    monkeypatch.setattr(reader, "UNPACKED_FACTOR", 1)
    result = run(data, "d.xlsx")
    assert messages(result) == ["Sổ tính quá lớn khi giải nén."]


# --- export and the round trip ----------------------------------------------------------------


def build_history(catalogue):
    """A tree with every kind of restructuring, as the services record it."""
    root = make_unit(catalogue, "DUK", "Đảng ủy Khối các cơ quan tỉnh", "bloc")
    stp = make_unit(catalogue, "STP", "Đảng ủy Sở Tư pháp", "grassroots", root, ["admin_agency"])
    syt = make_unit(catalogue, "SYT", "Đảng ủy Sở Y tế", "grassroots", root, ["public_service_unit"])
    cb1 = make_unit(catalogue, "STP-CB1", "Chi bộ 1", "cell", stp)
    make_unit(catalogue, "STP-CB1-T1", "Tổ đảng 1", "cell", cb1, day=D(2021, 1, 1))
    make_unit(catalogue, "STP-CB2", "Chi bộ 2", "cell", stp)
    make_unit(catalogue, "SYT-CB1", "Chi bộ Văn phòng", "cell", syt)
    stc = make_unit(catalogue, "STC", "Đảng ủy Sở Tài chính", "grassroots", root, day=D(2020, 6, 1))
    # Names a spreadsheet would take for formulas must come back as they are.
    odd = make_unit(catalogue, "STC-CB1", "=1+1 Chi bộ", "cell", stc, day=D(2020, 6, 1))
    services.unit_change(unit=odd, name="'@Chi bộ", effective_on=D(2021, 1, 1), by=SYSTEM)
    services.unit_change(unit=stp, name="Đảng bộ Sở Tư pháp", effective_on=D(2022, 1, 1), by=SYSTEM)
    services.unit_move(unit=cb1, new_parent=syt, effective_on=D(2022, 7, 1), by=SYSTEM)
    services.unit_move(unit=syt, new_parent=stc, effective_on=D(2023, 1, 1), by=SYSTEM)
    services.unit_change(
        unit=syt, groups=[catalogue.groups["enterprise"]], effective_on=D(2023, 1, 1), by=SYSTEM
    )
    services.unit_merge(
        units=[Unit.objects.get(code="STP-CB2"), Unit.objects.get(code="SYT-CB1")],
        effective_on=D(2024, 3, 1),
        new=NewUnit(
            code="CB-HN",
            name="Chi bộ Hợp nhất",
            unit_type=catalogue.types["cell"],
            parent=Unit.objects.get(code="STP"),
        ),
        by=SYSTEM,
    )
    services.unit_merge(
        units=[Unit.objects.get(code="STC")],
        into=Unit.objects.get(code="STP"),
        effective_on=D(2024, 9, 1),
        by=SYSTEM,
    )
    services.unit_split(
        unit=Unit.objects.get(code="STP-CB1"),
        effective_on=D(2025, 1, 1),
        into=[
            NewUnit(code="CB-A", name="Chi bộ A", unit_type=catalogue.types["cell"]),
            NewUnit(code="CB-B", name="Chi bộ B", unit_type=catalogue.types["cell"]),
        ],
        by=SYSTEM,
    )
    services.unit_dissolve(unit=Unit.objects.get(code="CB-B"), effective_on=D(2025, 6, 1), by=SYSTEM)


def wipe_units():
    UnitVersion.objects.all().delete()
    Unit.objects.all().delete()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_imported_into_an_empty_database_exports_the_same_rows(catalogue, fmt):
    build_history(catalogue)
    first = list(export.export_rows())
    exported = export.units_export(fmt=fmt)
    links = sorted(UnitLink.objects.values_list("predecessor__code", "successor__code", "effective_on"))
    wipe_units()
    result = run(exported.file.read(), exported.filename)
    assert result.ok, messages(result)
    assert list(export.export_rows()) == first
    assert (
        sorted(UnitLink.objects.values_list("predecessor__code", "successor__code", "effective_on")) == links
    )
    assert export.units_export(fmt=fmt).rows == exported.rows


def test_the_export_has_one_row_per_version_parents_first(catalogue):
    build_history(catalogue)
    table = list(export.export_rows())
    codes = [row[0] for row in table]
    assert codes.index("DUK") < codes.index("STP") < codes.index("STP-CB1") < codes.index("STP-CB1-T1")
    stp = [row for row in table if row[0] == "STP"]
    assert [(r[1], r[5], r[6], r[7]) for r in stp] == [
        ("Đảng ủy Sở Tư pháp", "2020-01-01", "2022-01-01", ""),
        ("Đảng bộ Sở Tư pháp", "2022-01-01", "2024-09-01", ""),
        ("Đảng bộ Sở Tư pháp", "2024-09-01", "", "STC"),
    ]
    merged = [row for row in table if row[0] == "CB-HN"]
    assert merged == [["CB-HN", "Chi bộ Hợp nhất", "STP", "cell", "", "2024-03-01", "", "STP-CB2;SYT-CB1"]]


def test_an_export_as_of_a_date_has_one_row_per_unit_in_force(catalogue):
    build_history(catalogue)
    table = list(export.export_rows(as_of=D(2022, 3, 1)))
    assert sorted(row[0] for row in table) == [
        "DUK",
        "STC",
        "STC-CB1",
        "STP",
        "STP-CB1",
        "STP-CB1-T1",
        "STP-CB2",
        "SYT",
        "SYT-CB1",
    ]
    stp = next(row for row in table if row[0] == "STP")
    assert stp == [
        "STP",
        "Đảng bộ Sở Tư pháp",
        "DUK",
        "grassroots",
        "admin_agency",
        "2022-01-01",
        "",
        "",
    ]


def test_an_export_is_limited_to_the_units_given(tree):
    table = list(export.export_rows(units=Unit.objects.filter(path__startswith=tree.stp.path)))
    assert sorted(row[0] for row in table) == ["STP", "STP-CB1", "STP-CB2"]


def test_the_xlsx_export_has_a_bold_frozen_header_and_wide_name_column(tree):
    exported = export.units_export(fmt="xlsx")
    sheet = openpyxl.load_workbook(exported.file).worksheets[0]
    assert [cell.value for cell in sheet[1]] == list(fileformat.COLUMNS)
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["B"].width >= 50
    assert sheet["B3"].value == "Đảng ủy Sở Tư pháp"


def test_the_csv_export_starts_with_a_bom_and_the_header(tree):
    exported = export.units_export(fmt="csv")
    text = exported.file.read().decode("utf-8")
    assert text.startswith("\ufeff" + HEADER + "\r\n")
    assert "STP,Đảng ủy Sở Tư pháp,DUK,grassroots,admin_agency,2020-01-01,," in text


def test_a_service_error_without_a_field_is_reported_against_its_row(tree, catalogue):
    # STP moves in 2023, so a unit created under it in 2020 has a version from 2023 already:
    # renaming it in 2021 afterwards is refused by unit_change (changes are recorded in date order).
    make_unit(catalogue, "DUK2", "Đảng ủy Khối 2", "bloc")
    services.unit_move(
        unit=tree.stp, new_parent=Unit.objects.get(code="DUK2"), effective_on=D(2023, 1, 1), by=SYSTEM
    )
    result = run(
        csv_file(
            "STP-CB3,Chi bộ 3,STP,cell,,2020-01-01,2021-01-01,", "STP-CB3,Chi bộ Ba,STP,cell,,2021-01-01,,"
        )
    )
    assert [(e.row, e.column) for e in result.errors] == [(3, None)]
    assert not Unit.objects.filter(code="STP-CB3").exists()


def test_a_database_refusal_rolls_back_and_says_so(tree, monkeypatch):
    from django.db import IntegrityError

    def refuse(**kwargs):
        raise IntegrityError("duplicate key")

    monkeypatch.setattr(services, "unit_link_predecessors", refuse)
    result = run(
        csv_file(
            "STP-CB3,Chi bộ 3,STP,cell,,2024-01-01,,STP-CB9",
            "STP-CB9,Chi bộ 9,STP,cell,,2020-01-01,2024-01-01,",
        )
    )
    assert messages(result) == ["Cơ sở dữ liệu từ chối việc nhập; không có gì được lưu."]
    assert not Unit.objects.filter(code="STP-CB3").exists()


def test_versions_that_differ_only_outside_the_file_are_one_row(tree):
    services.unit_change(unit=tree.stp, short_name="STP", effective_on=D(2023, 1, 1), by=SYSTEM)
    assert tree.stp.versions.count() == 2
    rows = [row for row in list(export.export_rows()) if row[0] == "STP"]
    assert [(r[5], r[6]) for r in rows] == [("2020-01-01", "")]


def test_an_unknown_export_format_is_a_programming_error(tree):
    with pytest.raises(ValueError, match="pdf"):
        export.units_export(fmt="pdf")


def test_a_broken_row_is_not_echoed_by_the_rows_that_name_it(catalogue):
    result = run(
        csv_file(ROOT, "P,Chi bộ cũ,BK,cell,,2020-01-01,2021-13-01,", "X,Chi bộ,BK,cell,,2021-01-01,,P")
    )
    assert [(e.row, e.column) for e in result.errors] == [(3, "valid_to")]


def test_names_that_look_like_formulas_are_kept_as_text(tree):
    services.unit_change(unit=tree.stp_cb1, name="=HYPERLINK(1)", effective_on=D(2024, 1, 1), by=SYSTEM)
    csv_text = export.units_export(fmt="csv").file.read().decode("utf-8-sig")
    assert ",'=HYPERLINK(1),STP," in csv_text
    sheet = openpyxl.load_workbook(export.units_export(fmt="xlsx").file, data_only=True).worksheets[0]
    assert "=HYPERLINK(1)" in [row[1] for row in sheet.iter_rows(values_only=True)]
