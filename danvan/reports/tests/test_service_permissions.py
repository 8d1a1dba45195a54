"""The reports services check their permission for `by` themselves: a user of another unit (or with no
role) is refused by the service and nothing is written; the System may."""

import pytest
from django.core.exceptions import PermissionDenied

from danvan.accounts.actors import System
from danvan.reports import services
from danvan.reports.models import DataValue, Period, Report, ReportTransition

SYSTEM = System("tests")
FORM = "BC-DV-6T"


def test_period_get_refuses_a_user_who_sees_no_reports_and_creates_nothing(personas):
    with pytest.raises(PermissionDenied):
        services.period_get(code="2026S1", by=personas["nobody"])
    assert not Period.objects.filter(code="2026S1").exists()
    assert services.period_get(code="2026S1", by=SYSTEM).sources_refreshed_at is not None


def test_period_prepare_needs_a_right_to_reports(personas):
    period = services.period_get(code="2026S1", by=SYSTEM, prepare=False)
    with pytest.raises(PermissionDenied):
        services.period_prepare(period=period, by=personas["nobody"])
    period.refresh_from_db()
    assert period.sources_refreshed_at is None
    services.period_prepare(period=period, by=SYSTEM)
    period.refresh_from_db()
    assert period.sources_refreshed_at is not None


def test_targets_recount_needs_the_catalogue_right_at_a_root(personas):
    with pytest.raises(PermissionDenied):
        services.targets_recount(by=personas["unit_head"])
    services.targets_recount(by=SYSTEM)
    services.targets_recount(by=personas["admin"])


def test_report_open_refuses_a_user_of_another_unit(tree, indicators, personas):
    period = services.period_get(code="2026S1", by=SYSTEM)
    with pytest.raises(PermissionDenied):
        services.report_open(
            form=indicators.forms[FORM], unit=tree.stp, period=period, by=personas["outsider"]
        )
    assert not Report.objects.exists() and not ReportTransition.objects.exists()
    report = services.report_open(form=indicators.forms[FORM], unit=tree.stp, period=period, by=SYSTEM)
    assert report.transitions.get().by is None  # the system is no user


def test_values_and_steps_refuse_a_user_of_another_unit(tree, indicators, personas):
    period = services.period_get(code="2026S1", by=SYSTEM)
    report = services.report_open(form=indicators.forms[FORM], unit=tree.stp, period=period, by=SYSTEM)
    with pytest.raises(PermissionDenied):
        services.values_save(report=report, values={"STAFF_ELIGIBLE": 5}, by=personas["outsider"])
    assert not DataValue.objects.filter(element__code="STAFF_ELIGIBLE").exists()
    services.values_save(report=report, values={"STAFF_ELIGIBLE": 50, "STAFF_IN_MASS_ORGS": 45}, by=SYSTEM)
    with pytest.raises(PermissionDenied):
        services.report_submit(report=report, by=personas["outsider"])
    report.refresh_from_db()
    assert report.status == Report.Status.DRAFT
    report = services.report_submit(report=report, by=SYSTEM)
    with pytest.raises(PermissionDenied):
        services.report_approve(report=report, by=personas["reporter"])  # the unit itself does not approve
    assert services.report_approve(report=report, by=SYSTEM).status == Report.Status.APPROVED


def test_values_import_refuses_a_user_without_the_import_right(tree, indicators, personas):
    row = services.ImportRow(2, "STP", "2026S1", "MEMBERS_TOTAL", 100)
    with pytest.raises(PermissionDenied):
        services.values_import(rows=[row], by=personas["outsider"])
    assert not DataValue.objects.filter(element__code="MEMBERS_TOTAL").exists()
    assert services.values_import(rows=[row], by=SYSTEM) == 1
    assert DataValue.objects.get(element__code="MEMBERS_TOTAL").updated_by is None
