"""The commendations demo: a 2013 list and the 2025 commendations over the tree, loaded once."""

import pytest

from danvan.demo import commendations
from danvan.emulation.commendations.models import Commendation

pytestmark = pytest.mark.django_db


def test_the_demo_commends_collectives_and_individuals_in_2013_and_2025_once(tree):
    made = commendations.load()
    assert made == Commendation.objects.count() > 0
    assert set(Commendation.objects.values_list("year", flat=True)) == {2013, 2025}
    assert Commendation.objects.filter(kind="individual", year=2013).exists()
    assert Commendation.objects.filter(kind="collective", year=2013, form="certificate").count() == 2
    assert commendations.load() == 0
