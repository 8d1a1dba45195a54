"""The review services refuse a user without the right at the unit, and write nothing."""

import pytest
from django.core.exceptions import PermissionDenied

from danvan.reviews import services
from danvan.reviews.models import ReviewDraft, ReviewVersion

pytestmark = pytest.mark.django_db


def _written() -> tuple[int, int]:
    return ReviewDraft.objects.count(), ReviewVersion.objects.count()


def test_another_units_user_may_not_write_a_report(tree, personas, figures):
    calls = [
        lambda by: services.version_save(
            unit=tree.stp, period_code="2026S1", narrative=services.Narrative(tasks="x"), by=by
        ),
        lambda by: services.draft_finalise(unit=tree.stp, period_code="2026S1", by=by),
        lambda by: services.draft_correct(unit=tree.stp, period_code="2026S1", by=by),
    ]
    for call in calls:
        for who in ("outsider", "viewer"):
            with pytest.raises(PermissionDenied):
                call(personas[who])
    assert _written() == (0, 0)


def test_a_reporter_saves_but_may_not_finalise_into_the_register(tree, personas, figures):
    services.version_save(
        unit=tree.stp,
        period_code="2026S1",
        narrative=services.Narrative(limitations="a", tasks="b"),
        by=personas["reporter"],
    )
    with pytest.raises(PermissionDenied):
        services.draft_finalise(unit=tree.stp, period_code="2026S1", by=personas["reporter"])
    assert ReviewDraft.objects.get().state == "draft"
