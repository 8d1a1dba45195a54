"""Reads of the evaluations: scope by the policy, the figures a computed criterion reads, thresholds in
force, rankings and counts per classification.

A computed score reads `danvan.reports` for the unit and the evaluation's period (its own approved values
plus the roll-up below it, `reports.selectors.figures`) only when that period is prepared; otherwise the
score is left empty with the reason, and the unit cannot submit until the figures exist or the manager
changes the criterion. Every computed score keeps where it came from: the dashboard of the unit and period
for that indicator (or the reports' list for on-time reports), so the figure is traceable.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from danvan.accounts import policy
from danvan.accounts.policy import Perm
from danvan.core.paths import path_upper_bound
from danvan.core.text import sort_key
from danvan.orgs.models import Unit
from danvan.orgs.selectors import in_subtree, latest_version, version_on, versions_on
from danvan.reports import periods
from danvan.reports import selectors as report_selectors
from danvan.reports.models import DataElement, Indicator, Report

from .models import (
    LEVELS,
    Classification,
    Criterion,
    Evaluation,
    Method,
    Scorecard,
    State,
    Thresholds,
)

TWO = Decimal("0.01")
PERIOD_TYPES = ("annual", "semiannual")


def evaluations_for(user: Any, perm: Perm = Perm.EMULATION_VIEW) -> QuerySet[Evaluation]:
    qs = Evaluation.objects.select_related("unit", "scorecard")
    return policy.scope(user, perm, qs, field="unit__path")


def scorecards() -> QuerySet[Scorecard]:
    return Scorecard.objects.prefetch_related("unit_types").annotate(
        total=Sum("sections__criteria__max_points"), used=Count("evaluations", distinct=True)
    )


def total_points(scorecard: Scorecard) -> Decimal:
    total = Criterion.objects.filter(section__scorecard=scorecard).aggregate(total=Sum("max_points"))["total"]
    return total or Decimal(0)


def in_use(scorecard: Scorecard) -> bool:
    return Evaluation.objects.filter(scorecard=scorecard).exists()


def thresholds_on(day: datetime.date) -> Thresholds | None:
    """The version of the classification scale in force on `day`."""
    return Thresholds.objects.filter(valid_from__lte=day).order_by("-valid_from").first()


def period_span(code: str) -> periods.Span:
    """The period an evaluation is for: a year (2025) or a half-year (2025S1, 2025S2); ValidationError otherwise."""
    from django.core.exceptions import ValidationError

    try:
        found = periods.span(code)
    except periods.PeriodCodeError as error:
        raise ValidationError(str(error)) from error
    if found.period_type not in PERIOD_TYPES:
        raise ValidationError(_("An evaluation is for a year (2025) or a half-year (2025S1, 2025S2)."))
    return found


def scorecard_for(unit: Unit, span: periods.Span) -> Scorecard | None:
    """The active template that applies to `unit` for the period `span`: the latest applying from its year
    or before, for the type the unit had at the period's end (or for every type) — the same day `unopened`
    reads, so the work home never points to an evaluation that cannot be opened."""
    version = version_on(unit, span.end) or latest_version(unit)
    type_id = version.unit_type_id
    qs = Scorecard.objects.filter(active=True, applies_from__lte=span.year).order_by("-applies_from", "-id")
    for card in qs.prefetch_related("unit_types"):
        types = {t.pk for t in card.unit_types.all()}
        if not types or type_id in types:
            return card
    return None


# ---------------------------------------------------------------- computed scores


@dataclass(frozen=True)
class Computed:
    points: Decimal | None
    text: str
    url: str = ""


def _points(max_points: Decimal, share: Fraction) -> Decimal:
    share = max(Fraction(0), min(Fraction(1), share))
    value = Decimal(share.numerator) / Decimal(share.denominator) * max_points
    return value.quantize(TWO, rounding=ROUND_HALF_UP)


def _dashboard(unit: Unit, code: str, indicator: str = "") -> str:
    query = {"unit": unit.code, "period": code}
    if indicator:
        query["indicator"] = indicator
    return f"{reverse('reports:dashboard')}?{urlencode(query)}"


def _number(value: Fraction | None) -> str:
    if value is None:
        return "—"
    text = f"{float(value):.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def reports_on_time(unit: Unit, start: datetime.date, end: datetime.date) -> tuple[int, int]:
    """(on time, expected): the unit's own reports for periods within [start, end], submitted by their deadline."""
    expected = on_time = 0
    qs = Report.objects.filter(unit=unit, period__start__gte=start, period__end__lte=end).select_related(
        "form", "period"
    )
    for report in qs:
        expected += 1
        if report.submitted_at and report.status in report_selectors.SUBMITTED_STATES:
            day = timezone.localtime(report.submitted_at).date()
            on_time += int(day <= periods.deadline_for(report.form, report.period))
    return on_time, expected


