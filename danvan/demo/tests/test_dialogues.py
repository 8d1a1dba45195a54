import datetime

import pytest

from danvan.activities.dialogues.models import Dialogue, IssueState

pytestmark = pytest.mark.django_db


def test_the_demo_loader_records_stps_dialogues_once(tree, monkeypatch):
    from django.utils import timezone

    from danvan.demo import dialogues

    today = datetime.date(2026, 6, 15)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today)

    assert dialogues.load() == 2  # STP's 2025 and March 2026 dialogues; the September one is ahead
    assert dialogues.load() == 0
    march = Dialogue.objects.get(held_on__year=2026)
    states = dict(march.issues.values_list("content", "state"))
    assert IssueState.OPEN in states.values() and IssueState.ANSWERED in states.values()
    assert march.issues.filter(state=IssueState.OPEN, due_on__lt=today).exists()  # overdue
