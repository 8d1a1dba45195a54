"""The live roll-up: aggregates kept current inside the transaction that changes approved values.

For a period, `PeriodUnit` holds the tree as it stood at the period's end: each unit's path of
ancestor ids. A unit that ended during the period keeps the path of its last day, so for a period
before a merge the predecessors' values still count under their old parents.

`ElementRollup` and `IndicatorRollup` hold sums over each unit's *strict* descendants; a unit's
figure is its own value plus that row. Changing one unit's approved values touches one row per
(strict ancestor, element): a single upsert statement whatever the depth.

`rebuild(period)` recomputes everything for a period in a handful of set-based statements;
`tracking(period, unit)` wraps a change to one unit's values and applies the differences.
"""

import contextlib
import datetime
from collections import defaultdict
from fractions import Fraction

from django.db import connection, transaction
from django.db.models import Count, Max, Q, Sum

from danvan.orgs.models import PATH_SEGMENT, UnitVersion

from .models import (
    Comparator,
    DataValue,
    ElementRollup,
    Indicator,
    IndicatorRollup,
    IndicatorTerm,
    Period,
    PeriodUnit,
    Target,
    UnitIndicator,
)

_SQL_OPERATORS = {
    Comparator.GTE: ">=",
    Comparator.GT: ">",
    Comparator.LTE: "<=",
    Comparator.LT: "<",
    Comparator.EQ: "=",
}


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _segments(path: str) -> list[int]:
    return [int(path[i : i + PATH_SEGMENT]) for i in range(0, len(path), PATH_SEGMENT)]


# ---------------------------------------------------------------- locks

_LOCK_CLASS = 3301  # advisory lock namespace of the roll-up (PostgreSQL)


def _lock_period(period: Period, *, shared: bool) -> None:
    """Live updates of a period share its lock; a rebuild or target recount takes it alone.

    On SQLite a write transaction already excludes every other writer.
    """
    if connection.vendor != "postgresql":
        return
    function = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {function}(%s, %s)", [_LOCK_CLASS, period.id])


# ---------------------------------------------------------------- targets


def compare(value: Fraction, comparator: str, target: Fraction) -> bool:
    return {
        Comparator.GTE: value >= target,
        Comparator.GT: value > target,
        Comparator.LTE: value <= target,
        Comparator.LT: value < target,
        Comparator.EQ: value == target,
    }[comparator]


def target_for(indicator: Indicator, groups: set[str], period_code: str, targets=None) -> Target | None:
    """The target of `indicator` for a unit in `groups` in a period.

    A target for the period itself wins over one for every period; a target for one of the
    unit's groups wins over one for every unit; among several groups, the strictest wins.
    """
    candidates = [
        t
        for t in (targets if targets is not None else indicator.targets.select_related("unit_group"))
        if t.indicator_id == indicator.id
        and (t.unit_group_id is None or t.unit_group.code in groups)
        and t.period_code in ("", period_code)
    ]
    if not candidates:
        return None

    def rank(t: Target):
        strictness = t.value if t.comparator in (Comparator.GTE, Comparator.GT) else -t.value
        return (t.period_code != "", t.unit_group_id is not None, strictness)

    return max(candidates, key=rank)


def groups_of(groups_field: str) -> set[str]:
    return {code for code in groups_field.split(",") if code}


# ---------------------------------------------------------------- the tree of a period


def _group_concat() -> str:
    return "string_agg(g.code, ',')" if connection.vendor == "postgresql" else "group_concat(g.code, ',')"


