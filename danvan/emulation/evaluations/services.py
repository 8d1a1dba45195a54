"""Writes of the evaluations: scorecard templates, classification thresholds, evaluations of units.

Every function checks `by` first (PermissionDenied), then its input, gathering the problems into one
ValidationError with Vietnamese messages before anything is written, in one transaction:

- templates and thresholds: EMULATION_MANAGE at a root (they belong to no unit);
- a unit's self-assessment (start, scores, evidence, submit): EMULATION_RECORD at the unit;
- the review (changing scores, each with a reason) and the classification: EMULATION_REVIEW held at a
  unit STRICTLY above the evaluated one — the level above; the unit itself, however high its rights
  there, is refused (`policy.can_above`).

The classification rules (Quy định 366-QĐ/TW, Điều 11, see models.py): the thresholds in force on the
period's last day propose a level from the total; the reviewer may classify lower with a reason, never
higher; "xuất sắc" only with the extra conditions stated and, where the version sets them, the floor per
criterion and the share cap among the units of the same level.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts import policy
from danvan.accounts.actors import Actor, recorded_user
from danvan.accounts.policy import Perm
from danvan.core import uploads
from danvan.core.text import clean_text
from danvan.orgs.models import Unit, UnitType

from . import selectors, sources
from .models import (
    COMPLETION_CEILING,
    LEVELS,
    TOTAL_POINTS,
    Classification,
    Completion,
    Criterion,
    Evaluation,
    Method,
    Score,
    Scorecard,
    Section,
    State,
    Thresholds,
    Transition,
)

TITLE_MAX = 300
TEXT_MAX = 10_000
CODE_MAX = 40
MIN_YEAR, MAX_YEAR = 2000, 2100
EVIDENCE_RULES = uploads.Rules(
    (uploads.PDF, uploads.DOCX, uploads.XLSX, uploads.JPEG, uploads.PNG), max_file_bytes=10 * uploads.MB
)


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _manage(by: Actor) -> None:
    if not policy.can(by, Perm.EMULATION_MANAGE, None):
        raise PermissionDenied(
            _("Only the manager of emulation at the top of the tree may change scorecards and thresholds.")
        )


def _record(by: Actor, unit: Unit) -> None:
    if not policy.can(by, Perm.EMULATION_RECORD, unit):
        raise PermissionDenied(_("You may not record the evaluation of %(unit)s.") % {"unit": unit.name})


def _review(by: Actor, unit: Unit) -> None:
    if not policy.can_above(by, Perm.EMULATION_REVIEW, unit):
        raise PermissionDenied(
            _("Only the level above %(unit)s may review and classify its evaluation.") % {"unit": unit.name}
        )


def _points(value: object, field: str, errors: dict, *, maximum: Decimal, required: str) -> Decimal | None:
    if value is None or value == "":
        errors[field] = required
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors[field] = _("Write the points as a number.")
        return None
    if not number.is_finite() or number < 0:
        errors[field] = _("Points cannot be negative.")
        return None
    if number > maximum:
        errors[field] = _("%(points)s points is above the maximum of this criterion (%(max)s).") % {
            "points": _decimal(number),
            "max": _decimal(maximum),
        }
        return None
    if number != number.quantize(Decimal("0.01")):
        errors[field] = _("Points have at most two decimals.")
        return None
    return number


def _decimal(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text.replace(".", ",")


def _transition(evaluation: Evaluation, before: str, by: Actor, note: str = "") -> None:
    Transition.objects.create(
        evaluation=evaluation, from_state=before, to_state=evaluation.state, by=recorded_user(by), note=note
    )


# ---------------------------------------------------------------- scorecard templates


def _not_in_use(scorecard: Scorecard) -> None:
    if selectors.in_use(scorecard):
        raise ValidationError(
            _(
                "This scorecard is already used by evaluations: copy it to make a new version and change the copy."
            )
        )


def _check_card(title: str, applies_from: object, errors: dict) -> str:
    title = clean_text(title, "title", errors, limit=TITLE_MAX, required=_("Write the scorecard's title."))
    if (
        isinstance(applies_from, bool)
        or not isinstance(applies_from, int)
        or not MIN_YEAR <= applies_from <= MAX_YEAR
    ):
        errors["applies_from"] = _("Give the year from which the scorecard applies.")
    return title


@transaction.atomic
def scorecard_create(*, title: str, applies_from: int, unit_types: list[UnitType], by: Actor) -> Scorecard:
    _manage(by)
    errors: dict = {}
    title = _check_card(title, applies_from, errors)
    _raise(errors)
    card = Scorecard.objects.create(title=title, applies_from=applies_from)
    card.unit_types.set(unit_types)
    return card


@transaction.atomic
def scorecard_update(
    *, scorecard: Scorecard, title: str, applies_from: int, unit_types: list[UnitType], by: Actor
) -> Scorecard:
    _manage(by)
    errors: dict = {}
    title = _check_card(title, applies_from, errors)
    _raise(errors)
    if applies_from != scorecard.applies_from:
        _not_in_use(scorecard)
    scorecard.title, scorecard.applies_from = title, applies_from
    scorecard.save()
    scorecard.unit_types.set(unit_types)
    return scorecard


@transaction.atomic
def section_add(*, scorecard: Scorecard, title: str, order: int, by: Actor) -> Section:
    _manage(by)
    _not_in_use(scorecard)
    errors: dict = {}
    title = clean_text(title, "title", errors, limit=TITLE_MAX, required=_("Write the section's title."))
    _raise(errors)
    return Section.objects.create(scorecard=scorecard, title=title, order=max(1, int(order or 1)))


@dataclass(frozen=True)
class CriterionSpec:
    text: str
    max_points: Decimal
    method: str = Method.MANUAL
    code: str = ""
    count: int | None = None
    order: int = 1


def _check_criterion(spec: CriterionSpec, errors: dict) -> CriterionSpec:
    text = clean_text(
        spec.text, "text", errors, limit=TEXT_MAX, required=_("Write the criterion."), multiline=True
    )
    points = _points(
        spec.max_points, "max_points", errors, maximum=TOTAL_POINTS, required=_("Give the maximum points.")
    )
    if points is not None and points <= 0:
        errors["max_points"] = _("The maximum points must be above zero.")
    code = (spec.code or "").strip().upper()
    if spec.method not in Method.values:
        errors["method"] = _("Choose how the criterion is scored.")
    elif spec.method in (Method.INDICATOR_MET, Method.INDICATOR_RATIO, Method.ELEMENT_COUNT) and not code:
        errors["code"] = _("Choose the indicator or data element the score is computed from.")
    elif len(code) > CODE_MAX:
        errors["code"] = _("The code is too long.")
    if spec.method == Method.ELEMENT_COUNT and (spec.count is None or spec.count < 1):
        errors["count"] = _("Give the count the figure must reach.")
    keep_code = (
        code if spec.method in (Method.INDICATOR_MET, Method.INDICATOR_RATIO, Method.ELEMENT_COUNT) else ""
    )
    count = spec.count if spec.method == Method.ELEMENT_COUNT else None
    return CriterionSpec(
        text=text,
        max_points=points or Decimal(0),
        method=spec.method,
        code=keep_code,
        count=count,
        order=max(1, int(spec.order or 1)),
    )


@transaction.atomic
def criterion_add(*, section: Section, spec: CriterionSpec, by: Actor) -> Criterion:
    _manage(by)
    _not_in_use(section.scorecard)
    errors: dict = {}
    spec = _check_criterion(spec, errors)
    _raise(errors)
    return Criterion.objects.create(section=section, **spec.__dict__)


@transaction.atomic
def criterion_update(*, criterion: Criterion, spec: CriterionSpec, by: Actor) -> Criterion:
    _manage(by)
    _not_in_use(criterion.section.scorecard)
    errors: dict = {}
    spec = _check_criterion(spec, errors)
    _raise(errors)
    for name, value in spec.__dict__.items():
        setattr(criterion, name, value)
    criterion.save()
    if criterion.section.scorecard.active:
        _check_total(criterion.section.scorecard)
    return criterion


@transaction.atomic
def criterion_remove(*, criterion: Criterion, by: Actor) -> None:
    _manage(by)
    card = criterion.section.scorecard
    _not_in_use(card)
    criterion.delete()
    if card.active:
        _check_total(card)


def _check_total(scorecard: Scorecard) -> None:
    total = selectors.total_points(scorecard)
    if total != TOTAL_POINTS:
        raise ValidationError(
            _("The maximum points of a scorecard in use must total exactly 100; this one totals %(total)s.")
            % {"total": _decimal(total)}
        )


@transaction.atomic
def scorecard_activate(*, scorecard: Scorecard, active: bool, by: Actor) -> Scorecard:
    _manage(by)
    if active:
        _check_total(scorecard)
    scorecard.active = active
    scorecard.save(update_fields=["active"])
    return scorecard


@transaction.atomic
def scorecard_copy(*, scorecard: Scorecard, applies_from: int, by: Actor) -> Scorecard:
    """A new, inactive version of a template (sections and criteria copied), to change while the old one
    stays as the evaluations made with it knew it."""
    _manage(by)
    errors: dict = {}
    _check_card(scorecard.title, applies_from, errors)
    _raise(errors)
    copy = Scorecard.objects.create(title=scorecard.title, applies_from=applies_from, copied_from=scorecard)
    copy.unit_types.set(scorecard.unit_types.all())
    for section in scorecard.sections.prefetch_related("criteria"):
        new = Section.objects.create(scorecard=copy, title=section.title, order=section.order)
        for criterion in section.criteria.all():
            Criterion.objects.create(
                section=new,
                text=criterion.text,
                order=criterion.order,
                max_points=criterion.max_points,
                method=criterion.method,
                code=criterion.code,
                count=criterion.count,
            )
    return copy


# ---------------------------------------------------------------- thresholds


@transaction.atomic
def thresholds_create(
    *,
    valid_from: datetime.date,
    outstanding_min: Decimal,
    good_min: Decimal,
    passed_min: Decimal,
    share_cap: int | None = None,
    criterion_floor: int | None = None,
    citation: str = "",
    by: Actor,
) -> Thresholds:
    _manage(by)
    errors: dict = {}
    if not isinstance(valid_from, datetime.date):
        errors["valid_from"] = _("Give the date from which the thresholds apply.")
    elif Thresholds.objects.filter(valid_from=valid_from).exists():
        errors["valid_from"] = _("A version of the thresholds already starts on that date.")
    values: dict[str, Decimal | None] = {}
    for name, value in (
        ("outstanding_min", outstanding_min),
        ("good_min", good_min),
        ("passed_min", passed_min),
    ):
        values[name] = _points(value, name, errors, maximum=TOTAL_POINTS, required=_("Give the points."))
    low, mid, high = values["passed_min"], values["good_min"], values["outstanding_min"]
    if low is not None and mid is not None and high is not None and not low < mid < high:
        errors["good_min"] = _("The thresholds must rise: completed < good < excellent.")
    for name, share in (("share_cap", share_cap), ("criterion_floor", criterion_floor)):
        if share is not None and not 0 <= share <= 100:
            errors[name] = _("Give a percentage between 0 and 100.")
    citation = (
        clean_text(citation or "", "citation", errors, limit=300)
        or Thresholds._meta.get_field("citation").default
    )
    _raise(errors)
    return Thresholds.objects.create(
        valid_from=valid_from,
        share_cap=share_cap,
        criterion_floor=criterion_floor,
        citation=citation,
        **values,
    )


# ---------------------------------------------------------------- evaluations: the unit's self-assessment


@transaction.atomic
def evaluation_start(*, unit: Unit, period: str, by: Actor, scorecard: Scorecard | None = None) -> Evaluation:
    """Open the unit's evaluation for a year or half-year with the template that applies (or the one
    given); computed criteria are filled from the figures at once."""
    _record(by, unit)
    try:
        span = selectors.period_span(period)
    except ValidationError as error:
        raise ValidationError({"period": error.messages}) from error
    if Evaluation.objects.filter(unit=unit, period=span.code).exists():
        raise ValidationError(
            {"period": _("%(unit)s already has an evaluation for this period.") % {"unit": unit.name}}
        )
    card = scorecard or selectors.scorecard_for(unit, span)
    if card is None or not card.active:
        raise ValidationError(
            {
                "scorecard": _(
                    "No scorecard in use applies to this unit and year: ask the manager to activate one."
                )
            }
        )
    evaluation = Evaluation.objects.create(
        unit=unit, period=span.code, period_start=span.start, period_end=span.end, scorecard=card
    )
    criteria = Criterion.objects.filter(section__scorecard=card)
    Score.objects.bulk_create([Score(evaluation=evaluation, criterion=c) for c in criteria])
    _refresh_computed(evaluation)
    _transition(evaluation, "", by)
    return evaluation


def _refresh_computed(evaluation: Evaluation) -> None:
    for score in evaluation.scores.select_related("criterion"):
        if not score.criterion.computed:
            continue
        found = selectors.compute(score.criterion, evaluation.unit, evaluation.period)
        score.self_points = found.points
        score.source_text, score.source_url = found.text[:300], found.url[:500]
        score.save(update_fields=["self_points", "source_text", "source_url"])
    _totals(evaluation)


def _totals(evaluation: Evaluation) -> None:
    scores = list(evaluation.scores.all())
    evaluation.self_total = sum((s.self_points or Decimal(0) for s in scores), Decimal(0))
    if evaluation.state in (State.REVIEWED, State.FINAL):
        evaluation.total = sum((s.final or Decimal(0) for s in scores), Decimal(0))
    evaluation.save(update_fields=["self_total", "total"])


@transaction.atomic
def evaluation_refresh(*, evaluation: Evaluation, by: Actor) -> Evaluation:
    """Read the computed criteria again (while the unit is still assessing itself)."""
    _record(by, evaluation.unit)
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if evaluation.state != State.DRAFT:
        raise ValidationError(_("The evaluation is submitted: its figures are kept as they were."))
    _refresh_computed(evaluation)
    return evaluation


@dataclass(frozen=True)
class ScoreInput:
    criterion_id: int
    points: object = None  # ignored for a computed criterion
    note: str = ""
    evidence: str = ""
    evidence_file: uploads.Checked | None = None


@transaction.atomic
def self_assess(*, evaluation: Evaluation, scores: list[ScoreInput], by: Actor) -> Evaluation:
    """The unit's scores, notes and evidence. A computed score cannot be changed by the unit (a note may
    be added); a manual score is at most the criterion's maximum."""
    _record(by, evaluation.unit)
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if evaluation.state != State.DRAFT:
        raise ValidationError(_("The evaluation was submitted: the unit can no longer change it."))
    rows = {s.criterion_id: s for s in evaluation.scores.select_related("criterion")}
    errors: dict = {}
    changes = []
    for item in scores:
        score = rows.get(item.criterion_id)
        if score is None:
            errors["scores"] = _("A criterion does not belong to this evaluation's scorecard.")
            continue
        field = f"points_{score.criterion_id}"
        note = clean_text(item.note, f"note_{score.criterion_id}", errors, limit=TEXT_MAX, multiline=True)
        evidence = clean_text(
            item.evidence, f"evidence_{score.criterion_id}", errors, limit=TEXT_MAX, multiline=True
        )
        points = score.self_points
        if not score.criterion.computed and item.points not in (None, ""):
            points = _points(item.points, field, errors, maximum=score.criterion.max_points, required="")
        elif (
            score.criterion.computed
            and item.points not in (None, "")
            and _differs(item.points, score.self_points)
        ):
            errors[field] = _(
                "This score is computed from the system's figures: the unit cannot change it, only add a note."
            )
        changes.append((score, points, note, evidence, item.evidence_file))
    _raise(errors)
    for score, points, note, evidence, checked in changes:
        score.self_points, score.note, score.evidence = points, note, evidence
        if checked is not None:
            stored = uploads.store(score.evidence_file, checked)
            score.evidence_name = stored.name
        score.save()
    _totals(evaluation)
    return evaluation


