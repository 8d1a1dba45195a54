"""Writes of the “Dân vận khéo” models: campaigns, models and their results and evidence, the stages
(nominate, review, recognise, return) and replications.

Every function checks `by` through the policy first, then the input, raising ValidationError (field →
Vietnamese message) before anything is saved, all in one transaction:

- a campaign is run by a unit where `by` holds EMULATION_MANAGE, once a year; its dates follow each
  other (nominations until ≤ review until ≤ recognition by);
- a model is registered (EMULATION_RECORD at its unit) in an open campaign of the unit or of a unit above
  it; it starts on a day not in the future; its results are numbers; it can be changed only as a draft
  or once returned;
- it is nominated by its unit on or before the campaign's nomination deadline;
- it is reviewed, recognised or returned by the level above: EMULATION_REVIEW held at a unit strictly
  above the model's unit (`policy.can_above`); a root unit's model, which has no level above, by the
  holders of EMULATION_MANAGE at that root (`selectors.may_review`); anyone else is refused with a
  message saying so;
  a score above its criterion's maximum is refused; recognition needs the decision's number, date
  and level;
- a recognised model is replicated by another unit (EMULATION_RECORD there), once per unit.

Each change of stage writes a `Transition` (who, when, note); the audit log records every row written.
The report figures (`sources`) of the prepared periods touched are recomputed in the same transaction.
"""

import dataclasses
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
from danvan.core.dates import day_text
from danvan.core.text import clean_text
from danvan.orgs.models import Unit

from . import indexing, selectors, sources
from .criteria import BY_CODE, CRITERIA
from .models import (
    EDITABLE,
    WAITING,
    Campaign,
    CampaignState,
    Evidence,
    Exemplar,
    Field,
    Level,
    Replication,
    Result,
    Score,
    Stage,
    Transition,
)

TITLE_MAX = 300
TEXT_MAX = 10_000
LINE_MAX = 200
RESULTS_MAX = 20
NUMBER_MAX = Decimal("999999999999.99")
EVIDENCE_FILES_MAX = 10


def _today() -> datetime.date:
    return timezone.localdate()


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _is_day(value: object) -> bool:
    return isinstance(value, datetime.date) and not isinstance(value, datetime.datetime)


def _check_unit(unit: object, errors: dict, name: str = "unit") -> bool:
    if not isinstance(unit, Unit) or unit.pk is None:
        errors[name] = _("Choose the unit.")
        return False
    if not unit.is_active:
        errors[name] = _("Unit %(code)s has ended: choose a unit that exists today.") % {"code": unit.code}
        return False
    return True


def _move(exemplar: Exemplar, to: str, by: Actor, note: str = "") -> None:
    Transition.objects.create(
        exemplar=exemplar, from_stage=exemplar.stage, to_stage=to, by=recorded_user(by), note=note
    )
    exemplar.stage = to


# ---------------------------------------------------------------- campaigns


@dataclass
class CampaignSpec:
    unit: Unit
    year: int
    title: str
    nominations_until: datetime.date | None
    review_until: datetime.date | None
    recognition_by: datetime.date | None
    state: str = CampaignState.OPEN


def _check_campaign(spec: CampaignSpec, errors: dict, *, campaign: Campaign | None = None) -> str:
    title = clean_text(spec.title, "title", errors, limit=TITLE_MAX, required=_("Give the campaign a title."))
    if not isinstance(spec.year, int) or not 2000 <= spec.year <= 2100:
        errors["year"] = _("Give the year of the campaign (2000–2100).")
    names = ("nominations_until", "review_until", "recognition_by")
    days = [getattr(spec, name) for name in names]
    for name, day in zip(names, days, strict=True):
        if not _is_day(day):
            errors[name] = _("Type the date as dd/mm/yyyy, e.g. 05/03/2026.")
    if all(_is_day(day) for day in days):
        if days[0] > days[1]:
            errors["review_until"] = _("The review ends on or after the nomination deadline.")
        elif days[1] > days[2]:
            errors["recognition_by"] = _("Recognition comes on or after the end of the review.")
    if spec.state not in CampaignState.values:
        errors["state"] = _("Choose the state of the campaign.")
    if "year" not in errors and isinstance(spec.unit, Unit):
        clash = Campaign.objects.filter(unit=spec.unit, year=spec.year)
        if campaign is not None:
            clash = clash.exclude(pk=campaign.pk)
        if clash.exists():
            errors["year"] = _("%(unit)s already runs a campaign in %(year)s.") % {
                "unit": spec.unit.name,
                "year": spec.year,
            }
    return title


