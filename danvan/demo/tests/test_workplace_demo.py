"""The demonstration data of workplace democracy (danvan/demo/workplace.py) on the test tree."""

import pytest

from danvan.activities.workplace import selectors
from danvan.activities.workplace.models import Category, Conference

pytestmark = pytest.mark.django_db


def test_the_demo_loader_makes_stp_records_once(tree):
    from danvan.demo import workplace as demo

    made = demo.load()
    assert made == 1 + len(demo.DISCLOSURES)  # only STP of the demo's agencies is in the test tree
    stp = Conference.objects.get(unit=tree.stp)
    assert stp.valid and stp.resolution_adopted and stp.attendees >= stp.quorum
    assert stp.votes_for > stp.attendees // 2
    missing = [line for line in selectors.checklist(tree.stp, demo.YEAR) if not line.done]
    assert {line.category for line in missing} == {Category.INSPECTIONS, Category.ASSETS_DECLARED}
    assert demo.load() == 0