def report_period(span: periods.Span) -> tuple[Any, str]:
    """The prepared reports period an evaluation of `span` reads its figures from, and its code: the period of
    the same code; for a year whose calendar reports by reporting year instead (15/12 – 14/12, Nghị định
    09/2019/NĐ-CP Điều 12), that reporting year. (None, the evaluation's code) when neither is prepared."""
    codes = [span.code, f"{span.code}RY"] if span.period_type == "annual" else [span.code]
    for code in codes:
        period = report_selectors.period_find(code)
        if report_selectors.is_prepared(period):
            return period, code
    return None, span.code


def compute(criterion: Criterion, unit: Unit, code: str) -> Computed:
    """The points of a computed criterion for `unit` and the period `code`, with where they come from."""
    span = period_span(code)
    words = periods.period_words(code)
    if criterion.method == Method.REPORTS_ON_TIME:
        on_time, expected = reports_on_time(unit, span.start, span.end)
        url = reverse("reports:home")
        if not expected:
            return Computed(
                None, _("No report of the unit was expected in %(period)s.") % {"period": words}, url
            )
        return Computed(
            _points(criterion.max_points, Fraction(on_time, expected)),
            _("%(on_time)s of %(expected)s reports submitted on time in %(period)s")
            % {"on_time": on_time, "expected": expected, "period": words},
            url,
        )
    period, read = report_period(span)
    if period is None:
        return Computed(None, _("The figures of %(period)s are not prepared yet.") % {"period": words})
    words = periods.period_words(read)
    if criterion.method == Method.ELEMENT_COUNT:
        element = DataElement.objects.filter(code=criterion.code).first()
        if element is None:
            return Computed(
                None, _("The figure %(code)s is not in the catalogue yet.") % {"code": criterion.code}
            )
        value = (
            report_selectors.element_totals(unit=unit, period=period, codes=[element.code])[element.code] or 0
        )
        need = criterion.count or 1
        points = criterion.max_points if value >= need else Decimal(0)
        return Computed(
            points,
            _("%(name)s: %(value)s (needed: %(count)s), %(period)s")
            % {"name": element.name, "value": value, "count": need, "period": words},
            _dashboard(unit, read),
        )
    if criterion.method == Method.TARGETS_MET:
        rows = [f for f in report_selectors.table(unit=unit, period=period) if f.met is not None]
        if not rows:
            return Computed(None, _("No target applies to the unit in %(period)s.") % {"period": words})
        met = sum(1 for f in rows if f.met)
        return Computed(
            _points(criterion.max_points, Fraction(met, len(rows))),
            _("%(met)s of %(total)s targets met, %(period)s")
            % {"met": met, "total": len(rows), "period": words},
            _dashboard(unit, read),
        )
    indicator = Indicator.objects.filter(code=criterion.code).first()
    if indicator is None:
        return Computed(
            None, _("The indicator %(code)s is not in the catalogue yet.") % {"code": criterion.code}
        )
    found = report_selectors.figures(unit=unit, period=period, indicator=indicator)
    url = _dashboard(unit, read, indicator.code)
    target = Fraction(found.target.value) if found.target is not None else None
    text = _("%(name)s: %(value)s (target: %(target)s), %(period)s") % {
        "name": indicator.name,
        "value": _number(found.value),
        "target": _number(target),
        "period": words,
    }
    if found.value is None:
        return Computed(Decimal(0), text, url)
    if criterion.method == Method.INDICATOR_MET:
        return Computed(criterion.max_points if found.met else Decimal(0), text, url)
    # INDICATOR_RATIO: value / target, capped at the maximum (no target: full points when there is a value)
    share = found.value / target if target else Fraction(1)
    return Computed(_points(criterion.max_points, share), text, url)


# ---------------------------------------------------------------- rankings


@dataclass
class Ranked:
    rank: int | None
    unit: Unit
    evaluation: Evaluation | None


