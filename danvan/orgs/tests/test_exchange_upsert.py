"""Importing units already in the system: an upsert by code (unchanged rows are no-ops, changes are
dated restructuring, history is kept), so an export comes back in as it went out."""

import datetime

import pytest

from danvan.accounts.actors import System
from danvan.audit.models import AuditEvent
from danvan.orgs import selectors
from danvan.orgs.exchange import apply, export
from danvan.orgs.models import RestructuringEvent, Unit, UnitVersion

from .test_exchange import build_history, csv_file, messages

SYSTEM = System("tests")
D = datetime.date
TODAY = D(2026, 3, 1)
pytestmark = pytest.mark.django_db


def run(data: bytes, filename: str = "don-vi.csv", **kwargs) -> apply.ImportResult:
    return apply.import_file(data=data, filename=filename, effective_on=TODAY, by=SYSTEM, **kwargs)


def snapshot() -> tuple:
    """Everything an import could write."""
    return (
        list(UnitVersion.objects.order_by("id").values_list("id", "name", "parent_id", "path", "valid_to")),
        RestructuringEvent.objects.count(),
        AuditEvent.objects.count(),
    )


def changes_of(unit: Unit) -> RestructuringEvent:
    return RestructuringEvent.objects.exclude(kind=RestructuringEvent.Kind.CREATE).get(unit=unit)


def exported(**kwargs) -> bytes:
    return export.units_export(**kwargs).file.read()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_of_every_version_imported_again_changes_nothing(catalogue, fmt):
    build_history(catalogue)
    data, before = exported(fmt=fmt), snapshot()
    result = run(data, f"don-vi.{fmt}")
    assert result.ok, messages(result)
    assert snapshot() == before
    units = Unit.objects.count()
    assert (result.summary["units"], result.summary["updated"], result.summary["unchanged"]) == (0, 0, units)


def test_a_snapshot_export_imported_again_changes_nothing(catalogue):
    build_history(catalogue)
    data, before = exported(as_of=D(2023, 6, 1)), snapshot()
    result = run(data)
    assert result.ok, messages(result)
    assert snapshot() == before
    assert result.summary["updated"] == 0


def test_a_file_that_changes_nothing_writes_no_audit_event(tree):
    data = exported()
    before = AuditEvent.objects.count()
    assert run(data).ok
    assert AuditEvent.objects.count() == before


def test_an_edited_name_with_a_new_date_is_one_rename_dated_as_given(tree):
    result = run(csv_file("STP-CB1,Chi bộ Tư pháp 1,STP,cell,,2025-07-01,,"))
    assert result.ok, messages(result)
    assert (result.summary["updated"], result.summary["changes"]) == (1, 1)
    unit = Unit.objects.get(code="STP-CB1")
    assert selectors.version_of(unit, D(2025, 6, 30)).name == "Chi bộ 1"  # history kept
    assert selectors.version_of(unit, D(2025, 7, 1)).name == "Chi bộ Tư pháp 1"
    event = changes_of(unit)
    assert (event.kind, event.effective_on) == (RestructuringEvent.Kind.RENAME, D(2025, 7, 1))


def test_a_name_edited_in_an_exported_row_is_renamed_from_the_imports_date(tree):
    data = exported().decode("utf-8-sig").replace("Chi bộ Văn phòng", "Chi bộ Văn phòng Sở")
    result = run(data.encode("utf-8"))
    assert result.ok, messages(result)
    unit = Unit.objects.get(code="SYT-CB1")
    assert selectors.version_of(unit, D(2026, 2, 28)).name == "Chi bộ Văn phòng"
    assert selectors.version_of(unit, TODAY).name == "Chi bộ Văn phòng Sở"
    assert result.summary["unchanged"] == Unit.objects.count() - 1


def test_a_new_parent_is_a_move(tree):
    result = run(csv_file("STP-CB1,Chi bộ 1,SYT,cell,,2025-01-01,,"))
    assert result.ok, messages(result)
    assert result.summary["moves"] == 1
    unit = Unit.objects.get(code="STP-CB1")
    assert selectors.version_of(unit, D(2024, 12, 31)).parent.code == "STP"
    assert selectors.version_of(unit, D(2025, 1, 1)).parent.code == "SYT"
    assert changes_of(unit).kind == RestructuringEvent.Kind.MOVE