@transaction.atomic
def campaign_create(*, spec: CampaignSpec, by: Actor) -> Campaign:
    """Open the yearly campaign of a unit (EMULATION_MANAGE there) for its subtree."""
    errors: dict = {}
    _check_unit(spec.unit, errors)
    _raise(errors)
    policy.require(by, Perm.EMULATION_MANAGE, spec.unit)
    title = _check_campaign(spec, errors)
    _raise(errors)
    return Campaign.objects.create(  # type: ignore[misc]  # the dates were checked above
        unit=spec.unit,
        year=spec.year,
        title=title,
        nominations_until=spec.nominations_until,
        review_until=spec.review_until,
        recognition_by=spec.recognition_by,
        state=spec.state,
        created_by=recorded_user(by),
    )


@transaction.atomic
def campaign_update(*, campaign: Campaign, spec: CampaignSpec, by: Actor) -> Campaign:
    """Change a campaign's title, year, dates or state (it stays with its unit)."""
    policy.require(by, Perm.EMULATION_MANAGE, campaign.unit)
    errors: dict = {}
    spec.unit = campaign.unit
    title = _check_campaign(spec, errors, campaign=campaign)
    _raise(errors)
    campaign.title, campaign.year, campaign.state = title, spec.year, spec.state
    campaign.nominations_until = spec.nominations_until  # type: ignore[assignment]
    campaign.review_until = spec.review_until  # type: ignore[assignment]
    campaign.recognition_by = spec.recognition_by  # type: ignore[assignment]
    campaign.save()
    indexing.campaign_changed(campaign)
    return campaign


@transaction.atomic
def campaign_delete(*, campaign: Campaign, by: Actor) -> None:
    """Delete a campaign opened by mistake (EMULATION_MANAGE at its unit; audited), only while no model
    is registered in it: once units have registered models, the campaign is the record of their work."""
    policy.require(by, Perm.EMULATION_MANAGE, campaign.unit)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    count = Exemplar.objects.filter(campaign=campaign).count()
    if count:
        raise ValidationError(
            _(
                "%(count)s models are registered in this campaign: it cannot be deleted. Close it instead "
                "(change its state)."
            )
            % {"count": count}
        )
    campaign.delete()


# ---------------------------------------------------------------- models


@dataclass
class ResultSpec:
    measure: str
    unit_of_measure: str = ""
    before: object = None
    after: object = None


@dataclass
class ExemplarSpec:
    campaign: Campaign | None
    unit: Unit
    field: str
    title: str
    authors: str
    description: str
    started_on: datetime.date | None
    results: list[ResultSpec] = dataclasses.field(default_factory=list)


def _number(value: object, name: str, errors: dict) -> Decimal | None:
    if isinstance(value, bool) or value is None or value == "":
        errors[name] = _("Give the figure as a number, e.g. 1.250 or 73,5.")
        return None
    try:
        number = Decimal(str(value).strip().replace(" ", "")) if isinstance(value, str) else Decimal(value)  # type: ignore[arg-type]
    except (InvalidOperation, ValueError, TypeError):
        errors[name] = _("Give the figure as a number, e.g. 1.250 or 73,5.")
        return None
    if not number.is_finite() or abs(number) > NUMBER_MAX:
        errors[name] = _("Give the figure as a number, e.g. 1.250 or 73,5.")
        return None
    return number.quantize(Decimal("0.01"))


