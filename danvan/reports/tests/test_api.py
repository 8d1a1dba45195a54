"""The reports API: catalogue, data values, the report workflow and analytics, scoped per unit."""

import pytest
from django.core.management import call_command

from danvan.accounts.actors import System
from danvan.reports import services
from danvan.reports.models import DataElement, DataValue, Period, Report, ReportForm, Target

SYSTEM = System("tests")

pytestmark = pytest.mark.django_db

VALUES = "/api/v1/data-values/"
REPORTS = "/api/v1/reports/"
ANALYTICS = "/api/v1/analytics/"


def stp_values(**values):
    return {"form": "BC-DV-6T", "unit": "STP", "period": "2026S1", "values": values}


def submitted_stp_report(client):
    saved = client.post(VALUES, stp_values(STAFF_ELIGIBLE=50, STAFF_IN_MASS_ORGS=40), format="json")
    assert saved.status_code == 200, saved.content
    report = Report.objects.get(pk=saved.json()["report"])
    return services.report_submit(report=report, by=SYSTEM)


# --- catalogue ------------------------------------------------------------------------------------


def test_a_reporter_reads_the_seeded_catalogue(api, personas, indicators):
    client = api(personas["reporter"])
    elements = client.get("/api/v1/data-elements/").json()["results"]
    assert {"STAFF_ELIGIBLE", "STAFF_IN_MASS_ORGS", "SUGGESTION_BOXES"} <= {e["code"] for e in elements}

    rate = client.get("/api/v1/indicators/MASS_GATHERING_RATE/").json()
    assert (rate["numerator"], rate["denominator"], rate["factor"]) == (
        ["STAFF_IN_MASS_ORGS"],
        ["STAFF_ELIGIBLE"],
        "100.0000",
    )
    assert {(t["unit_group"], t["comparator"], t["value"]) for t in rate["targets"]} == {
        ("admin_agency", "gte", "100.0000"),
        ("public_service_unit", "gte", "100.0000"),
        ("vocational_school", "gte", "70.0000"),
    }

    form = client.get("/api/v1/report-forms/BC-DV-6T/").json()
    assert form["period_type"] == "semiannual"
    assert (form["deadline_kind"], form["deadline_days"]) == ("after_end", 15)
    assert form["sections"][0]["elements"] == [
        "STAFF_ELIGIBLE",
        "STAFF_IN_MASS_ORGS",
        "MEMBERS_TOTAL",
        "MEMBERS_ACTIVE",
    ]


def test_a_user_without_any_report_role_cannot_read_the_catalogue(api, personas, indicators):
    assert api(personas["nobody"]).get("/api/v1/indicators/").status_code == 403


