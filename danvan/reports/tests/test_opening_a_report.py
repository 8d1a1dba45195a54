"""Opening a report changes nothing: whatever state a report is in, reading any page or endpoint that
shows it (grid, template, completeness, dashboard, due list, API) leaves every Report row, its state,
revision and stamps, its history and its values as they were. Only the grid's first save opens a draft."""

import pytest
from django.urls import reverse

from danvan.accounts.actors import System
from danvan.audit.models import AuditEvent
from danvan.reports import services
from danvan.reports.models import DataValue, Report, ReportTransition

SYSTEM = System("tests")
FORM = "BC-DV-6T"
VALUES = {"STAFF_ELIGIBLE": "50", "STAFF_IN_MASS_ORGS": "45"}
pytestmark = pytest.mark.django_db


def _state() -> tuple:
    reports = Report.objects.order_by("pk").values_list(
        "pk",
        "status",
        "revision",
        "submitted_at",
        "submitted_by",
        "decided_at",
        "decided_by",
        "return_reason",
    )
    counts = (ReportTransition.objects.count(), DataValue.objects.count(), AuditEvent.objects.count())
    return list(reports), counts


@pytest.fixture
def reports(tree, indicators, personas):
    """One report per state, at STP, in consecutive periods; plus an untouched period."""
    made = {}
    for status, code in (
        ("draft", "2024S1"),
        ("submitted", "2024S2"),
        ("returned", "2025S1"),
        ("approved", "2025S2"),
        ("locked", "2026S1"),
    ):
        period = services.period_get(code=code, by=SYSTEM)
        report = services.report_open(form=indicators.forms[FORM], unit=tree.stp, period=period, by=SYSTEM)
        services.values_save(report=report, values=VALUES, by=SYSTEM)
        if status != "draft":
            report = services.report_submit(report=report, by=SYSTEM)
        if status == "returned":
            report = services.report_return(report=report, by=personas["admin"], reason="Thiếu số liệu")
        if status in ("approved", "locked"):
            report = services.report_approve(report=report, by=personas["admin"])
        if status == "locked":
            report = services.report_lock(report=report, by=personas["admin"])
        assert report.status == status
        made[status] = report
    services.period_get(code="2026S2", by=SYSTEM)  # prepared, no report yet
    return made


def _urls(report: Report) -> list[str]:
    code = report.period.code
    return [
        reverse("reports:grid", args=[FORM, "STP", code]),
        reverse("reports:template_download", args=[FORM, "STP", code]),
        reverse("reports:template_upload", args=[FORM, "STP", code]),
        reverse("reports:completeness", args=[FORM, code]) + "?unit=STP",
        reverse("reports:dashboard") + f"?unit=STP&period={code}",
        f"/api/v1/reports/{report.pk}/",
    ]


@pytest.mark.parametrize("persona", ["reporter", "unit_head", "admin", "viewer"])
def test_reading_every_report_page_leaves_every_report_as_it_was(reports, personas, login, persona):
    client = login(personas[persona])
    before = _state()
    answered = []
    for report in reports.values():
        for url in _urls(report):
            answered.append(client.get(url).status_code)
    for url in (
        reverse("reports:home"),
        reverse("reports:grid", args=[FORM, "STP", "2026S2"]),
        "/api/v1/reports/",
    ):
        answered.append(client.get(url).status_code)
    assert _state() == before
    assert not Report.objects.filter(period__code="2026S2").exists()
    assert 200 in answered and 500 not in answered
