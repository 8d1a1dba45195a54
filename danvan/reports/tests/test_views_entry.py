"""The pages for entering and handling reports: my reports, the grid, saving, workflow, completeness."""

import datetime
import json

import pytest
from django.urls import reverse

from danvan.accounts.actors import System
from danvan.reports import services
from danvan.reports.models import DataValue, Report

SYSTEM = System("tests")

FORM = "BC-DV-6T"


def grid_url(unit="STP", period="2026S1", form=FORM):
    return reverse("reports:grid", args=[form, unit, period])


def save(client, values, *, unit="STP", period="2026S1", comments=None, revision=None):
    body = {"values": values, "comments": comments or {}}
    if revision is not None:
        body["revision"] = revision
    return client.post(
        reverse("reports:grid_save", args=[FORM, unit, period]),
        data=json.dumps(body),
        content_type="application/json",
        HTTP_ACCEPT="application/json",
    )


def act(client, action, revision, reason="", unit="STP", period="2026S1", as_json=False):
    url = reverse("reports:grid_action", args=[FORM, unit, period])
    extra = {"HTTP_ACCEPT": "application/json"} if as_json else {}
    return client.post(url, {"action": action, "revision": revision, "reason": reason}, **extra)


def stored(unit, period="2026S1"):
    return dict(
        DataValue.objects.filter(unit=unit, period__code=period, source="entered").values_list(
            "element__code", "value"
        )
    )


@pytest.fixture
def reporter(personas, login, indicators):
    return login(personas["reporter"])


@pytest.fixture
def submitted(indicators, personas, tree):
    """STP's 2026S1 report, filled and submitted by its reporter."""
    period = services.period_get(code="2026S1", by=SYSTEM)
    report = services.report_open(
        form=indicators.forms[FORM], unit=tree.stp, period=period, by=personas["reporter"]
    )
    services.values_save(
        report=report, values={"MEMBERS_TOTAL": 100, "MEMBERS_ACTIVE": 90}, by=personas["reporter"]
    )
    return services.report_submit(report=report, by=personas["reporter"])


