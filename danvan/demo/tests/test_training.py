"""The demo's training classes (danvan/demo/training.py): seed 001's 12 classes and 998 participants
in 2025S2 at the bloc's units (STP's among them), a few in 2026S1, loaded once, figures following."""

import pytest

from danvan.activities.training.models import TrainingClass
from danvan.demo import training as demo
from danvan.reports.models import DataValue

pytestmark = pytest.mark.django_db


def test_the_plan_holds_the_seed_figures():
    assert len(demo.CLASSES_2025S2) == 12
    assert sum(row[-1] for row in demo.CLASSES_2025S2) == 998
    assert all(row[4].year == 2025 and row[4].month >= 7 for row in demo.CLASSES_2025S2)
    assert {row[0] for row in demo.CLASSES_2025S2} >= {"STP", "DUK"}
    assert all(row[4].year == 2026 and row[4].month <= 6 for row in demo.CLASSES_2026S1)


def test_it_loads_the_classes_of_the_units_that_exist_once_and_the_figures_follow(tree):
    from django.apps import apps

    from danvan.accounts.actors import System
    from danvan.reports import catalogue, services
    from danvan.reports.models import ReportingCalendar

    ReportingCalendar.objects.get_or_create(id=1)
    catalogue.ensure(apps)
    period = services.period_get(code="2025S2", by=System("tests"))
    created = demo.load()
    expected = [
        row
        for row in demo.CLASSES_2025S2 + demo.CLASSES_2026S1
        if row[0] in {"DUK", "STP", "STP-CB1", "STP-CB2"}
    ]
    assert created == len(expected) == TrainingClass.objects.count()
    assert demo.load() == 0  # idempotent
    stp = [row for row in demo.CLASSES_2025S2 if row[0] == "STP"]
    value = DataValue.objects.get(unit=tree.stp, period=period, element__code="TRAINING_PARTICIPANTS")
    assert value.value == sum(row[-1] for row in stp)
    listed = TrainingClass.objects.get(unit=tree.stp, held_on=stp[0][4])
    assert listed.attendees.count() == 3


def test_on_the_demo_tree_the_bloc_held_seed_001s_12_classes_with_998_participants():
    from django.apps import apps

    from danvan.accounts.actors import System
    from danvan.demo import data
    from danvan.reports import catalogue, services
    from danvan.reports.models import ElementRollup, ReportingCalendar

    data.load_units()
    ReportingCalendar.objects.get_or_create(id=1)
    catalogue.ensure(apps)
    period = services.period_get(code="2025S2", by=System("tests"))
    assert demo.load() == len(demo.CLASSES_2025S2) + len(demo.CLASSES_2026S1)  # every unit of the plan exists
    root = data.ROOT_CODE

    def figure(code):
        own = DataValue.objects.filter(unit__code=root, period=period, element__code=code).first()
        below = ElementRollup.objects.get(unit__code=root, period=period, element__code=code)
        return (own.value if own else 0) + below.value

    assert (figure("TRAINING_CLASSES"), figure("TRAINING_PARTICIPANTS")) == (12, 998)
    stp = DataValue.objects.get(unit__code="STP", period=period, element__code="TRAINING_CLASSES")
    assert stp.value == 3
