"""The demo's thematic cell meetings (danvan/demo/cells.py) on the test tree: most cells meet, STP-CB4
does not in 2026, the prepared figures follow, and loading again adds nothing."""

import datetime

import pytest

from conftest import make_unit
from danvan.accounts.actors import System
from danvan.activities.cells import selectors
from danvan.activities.cells.models import Meeting
from danvan.demo import cells as demo_cells
from danvan.reports.models import DataValue

pytestmark = pytest.mark.django_db


@pytest.fixture
def cells(tree):
    tree.stp_cb3 = make_unit(tree.catalogue, "STP-CB3", "Chi bộ 3", "cell", tree.stp)
    tree.stp_cb4 = make_unit(tree.catalogue, "STP-CB4", "Chi bộ 4", "cell", tree.stp)
    return tree


@pytest.fixture
def prepare(catalogue):
    from django.apps import apps

    from danvan.reports import catalogue as seeds
    from danvan.reports import services
    from danvan.reports.models import ReportingCalendar

    ReportingCalendar.objects.get_or_create(id=1)
    seeds.ensure(apps)
    return lambda code: services.period_get(code=code, by=System("tests"))


def test_the_demo_meetings_leave_a_cell_without_one_and_refresh_the_prepared_figures(cells, prepare):
    period = prepare("2026S1")

    created = demo_cells.load()

    assert created == Meeting.objects.count() > 0
    assert selectors.coverage(cells.stp, 2026).rate == "3/4 chi bộ (75 %)"
    assert Meeting.objects.filter(held_on__year=2025).exists()
    met = set(
        Meeting.objects.filter(held_on__gte=period.start, held_on__lte=period.end).values_list(
            "unit_id", flat=True
        )
    )
    counted = set(
        DataValue.objects.filter(
            period=period, element__code="CELLS_WITH_THEMATIC_MEETING", value=1
        ).values_list("unit_id", flat=True)
    )
    assert counted == met
    assert Meeting.objects.filter(held_on__gt=datetime.date.today()).count() == 0
    assert demo_cells.load() == 0