def build_period_units(period: Period) -> int:
    """(Re)build the tree of `period` as of its end; units that ended within it keep their last place."""
    _lock_period(period, shared=False)
    PeriodUnit.objects.filter(period=period).delete()
    through = UnitVersion.groups.through
    version_table, unittype_table = _table(UnitVersion), _table(UnitVersion.unit_type.field.related_model)
    groups_sql = (
        f"SELECT {_group_concat()} FROM {_table(through)} t "
        f"JOIN {_table(through.unitgroup.field.related_model)} g ON g.id = t.unitgroup_id "
        "WHERE t.unitversion_id = v.id"
    )
    select = (
        f"SELECT %s, v.unit_id, v.path, v.depth + 1, ut.code, "
        f"COALESCE(',' || ({groups_sql}) || ',', ''), %s "
        f"FROM {version_table} v JOIN {unittype_table} ut ON ut.id = v.unit_type_id "
    )
    insert = f"INSERT INTO {_table(PeriodUnit)} (period_id, unit_id, path, depth, unit_type, groups, ended) "
    with connection.cursor() as cursor:
        cursor.execute(
            insert + select + "WHERE v.valid_from <= %s AND (v.valid_to IS NULL OR v.valid_to > %s)",
            [period.id, False, period.end, period.end],
        )
        # Units that ended within the period: their last version, with its place on their last day.
        ended_last = list(
            UnitVersion.objects.filter(valid_to__gt=period.start, valid_to__lte=period.end)
            .exclude(unit_id__in=PeriodUnit.objects.filter(period=period).values("unit_id"))
            .values("unit_id")
            .annotate(last=Max("valid_from"))
        )
        ids = []
        for start in range(0, len(ended_last), 200):
            condition = Q()
            for row in ended_last[start : start + 200]:
                condition |= Q(unit_id=row["unit_id"], valid_from=row["last"])
            ids.extend(UnitVersion.objects.filter(condition).values_list("id", flat=True))
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            cursor.execute(
                insert + select + f"WHERE v.id IN ({', '.join(['%s'] * len(chunk))})",
                [period.id, True, *chunk],
            )
    return PeriodUnit.objects.filter(period=period).count()


def period_unit(period: Period, unit_id: int) -> PeriodUnit | None:
    return PeriodUnit.objects.filter(period=period, unit_id=unit_id).first()


# ---------------------------------------------------------------- full rebuild


def _depth_numbers(period: Period) -> tuple[str, int]:
    max_depth = PeriodUnit.objects.filter(period=period).aggregate(m=Max("depth"))["m"] or 1
    cte = f"WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < {int(max_depth)}) "
    return cte, max_depth


def _ancestor_sql() -> str:
    return f"CAST(SUBSTR(pu.path, (n.k - 1) * {PATH_SEGMENT} + 1, {PATH_SEGMENT}) AS BIGINT)"


def _rebuild_element_rollup(period: Period) -> None:
    cte, _depth = _depth_numbers(period)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_table(ElementRollup)} (unit_id, period_id, element_id, value, reporters) "
            f"{cte}SELECT {_ancestor_sql()}, %s, dv.element_id, SUM(dv.value), COUNT(*) "
            f"FROM {_table(DataValue)} dv "
            f"JOIN {_table(PeriodUnit)} pu ON pu.period_id = dv.period_id AND pu.unit_id = dv.unit_id "
            "JOIN n ON n.k < pu.depth "
            "WHERE dv.period_id = %s AND dv.approved "
            f"GROUP BY {_ancestor_sql()}, dv.element_id",
            [period.id, period.id],
        )


def _rebuild_unit_indicators(period: Period) -> None:
    term = _table(IndicatorTerm)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_table(UnitIndicator)} "
            "(period_id, unit_id, indicator_id, numerator, denominator, complete, has_target, met) "
            "SELECT %s, v.unit_id, t.indicator_id, "
            "SUM(CASE WHEN t.side = 'n' THEN v.total ELSE 0 END), "
            "SUM(CASE WHEN t.side = 'd' THEN v.total ELSE 0 END), "
            "COUNT(*) = MAX(tc.terms), "
            "%s, %s "
            # The unit's totals per element (categories summed), for the elements of some indicator.
            f"FROM (SELECT unit_id, element_id, SUM(value) AS total FROM {_table(DataValue)} "
            f"WHERE period_id = %s AND approved AND element_id IN (SELECT element_id FROM {term}) "
            "GROUP BY unit_id, element_id) v "
            f"JOIN {_table(PeriodUnit)} pu ON pu.period_id = %s AND pu.unit_id = v.unit_id "
            f"JOIN {term} t ON t.element_id = v.element_id "
            f"JOIN (SELECT indicator_id, COUNT(*) AS terms FROM {term} GROUP BY indicator_id) tc "
            "ON tc.indicator_id = t.indicator_id "
            "GROUP BY v.unit_id, t.indicator_id",
            [period.id, False, False, period.id, period.id],
        )
    _apply_targets(period)


