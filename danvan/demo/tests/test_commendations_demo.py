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


def test_a_2025_commendation_names_the_recognised_demo_model_that_earned_it(tree):
    from conftest import make_unit
    from danvan.demo import exemplars

    for code, name in (
        ("SNV", "Đảng ủy Sở Nội vụ"),
        ("SCT", "Đảng ủy Sở Công Thương"),
        ("STC2025", "Đảng ủy Sở Tài chính (hợp nhất)"),
        ("SXD", "Đảng ủy Sở Xây dựng"),
    ):
        make_unit(tree.catalogue, code, name, "grassroots", tree.root, ["admin_agency"])
    exemplars.load()
    commendations.load()
    linked = Commendation.objects.filter(exemplar__isnull=False)
    assert linked.count() == 1
    item = linked.get()
    assert item.year == 2025 and item.exemplar.stage == "recognised" and item.exemplar.unit == item.unit
