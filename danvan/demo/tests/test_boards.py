"""The demo People's Inspection Boards (danvan/demo/boards.py), on the small test tree."""

import pytest

from danvan.activities.boards import selectors
from danvan.activities.boards.models import Board, Recommendation
from danvan.activities.boards.tests.helpers import today

pytestmark = pytest.mark.django_db


def test_the_demo_loader_makes_the_boards_once(tree, catalogue):
    from conftest import make_unit
    from danvan.demo import boards as demo

    make_unit(catalogue, "SNV", "Đảng ủy Sở Nội vụ", "grassroots", tree.root, ["admin_agency"])
    assert demo.load() == 2  # STP and SNV exist in this tree
    assert demo.load() == 0
    stp = Board.objects.get(unit=tree.stp)
    assert selectors.overdue(Recommendation.objects.filter(board=stp), today()).count() == 1
