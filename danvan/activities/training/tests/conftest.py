"""Fixtures of the training tests: a spec maker, the report catalogue and a prepared period."""

import datetime

import pytest

from danvan.accounts.actors import System

SYSTEM = System("tests")


@pytest.fixture
def spec():
    """spec(unit, **changes) -> a valid ClassSpec of a class held on 15/09/2025 with 40 participants."""
    from danvan.activities.training.specs import ClassSpec

    def _spec(unit, **changes):
        values = {
            "unit": unit,
            "title": "Tập huấn kỹ năng công tác dân vận",
            "held_on": datetime.date(2025, 9, 15),
            "participants": 40,
            "topic": "Dân vận chính quyền",
            "organiser": "Ban Dân vận Đảng ủy Khối",
            "place": "Hội trường",
        }
        values.update(changes)
        return ClassSpec(**values)

    return _spec


@pytest.fixture
def reports(tree):
    """The seeded report catalogue; reports.period(code) creates and prepares a period."""
    from types import SimpleNamespace

    from django.apps import apps

    from danvan.reports import catalogue, services
    from danvan.reports.models import ReportForm, ReportingCalendar

    ReportingCalendar.objects.get_or_create(id=1)
    catalogue.ensure(apps)
    return SimpleNamespace(
        period=lambda code: services.period_get(code=code, by=SYSTEM),
        forms={form.code: form for form in ReportForm.objects.all()},
    )
