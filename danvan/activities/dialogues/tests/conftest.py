import datetime

import pytest

from danvan.accounts.actors import System

SYSTEM = System("tests")
D = datetime.date


@pytest.fixture
def today(monkeypatch):
    """Today is 15/06/2026 for the services, the row checks and the pages."""
    from django.utils import timezone

    day = D(2026, 6, 15)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)
    return day


MARCH = D(2026, 3, 2)


def spec(unit, held_on=MARCH, **extra):
    from danvan.activities.dialogues.services import DialogueSpec

    values = {"leader_name": "Nguyễn Văn An", "leader_position": "Giám đốc Sở", "participants": 40, **extra}
    return DialogueSpec(unit=unit, held_on=held_on, **values)