def _differs(value: object, current: Decimal | None) -> bool:
    try:
        return current is None or Decimal(str(value)) != current
    except (InvalidOperation, ValueError):
        return True


@transaction.atomic
def evaluation_submit(*, evaluation: Evaluation, by: Actor) -> Evaluation:
    _record(by, evaluation.unit)
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if evaluation.state != State.DRAFT:
        raise ValidationError(_("The evaluation is already submitted."))
    missing = evaluation.scores.filter(self_points__isnull=True).select_related("criterion")
    if missing.exists():
        raise ValidationError(
            _("Score every criterion before submitting; still without a score: %(list)s.")
            % {"list": "; ".join(s.criterion.text[:60] for s in missing[:5])}
        )
    before = evaluation.state
    evaluation.state, evaluation.submitted_at = State.SUBMITTED, timezone.now()
    evaluation.save(update_fields=["state", "submitted_at"])
    _transition(evaluation, before, by)
    return evaluation


# ---------------------------------------------------------------- the review by the level above


@dataclass(frozen=True)
class ReviewInput:
    criterion_id: int
    points: object
    reason: str = ""


@transaction.atomic
def evaluation_review(*, evaluation: Evaluation, scores: list[ReviewInput], by: Actor) -> Evaluation:
    """The level above checks each score: it may change any, a reason required for each change. The
    proposed classification follows from the total by the thresholds in force on the period's end."""
    _review(by, evaluation.unit)
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if evaluation.state not in (State.SUBMITTED, State.REVIEWED):
        raise ValidationError(_("Only a submitted evaluation can be reviewed."))
    thresholds = selectors.thresholds_on(evaluation.period_end)
    if thresholds is None:
        raise ValidationError(
            _("No classification thresholds are in force for this period: ask the manager to set them.")
        )
    rows = {s.criterion_id: s for s in evaluation.scores.select_related("criterion")}
    errors: dict = {}
    changes = []
    for item in scores:
        score = rows.get(item.criterion_id)
        if score is None:
            errors["scores"] = _("A criterion does not belong to this evaluation's scorecard.")
            continue
        field = f"points_{score.criterion_id}"
        points = _points(
            item.points, field, errors, maximum=score.criterion.max_points, required=_("Give the points.")
        )
        reason = clean_text(
            item.reason, f"reason_{score.criterion_id}", errors, limit=TEXT_MAX, multiline=True
        )
        if points is not None and points != score.self_points and not reason:
            errors[f"reason_{score.criterion_id}"] = _("Say why the score is changed.")
        changes.append((score, points, reason))
    _raise(errors)
    for score, points, reason in changes:
        score.points = points
        score.change_reason = reason if points != score.self_points else ""
        score.save(update_fields=["points", "change_reason"])
    for score in rows.values():
        if score.points is None:
            score.points = score.self_points
            score.save(update_fields=["points"])
    before = evaluation.state
    evaluation.state, evaluation.reviewed_at, evaluation.thresholds = (
        State.REVIEWED,
        timezone.now(),
        thresholds,
    )
    evaluation.save(update_fields=["state", "reviewed_at", "thresholds"])
    _totals(evaluation)
    evaluation.proposed = thresholds.proposed(evaluation.total or Decimal(0))
    evaluation.save(update_fields=["proposed"])
    if before != State.REVIEWED:
        _transition(evaluation, before, by)
    return evaluation