def test_only_a_catalogue_manager_at_the_root_changes_targets_and_the_roll_up_follows(
    api, personas, tree, indicators, approved
):
    approved(tree.stp, "2026S1", {"STAFF_ELIGIBLE": 50, "STAFF_IN_MASS_ORGS": 40})
    new_target = {
        "indicator": "MASS_GATHERING_RATE",
        "unit_group": "admin_agency",
        "period_code": "2026s1",
        "value": 75,
    }
    assert api(personas["unit_head"]).post("/api/v1/targets/", new_target, format="json").status_code == 403

    client = api(personas["admin"])
    before = client.get(
        ANALYTICS, {"unit": "DUK", "period": "2026S1", "indicator": "MASS_GATHERING_RATE"}
    ).json()
    assert (before["target_units"], before["met_units"]) == (1, 0)  # 80 % < 100 %

    created = client.post("/api/v1/targets/", new_target, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["period_code"] == "2026S1"
    after = client.get(
        ANALYTICS, {"unit": "DUK", "period": "2026S1", "indicator": "MASS_GATHERING_RATE"}
    ).json()
    assert (after["target_units"], after["met_units"]) == (1, 1)  # the period's own target: ≥ 75

    again = client.post("/api/v1/targets/", new_target, format="json")
    assert again.status_code == 400
    assert again.json() == {"unit_group": ["Chỉ số này đã có chỉ tiêu cho nhóm đơn vị và kỳ đó."]}

    assert client.delete(f"/api/v1/targets/{created.json()['id']}/").status_code == 204
    back = client.get(
        ANALYTICS, {"unit": "DUK", "period": "2026S1", "indicator": "MASS_GATHERING_RATE"}
    ).json()
    assert (back["target_units"], back["met_units"]) == (1, 0)


def test_a_catalogue_manager_creates_an_indicator_and_a_form(api, personas, indicators):
    client = api(personas["admin"])
    indicator = {
        "code": "TRAINING_REACH",
        "name": "Số người mỗi lớp tập huấn",
        "numerator": ["TRAINING_PARTICIPANTS"],
        "denominator": ["TRAINING_CLASSES"],
        "factor": "1",
    }
    response = client.post("/api/v1/indicators/", indicator, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["numerator"] == ["TRAINING_PARTICIPANTS"]

    form = {
        "code": "BC-TH-Q",
        "name": "Báo cáo tập huấn quý",
        "period_type": "quarterly",
        "unit_types": ["grassroots"],
        "deadline_kind": "fixed",
        "sections": [{"title": "Tập huấn", "elements": ["TRAINING_CLASSES", "NO_SUCH"]}],
    }
    refused = client.post("/api/v1/report-forms/", form, format="json")
    assert refused.status_code == 400
    assert refused.json()["sections"] == {"0": {"elements": ["Chỉ tiêu dữ liệu “NO_SUCH” không tồn tại."]}}
    assert not ReportForm.objects.filter(code="BC-TH-Q").exists()

    form["sections"][0]["elements"] = ["TRAINING_CLASSES", "TRAINING_PARTICIPANTS"]
    form.update(deadline_day=20, deadline_month=1)
    created = client.post("/api/v1/report-forms/", form, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["sections"] == [
        {"title": "Tập huấn", "elements": ["TRAINING_CLASSES", "TRAINING_PARTICIPANTS"]}
    ]


def test_a_form_edit_with_a_section_lacking_its_title_or_elements_answers_400_and_changes_nothing(
    api, personas, indicators
):
    client = api(personas["admin"])
    url = "/api/v1/report-forms/BC-DV-6T/"
    before = client.get(url).json()
    required = "Trường này là bắt buộc."
    for sections, errors in (
        ([{"elements": ["STAFF_ELIGIBLE"]}], {"0": {"title": [required]}}),
        ([{"title": "Tập hợp"}], {"0": {"elements": [required]}}),
        ([{}], {"0": {"title": [required], "elements": [required]}}),
        ([{"title": "Tập hợp", "elements": []}, {"elements": ["NO_SUCH"]}], None),
    ):
        for send in (client.patch, client.put):
            response = send(
                url,
                {**before, "sections": sections} if send == client.put else {"sections": sections},
                format="json",
            )
            assert response.status_code == 400, (send, sections, response.content)
            if errors is not None:
                assert response.json() == {"sections": errors}
    broken = client.patch(
        url, {"sections": [{"title": "Tập hợp", "elements": []}, {"elements": ["NO_SUCH"]}]}, format="json"
    )
    assert broken.json()["sections"]["1"]["title"] == [required]
    assert "elements" in broken.json()["sections"]["1"]  # both problems told at once
    assert client.get(url).json() == before


# --- data values ----------------------------------------------------------------------------------


def test_a_reporter_at_stp_writes_values_through_a_draft_report(api, personas, tree, indicators):
    response = api(personas["reporter"]).post(
        VALUES, stp_values(STAFF_ELIGIBLE="1.673", STAFF_IN_MASS_ORGS=1600), format="json"
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["status"], data["revision"], data["problems"]) == ("draft", 0, [])
    assert data["saved"] == {"STAFF_ELIGIBLE": 1673, "STAFF_IN_MASS_ORGS": 1600}
    stored = dict(
        DataValue.objects.filter(unit=tree.stp, source="entered").values_list("element__code", "value")
    )
    assert stored == {"STAFF_ELIGIBLE": 1673, "STAFF_IN_MASS_ORGS": 1600}


def test_a_value_breaking_a_rule_is_saved_and_the_problem_explained(api, personas, indicators):
    client = api(personas["reporter"])
    response = client.put(VALUES, stp_values(STAFF_ELIGIBLE=10, STAFF_IN_MASS_ORGS=12), format="json")
    assert response.status_code == 200, response.content
    assert [p["elements"] for p in response.json()["problems"]] == [["STAFF_ELIGIBLE", "STAFF_IN_MASS_ORGS"]]
    assert "không được lớn hơn" in response.json()["problems"][0]["message"]


def test_the_outsider_cannot_write_stp_values_and_nothing_is_saved(api, personas, indicators):
    response = api(personas["outsider"]).post(VALUES, stp_values(STAFF_ELIGIBLE=50), format="json")
    assert response.status_code == 400
    assert response.json() == {"unit": ["Không có đơn vị nào có mã “STP”."]}
    unknown = api(personas["outsider"]).post(
        VALUES, {**stp_values(STAFF_ELIGIBLE=50), "unit": "XYZ"}, format="json"
    )
    assert unknown.json() == {"unit": ["Không có đơn vị nào có mã “XYZ”."]}  # the same message
    assert not DataValue.objects.exists() and not Report.objects.exists()


def test_a_viewer_at_stp_may_read_but_not_write_its_values(api, personas, indicators):
    assert (
        api(personas["viewer"]).post(VALUES, stp_values(STAFF_ELIGIBLE=50), format="json").status_code == 403
    )
    assert not DataValue.objects.exists() and not Report.objects.exists()


def test_text_in_a_number_cell_is_refused_in_vietnamese_and_nothing_is_saved(api, personas, indicators):
    response = api(personas["reporter"]).post(
        VALUES, stp_values(STAFF_ELIGIBLE=50, STAFF_IN_MASS_ORGS="năm mươi"), format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"STAFF_IN_MASS_ORGS": ["“năm mươi” không phải là số."]}
    assert not DataValue.objects.exists() and not Report.objects.exists()


def test_a_period_the_form_does_not_have_is_refused(api, personas, indicators):
    response = api(personas["reporter"]).post(
        VALUES, {**stp_values(STAFF_ELIGIBLE=50), "period": "2026Q1"}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["period"]
    assert not DataValue.objects.exists()


def test_values_are_read_within_scope_only(api, personas, tree, indicators, approved):
    approved(tree.stp, "2026S1", {"STAFF_ELIGIBLE": 50, "STAFF_IN_MASS_ORGS": 50})
    approved(tree.syt, "2026S1", {"STAFF_ELIGIBLE": 40, "STAFF_IN_MASS_ORGS": 30})
    query = {"unit": "STP", "period": "2026s1", "element": "STAFF_ELIGIBLE"}

    mine = api(personas["viewer"]).get(VALUES, query).json()
    assert [(v["unit"], v["period"], v["element"], v["value"], v["approved"]) for v in mine["results"]] == [
        ("STP", "2026S1", "STAFF_ELIGIBLE", 50, True)
    ]
    assert api(personas["outsider"]).get(VALUES, query).json()["results"] == []
    everything = api(personas["outsider"]).get(VALUES).json()["results"]
    # SYT's own values, and the cell-meeting figures counted at its cell: nothing outside its subtree
    assert {v["unit"] for v in everything if v["element"] == "STAFF_ELIGIBLE"} == {"SYT"}
    assert {v["unit"] for v in everything} <= {"SYT", "SYT-CB1"}


# --- reports --------------------------------------------------------------------------------------


def test_the_admin_above_approves_and_the_reporter_at_stp_cannot(api, personas, indicators):
    report = submitted_stp_report(api(personas["reporter"]))
    refused = api(personas["reporter"]).post(
        f"{REPORTS}{report.pk}/approve/", {"revision": report.revision}, format="json"
    )
    assert refused.status_code == 403
    assert refused.json() == {"detail": "Chỉ cấp trên mới được duyệt, trả lại, khóa hoặc mở lại báo cáo này."}

    response = api(personas["admin"]).post(
        f"{REPORTS}{report.pk}/approve/", {"revision": report.revision}, format="json"
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["status"], data["revision"], data["decided_by"]) == (
        "approved",
        report.revision + 1,
        "admin_duk",
    )
    assert data["values"]["STAFF_ELIGIBLE"] == 50
    assert [t["to_status"] for t in data["transitions"]] == ["draft", "submitted", "approved"]


def test_the_second_of_two_approvals_with_the_same_revision_gets_a_conflict(api, personas, indicators):
    report = submitted_stp_report(api(personas["reporter"]))
    seen = {"revision": report.revision}
    assert (
        api(personas["admin"]).post(f"{REPORTS}{report.pk}/approve/", seen, format="json").status_code == 200
    )
    second = api(personas["admin"]).post(f"{REPORTS}{report.pk}/approve/", seen, format="json")
    assert second.status_code == 409
    assert second.json() == {
        "detail": "Báo cáo vừa được admin_duk thay đổi (nay ở trạng thái “Đã duyệt”). Hãy tải lại trang rồi thực hiện lại."
    }


def test_returning_needs_a_reason(api, personas, indicators):
    report = submitted_stp_report(api(personas["reporter"]))
    client = api(personas["admin"])
    empty = client.post(f"{REPORTS}{report.pk}/return/", {"revision": report.revision}, format="json")
    assert empty.status_code == 400
    assert list(empty.json()) == ["reason"] and empty.json()["reason"] != ["Give the reason."]
    returned = client.post(
        f"{REPORTS}{report.pk}/return/",
        {"revision": report.revision, "reason": "Thiếu số liệu"},
        format="json",
    )
    assert (returned.json()["status"], returned.json()["return_reason"]) == ("returned", "Thiếu số liệu")


def test_reports_are_listed_and_read_within_scope_only(api, personas, tree, indicators, approved):
    stp = approved(tree.stp, "2026S1", {"STAFF_ELIGIBLE": 50, "STAFF_IN_MASS_ORGS": 50})
    approved(tree.syt, "2026S1", {"STAFF_ELIGIBLE": 40, "STAFF_IN_MASS_ORGS": 30})
    outsider = api(personas["outsider"])
    assert [r["unit"] for r in outsider.get(REPORTS).json()["results"]] == ["SYT"]
    assert outsider.get(f"{REPORTS}{stp.pk}/").status_code == 404
    assert (
        outsider.post(f"{REPORTS}{stp.pk}/lock/", {"revision": stp.revision}, format="json").status_code
        == 404
    )
    admin = api(personas["admin"])
    assert [
        r["unit"] for r in admin.get(REPORTS, {"unit": "STP", "status": "approved"}).json()["results"]
    ] == ["STP"]


# --- analytics ------------------------------------------------------------------------------------


def test_analytics_answers_the_same_json_as_the_command(api, personas, tree, indicators, approved, capsys):
    approved(tree.stp, "2026S1", {"STAFF_ELIGIBLE": 50, "STAFF_IN_MASS_ORGS": 50})
    approved(tree.syt, "2026S1", {"STAFF_ELIGIBLE": 40, "STAFF_IN_MASS_ORGS": 30})
    query = {"unit": "DUK", "period": "2026S1", "indicator": "MASS_GATHERING_RATE"}
    response = api(personas["admin"]).get(ANALYTICS, query)
    assert response.status_code == 200, response.content
    data = response.json()
    assert data == {
        "unit": "DUK",
        "period": "2026S1",
        "indicator": "MASS_GATHERING_RATE",
        "as_of": "2026-06-30",
        "numerator": 80,
        "denominator": 90,
        "value": pytest.approx(80 / 90 * 100),
        "target": None,
        "met": None,
        "target_units": 2,
        "met_units": 1,
    }
    import json

    call_command(
        "analytics", "--unit", "DUK", "--period", "2026S1", "--indicator", "MASS_GATHERING_RATE", "--json"
    )
    assert json.loads(capsys.readouterr().out) == data

    stp = api(personas["viewer"]).get(ANALYTICS, {**query, "unit": "STP", "as_of": "30/06/2026"}).json()
    assert (stp["value"], stp["target"], stp["met"], stp["target_units"], stp["met_units"]) == (
        100.0,
        100,
        True,
        1,
        1,
    )


def test_analytics_of_a_unit_outside_scope_reads_as_unknown(api, personas, tree, indicators, approved):
    approved(tree.stp, "2026S1", {"STAFF_ELIGIBLE": 50, "STAFF_IN_MASS_ORGS": 50})
    client = api(personas["outsider"])
    query = {"unit": "STP", "period": "2026S1", "indicator": "MASS_GATHERING_RATE"}
    assert client.get(ANALYTICS, query).json() == {"unit": ["Không có đơn vị nào có mã “STP”."]}
    assert client.get(ANALYTICS, {**query, "unit": "DUK"}).status_code == 400
    bad = client.get(ANALYTICS, {**query, "unit": "SYT", "indicator": "NOPE", "period": "2026X"})
    assert bad.status_code == 400
    assert bad.json() == {"indicator": ["Chỉ số “NOPE” không tồn tại."]}


def test_the_analytics_table_lists_every_indicator(api, personas, tree, indicators, approved):
    approved(tree.stp, "2026S1", {"STAFF_ELIGIBLE": 50, "STAFF_IN_MASS_ORGS": 50})
    rows = api(personas["viewer"]).get(ANALYTICS + "table/", {"unit": "STP", "period": "2026S1"}).json()
    assert [row["indicator"] for row in rows] == list(indicators.indicators)
    assert rows[0]["indicator"] == "MASS_GATHERING_RATE" and rows[0]["met"] is True
    assert Period.objects.filter(code="2026S1").exists() and Target.objects.exists()


# --- schema ---------------------------------------------------------------------------------------


def test_the_schema_describes_the_reports_endpoints(login, personas):
    paths = login(personas["nobody"]).get("/api/schema/", {"format": "json"}).json()["paths"]
    for path in (
        "/api/v1/data-elements/",
        "/api/v1/indicators/{code}/",
        "/api/v1/targets/{id}/",
        "/api/v1/report-forms/",
        "/api/v1/data-values/",
        "/api/v1/reports/{id}/",
        "/api/v1/reports/{id}/approve/",
        "/api/v1/analytics/",
        "/api/v1/analytics/table/",
    ):
        assert path in paths, path
    assert set(paths["/api/v1/data-values/"]) == {"get", "post", "put"}


def test_a_data_element_in_use_cannot_be_deleted_but_a_new_one_can(api, personas, indicators):
    client = api(personas["admin"])
    in_use = client.delete("/api/v1/data-elements/STAFF_ELIGIBLE/")
    assert in_use.status_code == 400
    assert in_use.json() == {
        "detail": [
            "Chỉ tiêu dữ liệu “STAFF_ELIGIBLE” đang được sử dụng (chỉ số, biểu mẫu hoặc số liệu); không thể xóa."
        ]
    }
    created = client.post(
        "/api/v1/data-elements/", {"code": "VISITS", "name": "Lượt thăm hỏi"}, format="json"
    )
    assert created.status_code == 201, created.content
    assert api(personas["reporter"]).delete("/api/v1/data-elements/VISITS/").status_code == 403
    assert client.delete("/api/v1/data-elements/VISITS/").status_code == 204


def test_a_control_character_in_the_catalogue_is_refused_and_nothing_is_added(api, personas, indicators):
    created = api(personas["admin"]).post(
        "/api/v1/data-elements/", {"code": "VISITS", "name": "Lượt\x07 thăm hỏi"}, format="json"
    )
    assert created.status_code == 400
    assert created.json() == {"name": ["Nội dung chứa ký tự không được phép."]}
    assert not DataElement.objects.filter(code="VISITS").exists()