def _check_results(specs: list[ResultSpec], errors: dict) -> list[Result]:
    if len(specs) > RESULTS_MAX:
        errors["results"] = _("Give at most %(count)s results.") % {"count": RESULTS_MAX}
        return []
    rows = []
    for index, spec in enumerate(specs):
        prefix = f"results.{index}."
        measure = clean_text(
            spec.measure, prefix + "measure", errors, limit=LINE_MAX, required=_("Say what is measured.")
        )
        unit = clean_text(spec.unit_of_measure, prefix + "unit_of_measure", errors, limit=50)
        before = _number(spec.before, prefix + "before", errors)
        after = _number(spec.after, prefix + "after", errors)
        if before is not None and after is not None:
            rows.append(
                Result(position=index, measure=measure, unit_of_measure=unit, before=before, after=after)
            )
    return rows


def _check_exemplar(spec: ExemplarSpec, errors: dict) -> dict:
    campaign = spec.campaign
    if not isinstance(campaign, Campaign):
        errors["campaign"] = _("Choose the campaign the model takes part in.")
    elif isinstance(spec.unit, Unit) and not spec.unit.path.startswith(campaign.unit.path):
        errors["campaign"] = _(
            "The campaign of %(unit)s does not reach this unit: choose a campaign of the unit or of a unit above it."
        ) % {"unit": campaign.unit.name}
    elif not campaign.is_open:
        errors["campaign"] = _("The campaign %(title)s is closed.") % {"title": campaign.title}
    if spec.field not in Field.values:
        errors["field"] = _("Choose the field of the model.")
    title = clean_text(spec.title, "title", errors, limit=TITLE_MAX, required=_("Name the model."))
    authors = clean_text(
        spec.authors,
        "authors",
        errors,
        limit=TEXT_MAX,
        multiline=True,
        required=_("Name the people or the collective behind the model."),
    )
    description = clean_text(
        spec.description,
        "description",
        errors,
        limit=TEXT_MAX,
        multiline=True,
        required=_("Describe the model."),
    )
    if not _is_day(spec.started_on):
        errors["started_on"] = _("Give the date the model started.")
    elif spec.started_on > _today():  # type: ignore[operator]
        errors["started_on"] = _("The date cannot be in the future.")
    return {
        "campaign": campaign,
        "unit": spec.unit,
        "field": spec.field,
        "title": title,
        "authors": authors,
        "description": description,
        "started_on": spec.started_on,
    }


def _save_results(exemplar: Exemplar, rows: list[Result]) -> None:
    exemplar.results.all().delete()
    for row in rows:
        row.exemplar = exemplar
        row.save()


@transaction.atomic
def exemplar_create(*, spec: ExemplarSpec, by: Actor) -> Exemplar:
    """Register a model (a draft) at a unit where `by` holds EMULATION_RECORD."""
    errors: dict = {}
    _check_unit(spec.unit, errors)
    _raise(errors)
    policy.require(by, Perm.EMULATION_RECORD, spec.unit)
    values = _check_exemplar(spec, errors)
    rows = _check_results(spec.results, errors)
    _raise(errors)
    # The campaign is locked as `campaign_delete` locks it: a deletion and a registration never cross.
    if Campaign.objects.select_for_update().filter(pk=values["campaign"].pk).first() is None:
        raise ValidationError({"campaign": _("Choose the campaign the model takes part in.")})
    exemplar = Exemplar.objects.create(
        **values, stage=Stage.DRAFT, registered_on=_today(), created_by=recorded_user(by)
    )
    _save_results(exemplar, rows)
    Transition.objects.create(exemplar=exemplar, from_stage="", to_stage=Stage.DRAFT, by=recorded_user(by))
    sources.refresh({exemplar.unit_id}, {exemplar.registered_on})
    indexing.changed(exemplar)
    return exemplar


