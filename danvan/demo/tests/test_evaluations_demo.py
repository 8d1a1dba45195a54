"""The demo's evaluations (danvan/demo/evaluations.py): a scorecard of 100 points in use, the bloc's
units evaluated for 2025 at several stages, and loading again adds nothing."""

import pytest

from danvan.demo import evaluations as demo
from danvan.emulation.evaluations import selectors
from danvan.emulation.evaluations.models import Evaluation, Scorecard

pytestmark = pytest.mark.django_db


def test_the_demo_evaluates_the_bloc_units(tree):
    from conftest import make_unit

    for code in ("SCT", "SNV", "SGD", "STC", "SXD"):
        make_unit(tree.catalogue, code, f"Đảng ủy {code}", "grassroots", tree.root)
    assert demo.load() == 7
    card = Scorecard.objects.get()
    assert card.active and selectors.total_points(card) == 100
    states = set(Evaluation.objects.values_list("state", flat=True))
    assert states == {"draft", "submitted", "reviewed", "final"}
    assert Evaluation.objects.filter(state="final").exclude(classification="").count() == 4
    assert demo.load() == 0