def competition(rows: list[tuple[Unit, Evaluation | None]]) -> list[Ranked]:
    """Standard competition ranks on the final total (1, 2, 2, 4); within a tie, by name in Vietnamese
    order; units without a final evaluation last, unranked."""
    scored = [(u, e) for u, e in rows if e is not None and e.state == State.FINAL and e.total is not None]
    unscored = [(u, e) for u, e in rows if (u, e) not in scored]
    scored.sort(key=lambda pair: (-(pair[1].total or 0), sort_key(pair[0].name)))
    result: list[Ranked] = []
    previous: Decimal | None = None
    rank = 0
    for position, (unit, evaluation) in enumerate(scored, start=1):
        assert evaluation is not None
        if evaluation.total != previous:
            rank, previous = position, evaluation.total
        result.append(Ranked(rank, unit, evaluation))
    unscored.sort(key=lambda pair: sort_key(pair[0].name))
    result.extend(Ranked(None, unit, evaluation) for unit, evaluation in unscored)
    return result


def ranking(*, user: Any, unit: Unit, code: str, unit_type: str = "") -> list[Ranked]:
    """The units of one level under `unit` (its children, or every unit of `unit_type` in its subtree,
    as the tree stood at the period's end) ranked on their final evaluation for `code`."""
    span = period_span(code)
    place = version_on(unit, span.end)
    if place is None:
        return []
    versions = versions_on(span.end).select_related("unit")
    versions = versions.filter(path__gt=place.path, path__lt=path_upper_bound(place.path))
    versions = versions.filter(unit_type__code=unit_type) if unit_type else versions.filter(parent=unit)
    units = [v.unit for v in versions]
    units = [u for u in units if policy.can(user, Perm.EMULATION_VIEW, u)]
    found = {e.unit_id: e for e in Evaluation.objects.filter(unit__in=units, period=span.code)}
    return competition([(u, found.get(u.pk)) for u in units])


# ---------------------------------------------------------------- counts per classification (report sources)


def classified(code: str, unit_ids: list[int] | None, level: str) -> dict[int, int]:
    """For the report sources: unit id → 1 if its evaluation for `code` is final and classified `level`
    (or, with level "", every unit with a final evaluation), 0 for the other finally evaluated units."""
    qs = Evaluation.objects.filter(period=code, state=State.FINAL)
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    return {
        unit_id: int(not level or value == level)
        for unit_id, value in qs.values_list("unit_id", "classification")
    }


def counts(user: Any, year: int) -> dict[str, int]:
    """Final classifications of the year (annual evaluations) the user sees, per level."""
    rows = (
        evaluations_for(user)
        .filter(period=str(year), state=State.FINAL)
        .values("classification")
        .annotate(n=Count("id"))
    )
    found = {row["classification"]: row["n"] for row in rows}
    return {level: found.get(level, 0) for level in Classification.values}


def in_progress(user: Any, year: int) -> dict[str, int]:
    qs = evaluations_for(user).filter(period_end__year=year)
    return {
        "submitted": qs.filter(state=State.SUBMITTED).count(),
        "final": qs.filter(state=State.FINAL).count(),
    }


# ---------------------------------------------------------------- work due


def due_reviews(user: Any) -> QuerySet[Evaluation]:
    """Submitted evaluations of units strictly below where the user reviews."""
    qs = evaluations_for(user, Perm.EMULATION_REVIEW).filter(state__in=[State.SUBMITTED, State.REVIEWED])
    paths = policy.scope_paths(user, Perm.EMULATION_REVIEW)
    if paths is None:
        return qs
    return qs.exclude(unit__path__in=paths)


def due_self_assessments(user: Any, today: datetime.date) -> QuerySet[Evaluation]:
    """Evaluations of the user's units whose period has ended and that are not submitted yet."""
    return evaluations_for(user, Perm.EMULATION_RECORD).filter(state=State.DRAFT, period_end__lt=today)


def due_periods(today: datetime.date) -> list[periods.Span]:
    """The periods a unit is expected to have opened its evaluation for by `today`: the last year and the
    last half-year that have ended (older periods are left to the evaluations' list, so the work stays
    bounded)."""
    half = f"{today.year}S1" if today > datetime.date(today.year, 6, 30) else f"{today.year - 1}S2"
    return [period_span(str(today.year - 1)), period_span(half)]


