"""`danvan import-activities --kind KIND FILE`: a register's rows from CSV/XLSX, all or nothing."""

import io

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from .fakes import FAKE, PLAIN, only, saved_rows

pytestmark = pytest.mark.django_db

HEADER = "topic,held_on,unit_code,attendees\n"  # any order


@pytest.fixture(autouse=True)
def fake_registers():
    with only(FAKE, PLAIN):
        yield


def _csv(tmp_path, text, name="so.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _run(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import-activities", *args, stdout=out, stderr=err)
    except CommandError as error:
        return None, err.getvalue(), str(error)
    return out.getvalue(), err.getvalue(), None


def test_a_good_file_is_imported_and_counted_in_vietnamese(tree, tmp_path):
    path = _csv(tmp_path, HEADER + "Dân vận khéo,15/03/2025,STP,20\nQuy chế,2025-04-02,STP-CB1,\n")
    out, _err, failure = _run("--kind", "fake_meeting", path)
    assert failure is None
    assert out.strip() == "Đã nhập 2 dòng vào Sổ họp thử."
    assert saved_rows() == ["fake:STP-CB1:2025-04-02:Quy chế", "fake:STP:2025-03-15:Dân vận khéo"]


def test_an_xlsx_file_is_read_too(tree, tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["unit_code", "held_on", "topic"])
    book.active.append(["SYT", "01/02/2025", "Đối thoại"])
    path = tmp_path / "so.xlsx"
    book.save(path)
    out, _err, failure = _run("--kind", "fake_meeting", str(path))
    assert failure is None and "Đã nhập 1 dòng" in out
    assert saved_rows() == ["fake:SYT:2025-02-01:Đối thoại"]


def test_one_bad_row_saves_nothing_and_fails_with_its_line(tree, tmp_path):
    text = HEADER + "Một,15/03/2025,STP,\nHai,15/03/2999,STP,\nBa,01/01/2025,XYZ,\n"
    out, err, failure = _run("--kind", "fake_meeting", _csv(tmp_path, text))
    assert out is None
    assert "Dòng 3: Ngày 15/03/2999 là ngày trong tương lai." in err
    assert "Dòng 4: Đơn vị XYZ không tồn tại hoặc nằm ngoài phạm vi của bạn." in err
    assert failure == "Tệp bị từ chối (2 lỗi); không có gì được lưu."
    assert saved_rows() == []  # the first row, written by the register, was undone


def test_the_command_exits_non_zero_on_a_bad_row(tree, tmp_path):
    import io

    from django.core.management import call_command
    from django.core.management.base import CommandError

    path = _csv(tmp_path, HEADER + "Một,15/03/2999,STP,\n")
    # run_from_argv turns a CommandError into sys.exit(returncode); running it here would also close the
    # test's database connection (it does on PostgreSQL), so the error and its code are checked directly.
    with pytest.raises(CommandError) as failed:
        call_command(
            "import-activities", path, kind="fake_meeting", stdout=io.StringIO(), stderr=io.StringIO()
        )
    assert failed.value.returncode != 0
    assert saved_rows() == []


def test_an_unknown_kind_names_the_kinds_there_are(tree, tmp_path):
    _out, _err, failure = _run("--kind", "plain", _csv(tmp_path, HEADER))
    assert failure == "Không có sổ “plain” để nhập. Các loại sổ: fake_meeting (Sổ họp thử)."
    _out, _err, failure = _run("--kind", "nothing", _csv(tmp_path, HEADER))
    assert failure.startswith("Không có sổ “nothing” để nhập.")


def test_a_wrong_header_is_refused_column_by_column(tree, tmp_path):
    path = _csv(tmp_path, "unit_code,date,topic\nSTP,15/03/2025,Một\n")
    _out, err, failure = _run("--kind", "fake_meeting", path)
    assert failure == "Tệp bị từ chối; không có gì được lưu."
    assert "cột date" in err and "cột held_on" in err
    assert saved_rows() == []


def test_a_file_with_no_rows_or_no_file(tree, tmp_path):
    _out, err, failure = _run("--kind", "fake_meeting", _csv(tmp_path, HEADER))
    assert failure and "Tệp không có dòng số liệu nào dưới dòng tiêu đề." in err
    _out, _err, failure = _run("--kind", "fake_meeting", str(tmp_path / "missing.csv"))
    assert failure and "missing.csv" in failure
