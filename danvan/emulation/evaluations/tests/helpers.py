from decimal import Decimal

from danvan.accounts.actors import System
from danvan.emulation.evaluations import services
from danvan.emulation.evaluations.models import COMPLETION_FOR, Method

SYSTEM = System("tests")


def scorecard(*, points=(40, 30, 30), active=True, by=SYSTEM, title="Bộ tiêu chí công tác dân vận"):
    card = services.scorecard_create(title=title, applies_from=2025, unit_types=[], by=by)
    section = services.section_add(scorecard=card, title="I. Lãnh đạo, chỉ đạo", order=1, by=by)
    for index, value in enumerate(points, start=1):
        services.criterion_add(
            section=section,
            spec=services.CriterionSpec(text=f"Tiêu chí {index}", max_points=Decimal(value), order=index),
            by=by,
        )
    if active:
        services.scorecard_activate(scorecard=card, active=True, by=by)
    return card


def computed_card(by=SYSTEM):
    card = services.scorecard_create(
        title="Bộ tiêu chí có điểm tự tính", applies_from=2025, unit_types=[], by=by
    )
    section = services.section_add(scorecard=card, title="I", order=1, by=by)
    services.criterion_add(
        section=section,
        spec=services.CriterionSpec(
            text="Sinh hoạt chuyên đề",
            max_points=Decimal(20),
            method=Method.INDICATOR_MET,
            code="CELL_MEETING_RATE",
        ),
        by=by,
    )
    services.criterion_add(
        section=section, spec=services.CriterionSpec(text="Khác", max_points=Decimal(80)), by=by
    )
    services.scorecard_activate(scorecard=card, active=True, by=by)
    return card


def scores(evaluation, values):
    rows = list(evaluation.scores.order_by("criterion__order", "criterion_id"))
    return [
        services.ScoreInput(criterion_id=s.criterion_id, points=v) for s, v in zip(rows, values, strict=True)
    ]


def review_inputs(evaluation, values, reason=""):
    rows = list(evaluation.scores.order_by("criterion__order", "criterion_id"))
    return [
        services.ReviewInput(criterion_id=s.criterion_id, points=v, reason=reason)
        for s, v in zip(rows, values, strict=True)
    ]


def submitted(unit, values=(38, 28, 27), period="2025", card=None):
    card = card or scorecard()
    evaluation = services.evaluation_start(unit=unit, period=period, by=SYSTEM, scorecard=card)
    services.self_assess(evaluation=evaluation, scores=scores(evaluation, values), by=SYSTEM)
    return services.evaluation_submit(evaluation=evaluation, by=SYSTEM)


def final(unit, values, period="2025", card=None, classification=None):
    evaluation = submitted(unit, values, period, card)
    evaluation = services.evaluation_review(
        evaluation=evaluation, scores=review_inputs(evaluation, values), by=SYSTEM
    )
    return services.evaluation_classify(
        evaluation=evaluation,
        classification=classification or evaluation.proposed,
        completion=COMPLETION_FOR[classification or evaluation.proposed],
        reason="Xếp thấp hơn do để xảy ra vi phạm" if classification else "",
        by=SYSTEM,
    )
