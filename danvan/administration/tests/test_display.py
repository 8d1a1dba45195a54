"""The audit browser shows events in words: record types, field names, dates, kinds of change."""

import csv
import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from danvan.accounts.actors import System
from danvan.administration.audit_display import change_rows, field_label, record_type
from danvan.audit.models import AuditEvent
from danvan.audit.services import record
from danvan.orgs import services

SYSTEM = System("tests")

D = datetime.date
Action = AuditEvent.Action
pytestmark = pytest.mark.django_db

RAW = ["orgs.unit", "path", "search_name", "sort_name", "dry_run", "units_in_file", "effective_on", "kind:"]


def _text(response) -> str:
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def _rows(event) -> dict[str, tuple[str, str]]:
    return {row.field: (row.before, row.after) for row in change_rows(event)}


def test_a_dissolution_is_shown_in_vietnamese_words(login, personas, tree):
    services.unit_dissolve(unit=tree.stp_cb2, effective_on=D(2025, 3, 1), by=SYSTEM)
    event = AuditEvent.objects.filter(action=Action.RESTRUCTURE, unit_code="STP-CB2").latest("id")
    page = _text(login(personas["admin"]).get(reverse("audit:detail", kwargs={"pk": event.pk})))
    assert "<dt>Loại bản ghi</dt><dd>Đơn vị</dd>" in page
    assert "<td>Loại thay đổi</td><td></td><td>Giải thể</td>" in page
    assert "<td>Ngày hiệu lực</td><td></td><td>01/03/2025</td>" in page
    assert not [raw for raw in RAW if raw in page] and "dissolve" not in page and "2025-03-01" not in page


def test_a_move_shows_its_kind_parent_and_date_and_the_list_names_the_record_type(login, personas, tree):
    services.unit_move(unit=tree.stp_cb2, new_parent=tree.stp_cb1, effective_on=D(2025, 3, 1), by=SYSTEM)
    event = AuditEvent.objects.filter(action=Action.RESTRUCTURE, unit_code="STP-CB2").latest("id")
    assert _rows(event)["Loại thay đổi"] == ("", "Chuyển đơn vị cấp trên")
    assert _rows(event)["Đơn vị cấp trên"] == ("STP", "STP-CB1")
    page = _text(login(personas["admin"]).get(reverse("audit:list"), {"action": "restructure"}))
    assert "(Đơn vị)" in page and "(orgs.unit)" not in page
    assert "Ngày hiệu lực:</span> 01/03/2025" in page


def test_a_unit_creation_names_its_fields_hides_the_tree_keys_and_shows_local_time(login, personas, tree):
    event = AuditEvent.objects.get(action=Action.CREATE, model="orgs.unit", object_id=str(tree.stp_cb1.pk))
    assert {"path", "created_at", "valid_from", "code"} <= set(event.changes)  # the raw data stays
    rows = _rows(event)
    assert rows["Mã"] == ("—", "STP-CB1")
    assert rows["Hiệu lực từ"] == ("—", "01/01/2020")
    created = timezone.localtime(tree.stp_cb1.created_at).strftime("%H:%M %d/%m/%Y")
    assert rows["Thời điểm tạo"] == ("—", created)
    assert not {"path", "Path", "search_name", "sort_name", "depth"} & set(rows)
    page = _text(login(personas["admin"]).get(reverse("audit:detail", kwargs={"pk": event.pk})))
    assert "<td>Mã</td><td>—</td><td>STP-CB1</td>" in page
    assert f"<td>Thời điểm tạo</td><td>—</td><td>{created}</td>" in page
    assert tree.stp_cb1.path not in page and "+00:00" not in page


def test_an_import_summary_is_shown_in_words(personas, tree):
    event = record(
        action=Action.IMPORT,
        model="orgs.unit",
        object_repr="don-vi.csv",
        changes={"rows": 3, "dry_run": False, "units_in_file": 3, "units": 2, "moves": 1},
    )
    assert _rows(event) == {
        "Số dòng": ("", "3"),
        "Chạy thử": ("", "không"),
        "Số đơn vị trong tệp": ("", "3"),
        "Số đơn vị tạo mới": ("", "2"),
        "Số lần chuyển đơn vị": ("", "1"),
    }


def test_a_merge_lists_its_predecessors_and_the_units_handed_over(personas, tree):
    services.unit_merge(
        units=[tree.stp_cb1, tree.stp_cb2], effective_on=D(2025, 3, 1), into=tree.stp, by=SYSTEM
    )
    event = AuditEvent.objects.filter(action=Action.RESTRUCTURE, unit_code="STP").latest("id")
    rows = _rows(event)
    assert rows["Loại thay đổi"] == ("", "Sáp nhập")
    assert rows["Đơn vị tiền thân"] == ("", "STP-CB1, STP-CB2")  # two codes, not a before/after pair


def test_the_export_names_record_types_and_fields_in_words(login, personas, tree):
    services.unit_dissolve(unit=tree.stp_cb2, effective_on=D(2025, 3, 1), by=SYSTEM)
    response = login(personas["admin"]).get(reverse("audit:export_csv"), {"action": "restructure"})
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    dissolution = next(row for row in rows if "Giải thể" in row[6])
    assert dissolution[4] == "Đơn vị"
    assert "Loại thay đổi: Giải thể" in dissolution[6] and "Ngày hiệu lực: 01/03/2025" in dissolution[6]


def test_the_filter_offers_record_types_by_name(login, personas, tree):
    page = _text(login(personas["admin"]).get(reverse("audit:list")))
    assert '<option value="orgs.unit">Đơn vị</option>' in page


def test_unknown_labels_and_keys_are_shown_as_they_are():
    assert record_type("nowhere.thing") == "nowhere.thing"
    assert record_type("") == ""
    assert record_type("accounts.user") == "Người dùng"
    assert field_label("orgs.unit", "mystery") == "mystery"
    assert field_label("", "kind") == "Loại thay đổi"
    assert field_label("orgs.mobilisationlead", "full_name") == "Họ và tên"


def test_values_that_only_look_like_dates_are_left_alone():
    event = AuditEvent(
        model="orgs.unit",
        changes={"name": ["2024-02-31", "2024-13-01T10:00"], "filter": {"date_from": "2024-01-31"}},
    )
    assert _rows(event) == {"Tên": ("2024-02-31", "2024-13-01T10:00"), "Lọc": ("", "date_from: 31/01/2024")}


def test_coded_values_read_as_their_models_choices_without_the_browser_knowing_the_model():
    rule_change = AuditEvent(model="voice.deadlinerule", changes={"day_unit": ["calendar", "working"]})
    assert _rows(rule_change) == {"Đơn vị tính": ("Ngày (theo lịch)", "Ngày làm việc")}
    # A value outside the choices, or the same key on a model without it, stays as it was written.
    assert _rows(AuditEvent(model="voice.deadlinerule", changes={"day_unit": ["hours", None]})) == {
        "Đơn vị tính": ("hours", "—")
    }
    assert _rows(AuditEvent(model="nowhere.thing", changes={"kind": "dissolve"})) == {
        "Loại thay đổi": ("", "dissolve")
    }


def test_what_an_app_declares_names_its_records_and_the_values_of_its_bulk_events():
    assert record_type("orgs.unitimport") == "Nhập danh sách đơn vị"
    assert record_type("accounts.roleassignment") == "Phân quyền vai trò"
    assert record_type("audit.auditevent") == "Nhật ký hệ thống"
    merge = AuditEvent(model="orgs.unit", changes={"kind": "merge"})
    assert _rows(merge) == {"Loại thay đổi": ("", "Sáp nhập")}
