"""The audit log browser: each reader sees the events of their own subtrees, filtered and exported."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from conftest import make_user
from danvan.accounts.actors import System
from danvan.accounts.models import Role
from danvan.administration.services import role_grant
from danvan.audit.context import Actor, acting_as
from danvan.audit.models import AuditEvent
from danvan.audit.services import record

LIST = reverse("audit:list")
Action = AuditEvent.Action


@pytest.fixture
def log(personas, tree):
    """One marked event per place: STP, under STP, SYT, under SYT, and one login (no unit)."""
    editor = Actor(id=personas["admin"].pk, label="admin_duk")
    with acting_as(editor):
        events = {
            "stp": record(
                action=Action.UPDATE,
                model="orgs.unit",
                object_repr="ev-stp",
                unit=tree.stp,
                changes={"name": ["Sở Tư pháp", "Đảng ủy Sở Tư pháp"]},
            ),
            "stp_cb1": record(
                action=Action.UPDATE, model="orgs.unit", object_repr="ev-stp-cb1", unit=tree.stp_cb1
            ),
            "syt": record(action=Action.UPDATE, model="orgs.unit", object_repr="ev-syt", unit=tree.syt),
            "syt_cb1": record(
                action=Action.UPDATE, model="orgs.unit", object_repr="ev-syt-cb1", unit=tree.syt_cb1
            ),
        }
    events["login"] = record(
        action=Action.LOGIN,
        actor=Actor(id=None, label="viewer_stp"),
        model="accounts.user",
        object_repr="ev-login",
    )
    return events


MARKS = {"ev-stp", "ev-stp-cb1", "ev-syt", "ev-syt-cb1", "ev-login"}


def shown(client, **params) -> set[str]:
    """The marked events the list shows (the fixtures log other things too, e.g. unit creation)."""
    response = client.get(LIST, params)
    assert response.status_code == 200
    return {event.object_repr for event in response.context["page"].object_list} & MARKS


def test_the_root_admin_sees_every_event_including_logins(personas, login, log):
    assert shown(login(personas["admin"])) == MARKS


def test_the_stp_bloc_admin_sees_only_the_stp_subtree_and_no_logins(personas, login, log, tree):
    seen = shown(login(personas[Role.BLOC_ADMIN]))
    assert {"ev-stp", "ev-stp-cb1"} <= seen
    assert not seen & {"ev-syt", "ev-syt-cb1", "ev-login"}
    listed = login(personas[Role.BLOC_ADMIN]).get(LIST).context["page"].object_list
    assert listed and all(event.unit_path.startswith(tree.stp.path) for event in listed)


def test_a_syt_bloc_admin_sees_nothing_of_stp(tree, login, log):
    syt_admin = make_user("admin_syt", unit=tree.syt, role=Role.BLOC_ADMIN)
    seen = shown(login(syt_admin))
    assert {"ev-syt", "ev-syt-cb1"} <= seen
    assert not seen & {"ev-stp", "ev-stp-cb1", "ev-login"}


# Everyone without AUDIT_VIEW gets 403 on the list, an event and the exports: the permission matrix
# (core/tests/test_permission_matrix.py, administration/tests/matrix.py).


def test_events_are_newest_first_with_dates_and_changes_readable(personas, login, log):
    response = login(personas["admin"]).get(LIST)
    events = list(response.context["page"].object_list)
    assert events == sorted(events, key=lambda e: (e.at, e.id), reverse=True)
    page = response.content.decode()
    assert timezone.localtime(log["stp"].at).strftime("%H:%M %d/%m/%Y") in page
    assert "<del>Sở Tư pháp</del> → <ins>Đảng ủy Sở Tư pháp</ins>" in page
    assert "<td>Đăng nhập</td>" in page


def test_the_list_is_paginated_by_fifty(personas, login, tree):
    for number in range(60):
        record(action=Action.UPDATE, model="orgs.unit", object_repr=f"bulk-{number}", unit=tree.stp)
    client = login(personas[Role.BLOC_ADMIN])
    first = client.get(LIST)
    assert len(first.context["page"].object_list) == 50
    assert first.context["page"].paginator.num_pages == 2


def test_filter_by_unit_code_takes_the_whole_subtree(personas, login, log):
    assert shown(login(personas["admin"]), unit_code="STP") == {"ev-stp", "ev-stp-cb1"}
    assert shown(login(personas["admin"]), unit_code="stp-cb1") == {"ev-stp-cb1"}


def test_filter_by_a_unit_outside_your_scope_reads_as_unknown(personas, login, log):
    response = login(personas[Role.BLOC_ADMIN]).get(LIST, {"unit_code": "SYT"})
    assert "Không tìm thấy đơn vị nào khớp với “SYT”" in response.content.decode()
    assert list(response.context["page"].object_list) == []


def test_filter_by_action_model_and_actor(personas, login, log):
    client = login(personas["admin"])
    assert shown(client, action=Action.LOGIN) == {"ev-login"}
    assert shown(client, model="orgs.unit", unit_code="SYT") == {"ev-syt", "ev-syt-cb1"}
    assert shown(client, actor="VIEWER_STP") == {"ev-login"}


def test_filter_by_dates_in_vietnamese_format(personas, login, log):
    client = login(personas["admin"])
    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    assert shown(client, date_from=today.strftime("%d/%m/%Y"), date_to=today.strftime("%d/%m/%Y")) == MARKS
    assert shown(client, date_from=tomorrow.strftime("%d/%m/%Y")) == set()
    assert shown(client, date_to=(today - datetime.timedelta(days=1)).isoformat()) == set()


def test_bad_filters_get_vietnamese_messages_and_no_results(personas, login, log):
    client = login(personas["admin"])
    response = client.get(LIST, {"date_from": "31/02/2025"})
    assert "Hãy nhập ngày theo dạng dd/mm/yyyy" in response.content.decode()
    assert list(response.context["page"].object_list) == []
    # The page asks for a correction rather than reading as an empty result, and offers no export.
    page = response.content.decode()
    assert "Hãy sửa bộ lọc để xem các sự kiện" in page
    assert "Không có sự kiện nào phù hợp" not in page and reverse("audit:export_csv") not in page
    response = client.get(LIST, {"date_from": "02/01/2025", "date_to": "01/01/2025"})
    assert "Ngày kết thúc đứng trước ngày bắt đầu" in response.content.decode()


def test_role_changes_appear_with_before_and_after(personas, login, tree):
    viewer = personas[Role.VIEWER]
    client = login(personas[Role.BLOC_ADMIN])
    client.post(
        reverse("administration:user_detail", kwargs={"pk": viewer.pk}),
        {"grant-unit_code": "STP-CB1", "grant-role": Role.REPORTER},
    )
    assignment = viewer.role_assignments.get(unit=tree.stp_cb1)
    client.post(reverse("administration:role_revoke", kwargs={"pk": assignment.pk}))
    response = client.get(LIST, {"model": "accounts.roleassignment"})
    actions = [event.action for event in response.context["page"].object_list]
    assert actions == [Action.ROLE_REVOKE, Action.ROLE_GRANT]
    page = response.content.decode()
    assert "<del>—</del> → <ins>Cán bộ báo cáo</ins>" in page
    assert "<del>Cán bộ báo cáo</del> → <ins>—</ins>" in page
    assert "Cấp vai trò" in page and "Thu hồi vai trò" in page


def test_the_detail_page_shows_one_event_in_scope_only(personas, login, log):
    stp_admin = login(personas[Role.BLOC_ADMIN])
    page = stp_admin.get(reverse("audit:detail", kwargs={"pk": log["stp"].pk}))
    assert page.status_code == 200 and "Đảng ủy Sở Tư pháp" in page.content.decode()
    assert stp_admin.get(reverse("audit:detail", kwargs={"pk": log["syt"].pk})).status_code == 404
    assert stp_admin.get(reverse("audit:detail", kwargs={"pk": log["login"].pk})).status_code == 404
    assert (
        login(personas["admin"]).get(reverse("audit:detail", kwargs={"pk": log["login"].pk})).status_code
        == 200
    )


def test_csv_export_is_scoped_filtered_and_audited(personas, login, log):
    response = login(personas[Role.BLOC_ADMIN]).get(reverse("audit:export_csv"), {"action": Action.UPDATE})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    assert rows[0][0] == "Thời gian"
    records = {row[5] for row in rows[1:]}
    assert records == {"ev-stp", "ev-stp-cb1"}
    export = AuditEvent.objects.get(action=Action.EXPORT)
    assert export.actor_label == personas[Role.BLOC_ADMIN].username
    assert export.changes["rows"] == 2 and export.changes["filter"] == {"action": Action.UPDATE}


def test_xlsx_export_holds_the_same_rows(personas, login, log):
    response = login(personas["admin"]).get(reverse("audit:export_xlsx"), {"unit_code": "SYT"})
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][1] == "Thao tác"
    assert {row[5] for row in values[1:]} & MARKS == {"ev-syt", "ev-syt-cb1"}
    assert {row[3] for row in values[1:]} <= {"SYT", "SYT-CB1"}
    assert AuditEvent.objects.get(action=Action.EXPORT).unit_code == "SYT"


def test_export_refuses_an_invalid_filter(personas, login, log):
    response = login(personas["admin"]).get(
        reverse("audit:export_csv"), {"date_from": "hôm qua"}, follow=True
    )
    assert "Hãy sửa bộ lọc trước khi xuất" in response.content.decode()
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


def test_export_cells_cannot_run_as_formulas(personas, login, tree):
    record(action=Action.UPDATE, model="orgs.unit", object_repr='=HYPERLINK("http://x")', unit=tree.stp)
    response = login(personas["admin"]).get(reverse("audit:export_csv"))
    assert "'=HYPERLINK" in response.getvalue().decode("utf-8-sig")


def test_the_log_records_role_grants_made_outside_the_interface(personas, tree):
    role_grant(user=personas["nobody"], unit=tree.stp_cb2, role=Role.VIEWER, by=System("tests"))
    event = AuditEvent.objects.get(action=Action.ROLE_GRANT)
    assert event.actor_label == "system" and event.unit_path == tree.stp_cb2.path


def test_an_export_too_large_asks_to_narrow_the_filter(personas, login, log, monkeypatch):
    monkeypatch.setattr("danvan.administration.audit_views.EXPORT_LIMIT", 1)
    response = login(personas["admin"]).get(reverse("audit:export_xlsx"), {"model": "orgs.unit"}, follow=True)
    assert "hãy thu hẹp còn tối đa 1 sự kiện để xuất" in response.content.decode()
    assert response.redirect_chain[-1][0] == f"{LIST}?model=orgs.unit"
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


def test_extreme_dates_in_the_filter_do_not_break_the_page_or_the_export(personas, login, log):
    client = login(personas["admin"])
    for query in ("date_to=31/12/9999", "date_from=01/01/0001", "date_from=01/01/0001&date_to=31/12/9999"):
        assert client.get(reverse("audit:list") + "?" + query).status_code == 200
        assert client.get(reverse("audit:export_csv") + "?" + query).status_code == 200


def test_each_record_type_is_offered_once_in_the_filter(personas, login, log, tree):
    from danvan.administration.audit_selectors import models_in_log

    labels = models_in_log()
    assert len(labels) == len(set(labels))
    assert "orgs.unit" in labels
