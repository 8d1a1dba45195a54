"""Fixtures of the thematic cell meeting tests: two more cells at STP (four in all), the report catalogue."""

import pytest

from conftest import make_unit
from danvan.accounts.actors import System

SYSTEM = System("tests")


@pytest.fixture
def cells(tree):
    """STP has four cells (STP-CB1 … STP-CB4), SYT one."""
    tree.stp_cb3 = make_unit(tree.catalogue, "STP-CB3", "Chi bộ 3", "cell", tree.stp)
    tree.stp_cb4 = make_unit(tree.catalogue, "STP-CB4", "Chi bộ 4", "cell", tree.stp)
    return tree


@pytest.fixture
def indicators(catalogue):
    from django.apps import apps

    from danvan.reports import catalogue as seeds
    from danvan.reports.models import ReportingCalendar

    ReportingCalendar.objects.get_or_create(id=1)
    seeds.ensure(apps)


@pytest.fixture
def prepare(indicators, tree):
    from danvan.reports import services

    def _prepare(code="2026S1"):
        return services.period_get(code=code, by=SYSTEM)

    return _prepare
