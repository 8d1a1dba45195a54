"""Computed criteria read the report figures of the unit and period, and say where they come from."""

import datetime
from decimal import Decimal

import pytest

from danvan.accounts.actors import System
from danvan.emulation.evaluations import selectors, services
from danvan.emulation.evaluations.models import Criterion, Method

from .helpers import SYSTEM, computed_card

pytestmark = pytest.mark.django_db


@pytest.fixture
def prepared(tree):
    from django.apps import apps

    from danvan.reports import catalogue as seeds
    from danvan.reports import services as report_services
    from danvan.reports.models import ReportingCalendar

    ReportingCalendar.objects.get_or_create(id=1)
    seeds.ensure(apps)
    return report_services.period_get(code="2025", by=System("tests"))


def test_cell_meetings_give_full_points_only_when_the_target_is_met(tree, prepared):
    from danvan.activities.cells import services as cell_services

    card = computed_card()
    evaluation = services.evaluation_start(unit=tree.stp, period="2025", by=SYSTEM, scorecard=card)
    score = evaluation.scores.get(criterion__code="CELL_MEETING_RATE")
    assert score.self_points == 0  # no cell of STP met in 2025
    assert "unit=STP" in score.source_url and "period=2025" in score.source_url
    assert "indicator=CELL_MEETING_RATE" in score.source_url
    for cell in (tree.stp_cb1, tree.stp_cb2):
        spec = cell_services.MeetingSpec(
            unit=cell, held_on=datetime.date(2025, 5, 6), topic="Dân vận khéo", attendees=10
        )
        cell_services.meeting_create(spec=spec, by=SYSTEM)
    # Read again while assessing: every cell met, the rate meets its target (100 %): full points.
    services.evaluation_refresh(evaluation=evaluation, by=SYSTEM)
    score.refresh_from_db()
    assert score.self_points == score.criterion.max_points == 20
    assert "100" in score.source_text


def test_a_count_reaches_its_number_and_a_ratio_is_capped(tree, prepared):
    element = Criterion(max_points=Decimal(10), method=Method.ELEMENT_COUNT, code="GRASSROOTS_ORGS", count=1)
    found = selectors.compute(element, tree.root, "2025")
    assert found.points == 10  # two grassroots organisations under the bloc
    element.count = 3
    assert selectors.compute(element, tree.root, "2025").points == 0
    # A figure the catalogue holds but nothing counted yet scores nothing; one it lacks is not computed.
    counted = Criterion(
        max_points=Decimal(10), method=Method.ELEMENT_COUNT, code="EXEMPLARS_RECOGNISED", count=1
    )
    assert selectors.compute(counted, tree.root, "2025").points == 0
    missing = Criterion(max_points=Decimal(10), method=Method.ELEMENT_COUNT, code="NO_SUCH_FIGURE", count=1)
    assert selectors.compute(missing, tree.root, "2025").points is None


def test_a_year_evaluation_reads_the_reporting_year_when_the_calendar_reports_by_it(tree):
    """Where the calendar prepares reporting years (15/12 – 14/12) and not calendar years, the 2025
    evaluation reads 2025RY; without either it says the figures are not prepared."""
    from django.apps import apps

    from danvan.reports import catalogue as seeds
    from danvan.reports import services as report_services
    from danvan.reports.models import ReportingCalendar

    ReportingCalendar.objects.get_or_create(id=1)
    seeds.ensure(apps)
    element = Criterion(max_points=Decimal(10), method=Method.ELEMENT_COUNT, code="GRASSROOTS_ORGS", count=1)
    before = selectors.compute(element, tree.root, "2025")
    assert before.points is None and "chưa" in before.text
    report_services.period_get(code="2025RY", by=System("tests"))
    found = selectors.compute(element, tree.root, "2025")
    assert found.points == 10
    assert "period=2025RY" in found.url
    # A half-year reads only its own half-year.
    assert selectors.compute(element, tree.root, "2025S2").points is None