@transaction.atomic
def evaluation_classify(
    *, evaluation: Evaluation, classification: str, reason: str = "", completion: str = "", by: Actor
) -> Evaluation:
    """The final classification by the level above, with how the unit carried out its assigned tasks
    (`completion`, Quy định 366-QĐ/TW Điều 11): never above what the points allow nor above what that
    allows; a level below the proposed one needs a reason."""
    _review(by, evaluation.unit)
    evaluation = (
        Evaluation.objects.select_for_update(of=("self",)).select_related("thresholds").get(pk=evaluation.pk)
    )
    if evaluation.state != State.REVIEWED:
        raise ValidationError(_("Review the scores before classifying."))
    errors: dict = {}
    reason = clean_text(reason, "reason", errors, limit=TEXT_MAX, multiline=True)
    if completion and completion not in Completion.values:
        errors["completion"] = _("Choose how the unit carried out its assigned tasks from the list.")
    if classification not in Classification.values:
        errors["classification"] = _("Choose the classification.")
    elif classification not in selectors.allowed_levels(evaluation):
        errors["classification"] = _(
            "A classification that contradicts the thresholds: with %(total)s points the highest level allowed is “%(level)s”."
        ) % {
            "total": _decimal(evaluation.total or Decimal(0)),
            "level": Classification(evaluation.proposed).label,
        }
    elif not errors:
        _check_completion(classification, completion, errors)
    if not errors and classification != evaluation.proposed and not reason:
        errors["reason"] = _("Say why the unit is classified below the level its points propose.")
    if not errors and classification == Classification.OUTSTANDING:
        _check_outstanding(evaluation, errors)
    _raise(errors)
    before = evaluation.state
    evaluation.classification = classification
    evaluation.classification_reason = reason
    evaluation.completion = completion
    evaluation.state, evaluation.classified_at = State.FINAL, timezone.now()
    evaluation.save()
    _transition(evaluation, before, by, note=reason)
    sources.refresh(evaluation.unit_id, evaluation.period_end)
    return evaluation


