"""The report sources: collectives and individuals commended, counted at the recipient's unit by decision date."""

import datetime
from types import SimpleNamespace

import pytest

from danvan.emulation.commendations import services, sources
from danvan.reports.derived import SOURCES

from .helpers import SYSTEM, spec

pytestmark = pytest.mark.django_db
D = datetime.date


def test_collectives_and_individuals_are_counted_per_unit_within_the_period(tree):
    services.commendation_record(spec=spec(tree.stp, decision_date=D(2025, 12, 15)), by=SYSTEM)
    services.commendation_record(
        spec=spec(tree.stp, recipient_name="Tổ 1", decision_date=D(2025, 7, 1)), by=SYSTEM
    )
    services.commendation_record(
        spec=spec(tree.stp_cb1, kind="individual", recipient_name="Lê Văn A", decision_date=D(2025, 9, 2)),
        by=SYSTEM,
    )
    services.commendation_record(spec=spec(tree.syt, decision_date=D(2025, 6, 30)), by=SYSTEM)  # first half
    half = SimpleNamespace(start=D(2025, 7, 1), end=D(2025, 12, 31))
    collectives = SOURCES[sources.COLLECTIVES].compute(half, None)
    individuals = SOURCES[sources.INDIVIDUALS].compute(half, None)
    assert collectives == {tree.stp.pk: 2}
    assert individuals == {tree.stp_cb1.pk: 1}
    assert SOURCES[sources.COLLECTIVES].compute(half, [tree.syt.pk]) == {}
