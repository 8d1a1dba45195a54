"""The evaluation workflow and its bad input: Vietnamese messages, nothing saved."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from danvan.emulation.evaluations import services
from danvan.emulation.evaluations.models import (
    Classification,
    Completion,
    Criterion,
    Evaluation,
    Score,
    Scorecard,
    State,
    Thresholds,
    Transition,
)

from .helpers import SYSTEM, review_inputs, scorecard, scores, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


def test_the_default_thresholds_follow_quy_dinh_366():
    version = Thresholds.objects.get()
    assert (version.outstanding_min, version.good_min, version.passed_min) == (90, 70, 50)
    assert "366-QĐ/TW" in version.citation
    assert version.proposed(Decimal("89.99")) == Classification.GOOD
    assert version.proposed(Decimal(90)) == Classification.OUTSTANDING
    assert version.proposed(Decimal(50)) == Classification.PASSED
    assert version.proposed(Decimal("49.5")) == Classification.FAILED


def test_a_template_not_totalling_100_cannot_be_used(tree):
    card = scorecard(points=(40, 30, 20), active=False)
    with pytest.raises(ValidationError) as error:
        services.scorecard_activate(scorecard=card, active=True, by=SYSTEM)
    assert "100" in error.value.messages[0] and "90" in error.value.messages[0]
    assert "tổng" in error.value.messages[0].lower()
    card.refresh_from_db()
    assert not card.active


def test_a_template_in_use_is_not_changed_but_copied(tree):
    card = scorecard()
    submitted(tree.stp, card=card)
    section = card.sections.get()
    with pytest.raises(ValidationError):
        services.criterion_add(
            section=section, spec=services.CriterionSpec(text="Mới", max_points=Decimal(5)), by=SYSTEM
        )
    copy = services.scorecard_copy(scorecard=card, applies_from=2026, by=SYSTEM)
    assert Criterion.objects.filter(section__scorecard=copy).count() == 3
    assert not copy.active and copy.copied_from == card
    assert Criterion.objects.filter(section__scorecard=card).count() == 3


def test_the_workflow_from_self_assessment_to_classification(tree, personas):
    card = scorecard()
    officer = personas["mobilisation_officer"]  # at STP: records STP's cells
    evaluation = services.evaluation_start(unit=tree.stp_cb1, period="2025", by=officer, scorecard=card)
    services.self_assess(evaluation=evaluation, scores=scores(evaluation, (38, 28, 27)), by=officer)
    evaluation = services.evaluation_submit(evaluation=evaluation, by=officer)
    assert evaluation.state == State.SUBMITTED and evaluation.self_total == 93
    # The level above (STP) reviews its cell: lowers one score with a reason.
    evaluation = services.evaluation_review(
        evaluation=evaluation,
        scores=[
            *review_inputs(evaluation, (38, 28, 27))[:2],
            services.ReviewInput(
                criterion_id=review_inputs(evaluation, (0, 0, 20))[2].criterion_id,
                points=20,
                reason="Thiếu minh chứng",
            ),
        ],
        by=officer,
    )
    assert evaluation.state == State.REVIEWED and evaluation.total == 86
    assert evaluation.proposed == Classification.GOOD
    evaluation = services.evaluation_classify(
        evaluation=evaluation, classification=Classification.GOOD, completion=Completion.ON_TIME, by=officer
    )
    assert evaluation.state == State.FINAL and evaluation.classification == Classification.GOOD
    assert list(Transition.objects.filter(evaluation=evaluation).values_list("to_state", flat=True)) == [
        State.DRAFT,
        State.SUBMITTED,
        State.REVIEWED,
        State.FINAL,
    ]
    assert Score.objects.get(evaluation=evaluation, points=20).change_reason == "Thiếu minh chứng"


def test_scores_above_the_maximum_are_refused_and_nothing_is_saved(tree):
    card = scorecard()
    evaluation = services.evaluation_start(unit=tree.stp, period="2025", by=SYSTEM, scorecard=card)
    with pytest.raises(ValidationError) as error:
        services.self_assess(evaluation=evaluation, scores=scores(evaluation, (30, 45, 10)), by=SYSTEM)
    assert any("tối đa" in text for text in error.value.messages)
    assert not Score.objects.filter(evaluation=evaluation, self_points__isnull=False).exists()
    evaluation.refresh_from_db()
    assert evaluation.self_total == 0


def test_a_review_by_someone_outside_the_level_above_is_refused(tree, personas):
    evaluation = submitted(tree.stp)
    # STP's own officer holds the right at STP itself, not above it; SYT's officer is elsewhere.
    for who in (personas["mobilisation_officer"], personas["outsider"]):
        with pytest.raises(PermissionDenied):
            services.evaluation_review(
                evaluation=evaluation, scores=review_inputs(evaluation, (10, 10, 10)), by=who
            )
    evaluation.refresh_from_db()
    assert evaluation.state == State.SUBMITTED and evaluation.total is None
    assert not Score.objects.filter(evaluation=evaluation, points__isnull=False).exists()
    # The bloc (the level above STP) may.
    services.evaluation_review(
        evaluation=evaluation, scores=review_inputs(evaluation, (38, 28, 27)), by=personas["admin"]
    )


def test_a_changed_score_needs_a_reason(tree):
    evaluation = submitted(tree.stp)
    with pytest.raises(ValidationError) as error:
        services.evaluation_review(
            evaluation=evaluation, scores=review_inputs(evaluation, (30, 28, 27)), by=SYSTEM
        )
    assert any("lý do" in text.lower() for text in error.value.messages)
    assert not Score.objects.filter(evaluation=evaluation, points__isnull=False).exists()


def test_a_classification_that_contradicts_the_thresholds_is_refused(tree):
    evaluation = submitted(tree.stp, values=(30, 25, 20))  # 75: good at most
    evaluation = services.evaluation_review(
        evaluation=evaluation, scores=review_inputs(evaluation, (30, 25, 20)), by=SYSTEM
    )
    with pytest.raises(ValidationError) as error:
        services.evaluation_classify(
            evaluation=evaluation,
            classification=Classification.OUTSTANDING,
            completion=Completion.BEYOND,
            by=SYSTEM,
        )
    assert "trái" in error.value.messages[0] or "ngưỡng" in error.value.messages[0]
    evaluation.refresh_from_db()
    assert evaluation.state == State.REVIEWED and evaluation.classification == ""
    # Lower is allowed, with a reason only.
    with pytest.raises(ValidationError):
        services.evaluation_classify(
            evaluation=evaluation, classification=Classification.PASSED, completion=Completion.DONE, by=SYSTEM
        )
    services.evaluation_classify(
        evaluation=evaluation,
        classification=Classification.PASSED,
        completion=Completion.DONE,
        reason="Để xảy ra vi phạm",
        by=SYSTEM,
    )


def test_excellent_needs_its_extra_conditions(tree):
    evaluation = submitted(tree.stp, values=(40, 30, 25))
    evaluation = services.evaluation_review(
        evaluation=evaluation, scores=review_inputs(evaluation, (40, 30, 25)), by=SYSTEM
    )
    assert evaluation.proposed == Classification.OUTSTANDING
    with pytest.raises(ValidationError) as error:
        services.evaluation_classify(
            evaluation=evaluation, classification=Classification.OUTSTANDING, by=SYSTEM
        )
    assert "366" in error.value.messages[0]
    evaluation = services.evaluation_classify(
        evaluation=evaluation,
        classification=Classification.OUTSTANDING,
        completion=Completion.BEYOND,
        by=SYSTEM,
    )
    assert evaluation.classification == Classification.OUTSTANDING
    assert evaluation.completion == Completion.BEYOND


@pytest.mark.parametrize(
    ("completion", "refused", "allowed"),
    [
        ("", Classification.PASSED, Classification.FAILED),  # nothing stated: only "không hoàn thành"
        (Completion.SHORT, Classification.PASSED, Classification.FAILED),
        (
            Completion.DONE,
            Classification.GOOD,
            Classification.PASSED,
        ),  # khoản 3: every task done, ≤ 20 % late
        (Completion.ON_TIME, Classification.OUTSTANDING, Classification.GOOD),  # khoản 2: every task on time
    ],
)
def test_the_tasks_condition_caps_the_level_whatever_the_points(tree, completion, refused, allowed):
    """Quy định 366-QĐ/TW Điều 11: 95 points do not make a unit "tốt" unless every task was on time, nor
    "hoàn thành" unless every task was done; the level is the lower of the points' and the tasks'."""
    evaluation = submitted(tree.stp, values=(40, 30, 25))
    evaluation = services.evaluation_review(
        evaluation=evaluation, scores=review_inputs(evaluation, (40, 30, 25)), by=SYSTEM
    )
    assert evaluation.proposed == Classification.OUTSTANDING
    with pytest.raises(ValidationError) as error:
        services.evaluation_classify(
            evaluation=evaluation,
            classification=refused,
            completion=completion,
            reason="Chậm tiến độ",
            by=SYSTEM,
        )
    assert "366" in " ".join(error.value.messages)
    evaluation.refresh_from_db()
    assert evaluation.state == State.REVIEWED and evaluation.classification == ""
    evaluation = services.evaluation_classify(
        evaluation=evaluation, classification=allowed, completion=completion, reason="Chậm tiến độ", by=SYSTEM
    )
    assert evaluation.classification == allowed and evaluation.completion == completion


def test_a_way_of_carrying_out_tasks_not_in_the_list_is_refused(tree):
    evaluation = submitted(tree.stp, values=(30, 25, 20))
    evaluation = services.evaluation_review(
        evaluation=evaluation, scores=review_inputs(evaluation, (30, 25, 20)), by=SYSTEM
    )
    with pytest.raises(ValidationError) as error:
        services.evaluation_classify(
            evaluation=evaluation, classification=Classification.GOOD, completion="all", by=SYSTEM
        )
    assert "danh sách" in error.value.messages[0]


def test_the_share_cap_when_the_manager_sets_one(tree):
    Thresholds.objects.update(share_cap=50)
    from .helpers import final

    card = scorecard()
    final(tree.stp, (40, 30, 25), card=card)  # 1 of 1 sibling evaluated: within 50 % of 2? 1*100 <= 50*2
    evaluation = submitted(tree.syt, values=(40, 30, 25), card=card)
    evaluation = services.evaluation_review(
        evaluation=evaluation, scores=review_inputs(evaluation, (40, 30, 25)), by=SYSTEM
    )
    with pytest.raises(ValidationError):
        services.evaluation_classify(
            evaluation=evaluation,
            classification=Classification.OUTSTANDING,
            completion=Completion.BEYOND,
            by=SYSTEM,
        )


def test_a_bad_period_and_a_second_evaluation_are_refused(tree):
    card = scorecard()
    for code in ("2025Q1", "abc"):
        with pytest.raises(ValidationError):
            services.evaluation_start(unit=tree.stp, period=code, by=SYSTEM, scorecard=card)
    services.evaluation_start(unit=tree.stp, period="2025S1", by=SYSTEM, scorecard=card)
    with pytest.raises(ValidationError):
        services.evaluation_start(unit=tree.stp, period="2025s1", by=SYSTEM, scorecard=card)
    assert Evaluation.objects.count() == 1


def test_a_computed_score_cannot_be_changed_by_the_unit(tree):
    from .helpers import computed_card

    card = computed_card()
    evaluation = services.evaluation_start(unit=tree.stp, period="2025", by=SYSTEM, scorecard=card)
    computed = evaluation.scores.get(criterion__code="CELL_MEETING_RATE")
    assert computed.self_points is None and "chưa" in computed.source_text  # the period is not prepared
    with pytest.raises(ValidationError):
        services.self_assess(
            evaluation=evaluation,
            scores=[services.ScoreInput(criterion_id=computed.criterion_id, points=20)],
            by=SYSTEM,
        )
    services.self_assess(
        evaluation=evaluation,
        scores=[services.ScoreInput(criterion_id=computed.criterion_id, note="Đã tổ chức 2 buổi")],
        by=SYSTEM,
    )
    computed.refresh_from_db()
    assert computed.note == "Đã tổ chức 2 buổi" and computed.self_points is None
    with pytest.raises(ValidationError):  # a criterion without a score cannot be submitted
        services.evaluation_submit(evaluation=evaluation, by=SYSTEM)


def test_thresholds_must_rise(tree):
    import datetime

    with pytest.raises(ValidationError):
        services.thresholds_create(
            valid_from=datetime.date(2026, 1, 1),
            outstanding_min=Decimal(70),
            good_min=Decimal(80),
            passed_min=Decimal(50),
            by=SYSTEM,
        )
    assert Thresholds.objects.count() == 1
    assert Scorecard.objects.count() == 0
