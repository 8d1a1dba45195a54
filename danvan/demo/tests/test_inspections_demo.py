"""The demo loader on the test tree (DUK and STP; the other inspected units are left out when missing)."""

import pytest

from danvan.activities.inspections.models import Inspection, Remedy, RemedyState
from danvan.demo import inspections

pytestmark = pytest.mark.django_db


def test_the_demo_programme_of_the_bloc_is_made_once(tree):
    assert inspections.load() == 2
    assert inspections.load() == 0
    inspection = Inspection.objects.get()
    assert inspection.unit.code == "DUK" and inspection.year == 2026
    remedies = Remedy.objects.filter(target__unit__code="STP")
    assert {r.state for r in remedies} == {RemedyState.OPEN, RemedyState.REMEDIED}
    assert remedies.get(state=RemedyState.OPEN).status(__import__("datetime").date(2026, 12, 1)) == "overdue"