def _refuse_unless_editable(exemplar: Exemplar) -> None:
    if exemplar.stage not in EDITABLE:
        raise ValidationError(
            _("The model is %(stage)s: it can be changed only as a draft or once returned.")
            % {"stage": exemplar.get_stage_display()}
        )


@transaction.atomic
def exemplar_update(*, exemplar: Exemplar, spec: ExemplarSpec, by: Actor) -> Exemplar:
    """Correct a draft or returned model (it may move to another unit of `by`'s reach)."""
    policy.require(by, Perm.EMULATION_RECORD, exemplar.unit)
    errors: dict = {}
    _check_unit(spec.unit, errors)
    _raise(errors)
    if spec.unit.pk != exemplar.unit_id:
        policy.require(by, Perm.EMULATION_RECORD, spec.unit)
    exemplar = Exemplar.objects.select_for_update().get(pk=exemplar.pk)
    _refuse_unless_editable(exemplar)
    values = _check_exemplar(spec, errors)
    rows = _check_results(spec.results, errors)
    _raise(errors)
    before = exemplar.unit_id
    for name, value in values.items():
        setattr(exemplar, name, value)
    exemplar.save()
    indexing.changed(exemplar)
    _save_results(exemplar, rows)
    sources.refresh({before, exemplar.unit_id}, {exemplar.registered_on, exemplar.decision_date})
    return exemplar


@transaction.atomic
def evidence_add(*, exemplar: Exemplar, upload: uploads.Checked, by: Actor) -> Evidence:
    """Attach a checked file (PDF, DOCX, XLSX, JPEG, PNG) to a model its unit may still change."""
    policy.require(by, Perm.EMULATION_RECORD, exemplar.unit)
    _refuse_unless_editable(exemplar)
    if exemplar.evidence.count() >= EVIDENCE_FILES_MAX:
        raise ValidationError(
            {"file": _("A model keeps at most %(count)s files.") % {"count": EVIDENCE_FILES_MAX}}
        )
    row = Evidence(exemplar=exemplar, uploaded_by=recorded_user(by))
    stored = uploads.store(row.file, upload)
    row.name, row.content_type = stored.name[:150], stored.content_type[:100]
    row.sha256, row.size = stored.sha256, stored.size
    try:
        with transaction.atomic():
            row.save()
    except BaseException:
        uploads.discard([stored])
        raise
    return row


@transaction.atomic
def evidence_remove(*, evidence: Evidence, by: Actor) -> None:
    exemplar = evidence.exemplar
    policy.require(by, Perm.EMULATION_RECORD, exemplar.unit)
    _refuse_unless_editable(exemplar)
    evidence.delete()
    uploads.discard_after_commit([evidence.file])


# ---------------------------------------------------------------- stages


def _locked(exemplar: Exemplar) -> Exemplar:
    return (
        Exemplar.objects.select_for_update(of=("self",))
        .select_related("campaign", "unit")
        .get(pk=exemplar.pk)
    )


@transaction.atomic
def exemplar_nominate(*, exemplar: Exemplar, by: Actor, today: datetime.date | None = None) -> Exemplar:
    """The unit submits its draft (or corrected) model to the level above, by the nomination deadline."""
    policy.require(by, Perm.EMULATION_RECORD, exemplar.unit)
    exemplar = _locked(exemplar)
    today = today or _today()
    if exemplar.stage not in EDITABLE:
        raise ValidationError(
            _("Only a draft or a returned model can be nominated; this one is %(stage)s.")
            % {"stage": exemplar.get_stage_display()}
        )
    campaign = exemplar.campaign
    if not campaign.is_open:
        raise ValidationError(_("The campaign %(title)s is closed.") % {"title": campaign.title})
    if today > campaign.nominations_until:
        raise ValidationError(
            _("Nominations to %(title)s closed on %(day)s: the model can no longer be nominated.")
            % {"title": campaign.title, "day": day_text(campaign.nominations_until)}
        )
    _move(exemplar, Stage.NOMINATED, by)
    exemplar.nominated_on = today
    exemplar.save()
    indexing.changed(exemplar)
    return exemplar