def test_new_groups_and_a_new_version_appended_to_an_export_are_applied(tree):
    lines = exported().decode("utf-8-sig").splitlines()
    lines = [
        line.replace(",2020-01-01,,", ",2020-01-01,2025-05-01,") if line.startswith("SYT,") else line
        for line in lines
    ]
    lines.append("SYT,Đảng ủy Sở Y tế,DUK,grassroots,enterprise,2025-05-01,,")
    result = run("\n".join(lines).encode("utf-8"))
    assert result.ok, messages(result)
    version = selectors.version_of(Unit.objects.get(code="SYT"), D(2025, 5, 1))
    assert [g.code for g in version.groups.all()] == ["enterprise"]
    assert changes_of(Unit.objects.get(code="SYT")).kind == RestructuringEvent.Kind.REGROUP


def test_a_last_row_ending_is_a_dissolution(tree):
    result = run(csv_file("STP-CB2,Chi bộ 2,STP,cell,,2020-01-01,2025-09-01,"))
    assert result.ok, messages(result)
    assert (result.summary["dissolutions"], Unit.objects.get(code="STP-CB2").valid_to) == (1, D(2025, 9, 1))


def test_vietnamese_type_labels_and_dates_as_dd_mm_yyyy_are_accepted(tree):
    result = run(
        csv_file(
            "STP-CB1,Chi bộ 1,STP,Chi bộ,,01/01/2020,,",  # unchanged, as a person writes it
            "STP-CB3,Chi bộ 3,STP,chi bo,Cơ quan hành chính,15/3/2024,,",
        )
    )
    assert result.ok, messages(result)
    assert (result.summary["units"], result.summary["unchanged"]) == (1, 1)
    version = selectors.version_of(Unit.objects.get(code="STP-CB3"), D(2024, 3, 15))
    assert (version.unit_type.code, [g.code for g in version.groups.all()]) == ("cell", ["admin_agency"])


def test_rows_that_rewrite_history_or_are_wrong_save_nothing_and_say_why_in_vietnamese(tree):
    before = snapshot()
    result = run(
        csv_file(
            "STP-CB1,Chi bộ Tư pháp 1,STP,cell,,2025-07-01,,",  # good on its own
            "STP-CB2,Chi bộ Hai,STP,cell,,2019-01-01,,",  # before the unit began
            "SYT-CB1,Chi bộ Văn phòng,KHONG-CO,cell,,2025-01-01,,",  # unknown parent
        )
    )
    assert snapshot() == before
    assert [(error.row, error.column) for error in result.errors] == [(3, "valid_from"), (4, "parent_code")]
    assert "có trong hệ thống từ 01/01/2020" in result.errors[0].message


def test_a_changed_old_version_is_refused_as_history(catalogue):
    build_history(catalogue)
    lines = exported().decode("utf-8-sig").splitlines()
    lines = [line.replace("Đảng ủy Sở Tư pháp,DUK", "Đảng ủy Sở Tư pháp cũ,DUK") for line in lines]
    result = run("\n".join(lines).encode("utf-8"))
    assert [error.column for error in result.errors] == ["valid_from"]
    assert "không sửa được lịch sử" in result.errors[0].message


def test_an_importer_may_not_change_a_unit_outside_their_scope(tree):
    result = run(
        csv_file("SYT-CB1,Chi bộ Y tế,SYT,cell,,2025-01-01,,"),
        permitted=lambda unit: unit is not None and unit.code.startswith("STP"),
    )
    assert [error.message for error in result.errors] == ["Bạn không có quyền thay đổi đơn vị SYT-CB1."]


def test_the_summary_counts_created_changed_and_unchanged(tree):
    result = run(
        csv_file(
            "STP-CB1,Chi bộ 1,STP,cell,,2020-01-01,,",
            "STP-CB2,Chi bộ Hai,STP,cell,,2025-01-01,,",
            "STP-CB9,Chi bộ 9,STP,cell,,2025-01-01,,",
        )
    )
    assert apply.summary_text(result.summary).startswith(
        "3 dòng: thành lập 1 đơn vị, 1 đơn vị thay đổi, 1 đơn vị không đổi"
    )