def _apply_targets(period: Period, unit_id: int | None = None) -> None:
    """Set has_target and met on the period's unit indicators from the targets of each unit's groups."""
    indicators = {i.id: i for i in Indicator.objects.filter(targets__isnull=False).distinct()}
    targets = list(Target.objects.filter(indicator_id__in=indicators).select_related("unit_group"))
    group_sets = PeriodUnit.objects.filter(period=period)
    if unit_id is not None:
        group_sets = group_sets.filter(unit_id=unit_id)
    group_sets = list(group_sets.values_list("groups", flat=True).distinct())
    ui, pu = _table(UnitIndicator), _table(PeriodUnit)
    with connection.cursor() as cursor:
        for indicator in indicators.values():
            for groups in group_sets:
                target = target_for(indicator, groups_of(groups), period.code, targets)
                if target is None:
                    continue
                operator = _SQL_OPERATORS[target.comparator]
                units = f"SELECT unit_id FROM {pu} WHERE period_id = %s AND groups = %s"
                params = [period.id, groups]
                if unit_id is not None:
                    units += " AND unit_id = %s"
                    params.append(unit_id)
                cursor.execute(
                    f"UPDATE {ui} SET has_target = (complete AND denominator <> 0), "
                    f"met = (complete AND denominator <> 0 AND numerator * %s {operator} %s * denominator) "
                    f"WHERE period_id = %s AND indicator_id = %s AND unit_id IN ({units})",
                    [indicator.factor, target.value, period.id, indicator.id, *params],
                )


def _rebuild_indicator_rollup(period: Period) -> None:
    cte, _depth = _depth_numbers(period)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_table(IndicatorRollup)} (unit_id, period_id, indicator_id, target_units, met_units) "
            f"{cte}SELECT {_ancestor_sql()}, %s, ui.indicator_id, COUNT(*), "
            "SUM(CASE WHEN ui.met THEN 1 ELSE 0 END) "
            f"FROM {_table(UnitIndicator)} ui "
            f"JOIN {_table(PeriodUnit)} pu ON pu.period_id = ui.period_id AND pu.unit_id = ui.unit_id "
            "JOIN n ON n.k < pu.depth "
            "WHERE ui.period_id = %s AND ui.has_target "
            f"GROUP BY {_ancestor_sql()}, ui.indicator_id",
            [period.id, period.id],
        )


@transaction.atomic
def rebuild(period: Period, *, tree: bool = True, derived: bool = True) -> None:
    """Recompute a period in one transaction: its tree (unless `tree` is False), the registry-derived
    values (unless `derived` is False), the units' indicators and the roll-ups."""
    from . import sources

    _lock_period(period, shared=False)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # The planner overestimates these aggregates and JIT-compiles them: seconds spent compiling, none saved.
            cursor.execute("SET LOCAL jit = off")
            # The roll-up aggregates some 200.000 groups per 50.000 units: keep them in memory.
            cursor.execute("SET LOCAL work_mem = '256MB'")
    if tree:
        build_period_units(period)
    if derived:
        sources.refresh(period)
    for model in (ElementRollup, IndicatorRollup, UnitIndicator):
        model.objects.filter(period=period).delete()
    _rebuild_element_rollup(period)
    _rebuild_unit_indicators(period)
    _rebuild_indicator_rollup(period)


# ---------------------------------------------------------------- incremental


def own_totals(period: Period, unit_id: int) -> dict[int, tuple[int, int]]:
    """element id → (sum, number of rows) of the unit's approved values in the period."""
    rows = (
        DataValue.objects.filter(period=period, unit_id=unit_id, approved=True)
        .values("element_id")
        .annotate(total=Sum("value"), rows=Count("id"))
    )
    return {row["element_id"]: (row["total"], row["rows"]) for row in rows}


def _upsert(model, key_field: str, columns: tuple[str, str], rows: list[tuple]) -> None:
    """Add (a, b) to the two counter columns of each (unit, period, key) row, creating it if absent."""
    if not rows:
        return
    table = _table(model)
    a, b = columns
    placeholders = ", ".join(["(%s, %s, %s, %s, %s)"] * len(rows))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (unit_id, period_id, {key_field}, {a}, {b}) VALUES {placeholders} "
            f"ON CONFLICT (unit_id, period_id, {key_field}) DO UPDATE SET "
            f"{a} = {table}.{a} + excluded.{a}, {b} = {table}.{b} + excluded.{b}",
            [value for row in rows for value in row],
        )


def _evaluate(
    factor, target: Target | None, numerator: int, denominator: int, complete: bool
) -> tuple[bool, bool]:
    """(has_target, met) of one unit's own figures; the same rule as the SQL in `_apply_targets`."""
    if target is None or not complete or denominator == 0:
        return False, False
    value = Fraction(numerator) * Fraction(factor) / denominator
    return True, compare(value, target.comparator, Fraction(target.value))


