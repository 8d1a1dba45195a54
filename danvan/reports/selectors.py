"""Reads of the reports module: indicator figures (the analytics query), completeness, series.

A unit's figure for a period is its own approved value plus the sum over its strict descendants
kept in `ElementRollup`; target counts likewise from `UnitIndicator` and `IndicatorRollup`. With
an explicit "as of" date, reporting units are first mapped to the unit that stands for them on
that date (following merges forward) and aggregated under that date's tree (computed on the fly).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet, Sum

from danvan.accounts import policy
from danvan.accounts.policy import Perm
from danvan.core.paths import path_ids, path_upper_bound
from danvan.orgs.models import Unit, UnitLink, UnitType, UnitVersion
from danvan.orgs.selectors import versions_on

from . import periods, rollup
from .models import (
    DataElement,
    DataValue,
    ElementRollup,
    FormField,
    Indicator,
    IndicatorRollup,
    IndicatorTerm,
    Period,
    PeriodUnit,
    Report,
    ReportForm,
    Target,
    UnitIndicator,
)
from .periods import deadline_for


@dataclass
class Figures:
    unit: Unit
    period: Period
    indicator: Indicator
    as_of: datetime.date
    numerator: int
    denominator: int
    target: Target | None
    target_units: int
    met_units: int

    @property
    def value(self) -> Fraction | None:
        if not self.denominator:
            return None
        return Fraction(self.numerator) * Fraction(self.indicator.factor) / self.denominator

    @property
    def met(self) -> bool | None:
        if self.value is None or self.target is None:
            return None
        return rollup.compare(self.value, self.target.comparator, Fraction(self.target.value))

    def as_dict(self) -> dict:
        value = self.value
        return {
            "unit": self.unit.code,
            "period": self.period.code,
            "indicator": self.indicator.code,
            "as_of": self.as_of.isoformat(),
            "numerator": self.numerator,
            "denominator": self.denominator,
            "value": float(value) if value is not None else None,
            "target": _number(self.target.value) if self.target else None,
            "met": self.met,
            "target_units": self.target_units,
            "met_units": self.met_units,
        }


def _number(decimal_value):
    return int(decimal_value) if decimal_value == int(decimal_value) else float(decimal_value)


def _terms(indicator: Indicator) -> tuple[list[int], list[int]]:
    terms = list(IndicatorTerm.objects.filter(indicator=indicator).values_list("element_id", "side"))
    return [e for e, side in terms if side == "n"], [e for e, side in terms if side == "d"]


def _targets(indicators) -> list[Target]:
    return list(Target.objects.filter(indicator__in=indicators).select_related("unit_group"))


def _groups_on(unit: Unit, day: datetime.date) -> set[str]:
    version = (
        UnitVersion.objects.filter(unit=unit, valid_from__lte=day)
        .order_by("-valid_from")
        .prefetch_related("groups")
        .first()
    )
    return {g.code for g in version.groups.all()} if version else set()


def figures(
    *,
    unit: Unit,
    period: Period,
    indicator: Indicator,
    as_of: datetime.date | None = None,
    targets: list[Target] | None = None,
) -> Figures:
    """The analytics query: one unit, one period, one indicator (optionally under another date's tree).

    `targets`: the targets already read for several indicators (`table` reads them once for all)."""
    if as_of is not None and as_of != period.end:
        return _figures_as_of(unit, period, indicator, as_of)
    numerator, denominator, counts, self_row, groups_field = _own_figures(unit, period, indicator)
    groups = rollup.groups_of(groups_field) if groups_field is not None else _groups_on(unit, period.end)
    if targets is None:
        targets = _targets([indicator])
    return Figures(
        unit=unit,
        period=period,
        indicator=indicator,
        as_of=period.end,
        numerator=numerator,
        denominator=denominator,
        target=rollup.target_for(indicator, groups, period.code, targets),
        target_units=counts[0] + int(self_row[0]),
        met_units=counts[1] + int(self_row[0] and self_row[1]),
    )


def _own_figures(unit: Unit, period: Period, indicator: Indicator):
    """One round trip for everything the analytics query reads about one unit: the numerator and the
    denominator (the unit's own approved values plus the roll-up of those below it, per the
    indicator's terms), the target counts below it, its own target and whether it is met, and its
    groups in the period's tree (None when the unit is not in it). The query runs on every dashboard
    cell and API call; seven ORM queries took four times as long, mostly in round trips."""
    terms, values, rolled = _table(IndicatorTerm), _table(DataValue), _table(ElementRollup)

    def summed(table: str, side: str, extra: str = "") -> str:
        return (
            f"(SELECT COALESCE(SUM(x.value), 0) FROM {table} x JOIN {terms} t ON t.element_id = x.element_id "
            f"WHERE t.indicator_id = %s AND t.side = '{side}' AND x.period_id = %s AND x.unit_id = %s{extra})"
        )

    def one(table: str, column: str) -> str:
        return f"(SELECT {column} FROM {table} WHERE period_id = %s AND unit_id = %s AND indicator_id = %s)"

    def groups() -> str:
        return f"(SELECT groups FROM {_table(PeriodUnit)} WHERE period_id = %s AND unit_id = %s)"

    key = [indicator.id, period.id, unit.id]
    sql = ", ".join(
        [
            summed(values, "n", " AND x.approved"),
            summed(values, "d", " AND x.approved"),
            summed(rolled, "n"),
            summed(rolled, "d"),
            one(_table(IndicatorRollup), "target_units"),
            one(_table(IndicatorRollup), "met_units"),
            one(_table(UnitIndicator), "has_target"),
            one(_table(UnitIndicator), "met"),
            groups(),
        ]
    )
    this = [period.id, unit.id, indicator.id]
    params = key * 4 + this * 4 + [period.id, unit.id]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {sql}", params)
        own_n, own_d, below_n, below_d, target_units, met_units, has_target, met, groups_field = (
            cursor.fetchone()
        )
    return (
        int(own_n) + int(below_n),
        int(own_d) + int(below_d),
        (target_units or 0, met_units or 0),
        (bool(has_target), bool(met)),
        groups_field,
    )


def figures_many(
    *,
    units: list[Unit],
    period: Period,
    indicators: list[Indicator],
    targets: list[Target] | None = None,
) -> dict[tuple[int, int], Figures]:
    """(unit id, indicator id) → the same `Figures` as `figures` gives for each unit and indicator (the
    period's own tree), in six queries whatever the number of units and indicators: the dashboard's
    children and its attainment table. A unit missing from the period's tree costs one more query
    (its groups on the period's last day), as in `figures`."""
    unit_ids = [unit.id for unit in units]
    indicator_ids = [indicator.id for indicator in indicators]
    terms = list(
        IndicatorTerm.objects.filter(indicator_id__in=indicator_ids).values_list(
            "indicator_id", "element_id", "side"
        )
    )
    elements = {element for _i, element, _s in terms}
    sums: dict[tuple[int, int], int] = defaultdict(int)
    own = (
        DataValue.objects.filter(period=period, approved=True, unit_id__in=unit_ids, element_id__in=elements)
        .values_list("unit_id", "element_id")
        .annotate(total=Sum("value"))
    )
    rolled = ElementRollup.objects.filter(
        period=period, unit_id__in=unit_ids, element_id__in=elements
    ).values_list("unit_id", "element_id", "value")
    for unit_id, element_id, total in [*own, *rolled]:
        sums[unit_id, element_id] += int(total or 0)
    below = {
        (u, i): (t, m)
        for u, i, t, m in IndicatorRollup.objects.filter(
            period=period, unit_id__in=unit_ids, indicator_id__in=indicator_ids
        ).values_list("unit_id", "indicator_id", "target_units", "met_units")
    }
    own_state = {
        (u, i): (bool(h), bool(m))
        for u, i, h, m in UnitIndicator.objects.filter(
            period=period, unit_id__in=unit_ids, indicator_id__in=indicator_ids
        ).values_list("unit_id", "indicator_id", "has_target", "met")
    }
    groups_field = dict(
        PeriodUnit.objects.filter(period=period, unit_id__in=unit_ids).values_list("unit_id", "groups")
    )
    if targets is None:
        targets = _targets(indicators)
    by_side: dict[tuple[int, str], list[int]] = defaultdict(list)
    for indicator_id, element_id, side in terms:
        by_side[indicator_id, side].append(element_id)
    result: dict[tuple[int, int], Figures] = {}
    for unit in units:
        field_ = groups_field.get(unit.id)
        groups = rollup.groups_of(field_) if field_ is not None else _groups_on(unit, period.end)
        for indicator in indicators:
            counts = below.get((unit.id, indicator.id), (0, 0))
            has_target, met = own_state.get((unit.id, indicator.id), (False, False))
            result[unit.id, indicator.id] = Figures(
                unit=unit,
                period=period,
                indicator=indicator,
                as_of=period.end,
                numerator=sum(sums[unit.id, e] for e in by_side[indicator.id, "n"]),
                denominator=sum(sums[unit.id, e] for e in by_side[indicator.id, "d"]),
                target=rollup.target_for(indicator, groups, period.code, targets),
                target_units=(counts[0] or 0) + int(has_target),
                met_units=(counts[1] or 0) + int(has_target and met),
            )
    return result


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def stand_ins(unit_ids: set[int], day: datetime.date) -> dict[int, int]:
    """Map each unit to the unit that stands for it on `day` (itself if it exists then).

    Merges and splits are followed forward through `UnitLink`; where a unit was split, its
    figures go to the successor with the smallest code (figures cannot be divided).
    """
    existing = set(versions_on(day).filter(unit_id__in=unit_ids).values_list("unit_id", flat=True))
    links = defaultdict(list)
    for predecessor, successor, code in UnitLink.objects.filter(effective_on__lte=day).values_list(
        "predecessor_id", "successor_id", "successor__code"
    ):
        links[predecessor].append((code, successor))
    alive_cache: dict[int, bool] = {u: True for u in existing}
    result: dict[int, int] = {}
    for unit_id in unit_ids:
        current, seen = unit_id, set()
        while current not in existing and current not in seen:
            seen.add(current)
            following = sorted(links.get(current, []))
            if not following:
                break
            for _code, successor in following:
                if successor not in alive_cache:
                    alive_cache[successor] = versions_on(day).filter(unit_id=successor).exists()
                if alive_cache[successor]:
                    existing.add(successor)
            current = following[0][1]
        if current in existing or alive_cache.get(current):
            result[unit_id] = current
    return result


def _figures_as_of(unit: Unit, period: Period, indicator: Indicator, as_of: datetime.date) -> Figures:
    numerator_ids, denominator_ids = _terms(indicator)
    root = versions_on(as_of).filter(unit=unit).values_list("path", flat=True).first()
    own_rows = list(
        DataValue.objects.filter(period=period, approved=True, element_id__in=numerator_ids + denominator_ids)
        .values_list("unit_id", "element_id")
        .annotate(total=Sum("value"))
    )
    reporters = {row[0] for row in own_rows}
    mapped = stand_ins(reporters, as_of) if root else {}
    paths = dict(versions_on(as_of).filter(unit_id__in=set(mapped.values())).values_list("unit_id", "path"))
    upper = path_upper_bound(root) if root else ""
    inside = {
        reporter for reporter, stand_in in mapped.items() if root and root <= paths.get(stand_in, "") < upper
    }
    sums: dict[int, int] = defaultdict(int)
    for unit_id, element_id, total in own_rows:
        if unit_id in inside:
            sums[element_id] += total
    states = UnitIndicator.objects.filter(
        period=period, indicator=indicator, unit_id__in=inside, has_target=True
    )
    return Figures(
        unit=unit,
        period=period,
        indicator=indicator,
        as_of=as_of,
        numerator=sum(sums[e] for e in numerator_ids),
        denominator=sum(sums[e] for e in denominator_ids),
        target=rollup.target_for(indicator, _groups_on(unit, as_of), period.code, _targets([indicator])),
        target_units=states.count(),
        met_units=states.filter(met=True).count(),
    )


def element_totals(*, unit: Unit, period: Period, codes: list[str]) -> dict[str, int | None]:
    """code → the unit's figure for each data element (its own approved values + the roll-up of those
    below it, as in `figures`), None where neither the unit nor any unit below it has a value: no
    figure is not zero. Two queries whatever the number of elements (the review report reads them)."""
    elements = dict(DataElement.objects.filter(code__in=codes).values_list("id", "code"))
    totals: dict[str, int | None] = {code: None for code in codes}
    own = (
        DataValue.objects.filter(period=period, approved=True, unit=unit, element_id__in=elements)
        .values_list("element_id")
        .annotate(total=Sum("value"))
    )
    rolled = ElementRollup.objects.filter(period=period, unit=unit, element_id__in=elements).values_list(
        "element_id", "value"
    )
    for element_id, total in [*own, *rolled]:
        code = elements[element_id]
        totals[code] = (totals[code] or 0) + int(total or 0)
    return totals


def child_places(unit: Unit, period: Period) -> list[PeriodUnit]:
    """The unit's children in the period's tree (as of its end, with those that ended within it)."""
    place = rollup.period_unit(period, unit.id)
    if place is None:
        return []
    return list(
        PeriodUnit.objects.filter(
            period=period, path__gt=place.path, path__lt=path_upper_bound(place.path), depth=place.depth + 1
        )
    )


def table(*, unit: Unit, period: Period, indicators=None) -> list[Figures]:
    """Figures of every indicator for a unit (the target attainment table)."""
    indicators = list(indicators if indicators is not None else Indicator.objects.all())
    found = figures_many(units=[unit], period=period, indicators=indicators)  # a constant number of queries
    return [found[unit.id, indicator.id] for indicator in indicators]


def series(*, unit: Unit, periods_: list[Period], indicator: Indicator) -> list[Figures]:
    targets = _targets([indicator])  # once for the series, not once a period
    return [figures(unit=unit, period=p, indicator=indicator, targets=targets) for p in periods_]


# ---------------------------------------------------------------- many units at once (the ranking)


@dataclass
class PlaceFigure:
    """An indicator's figure for one unit of a period's tree, read in bulk: no target counts."""

    indicator: Indicator
    numerator: int
    denominator: int
    target: Target | None

    @property
    def value(self) -> Fraction | None:
        if not self.denominator:
            return None
        return Fraction(self.numerator) * Fraction(self.indicator.factor) / self.denominator

    @property
    def met(self) -> bool | None:
        if self.value is None or self.target is None:
            return None
        return rollup.compare(self.value, self.target.comparator, Fraction(self.target.value))


def ranked_places(*, unit: Unit, period: Period, unit_type: str = "") -> QuerySet[PeriodUnit]:
    """The units to rank below `unit` in the period's tree: its children, or with `unit_type` every
    unit of that type in its subtree; units that ended within the period are left out."""
    place = rollup.period_unit(period, unit.id)
    if place is None:
        return PeriodUnit.objects.none()
    within = PeriodUnit.objects.filter(
        period=period, path__gt=place.path, path__lt=path_upper_bound(place.path), ended=False
    )
    return within.filter(unit_type=unit_type) if unit_type else within.filter(depth=place.depth + 1)


def types_below(*, unit: Unit, period: Period) -> list[UnitType]:
    """The unit types found in `unit`'s subtree in the period's tree (below the unit itself)."""
    place = rollup.period_unit(period, unit.id)
    if place is None:
        return []
    codes = (
        PeriodUnit.objects.filter(period=period, path__gt=place.path, path__lt=path_upper_bound(place.path))
        .values("unit_type")
        .distinct()
    )
    return list(UnitType.objects.filter(code__in=codes))


def place_figures(
    *, period: Period, places: QuerySet[PeriodUnit], indicators: list[Indicator]
) -> dict[int, dict[int, PlaceFigure]]:
    """unit id → indicator id → its figure (own approved values + the roll-up below it, as `figures`),
    for every unit of `places`, in a constant number of queries whatever their number."""
    terms = list(
        IndicatorTerm.objects.filter(indicator__in=indicators).values_list(
            "indicator_id", "element_id", "side"
        )
    )
    elements = {element for _i, element, _s in terms}
    unit_ids = places.values("unit_id")
    sums: dict[tuple[int, int], int] = defaultdict(int)
    own = (
        DataValue.objects.filter(period=period, approved=True, unit_id__in=unit_ids, element_id__in=elements)
        .values_list("unit_id", "element_id")
        .annotate(total=Sum("value"))
    )
    rolled = ElementRollup.objects.filter(period=period, unit_id__in=unit_ids, element_id__in=elements)
    for unit_id, element_id, total in [*own, *rolled.values_list("unit_id", "element_id", "value")]:
        sums[unit_id, element_id] += total
    targets = _targets(indicators)
    result: dict[int, dict[int, PlaceFigure]] = {}
    for unit_id, groups in places.values_list("unit_id", "groups"):
        in_groups = rollup.groups_of(groups)
        result[unit_id] = {
            indicator.id: PlaceFigure(
                indicator=indicator,
                numerator=sum(sums[unit_id, e] for i, e, side in terms if i == indicator.id and side == "n"),
                denominator=sum(
                    sums[unit_id, e] for i, e, side in terms if i == indicator.id and side == "d"
                ),
                target=rollup.target_for(indicator, in_groups, period.code, targets),
            )
            for indicator in indicators
        }
    return result


# ---------------------------------------------------------------- completeness


# A returned or reopened report must be submitted again: until then it counts as missing.
SUBMITTED_STATES = (
    Report.Status.SUBMITTED,
    Report.Status.SIGNED,
    Report.Status.APPROVED,
    Report.Status.LOCKED,
)


@dataclass
class Completeness:
    expected: int = 0
    submitted: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0

    @property
    def rate(self) -> Fraction | None:
        return Fraction(self.submitted * 100, self.expected) if self.expected else None


def expected_places(form: ReportForm, period: Period, within: str | None = None):
    """The units expected to report on `form` for `period` (within a subtree path, if given)."""

    qs = PeriodUnit.objects.filter(period=period, ended=False)
    if within:
        qs = qs.filter(path__gte=within, path__lt=path_upper_bound(within))
    types = list(form.unit_types.values_list("code", flat=True))
    if types:
        qs = qs.filter(unit_type__in=types)
    groups = list(form.unit_groups.values_list("code", flat=True))
    if groups:
        condition = Q()
        for code in groups:
            condition |= Q(groups__contains=f",{code},")
        qs = qs.filter(condition)
    return qs


def completeness(
    *, form: ReportForm, period: Period, within: str | None = None, today: datetime.date | None = None
) -> tuple[Completeness, list[dict]]:
    """Counts and one row per expected unit: its report's status, when it came, whether on time."""
    from django.utils import timezone

    today = today or timezone.localdate()
    deadline = deadline_for(form, period)
    places = list(expected_places(form, period, within).values_list("unit_id", "path"))
    reports = {
        r.unit_id: r
        for r in Report.objects.filter(form=form, period=period, unit_id__in=[u for u, _p in places])
    }
    units = Unit.objects.in_bulk([u for u, _p in places])
    summary = Completeness(expected=len(places))
    rows: list[dict[str, Any]] = []
    for unit_id, _path in places:
        report = reports.get(unit_id)
        submitted_on = (
            timezone.localtime(report.submitted_at).date()
            if report and report.submitted_at and report.status in SUBMITTED_STATES
            else None
        )
        if submitted_on is not None:
            summary.submitted += 1
            timely = submitted_on <= deadline
            summary.on_time += int(timely)
            summary.late += int(not timely)
            state = "on_time" if timely else "late"
        else:
            summary.missing += 1
            state = "overdue" if today > deadline else "missing"
        rows.append({"unit": units[unit_id], "report": report, "submitted_on": submitted_on, "state": state})
    rows.sort(key=lambda row: row["unit"].code)
    return summary, rows


def ancestors_of(place: PeriodUnit) -> list[int]:
    return path_ids(place.path)[:-1]


# ---------------------------------------------------------------- periods, forms and their values


def period_find(code: str) -> Period | None:
    """The stored period with this code, or None: a read never creates a period (see `services.periods_prepare`)."""
    return Period.objects.filter(code=(code or "").strip().upper()).first()


def is_prepared(period: Period | None) -> bool:
    """Does `period` hold its tree, derived values and roll-up (built by `services.period_get`)?"""
    return period is not None and period.sources_refreshed_at is not None


def prepared_periods() -> QuerySet[Period]:
    """Periods whose roll-up exists (built when the period was prepared)."""
    return Period.objects.filter(sources_refreshed_at__isnull=False)


def form_applies(form: ReportForm, place: PeriodUnit | None) -> bool:
    """Is a unit (as it stood in the period) expected to report on `form`?"""
    if place is None or place.ended:
        return False
    types = {t.code for t in form.unit_types.all()}
    groups = {g.code for g in form.unit_groups.all()}
    if types and place.unit_type not in types:
        return False
    return not groups or bool(groups & rollup.groups_of(place.groups))


def form_elements(form: ReportForm) -> list[DataElement]:
    """The data elements of `form`, in the order of its sections and fields."""
    return [f.element for f in FormField.objects.filter(section__form=form).select_related("element")]


def report_values(report: Report) -> dict[str, int | None]:
    """element code → value for every element of the report's form (None where empty)."""
    codes = [e.code for e in form_elements(report.form)]
    found = dict(
        DataValue.objects.filter(
            unit=report.unit, period=report.period, element__code__in=codes, category=""
        ).values_list("element__code", "value")
    )
    return {code: found.get(code) for code in codes}


# --- my reports: what my units must report, and what waits for my approval ---------------------


@dataclass
class Due:
    form: ReportForm
    unit: Unit
    period: Period
    report: Report | None
    deadline: datetime.date
    overdue: bool


def my_units(user) -> list[Unit]:
    """The units where the user's REPORT_ENTER grants start (each covers its subtree)."""
    paths = policy.scope_paths(user, Perm.REPORT_ENTER)
    if not paths:
        return []
    return list(Unit.objects.filter(path__in=paths, valid_to__isnull=True).order_by("path"))


def due_reports(user, today: datetime.date) -> tuple[list[Due], list[str]]:
    """What my units must report now and before, and the codes of the periods not prepared yet."""
    units = my_units(user)
    if not units:
        return [], []
    start = periods.reporting_start()
    found: list[Due] = []
    unprepared: list[str] = []
    editable = (Report.Status.DRAFT, Report.Status.RETURNED)
    for form in ReportForm.objects.filter(is_active=True).prefetch_related("unit_types", "unit_groups"):
        current = periods.containing(form.period_type, today, start)
        for code in (current, periods.shift(current, -1, start)):
            period = period_find(code)
            if period is None or not is_prepared(period):
                if code not in unprepared:
                    unprepared.append(code)
                continue
            deadline = periods.deadline_for(form, period)
            reports = {r.unit_id: r for r in Report.objects.filter(form=form, period=period, unit__in=units)}
            for unit in units:
                if form_applies(form, rollup.period_unit(period, unit.id)):
                    report = reports.get(unit.id)
                    late = today > deadline and (report is None or report.status in editable)
                    found.append(Due(form, unit, period, report, deadline, late))
    return found, unprepared


def pending_reports(user) -> QuerySet[Report]:
    """Reports waiting for the user, the longest waiting first: those sent up to a unit strictly below
    where the user approves (signed off first when the form asks for it), and those submitted at a unit
    where the user's own grant lets them sign off (a unit head signs their own unit's report)."""
    status = Report.Status
    above = Q(status=status.SIGNED) | Q(status=status.SUBMITTED, form__requires_head_signoff=False)
    to_approve = policy.scope(user, Perm.REPORT_APPROVE, Report.objects.filter(above), field="unit__path")
    roots = policy.scope_paths(user, Perm.REPORT_APPROVE)
    if roots:  # a grant's own unit is approved from above it (None: a superuser approves everywhere)
        to_approve = to_approve.exclude(unit__path__in=roots)
    to_sign = Report.objects.filter(status=status.SUBMITTED, form__requires_head_signoff=True)
    sign_roots = policy.scope_paths(user, Perm.REPORT_SIGN)
    if sign_roots is not None:  # signed at the grant's own unit only, never from above
        to_sign = to_sign.filter(unit__path__in=sign_roots)
    qs = Report.objects.filter(Q(pk__in=to_approve.values("pk")) | Q(pk__in=to_sign.values("pk")))
    return qs.select_related("form", "unit", "period").order_by("submitted_at", "id")


def pending(user, *, limit: int) -> list[Report]:
    return list(pending_reports(user)[:limit])


def returned_reports(user) -> QuerySet[Report]:
    """Reports returned to units where the user enters reports, the earliest deadline first."""
    qs = policy.scope(
        user, Perm.REPORT_ENTER, Report.objects.filter(status=Report.Status.RETURNED), field="unit__path"
    )
    return qs.select_related("form", "unit", "period").order_by("period__end", "id")