def unopened(units: QuerySet[Unit], span: periods.Span, today: datetime.date) -> QuerySet[Unit]:
    """The units of `units` that have no evaluation for the period `span` although a scorecard in use
    applies to them (as `scorecard_for` decides, by the type the unit had at the period's end): units that
    existed at the period's end and still exist today. One query, whatever the number of units."""
    applies = Scorecard.objects.filter(active=True, applies_from__lte=span.year).filter(
        Q(unit_types=OuterRef("unit_type_id")) | Q(unit_types__isnull=True)
    )
    typed = versions_on(span.end).filter(unit=OuterRef("pk")).filter(Exists(applies))
    opened = Evaluation.objects.filter(unit=OuterRef("pk"), period=span.code)
    return (
        units.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=today))
        .filter(Exists(typed))
        .exclude(Exists(opened))
        .order_by("path", "id")
    )


def due_unopened(user: Any, today: datetime.date) -> list[tuple[periods.Span, QuerySet[Unit]]]:
    """For each period of `due_periods`, the user's units (EMULATION_RECORD) that have not opened their
    evaluation for it."""
    units = policy.scope(user, Perm.EMULATION_RECORD, Unit.objects.all(), field="path")
    return [(span, unopened(units, span, today)) for span in due_periods(today)]


def all_due_unopened(today: datetime.date) -> list[tuple[periods.Span, QuerySet[Unit]]]:
    """Every unit that has not opened its evaluation for a period of `due_periods` (the reminders)."""
    return [(span, unopened(Unit.objects.all(), span, today)) for span in due_periods(today)]


def listed(user: Any, *, unit: Unit | None = None, code: str = "", state: str = "") -> QuerySet[Evaluation]:
    qs = evaluations_for(user)
    if unit is not None:
        qs = in_subtree(qs, unit.path, field="unit__path")
    if code:
        qs = qs.filter(period=code)
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-period_end", "unit__path", "id")


def peers(evaluation: Evaluation) -> tuple[QuerySet[Evaluation], int]:
    """The evaluations of the same period of the units with the same parent (as the tree stood at the
    period's end), and how many such units there are: the share cap's base."""
    place = version_on(evaluation.unit, evaluation.period_end)
    if place is None or place.parent_id is None:
        return Evaluation.objects.filter(pk=evaluation.pk), 1
    siblings = versions_on(evaluation.period_end).filter(parent_id=place.parent_id)
    units = list(siblings.values_list("unit_id", flat=True))
    return Evaluation.objects.filter(period=evaluation.period, unit_id__in=units), len(units)


def all_due_self_assessments(today: datetime.date) -> QuerySet[Evaluation]:
    """Every evaluation still assessed by its unit after its period ended (the reminders)."""
    return Evaluation.objects.select_related("unit").filter(state=State.DRAFT, period_end__lt=today)


def all_due_reviews() -> QuerySet[Evaluation]:
    """Every submitted evaluation not yet classified (the reminders)."""
    return Evaluation.objects.select_related("unit").filter(state__in=[State.SUBMITTED, State.REVIEWED])


def parent_id(unit: Unit) -> int | None:
    version = version_on(unit, timezone.localdate())
    return version.parent_id if version is not None else None


def unit_code(unit_id: int) -> str:
    return Unit.objects.filter(pk=unit_id).values_list("code", flat=True).first() or ""


def allowed_levels(evaluation: Evaluation) -> list[str]:
    """The classifications the thresholds allow: the proposed one and every lower one."""
    if not evaluation.proposed:
        return []
    return [str(level) for level in LEVELS[LEVELS.index(Classification(evaluation.proposed)) :]]


def period_choices(today: datetime.date | None = None) -> list[tuple[str, str]]:
    """The periods one may evaluate, named in words (never a code on a page): each year from next year
    back to 2015, the year and its two halves."""
    today = today or timezone.localdate()
    choices: list[tuple[str, str]] = []
    for year in range(today.year, 2014, -1):
        for code in (str(year), f"{year}S2", f"{year}S1"):
            choices.append((code, periods.period_words(code)))
    return choices


def catalogue_choices() -> list[tuple[str, str]]:
    """The indicators and data elements of the reports catalogue a computed criterion may read, by name
    (an element added later, e.g. models recognised, appears here at once)."""
    indicators = [
        (i.code, _("Indicator: %(name)s") % {"name": i.name}) for i in Indicator.objects.order_by("name")
    ]
    elements = [
        (e.code, _("Figure: %(name)s") % {"name": e.name}) for e in DataElement.objects.order_by("name")
    ]
    return indicators + elements


def catalogue_names() -> dict[str, str]:
    names = dict(DataElement.objects.values_list("code", "name"))
    names.update(Indicator.objects.values_list("code", "name"))
    return names