def _follow_indicators(
    period: Period, place: PeriodUnit, totals: dict, changed: set[int], ancestors: list[int]
) -> None:
    """Recompute the unit's own indicator rows touched by `changed` elements; move the ancestors' counts."""
    terms = list(
        IndicatorTerm.objects.filter(
            indicator_id__in=IndicatorTerm.objects.filter(element_id__in=changed).values("indicator_id")
        ).select_related("indicator")
    )
    by_indicator: dict[int, list[IndicatorTerm]] = defaultdict(list)
    for term in terms:
        by_indicator[term.indicator_id].append(term)
    old = {
        row.indicator_id: row
        for row in UnitIndicator.objects.filter(
            period=period, unit_id=place.unit_id, indicator_id__in=by_indicator
        )
    }
    targets = list(Target.objects.filter(indicator_id__in=by_indicator).select_related("unit_group"))
    groups = groups_of(place.groups)
    rows, counts = [], []
    for indicator_id, indicator_terms in by_indicator.items():
        indicator = indicator_terms[0].indicator
        reported = [t for t in indicator_terms if t.element_id in totals]
        state = (False, False)
        if reported:
            numerator = sum(totals[t.element_id][0] for t in reported if t.side == "n")
            denominator = sum(totals[t.element_id][0] for t in reported if t.side == "d")
            complete = len(reported) == len(indicator_terms)
            target = target_for(indicator, groups, period.code, targets)
            state = _evaluate(indicator.factor, target, numerator, denominator, complete)
            rows.append(
                UnitIndicator(
                    period=period,
                    unit_id=place.unit_id,
                    indicator_id=indicator_id,
                    numerator=numerator,
                    denominator=denominator,
                    complete=complete,
                    has_target=state[0],
                    met=state[1],
                )
            )
        before = (
            (old[indicator_id].has_target, old[indicator_id].met) if indicator_id in old else (False, False)
        )
        d_target, d_met = int(state[0]) - int(before[0]), int(state[1]) - int(before[1])
        if d_target or d_met:
            counts.extend((ancestor, period.id, indicator_id, d_target, d_met) for ancestor in ancestors)
    if old:
        UnitIndicator.objects.filter(id__in=[row.id for row in old.values()]).delete()
    UnitIndicator.objects.bulk_create(rows)
    _upsert(IndicatorRollup, "indicator_id", ("target_units", "met_units"), counts)


@contextlib.contextmanager
def tracking(period: Period, unit_id: int):
    """Wrap a change to one unit's values in a period; the roll-up follows before the block commits.

    About ten statements whatever the depth: the unit's totals before and after, one upsert of
    the element deltas for every strict ancestor, the unit's indicator rows, one upsert of counts.
    """
    with transaction.atomic():
        _lock_period(period, shared=True)
        # Lock the unit's place: two writers of one unit must not both read the same "before".
        place = PeriodUnit.objects.select_for_update().filter(period=period, unit_id=unit_id).first()
        before = own_totals(period, unit_id)
        yield
        after = own_totals(period, unit_id)
        changed = {
            element_id
            for element_id in before.keys() | after.keys()
            if before.get(element_id) != after.get(element_id)
        }
        if not changed or place is None:
            return
        ancestors = _segments(place.path)[:-1]
        deltas = []
        for element_id in changed:
            old_sum, old_rows = before.get(element_id, (0, 0))
            new_sum, new_rows = after.get(element_id, (0, 0))
            deltas.extend(
                (ancestor, period.id, element_id, new_sum - old_sum, new_rows - old_rows)
                for ancestor in ancestors
            )
        _upsert(ElementRollup, "element_id", ("value", "reporters"), deltas)
        _follow_indicators(period, place, after, changed, ancestors)


def refresh_targets(period: Period) -> None:
    """After targets change: re-evaluate every unit's target and recount (no value moves)."""
    with transaction.atomic():
        _lock_period(period, shared=False)
        UnitIndicator.objects.filter(period=period).update(has_target=False, met=False)
        _apply_targets(period)
        IndicatorRollup.objects.filter(period=period).delete()
        _rebuild_indicator_rollup(period)


def periods_touching(day: datetime.date):
    """Periods whose tree may change when something changes on `day` (those ending on or after it)."""
    return Period.objects.filter(end__gte=day)
