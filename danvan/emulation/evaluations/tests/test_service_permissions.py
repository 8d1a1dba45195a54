"""The evaluation services check `by` themselves: a user of another unit (or without the right, or not
at the level above for a review) is refused and nothing is written; the System may."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from danvan.emulation.evaluations import services
from danvan.emulation.evaluations.models import Criterion, Evaluation, Scorecard, Section, State, Thresholds

from .helpers import SYSTEM, review_inputs, scorecard, scores, submitted

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["mobilisation_officer", "outsider", "viewer"])
def test_templates_and_thresholds_need_the_manager_at_the_root(tree, personas, who):
    by = personas[who]
    with pytest.raises(PermissionDenied):
        services.scorecard_create(title="Bộ tiêu chí", applies_from=2025, unit_types=[], by=by)
    card = scorecard(active=False)
    section = card.sections.get()
    calls = [
        lambda: services.scorecard_update(
            scorecard=card, title="Khác", applies_from=2026, unit_types=[], by=by
        ),
        lambda: services.section_add(scorecard=card, title="II", order=2, by=by),
        lambda: services.criterion_add(
            section=section, spec=services.CriterionSpec(text="x", max_points=Decimal(1)), by=by
        ),
        lambda: services.criterion_update(
            criterion=section.criteria.first(),
            spec=services.CriterionSpec(text="x", max_points=Decimal(1)),
            by=by,
        ),
        lambda: services.criterion_remove(criterion=section.criteria.first(), by=by),
        lambda: services.scorecard_activate(scorecard=card, active=True, by=by),
        lambda: services.scorecard_copy(scorecard=card, applies_from=2026, by=by),
        lambda: services.thresholds_create(
            valid_from=datetime.date(2026, 1, 1),
            outstanding_min=Decimal(90),
            good_min=Decimal(70),
            passed_min=Decimal(50),
            by=by,
        ),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    assert (Scorecard.objects.count(), Section.objects.count(), Criterion.objects.count()) == (1, 1, 3)
    assert Thresholds.objects.count() == 1 and not Scorecard.objects.get().active
    services.scorecard_activate(scorecard=card, active=True, by=personas["admin"])


def test_the_self_assessment_refuses_a_user_of_another_unit(tree, personas):
    card = scorecard()
    outsider = personas["outsider"]
    with pytest.raises(PermissionDenied):
        services.evaluation_start(unit=tree.stp, period="2025", by=outsider, scorecard=card)
    assert not Evaluation.objects.exists()
    evaluation = services.evaluation_start(unit=tree.stp, period="2025", by=SYSTEM, scorecard=card)
    for call in (
        lambda: services.self_assess(
            evaluation=evaluation, scores=scores(evaluation, (1, 1, 1)), by=outsider
        ),
        lambda: services.evaluation_refresh(evaluation=evaluation, by=outsider),
        lambda: services.evaluation_submit(evaluation=evaluation, by=outsider),
    ):
        with pytest.raises(PermissionDenied):
            call()
    evaluation.refresh_from_db()
    assert evaluation.state == State.DRAFT and evaluation.self_total == 0


def test_the_review_and_classification_refuse_all_but_the_level_above(tree, personas):
    evaluation = submitted(tree.stp)
    for who in ("mobilisation_officer", "unit_head", "outsider"):
        with pytest.raises(PermissionDenied):
            services.evaluation_review(
                evaluation=evaluation, scores=review_inputs(evaluation, (38, 28, 27)), by=personas[who]
            )
    evaluation = services.evaluation_review(
        evaluation=evaluation, scores=review_inputs(evaluation, (38, 28, 27)), by=SYSTEM
    )
    for who in ("mobilisation_officer", "outsider"):
        with pytest.raises(PermissionDenied):
            services.evaluation_classify(evaluation=evaluation, classification="good", by=personas[who])
    evaluation.refresh_from_db()
    assert evaluation.state == State.REVIEWED and evaluation.classification == ""