def test_the_grid_shows_the_previous_period_beside_the_current_one(reporter, approved, tree, prepare):
    approved(tree.stp, "2025S2", {"MEMBERS_TOTAL": 1673})
    prepare("2026S1")
    response = reporter.get(grid_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "6 tháng cuối năm 2025" in html and "1.673" in html
    assert 'name="v_MEMBERS_TOTAL"' in html
    assert "I. Công tác tập hợp, đoàn kết" in html
    assert not Report.objects.filter(unit=tree.stp, period__code="2026S1").exists()  # the first save opens it
    # The same report as an Excel template, and the way back in.
    assert reverse("reports:template_download", args=[FORM, "STP", "2026S1"]) in html
    assert reverse("reports:template_upload", args=[FORM, "STP", "2026S1"]) in html


def test_the_save_endpoint_saves_a_value_and_answers_json(reporter, tree):
    reporter.get(grid_url())
    response = save(reporter, {"MEMBERS_TOTAL": "1.673"}, comments={})
    assert response.status_code == 200
    data = response.json()
    assert data["saved"] == {"MEMBERS_TOTAL": 1673}
    assert data["display"] == {"MEMBERS_TOTAL": "1.673"}
    assert data["errors"] == {} and data["problems"] == []
    assert stored(tree.stp) == {"MEMBERS_TOTAL": 1673}


def test_text_in_a_number_cell_is_refused_in_vietnamese_and_nothing_of_the_request_is_saved(reporter, tree):
    response = save(reporter, {"MEMBERS_TOTAL": "120", "MEMBERS_ACTIVE": "abc", "STAFF_ELIGIBLE": "1,5"})
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "không phải là số" in errors["MEMBERS_ACTIVE"]
    assert "MEMBERS_TOTAL" not in errors
    assert "thập phân" in errors["STAFF_ELIGIBLE"]
    assert stored(tree.stp) == {}


def test_values_that_break_a_rule_are_flagged_with_the_cells_they_concern(reporter, tree):
    response = save(reporter, {"MEMBERS_TOTAL": "80", "MEMBERS_ACTIVE": "95"})
    data = response.json()
    assert response.status_code == 200 and data["saved"] == {"MEMBERS_TOTAL": 80, "MEMBERS_ACTIVE": 95}
    [problem] = data["problems"]
    assert sorted(problem["elements"]) == ["MEMBERS_ACTIVE", "MEMBERS_TOTAL"]
    assert "không được lớn hơn" in problem["message"]
    html = reporter.get(grid_url()).content.decode()
    assert html.count("has-problem") >= 2
    assert problem["message"] in html


def test_a_save_too_deep_too_large_or_not_json_gets_a_vietnamese_400_and_saves_nothing(
    reporter, tree, settings
):
    def answer(raw: str):
        response = reporter.post(
            reverse("reports:grid_save", args=[FORM, "STP", "2026S1"]),
            data=raw,
            content_type="application/json",
            HTTP_ACCEPT="application/json",
        )
        return response.status_code, response.json()["errors"]

    deep = '{"values": {"MEMBERS_TOTAL": "5"}, "x": ' + "[" * 100_000 + "]" * 100_000 + "}"
    assert answer(deep) == (400, {"__all__": "Nội dung yêu cầu lồng nhau quá sâu: tối đa 32 cấp ngoặc."})
    assert answer("{values") == (
        400,
        {"__all__": "Không đọc được nội dung yêu cầu: hãy gửi dữ liệu JSON hợp lệ."},
    )
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    status, errors = answer(
        json.dumps({"values": {"MEMBERS_TOTAL": "5"}, "comments": {"MEMBERS_TOTAL": "x" * 2000}})
    )
    assert status == 400 and errors["__all__"].startswith("Nội dung yêu cầu quá lớn: tối đa ")
    assert stored(tree.stp) == {}
    assert not Report.objects.filter(unit=tree.stp, period__code="2026S1").exists()


def test_a_workflow_step_sent_as_a_deep_json_body_gets_a_vietnamese_400(submitted, personas, login):
    response = login(personas["admin"]).post(
        reverse("reports:grid_action", args=[FORM, "STP", "2026S1"]),
        data='{"action": "approve", "x": ' + "[" * 100_000 + "]" * 100_000 + "}",
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "errors": {"__all__": "Nội dung yêu cầu lồng nhau quá sâu: tối đa 32 cấp ngoặc."}
    }
    submitted.refresh_from_db()
    assert submitted.status == Report.Status.SUBMITTED


def test_the_grid_works_without_script_as_a_plain_form(reporter, tree):
    reporter.get(grid_url())
    response = reporter.post(
        grid_url(),
        {
            "revision": 0,
            "v_MEMBERS_TOTAL": "200",
            "v_MEMBERS_ACTIVE": "150",
            "c_MEMBERS_TOTAL": "theo sổ theo dõi",
        },
    )
    assert response.status_code == 302
    assert stored(tree.stp) == {"MEMBERS_TOTAL": 200, "MEMBERS_ACTIVE": 150}
    assert DataValue.objects.get(unit=tree.stp, element__code="MEMBERS_TOTAL").comment == "theo sổ theo dõi"
    bad = reporter.post(grid_url(), {"revision": 0, "v_MEMBERS_TOTAL": "999", "v_MEMBERS_ACTIVE": "abc"})
    assert bad.status_code == 400
    assert "không phải là số" in bad.content.decode()
    assert stored(tree.stp)["MEMBERS_TOTAL"] == 200


def test_an_outsider_gets_not_found_for_another_units_grid_and_save(personas, login, indicators, tree):
    outsider = login(personas["outsider"])
    assert outsider.get(grid_url()).status_code == 404
    assert save(outsider, {"MEMBERS_TOTAL": "5"}).status_code == 404
    assert act(outsider, "submit", 0).status_code == 404
    assert stored(tree.stp) == {}
    assert not Report.objects.filter(unit=tree.stp).exists()


def test_unknown_codes_and_a_period_of_another_type_are_not_found(reporter, prepare):
    prepare("2026S1")
    assert reporter.get(grid_url(unit="NOPE")).status_code == 404
    assert reporter.get(grid_url(form="BC-XX")).status_code == 404
    assert reporter.get(grid_url(period="2026Q1")).status_code == 404
    assert reporter.get(grid_url(period="abc")).status_code == 404
    assert reporter.get(grid_url(unit="STP-CB1")).status_code == 404  # cells do not report on this form


def test_the_reporter_submits_but_cannot_approve_and_the_admin_above_approves(
    reporter, personas, login, tree
):
    save(reporter, {"MEMBERS_TOTAL": "100", "MEMBERS_ACTIVE": "90"})
    html = reporter.get(grid_url()).content.decode()
    assert 'value="submit"' in html and 'value="approve"' not in html
    assert act(reporter, "submit", 0).status_code == 302
    report = Report.objects.get(unit=tree.stp)
    assert report.status == "submitted"
    assert act(reporter, "approve", report.revision).status_code == 403
    assert Report.objects.get(unit=tree.stp).status == "submitted"
    # the grid of a submitted report is read-only for its reporter
    assert 'name="v_MEMBERS_TOTAL"' not in reporter.get(grid_url()).content.decode()

    admin = login(personas["admin"])
    assert 'value="approve"' in admin.get(grid_url()).content.decode()
    assert act(admin, "approve", report.revision).status_code == 302
    assert Report.objects.get(unit=tree.stp).status == "approved"


def test_two_approvals_with_the_same_revision_the_second_gets_a_conflict(submitted, personas, login, tree):
    admin, officer = login(personas["admin"]), login(personas["admin"])
    first = act(admin, "approve", submitted.revision, as_json=True)
    assert first.status_code == 200 and first.json()["status"] == "approved"
    second = act(officer, "approve", submitted.revision, as_json=True)
    assert second.status_code == 409
    assert "Tải lại" in second.json()["errors"]["__all__"] or "tải lại" in second.json()["errors"]["__all__"]
    # on the HTML form: a message and a reload, nothing overwritten
    html_second = act(officer, "lock", submitted.revision)
    assert html_second.status_code == 302
    assert Report.objects.get(pk=submitted.pk).status == "approved"
    assert Report.objects.get(pk=submitted.pk).transitions.count() == 3  # draft, submitted, approved


def test_returning_needs_a_reason_which_the_grid_then_shows_prominently(submitted, personas, login, reporter):
    admin = login(personas["admin"])
    refused = act(admin, "return", submitted.revision, reason="  ")
    assert refused.status_code == 400
    assert Report.objects.get(pk=submitted.pk).status == "submitted"
    assert act(admin, "return", submitted.revision, reason="Số đoàn viên chưa khớp").status_code == 302
    html = reporter.get(grid_url()).content.decode()
    assert "return-reason" in html and "Số đoàn viên chưa khớp" in html
    assert 'name="v_MEMBERS_TOTAL"' in html  # editable again


def test_my_reports_lists_due_reports_and_those_awaiting_approval(submitted, personas, login, reporter):
    home = reporter.get(reverse("reports:home"))
    assert home.status_code == 200
    assert grid_url() in home.content.decode()
    admin_home = login(personas["admin"]).get(reverse("reports:home")).content.decode()
    assert "Đảng ủy Sở Tư pháp" in admin_home and grid_url() in admin_home
    # the STP officer is not above STP: nothing of STP awaits their approval
    officer_home = login(personas["mobilisation_officer"]).get(reverse("reports:home"))
    assert officer_home.context["pending"] == []
    assert login(personas["outsider"]).get(reverse("reports:home")).context["pending"] == []


def test_completeness_counts_expected_submitted_and_missing(submitted, personas, login, tree):
    # submitted on 10/07/2026, before the deadline (15 days after 30/06/2026)
    Report.objects.filter(pk=submitted.pk).update(
        submitted_at=datetime.datetime(2026, 7, 10, 9, tzinfo=datetime.UTC)
    )
    url = reverse("reports:completeness", args=[FORM, "2026S1"])
    response = login(personas["admin"]).get(url + "?unit=DUK")
    assert response.status_code == 200
    summary = response.context["summary"]
    assert (summary.expected, summary.submitted, summary.on_time, summary.late, summary.missing) == (
        2,
        1,
        1,
        0,
        1,
    )
    assert response.context["rate"] == "50 %"
    html = response.content.decode()
    assert "Đảng ủy Sở Y tế" in html and "Đảng ủy Sở Tư pháp" in html and "10/07/2026" in html
    Report.objects.filter(pk=submitted.pk).update(
        submitted_at=datetime.datetime(2026, 7, 20, 9, tzinfo=datetime.UTC)
    )
    late = login(personas["admin"]).get(url + "?unit=DUK").context["summary"]
    assert (late.on_time, late.late) == (0, 1)


def test_completeness_stays_within_the_users_scope(submitted, personas, login):
    url = reverse("reports:completeness", args=[FORM, "2026S1"])
    reporter = login(personas["reporter"])
    assert reporter.get(url + "?unit=SYT").status_code == 404
    assert reporter.get(url + "?unit=DUK").status_code == 404
    own = reporter.get(url)
    assert own.status_code == 200 and own.context["unit"].code == "STP"
    assert own.context["summary"].expected == 1


def test_a_counted_figure_is_read_only_and_links_to_the_records_it_counts(
    reporter, tree, prepare, monkeypatch
):
    from danvan.reports import derived
    from danvan.reports.models import DataElement

    def records(unit_id, period):
        return f"/records/?unit={unit_id}&from={period.start:%Y-%m-%d}&to={period.end:%Y-%m-%d}"

    source = derived.Source("tests.boxes", "Hòm thư (thử)", lambda period, unit_ids: {}, records=records)
    plain = derived.Source("tests.orgs", "Tổ chức (thử)", lambda period, unit_ids: {})
    monkeypatch.setitem(derived.SOURCES, source.key, source)
    monkeypatch.setitem(derived.SOURCES, plain.key, plain)
    DataElement.objects.filter(code="SUGGESTION_BOXES").update(source=source.key)
    DataElement.objects.filter(code="MASS_ORGS_TOTAL").update(source=plain.key)
    period = prepare("2026S1")

    page = reporter.get(grid_url()).content.decode()

    link = f'href="/records/?unit={tree.stp.id}&amp;from=2026-01-01&amp;to=2026-06-30"'
    assert link in page and period.code == "2026S1"
    row = page[page.index('data-code="SUGGESTION_BOXES"') :]
    row = row[: row.index("</tr>")]
    assert link in row and 'title="Xem các bản ghi được đếm"' in row
    assert "(Xem các bản ghi được đếm)" in row  # in the link's accessible name too
    assert 'name="v_SUGGESTION_BOXES"' not in row  # read-only: no input
    # A counted figure whose source gives no list keeps its plain read-only value.
    row = page[page.index('data-code="MASS_ORGS_TOTAL"') :]
    row = row[: row.index("</tr>")]
    assert 'class="derived"' in row and "Xem các bản ghi được đếm" not in row
    assert 'name="v_MASS_ORGS_TOTAL"' not in row


def test_a_counted_figure_shows_the_units_organisation_its_own_records_and_those_below(
    reporter, tree, prepare, monkeypatch
):
    """A grassroots organisation's report counts its cells' records too (their meetings, their mediation
    cases): the form shows the unit's own count plus the live roll-up of the units below."""
    from danvan.reports import derived
    from danvan.reports.models import DataElement, DataValue

    counts = {tree.stp.id: 2, tree.stp_cb1.id: 3, tree.stp_cb2.id: 4, tree.syt_cb1.id: 50}

    def compute(period, unit_ids):
        return {unit: n for unit, n in counts.items() if unit_ids is None or unit in unit_ids}

    source = derived.Source("tests.meetings", "Buổi sinh hoạt (thử)", compute)
    monkeypatch.setitem(derived.SOURCES, source.key, source)
    DataElement.objects.filter(code="SUGGESTION_BOXES").update(source=source.key)
    period = prepare("2026S1")
    assert DataValue.objects.get(unit=tree.stp, period=period, element__code="SUGGESTION_BOXES").value == 2

    page = reporter.get(grid_url()).content.decode()

    row = page[page.index('data-code="SUGGESTION_BOXES"') :]
    row = row[: row.index("</tr>")]
    value = row[row.index('class="num value"') :]
    assert ">9<" in value  # 2 at STP, 3 and 4 at its cells; not SYT's 50
