"""The evaluations in the permission matrix."""

from decimal import Decimal

from danvan.accounts.policy import Perm
from danvan.core.testing.matrix import EXPORT, Made


def _card(title="MATRIX-SCORECARD"):
    from danvan.emulation.evaluations.models import Criterion, Scorecard, Section

    card = Scorecard.objects.create(title=title, applies_from=2025, active=True)
    section = Section.objects.create(scorecard=card, title="MATRIX-SECTION", order=1)
    Criterion.objects.create(section=section, text="MATRIX-CRITERION", max_points=Decimal(100))
    return card


def _evaluation(unit, state="draft"):
    import datetime

    from django.core.files.base import ContentFile

    from danvan.emulation.evaluations.models import Criterion, Evaluation, Score

    marker = f"MATRIX-EVALUATION-{unit.code}"
    card = _card(marker)
    made = Evaluation.objects.create(
        unit=unit,
        period="2025",
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 12, 31),
        scorecard=card,
        state=state,
    )
    score = Score.objects.create(
        evaluation=made,
        criterion=Criterion.objects.get(section__scorecard=card),
        self_points=Decimal(80),
        note=marker,
        evidence_name="minh-chung.txt",
    )
    score.evidence_file.save("minh-chung.txt", ContentFile(marker.encode()), save=True)
    return made, score, marker


def evaluation(world, unit):
    made, _score, marker = _evaluation(unit)
    return Made({"pk": made.pk}, marker=marker)


def listed(world, unit):
    _made, _score, marker = _evaluation(unit)
    return Made({}, marker=marker)


def evidence(world, unit):
    _made, score, marker = _evaluation(unit)
    return Made({"pk": score.pk}, marker=marker)


def ranking(world, unit):
    return Made({}, query={"unit": unit.code, "period": "2025"})


def card(world, unit):
    made = _card()
    return Made({"pk": made.pk}, marker="MATRIX-SCORECARD")


def section(world, unit):
    return {"pk": _card().sections.get().pk}


def criterion(world, unit):
    from danvan.emulation.evaluations.models import Criterion

    return {"pk": Criterion.objects.get(section__scorecard=_card()).pk}


def register(matrix):
    view, record, review, manage = (
        Perm.EMULATION_VIEW,
        Perm.EMULATION_RECORD,
        Perm.EMULATION_REVIEW,
        Perm.EMULATION_MANAGE,
    )
    matrix.listing("evaluations:home", perm=view, make=listed)
    matrix.read("evaluations:start", perm=record)
    matrix.read("evaluations:evaluation", perm=view, make=evaluation)
    matrix.read("evaluations:assess", perm=record, make=evaluation, see=view)
    matrix.write_only(
        "evaluations:submit", perm=record, make=evaluation, note="POST: submit to the level above"
    )
    matrix.write_only(
        "evaluations:refresh", perm=record, make=evaluation, note="POST: read the figures again"
    )
    matrix.write_only(
        "evaluations:review", perm=review, make=evaluation, note="POST: the level above's review"
    )
    matrix.write_only("evaluations:classify", perm=review, make=evaluation, note="POST: the classification")
    matrix.read("evaluations:evidence", perm=view, make=evidence)
    matrix.listing("evaluations:ranking", perm=view, make=ranking)
    matrix.read("evaluations:ranking_xlsx", perm=view, make=ranking, writes=EXPORT)
    matrix.listing("evaluations:scorecards", perm=view)
    matrix.read("evaluations:scorecard", perm=view, make=card, shared=True)
    matrix.listing("evaluations:scorecard_add", perm=manage, root=True)
    matrix.read("evaluations:scorecard_edit", perm=manage, make=card, shared=True, root=True)
    matrix.read("evaluations:section_add", perm=manage, make=card, shared=True, root=True)
    matrix.read("evaluations:criterion_add", perm=manage, make=section, shared=True, root=True)
    matrix.read("evaluations:criterion_edit", perm=manage, make=criterion, shared=True, root=True)
    matrix.write_only(
        "evaluations:criterion_remove", perm=manage, make=criterion, shared=True, note="POST: remove"
    )
    matrix.write_only(
        "evaluations:scorecard_activate", perm=manage, make=card, shared=True, note="POST: in use or not"
    )
    matrix.write_only("evaluations:scorecard_copy", perm=manage, make=card, shared=True, note="POST: copy")
    matrix.listing("evaluations:thresholds", perm=view)
    matrix.listing("evaluations:thresholds_add", perm=manage, root=True)
    matrix.listing("evaluation-list", perm=view, make=listed)
    matrix.read("evaluation-detail", perm=view, make=evaluation)
    matrix.write_only("evaluation-scores", perm=record, make=evaluation, note="POST: the self-assessment")
    matrix.write_only("evaluation-submit", perm=record, make=evaluation, note="POST: submit")
    matrix.write_only("evaluation-review", perm=review, make=evaluation, note="POST: the review")
    matrix.write_only("evaluation-classify", perm=review, make=evaluation, note="POST: the classification")
    matrix.listing("evaluation-ranking", perm=view, make=ranking)
