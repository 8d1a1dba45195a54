"""A form that asks for it is signed off by the head of the report's own unit before it goes up:
reporter submits → the unit head signs off (or returns it to the reporter with a reason) → the level
above approves. Forms without the flag keep submit → approve."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from conftest import make_user
from danvan.accounts.actors import System
from danvan.accounts.models import Role
from danvan.audit.models import AuditEvent
from danvan.reports import services
from danvan.reports.models import Report

SYSTEM = System("tests")
VALUES = {"STAFF_ELIGIBLE": "50", "STAFF_IN_MASS_ORGS": "45"}
pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(tree, indicators, personas):
    """STP's half-year report on a form that asks for the head's sign-off, submitted by its reporter."""
    form = indicators.forms["BC-DV-6T"]
    form.requires_head_signoff = True
    form.save()
    period = services.period_get(code="2026S1", by=SYSTEM)
    report = services.report_open(form=form, unit=tree.stp, period=period, by=SYSTEM)
    services.values_save(report=report, values=VALUES, by=personas["reporter"])
    return services.report_submit(report=report, by=personas["reporter"])


def test_the_level_above_cannot_approve_before_the_head_signs(submitted, personas):
    with pytest.raises(ValidationError, match="Thủ trưởng đơn vị phải ký duyệt"):
        services.report_approve(report=submitted, by=personas["admin"])
    with pytest.raises(ValidationError):
        services.report_return(report=submitted, by=personas["admin"], reason="Chưa ký")
    assert Report.objects.get(pk=submitted.pk).status == Report.Status.SUBMITTED


def test_the_head_signs_off_and_the_level_above_approves(submitted, personas):
    head = personas["unit_head"]
    signed = services.report_sign(report=submitted, by=head)
    assert (signed.status, signed.signed_by) == (Report.Status.SIGNED, head)
    event = AuditEvent.objects.get(action="report.sign")
    assert (event.unit_code, event.changes["status"]) == ("STP", ["submitted", "signed"])
    assert signed.transitions.get(to_status="signed").by == head
    approved = services.report_approve(report=signed, by=personas["admin"])
    assert approved.status == Report.Status.APPROVED
    assert list(approved.transitions.values_list("to_status", flat=True)) == [
        "draft",
        "submitted",
        "signed",
        "approved",
    ]


def test_only_the_head_of_the_reports_own_unit_signs(submitted, tree, personas):
    other_head = make_user("head_syt", unit=tree.syt, role=Role.UNIT_HEAD)
    head_above = make_user("head_duk", unit=tree.root, role=Role.UNIT_HEAD)
    for who in (
        other_head,
        head_above,
        personas["reporter"],
        personas["mobilisation_officer"],
        personas["admin"],
    ):
        with pytest.raises(PermissionDenied):
            services.report_sign(report=submitted, by=who)
    assert Report.objects.get(pk=submitted.pk).status == Report.Status.SUBMITTED
    assert not AuditEvent.objects.filter(action="report.sign").exists()


def test_the_head_may_return_it_to_the_reporter_with_a_reason(submitted, personas):
    with pytest.raises(ValidationError):
        services.report_send_back(report=submitted, by=personas["unit_head"], reason="  ")
    returned = services.report_send_back(
        report=submitted, by=personas["unit_head"], reason="Số liệu mục I chưa khớp"
    )
    assert (returned.status, returned.return_reason) == (Report.Status.RETURNED, "Số liệu mục I chưa khớp")
    resubmitted = services.report_submit(report=returned, by=personas["reporter"])
    assert resubmitted.status == Report.Status.SUBMITTED and resubmitted.signed_by is None


def test_forms_without_the_flag_keep_submit_then_approve(tree, indicators, personas):
    period = services.period_get(code="2026S1", by=SYSTEM)
    report = services.report_open(form=indicators.forms["BC-DV-6T"], unit=tree.stp, period=period, by=SYSTEM)
    services.values_save(report=report, values=VALUES, by=personas["reporter"])
    report = services.report_submit(report=report, by=personas["reporter"])
    with pytest.raises(ValidationError):
        services.report_sign(report=report, by=personas["unit_head"])
    assert services.report_approve(report=report, by=personas["admin"]).status == Report.Status.APPROVED


def test_the_grid_offers_the_head_the_sign_off_and_shows_who_signed(submitted, personas, login):
    url = reverse("reports:grid", args=["BC-DV-6T", "STP", "2026S1"])
    head = login(personas["unit_head"])
    page = head.get(url).content.decode()
    assert "Thủ trưởng ký duyệt" in page and 'value="sign"' in page and 'value="send_back"' in page
    assert "Đang chờ thủ trưởng ký duyệt" in page
    assert 'value="approve"' not in login(personas["admin"]).get(url).content.decode()
    assert (
        reverse("reports:grid", args=["BC-DV-6T", "STP", "2026S1"])
        in head.get(reverse("reports:home")).content.decode()
    )
    response = head.post(
        reverse("reports:grid_action", args=["BC-DV-6T", "STP", "2026S1"]),
        {"action": "sign", "revision": submitted.revision},
    )
    assert response.status_code == 302
    page = head.get(url).content.decode()
    assert "Thủ trưởng đã ký duyệt" in page and "đã ký duyệt lúc" in page
    assert 'value="approve"' in login(personas["admin"]).get(url).content.decode()


def test_the_report_form_api_sets_the_flag(indicators, personas, api):
    response = api(personas["admin"]).get("/api/v1/report-forms/BC-DV-6T/")
    assert response.json()["requires_head_signoff"] is False


def test_the_report_page_names_who_signed_it_off_a_person_or_the_system(submitted, personas, login):
    url = reverse("reports:grid", args=["BC-DV-6T", "STP", "2026S1"])
    signed = services.report_sign(report=submitted, by=SYSTEM)  # as the demo loader or an import does
    assert signed.signed_by is None
    page = login(personas["reporter"]).get(url)
    assert page.status_code == 200 and "hệ thống đã ký duyệt lúc" in page.content.decode()
