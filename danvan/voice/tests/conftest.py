"""Fixtures of the voice tests: a clean calendar cache around each test and the seeded rules."""

import pytest

from danvan.accounts.actors import System

SYSTEM = System("tests")


@pytest.fixture(autouse=True)
def _fresh_calendar():
    """Rows rolled back at the end of a test send no signal: drop the cached calendar both sides."""
    from danvan.voice.deadlines import calendar

    calendar.forget()
    yield
    calendar.forget()


@pytest.fixture
def rules(db):
    """The seeded rules by code (browser tests elsewhere flush migration data, so ensure again)."""
    from danvan.voice.deadlines import seed
    from danvan.voice.deadlines.models import DeadlineRule

    seed.ensure(DeadlineRule)
    return {rule.code: rule for rule in DeadlineRule.objects.all()}


@pytest.fixture
def day_entry(db):
    """day_entry(date, kind, reason="…") -> an administrator's calendar entry, through the service."""
    from danvan.voice.deadlines import services

    def _add(day, kind, reason="Thông báo thử nghiệm"):
        return services.calendar_day_add(day=day, kind=kind, reason=reason, by=SYSTEM)

    return _add
