"""Period codes, their intervals, the reporting year and submission deadlines."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from danvan.accounts.actors import System
from danvan.reports import periods, services
from danvan.reports.models import ReportForm, ReportingCalendar

SYSTEM = System("tests")

D = datetime.date


@pytest.mark.parametrize(
    ("code", "start", "end"),
    [
        ("2026", D(2026, 1, 1), D(2026, 12, 31)),
        ("2026S1", D(2026, 1, 1), D(2026, 6, 30)),
        ("2026S2", D(2026, 7, 1), D(2026, 12, 31)),
        ("2026Q3", D(2026, 7, 1), D(2026, 9, 30)),
        ("202609", D(2026, 9, 1), D(2026, 9, 30)),
        ("202402", D(2024, 2, 1), D(2024, 2, 29)),
        ("2026RY", D(2025, 12, 15), D(2026, 12, 14)),
        ("2026RS1", D(2025, 12, 15), D(2026, 6, 14)),
        ("2026RS2", D(2026, 6, 15), D(2026, 12, 14)),
    ],
)
def test_each_code_stands_for_its_interval(code, start, end):
    span = periods.span(code)
    assert (span.start, span.end) == (start, end)


def test_a_reporting_year_starting_in_spring_is_named_after_its_first_year():
    span = periods.span("2026RY", (1, 4))
    assert (span.start, span.end) == (D(2026, 4, 1), D(2027, 3, 31))


@pytest.mark.parametrize(
    "code", ["2026S3", "2026Q5", "202613", "26", "abc", "", "3000", "٢٠٢٦S1", "２０２６"]
)
def test_a_bad_code_is_refused_in_vietnamese(code):
    with pytest.raises(periods.PeriodCodeError) as error:
        periods.span(code)
    assert "kỳ" in str(error.value)


def test_neighbouring_periods_and_the_period_of_a_day():
    assert periods.shift("2026S1", -1) == "2025S2"
    assert periods.shift("202601", -1) == "202512"
    assert periods.shift("2026Q4", 1) == "2027Q1"
    assert periods.containing("reporting_year", D(2026, 12, 20)) == "2027RY"
    assert periods.containing("reporting_half", D(2026, 6, 14)) == "2026RS1"
    assert periods.containing("quarterly", D(2026, 8, 1)) == "2026Q3"


@pytest.mark.django_db
def test_the_reporting_year_start_is_configurable_and_fixed_once_a_period_exists(tree, indicators):
    ReportingCalendar.objects.update(start_day=1, start_month=10)
    period = services.period_get(code="2027RY", by=SYSTEM)
    assert (period.start, period.end) == (D(2026, 10, 1), D(2027, 9, 30))
    ReportingCalendar.objects.update(start_day=15, start_month=12)
    assert services.period_get(code="2027RY", by=SYSTEM).start == D(
        2026, 10, 1
    )  # what was reported keeps its dates


@pytest.mark.django_db
def test_a_bad_period_code_is_a_validation_error_for_the_period_field(indicators):
    with pytest.raises(ValidationError) as error:
        services.period_get(code="2026S3", by=SYSTEM)
    assert "period" in error.value.message_dict


@pytest.mark.django_db
def test_deadlines_follow_the_forms_rule(indicators):
    annual, half = indicators.forms["BC-DV-NAM"], indicators.forms["BC-DV-6T"]
    # "before 15 December each year" (seed 004) for the reporting year 15/12 – 14/12.
    assert periods.deadline_for(annual, services.period_get(code="2026RY", by=SYSTEM)) == D(2026, 12, 15)
    assert periods.deadline_for(half, services.period_get(code="2026S1", by=SYSTEM)) == D(2026, 7, 15)
    custom = ReportForm.objects.create(
        code="Q", name="Quý", period_type="quarterly", deadline_kind="fixed", deadline_day=5, deadline_month=1
    )
    # A fixed day that falls before the period starts moves to the next year.
    assert periods.deadline_for(custom, services.period_get(code="2026Q4", by=SYSTEM)) == D(2027, 1, 5)
