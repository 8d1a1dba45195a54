"""The report workflow: enter, submit, approve by the level above, return, lock, reopen, conflicts."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from danvan.accounts.actors import System
from danvan.audit.models import AuditEvent
from danvan.core.errors import Conflict
from danvan.reports import selectors, services
from danvan.reports.models import DataValue, Report

SYSTEM = System("tests")

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(tree, indicators):
    period = services.period_get(code="2026S1", by=SYSTEM)
    return services.report_open(form=indicators.forms["BC-DV-6T"], unit=tree.stp, period=period, by=SYSTEM)


def _root_denominator(tree, indicators):
    period = services.period_get(code="2026S1", by=SYSTEM)
    rate = indicators.indicators["MASS_GATHERING_RATE"]
    return selectors.figures(unit=tree.root, period=period, indicator=rate).denominator


def test_the_unit_submits_and_only_the_level_above_approves(tree, indicators, personas, report):
    reporter = personas["reporter"]
    services.values_save(
        report=report, values={"STAFF_ELIGIBLE": "50", "STAFF_IN_MASS_ORGS": "45"}, by=reporter
    )
    report = services.report_submit(report=report, by=reporter, revision=report.revision)
    assert report.status == Report.Status.SUBMITTED
    # The unit's own head holds REPORT_APPROVE at STP itself, not above it.
    with pytest.raises(PermissionDenied):
        services.report_approve(report=report, by=personas["unit_head"], revision=report.revision)
    report = services.report_approve(report=report, by=personas["admin"], revision=report.revision)
    assert report.status == Report.Status.APPROVED and report.decided_by == personas["admin"]
    assert _root_denominator(tree, indicators) == 50
    assert list(report.transitions.values_list("to_status", flat=True)) == ["draft", "submitted", "approved"]


def test_a_user_of_another_unit_cannot_touch_the_report(personas, report):
    with pytest.raises(PermissionDenied):
        services.values_save(report=report, values={"STAFF_ELIGIBLE": 5}, by=personas["outsider"])
    with pytest.raises(PermissionDenied):
        services.report_submit(report=report, by=personas["outsider"])
    assert not DataValue.objects.filter(source="entered").exists()


def test_bad_input_is_refused_cell_by_cell_and_nothing_is_saved(personas, report):
    with pytest.raises(ValidationError) as error:
        services.values_save(
            report=report, values={"STAFF_ELIGIBLE": "50", "STAFF_IN_MASS_ORGS": "abc", "NOPE": 1}, by=SYSTEM
        )
    messages = error.value.message_dict
    assert messages["STAFF_IN_MASS_ORGS"] == ["“abc” không phải là số."]
    assert "không có trong biểu mẫu" in messages["NOPE"][0]
    assert not DataValue.objects.filter(source="entered").exists()


def test_rule_failures_are_returned_and_block_submission(personas, report):
    result = services.values_save(
        report=report, values={"MEMBERS_TOTAL": 10, "MEMBERS_ACTIVE": 12}, by=SYSTEM
    )
    assert (
        result.problems and DataValue.objects.filter(source="entered").count() == 2
    )  # a draft may hold them
    with pytest.raises(ValidationError) as error:
        services.report_submit(report=report, by=SYSTEM)
    assert "không được lớn hơn" in error.value.messages[0]


def test_a_return_needs_a_reason_and_the_unit_corrects_and_resubmits(tree, indicators, personas, report):
    services.values_save(report=report, values={"STAFF_ELIGIBLE": 50, "STAFF_IN_MASS_ORGS": 45}, by=SYSTEM)
    report = services.report_submit(report=report, by=SYSTEM)
    with pytest.raises(ValidationError):
        services.report_return(report=report, by=personas["admin"], reason="  ")
    report = services.report_return(report=report, by=personas["admin"], reason="Thiếu số liệu đoàn viên")
    assert (report.status, report.return_reason) == ("returned", "Thiếu số liệu đoàn viên")
    services.values_save(
        report=report, values={"MEMBERS_TOTAL": 30, "MEMBERS_ACTIVE": 25}, by=personas["reporter"]
    )
    report = services.report_submit(report=report, by=personas["reporter"])
    assert report.status == "submitted" and report.return_reason == ""


def test_a_locked_report_refuses_changes_until_it_is_reopened_with_an_audited_reason(
    tree, indicators, personas, report
):
    services.values_save(report=report, values={"STAFF_ELIGIBLE": 50, "STAFF_IN_MASS_ORGS": 45}, by=SYSTEM)
    report = services.report_submit(report=report, by=SYSTEM)
    report = services.report_approve(report=report, by=personas["admin"])
    report = services.report_lock(report=report, by=personas["admin"])
    with pytest.raises(ValidationError) as error:
        services.values_save(report=report, values={"STAFF_ELIGIBLE": 60}, by=personas["admin"])
    assert "Đã khóa" in error.value.messages[0]
    with pytest.raises(ValidationError):
        services.report_submit(report=report, by=SYSTEM)

    report = services.report_reopen(report=report, by=personas["admin"], reason="Sở báo cáo nhầm")
    assert report.status == "draft"
    assert _root_denominator(tree, indicators) == 0  # reopened values no longer count
    event = AuditEvent.objects.filter(action="report.reopen").get()
    assert event.changes["reason"] == "Sở báo cáo nhầm" and event.unit_code == "STP"


def test_the_level_above_may_correct_an_approved_report_and_the_roll_up_follows(
    tree, indicators, personas, report
):
    services.values_save(report=report, values={"STAFF_ELIGIBLE": 50, "STAFF_IN_MASS_ORGS": 45}, by=SYSTEM)
    report = services.report_approve(
        report=services.report_submit(report=report, by=SYSTEM), by=personas["admin"]
    )
    with pytest.raises(PermissionDenied):
        services.values_save(report=report, values={"STAFF_ELIGIBLE": 70}, by=personas["reporter"])
    services.values_save(report=report, values={"STAFF_ELIGIBLE": 70}, by=personas["admin"])
    assert _root_denominator(tree, indicators) == 70
    assert AuditEvent.objects.filter(action="report.corrected").exists()


def test_of_two_approvals_at_once_the_second_sees_a_conflict(personas, report):
    services.values_save(report=report, values={"STAFF_ELIGIBLE": 50, "STAFF_IN_MASS_ORGS": 45}, by=SYSTEM)
    report = services.report_submit(report=report, by=SYSTEM)
    seen = report.revision  # both approvers opened the page at this revision
    services.report_approve(report=report, by=personas["admin"], revision=seen)
    with pytest.raises(Conflict) as error:
        services.report_approve(report=report, by=personas["admin"], revision=seen)
    assert "tải lại" in error.value.message
    with pytest.raises(Conflict):
        services.report_approve(report=report, by=personas["admin"])  # no revision given: already approved


def test_a_unit_the_form_is_not_for_cannot_open_it(tree, indicators):
    period = services.period_get(code="2026S1", by=SYSTEM)
    with pytest.raises(ValidationError) as error:
        services.report_open(form=indicators.forms["BC-DV-6T"], unit=tree.stp_cb1, period=period, by=SYSTEM)
    assert "không báo cáo theo biểu mẫu" in error.value.message_dict["unit"][0]
    with pytest.raises(ValidationError) as error:
        services.report_open(
            form=indicators.forms["BC-DV-6T"],
            unit=tree.stp,
            period=services.period_get(code="2026", by=SYSTEM),
            by=SYSTEM,
        )
    assert "period" in error.value.message_dict


def test_comments_are_kept_on_values(personas, report):
    services.values_save(
        report=report,
        values={"MEMBERS_TOTAL": "2.276", "MEMBERS_ACTIVE": "1.673"},
        comments={"MEMBERS_TOTAL": "Số liệu của 12 tổ chức đoàn thể"},
        by=personas["reporter"],
    )
    assert DataValue.objects.get(element__code="MEMBERS_TOTAL").comment == "Số liệu của 12 tổ chức đoàn thể"
    with pytest.raises(ValidationError):
        services.values_save(report=report, values={}, comments={"SUGGESTION_BOXES": "chưa có"}, by=SYSTEM)


def test_a_returned_report_counts_as_missing_until_it_is_submitted_again(tree, indicators, personas, report):
    services.values_save(report=report, values={"STAFF_ELIGIBLE": 50, "STAFF_IN_MASS_ORGS": 45}, by=SYSTEM)
    report = services.report_submit(report=report, by=SYSTEM)
    form, period = indicators.forms["BC-DV-6T"], report.period

    def counts():
        summary, _rows = selectors.completeness(form=form, period=period, today=period.end)
        return summary.expected, summary.submitted, summary.missing

    assert counts() == (2, 1, 1)  # STP submitted, SYT not
    report = services.report_return(report=report, by=personas["admin"], reason="Thiếu số liệu")
    assert counts() == (2, 0, 2)
    services.report_submit(report=report, by=SYSTEM)
    assert counts() == (2, 1, 1)


NOT_ALLOWED = "Nội dung chứa ký tự không được phép."


def test_a_control_character_in_a_comment_or_a_reason_is_refused_and_nothing_changes(personas, report):
    with pytest.raises(ValidationError) as error:
        services.values_save(
            report=report,
            values={"STAFF_ELIGIBLE": "50"},
            comments={"STAFF_ELIGIBLE": "Theo\x07 danh sách"},
            by=SYSTEM,
        )
    assert error.value.message_dict["STAFF_ELIGIBLE"] == [NOT_ALLOWED]
    assert not DataValue.objects.filter(source="entered").exists()
    services.values_save(report=report, values={"STAFF_ELIGIBLE": 50, "STAFF_IN_MASS_ORGS": 45}, by=SYSTEM)
    report = services.report_submit(report=report, by=SYSTEM)
    with pytest.raises(ValidationError) as error:
        services.report_return(report=report, by=personas["admin"], reason="Thiếu\x1b số liệu")
    assert error.value.message_dict["reason"] == [NOT_ALLOWED]
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED and report.return_reason == ""
