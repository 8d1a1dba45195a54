"""`danvan import-units` and `danvan export-units`."""

import csv
import io
import re

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from danvan.audit.models import AuditEvent
from danvan.orgs.models import Unit

pytestmark = pytest.mark.django_db

HEADER = "code,name,parent_code,type,groups,valid_from,valid_to,predecessors"


def write(tmp_path, *lines, name="don-vi.csv"):
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_units_prints_a_summary(tree, tmp_path):
    path = write(
        tmp_path,
        "STP-CB3,Chi bộ 3,STP,cell,,2024-01-01,,",
        "STP-CB4,Chi bộ 4,STP,cell,,2024-01-01,2025-01-01,",
    )
    out, _err = run("import-units", str(path))
    assert out.strip() == (
        "2 dòng: thành lập 2 đơn vị, 0 đơn vị thay đổi, 0 đơn vị không đổi (0 lần đổi tên hoặc đổi loại, "
        "nhóm, 0 lần chuyển đơn vị, 1 đơn vị giải thể, 0 liên kết đơn vị tiền thân)."
    )
    assert Unit.objects.get(code="STP-CB4").valid_to is not None
    event = AuditEvent.objects.get(action="import")
    assert (event.object_repr, event.source, event.changes["units"]) == ("don-vi.csv", "command", 2)


def test_import_units_prints_one_error_per_line_and_exits_non_zero(tree, tmp_path):
    path = write(
        tmp_path,
        "STP-CB3,Chi bộ 3,STP,cell,,2024-01-01,,",
        "STP-CB4,Chi bộ 4,STP,cell,,2024-01-01,,",
        "STP-CB5,Chi bộ 5,STP,cell,,2024-01-01,,",
        "STP-CB6,Chi bộ 6,KHONG-CO,cell,,2024-01-01,,",
        "STP-CB7,Chi bộ 7,STP,cell,,2024-13-01,,",
    )
    err = io.StringIO()
    with pytest.raises(
        CommandError, match=re.escape("Tệp bị từ chối (2 lỗi); không có gì được lưu.")
    ) as failure:
        call_command("import-units", str(path), stderr=err)
    assert failure.value.returncode == 1  # the exit status of `danvan import-units`
    assert err.getvalue().splitlines() == [
        "Dòng 5, cột parent_code: Không tìm thấy đơn vị cấp trên KHONG-CO: mã này không có trong tệp "
        "và cũng không có trong hệ thống.",
        "Dòng 6, cột valid_from: “2024-13-01” không phải là ngày hợp lệ: hãy viết theo dạng dd/mm/yyyy "
        "(ví dụ 01/03/2025) hoặc YYYY-MM-DD.",
    ]
    assert not Unit.objects.filter(code="STP-CB3").exists()


def test_import_units_dry_run_saves_nothing(tree, tmp_path):
    out, _err = run(
        "import-units", str(write(tmp_path, "STP-CB3,Chi bộ 3,STP,cell,,2024-01-01,,")), "--dry-run"
    )
    assert out.startswith("Chạy thử, không lưu gì. 1 dòng: thành lập 1 đơn vị")
    assert not Unit.objects.filter(code="STP-CB3").exists()
    assert not AuditEvent.objects.filter(action__in=["import", "restructure"], unit_code="STP-CB3").exists()


def test_import_units_refuses_a_missing_file(tree, tmp_path):
    with pytest.raises(CommandError, match="Không có tệp"):
        run("import-units", str(tmp_path / "khong-co.csv"))


def test_import_units_refuses_a_file_over_the_limit(tree, tmp_path, settings):
    settings.UNIT_IMPORT_MAX_BYTES = 10
    with pytest.raises(CommandError, match="Tệp lớn hơn"):
        run("import-units", str(write(tmp_path, "STP-CB3,Chi bộ 3,STP,cell,,2024-01-01,,")))


def test_export_units_writes_every_version_as_csv(tree, tmp_path):
    path = tmp_path / "tat-ca.csv"
    out, _err = run("export-units", str(path))
    assert out.strip() == f"Đã xuất 6 dòng ra tệp {path}."
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert rows[0] == HEADER.split(",")
    assert [row[0] for row in rows[1:]][:1] == ["DUK"]
    assert AuditEvent.objects.filter(action="export", source="command").exists()


def test_export_units_as_of_a_date_in_xlsx(tree, tmp_path):
    path = tmp_path / "bang.dat"
    run("export-units", str(path), "--as-of", "2019-12-31", "--format", "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(path.read_bytes())).worksheets[0]
    assert sheet.max_row == 1  # nothing existed yet: only the header


def test_export_units_refuses_a_bad_date_and_an_unknown_format(tree, tmp_path):
    with pytest.raises(CommandError, match="không phải là ngày hợp lệ"):
        run("export-units", str(tmp_path / "a.csv"), "--as-of", "31/12/2024")
    with pytest.raises(CommandError, match=re.escape("--format csv|xlsx")):
        run("export-units", str(tmp_path / "a.txt"))


def test_export_units_reports_a_file_it_cannot_write(tree, tmp_path):
    with pytest.raises(CommandError, match="Không ghi được tệp"):
        run("export-units", str(tmp_path / "khong-co-thu-muc" / "a.csv"))


def test_import_units_reimports_an_export_with_nothing_to_do_and_dates_edits(tree, tmp_path):
    path = tmp_path / "tat-ca.csv"
    run("export-units", str(path))
    out, _err = run("import-units", str(path))
    assert "0 đơn vị thay đổi, 6 đơn vị không đổi" in out
    path.write_text(path.read_text(encoding="utf-8-sig").replace("Chi bộ 2", "Chi bộ Hai"), encoding="utf-8")
    out, _err = run("import-units", str(path), "--effective-on", "01/02/2026")
    assert "1 đơn vị thay đổi, 5 đơn vị không đổi" in out
    event = Unit.objects.get(code="STP-CB2").events.exclude(kind="create").get()
    assert (event.kind, event.effective_on.isoformat()) == ("rename", "2026-02-01")