def _check_completion(classification: str, completion: str, errors: dict) -> None:
    """Điều 11 khoản 1–3: each level above "không hoàn thành" needs its tasks carried out in a given way."""
    if classification == Classification.FAILED:
        return
    if not completion:
        errors["completion"] = _(
            "Say how the unit carried out its assigned tasks: Quy định 366-QĐ/TW, Điều 11 sets a condition on "
            "them for each level besides the points."
        )
        return
    ceiling = COMPLETION_CEILING[Completion(completion)]
    if LEVELS.index(Classification(classification)) < LEVELS.index(ceiling):
        errors["classification"] = _(
            "With the assigned tasks carried out as stated (“%(completion)s”), Quy định 366-QĐ/TW, Điều 11 "
            "allows at most “%(level)s”."
        ) % {"completion": Completion(completion).label, "level": ceiling.label}


def _check_outstanding(evaluation: Evaluation, errors: dict) -> None:
    """What a threshold version may add for "xuất sắc" (off by default): a floor per criterion, a share cap."""
    thresholds = evaluation.thresholds
    if thresholds is None:
        return
    if thresholds.criterion_floor is not None:
        low = [
            s
            for s in evaluation.scores.select_related("criterion")
            if (s.final or 0) * 100 < s.criterion.max_points * thresholds.criterion_floor
        ]
        if low:
            errors["classification"] = _(
                "“Excellent” needs every criterion at %(floor)s %% of its maximum or more; below it: %(list)s."
            ) % {
                "floor": thresholds.criterion_floor,
                "list": "; ".join(s.criterion.text[:60] for s in low[:3]),
            }
            return
    if thresholds.share_cap is not None:
        peers, units = selectors.peers(evaluation)
        outstanding = peers.filter(state=State.FINAL, classification=Classification.OUTSTANDING).count()
        if (outstanding + 1) * 100 > thresholds.share_cap * units:
            errors["classification"] = _(
                "At most %(cap)s %% of the units of this level may be classified “excellent”; the share is reached."
            ) % {"cap": thresholds.share_cap}