def _require_above(by: Actor, exemplar: Exemplar) -> None:
    """The level above: EMULATION_REVIEW held at a unit strictly above the model's unit; for a model of a
    root unit (no level above), EMULATION_MANAGE at that root — the rule lives in `selectors.may_review`."""
    if not selectors.may_review(by, exemplar.unit):
        raise PermissionDenied(
            _(
                "Models of %(unit)s are reviewed and recognised by the level above it: you do not hold that right above this unit."
            )
            % {"unit": exemplar.unit.name}
        )


def _refuse_unless_waiting(exemplar: Exemplar) -> None:
    if exemplar.stage not in WAITING:
        raise ValidationError(
            _("The model is %(stage)s: only a nominated or reviewed model waits for the level above.")
            % {"stage": exemplar.get_stage_display()}
        )


@transaction.atomic
def exemplar_review(*, exemplar: Exemplar, scores: dict[str, object], opinion: str, by: Actor) -> Exemplar:
    """The level above scores each criterion (not above its maximum) and gives its opinion."""
    _require_above(by, exemplar)
    exemplar = _locked(exemplar)
    _refuse_unless_waiting(exemplar)
    errors: dict = {}
    points: dict[str, int] = {}
    for criterion in CRITERIA:
        value = scores.get(criterion.code)
        if isinstance(value, bool) or not isinstance(value, int):
            errors[f"score_{criterion.code}"] = _("Give the points for “%(criterion)s” (0–%(maximum)s).") % {
                "criterion": criterion.label,
                "maximum": criterion.maximum,
            }
        elif value < 0:
            errors[f"score_{criterion.code}"] = _("Points cannot be negative.")
        elif value > criterion.maximum:
            errors[f"score_{criterion.code}"] = _(
                "“%(criterion)s” is scored out of %(maximum)s points: %(value)s is above its maximum."
            ) % {"criterion": criterion.label, "maximum": criterion.maximum, "value": value}
        else:
            points[criterion.code] = value
    unknown = set(scores) - set(BY_CODE)
    if unknown:
        errors["scores"] = _("Unknown criterion: %(codes)s.") % {"codes": ", ".join(sorted(unknown))}
    opinion = clean_text(
        opinion,
        "opinion",
        errors,
        limit=TEXT_MAX,
        multiline=True,
        required=_("Write the opinion of the review."),
    )
    _raise(errors)
    exemplar.scores.all().delete()
    Score.objects.bulk_create(
        [Score(exemplar=exemplar, criterion=code, points=n) for code, n in points.items()]
    )
    total = sum(points.values())
    if exemplar.stage != Stage.REVIEWED:
        _move(exemplar, Stage.REVIEWED, by, note=opinion)
    else:
        Transition.objects.create(
            exemplar=exemplar,
            from_stage=Stage.REVIEWED,
            to_stage=Stage.REVIEWED,
            by=recorded_user(by),
            note=opinion,
        )
    exemplar.opinion, exemplar.total_score, exemplar.reviewed_on = opinion, total, _today()
    exemplar.save()
    indexing.changed(exemplar)
    return exemplar


