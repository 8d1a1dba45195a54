"""Fixtures of the reports tests: the seeded catalogue and helpers to fill and approve reports."""

from types import SimpleNamespace

import pytest

from danvan.accounts.actors import System

SYSTEM = System("tests")


@pytest.fixture
def indicators(catalogue):
    """The catalogue from the seeds (browser tests flush the migration's rows, so ensure again)."""
    from django.apps import apps

    from danvan.reports import catalogue as seeds
    from danvan.reports.models import DataElement, Indicator, ReportForm, ReportingCalendar

    ReportingCalendar.objects.get_or_create(id=1)
    seeds.ensure(apps)
    return SimpleNamespace(
        elements={e.code: e for e in DataElement.objects.all()},
        indicators={i.code: i for i in Indicator.objects.all()},
        forms={f.code: f for f in ReportForm.objects.all()},
    )


@pytest.fixture
def prepare(indicators, tree):
    """prepare(code) -> the period, created and prepared as the nightly job does: pages only read periods."""
    from danvan.reports import services

    def _prepare(code="2026S1"):
        return services.period_get(code=code, by=SYSTEM)

    return _prepare


@pytest.fixture
def approved(indicators, personas):
    """approved(unit, period_code, {code: value}) -> the unit's semi-annual report, entered, submitted, approved."""
    from danvan.reports import services

    def _approved(unit, period_code, values, form_code="BC-DV-6T"):
        period = services.period_get(code=period_code, by=SYSTEM)
        report = services.report_open(form=indicators.forms[form_code], unit=unit, period=period, by=SYSTEM)
        services.values_save(report=report, values=values, by=SYSTEM)
        services.report_submit(report=report, by=SYSTEM)
        return services.report_approve(report=report, by=personas["admin"])

    return _approved