@transaction.atomic
def exemplar_recognise(
    *,
    exemplar: Exemplar,
    decision_number: str,
    decision_date: datetime.date | None,
    level: str,
    by: Actor,
) -> Exemplar:
    """The level above recognises a reviewed model by a decision (number, date, level)."""
    _require_above(by, exemplar)
    exemplar = _locked(exemplar)
    if exemplar.stage != Stage.REVIEWED:
        raise ValidationError(
            _("Review the model (scores and opinion) before recognising it; it is %(stage)s.")
            % {"stage": exemplar.get_stage_display()}
        )
    errors: dict = {}
    number = clean_text(
        decision_number, "decision_number", errors, limit=60, required=_("Give the number of the decision.")
    )
    if not _is_day(decision_date):
        errors["decision_date"] = _("Give the date of the decision.")
    elif decision_date > _today():  # type: ignore[operator]
        errors["decision_date"] = _("The date cannot be in the future.")
    elif exemplar.nominated_on and decision_date < exemplar.nominated_on:  # type: ignore[operator]
        errors["decision_date"] = _("The decision cannot come before the nomination (%(day)s).") % {
            "day": day_text(exemplar.nominated_on)
        }
    if level not in Level.values:
        errors["level"] = _("Choose the level of recognition.")
    _raise(errors)
    _move(
        exemplar,
        Stage.RECOGNISED,
        by,
        note=_("Decision %(number)s of %(day)s") % {"number": number, "day": day_text(decision_date)},
    )
    exemplar.decision_number, exemplar.decision_date, exemplar.level = number, decision_date, level
    exemplar.return_reason = ""
    exemplar.save()
    indexing.changed(exemplar)
    sources.refresh({exemplar.unit_id}, {decision_date})
    return exemplar


@transaction.atomic
def exemplar_return(*, exemplar: Exemplar, reason: str, by: Actor) -> Exemplar:
    """The level above sends a nominated or reviewed model back to its unit, with its reasons."""
    _require_above(by, exemplar)
    exemplar = _locked(exemplar)
    _refuse_unless_waiting(exemplar)
    errors: dict = {}
    reason = clean_text(
        reason, "reason", errors, limit=TEXT_MAX, multiline=True, required=_("Say why the model is returned.")
    )
    _raise(errors)
    _move(exemplar, Stage.RETURNED, by, note=reason)
    exemplar.return_reason = reason
    exemplar.save()
    indexing.changed(exemplar)
    return exemplar


# ---------------------------------------------------------------- replications


@dataclass
class ReplicationSpec:
    unit: Unit
    adopted_on: datetime.date | None
    note: str = ""
    results: str = ""


@transaction.atomic
def replication_record(*, exemplar: Exemplar, spec: ReplicationSpec, by: Actor) -> Replication:
    """Another unit (EMULATION_RECORD there) records that it adopted a recognised model."""
    errors: dict = {}
    _check_unit(spec.unit, errors)
    _raise(errors)
    policy.require(by, Perm.EMULATION_RECORD, spec.unit)
    exemplar = _locked(exemplar)
    if exemplar.stage != Stage.RECOGNISED:
        raise ValidationError(
            _("Only a recognised model can be replicated; this one is %(stage)s.")
            % {"stage": exemplar.get_stage_display()}
        )
    if spec.unit.pk == exemplar.unit_id:
        errors["unit"] = _("The model's own unit does not replicate it: choose another unit.")
    elif Replication.objects.filter(exemplar=exemplar, unit=spec.unit).exists():
        errors["unit"] = _("%(unit)s has already recorded that it replicates this model.") % {
            "unit": spec.unit.name
        }
    if not _is_day(spec.adopted_on):
        errors["adopted_on"] = _("Give the date the unit adopted the model.")
    elif spec.adopted_on > _today():  # type: ignore[operator]
        errors["adopted_on"] = _("The date cannot be in the future.")
    note = clean_text(spec.note, "note", errors, limit=TEXT_MAX, multiline=True)
    results = clean_text(spec.results, "results", errors, limit=TEXT_MAX, multiline=True)
    _raise(errors)
    row = Replication.objects.create(  # type: ignore[misc]  # the date was checked above
        exemplar=exemplar,
        unit=spec.unit,
        adopted_on=spec.adopted_on,
        note=note,
        results=results,
        created_by=recorded_user(by),
    )
    sources.refresh({row.unit_id}, {row.adopted_on}, keys=[sources.REPLICATED])
    return row


@transaction.atomic
def replication_delete(*, replication: Replication, by: Actor) -> None:
    """Delete a replication recorded in error."""
    policy.require(by, Perm.EMULATION_RECORD, replication.unit)
    unit_id, day = replication.unit_id, replication.adopted_on
    replication.delete()
    sources.refresh({unit_id}, {day}, keys=[sources.REPLICATED])
