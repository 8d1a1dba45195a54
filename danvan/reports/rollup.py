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
from django.db.models import Max, Q

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


def compare(value: Fraction | int, comparator: str, target: Fraction | int) -> bool:
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
        f"SELECT %s, v.unit_id, v.path, v.depth + 1, v.parent_id, ut.code, "
        f"COALESCE(',' || ({groups_sql}) || ',', ''), %s "
        f"FROM {version_table} v JOIN {unittype_table} ut ON ut.id = v.unit_type_id "
    )
    insert = f"INSERT INTO {_table(PeriodUnit)} (period_id, unit_id, path, depth, parent, unit_type, groups, ended) "
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


_ROWS = "danvan_rollup_rows"  # the temporary table a rebuild computes into


def _compute_rows(cursor, select_sql: str, params: list, key: tuple[str, str]) -> None:
    """Compute a rebuild's rows into a temporary table (every column of `select_sql` named).

    On PostgreSQL, CREATE TABLE AS may use parallel workers where INSERT … SELECT may not.
    """
    cursor.execute(f"DROP TABLE IF EXISTS {_ROWS}")
    cursor.execute(f"CREATE TEMPORARY TABLE {_ROWS} AS {select_sql}", params)
    cursor.execute(f"CREATE UNIQUE INDEX {_ROWS}_key ON {_ROWS} ({key[0]}, {key[1]})")
    if connection.vendor == "postgresql":
        cursor.execute(f"ANALYZE {_ROWS}")


def _sync(cursor, model, period: Period, key: tuple[str, str], values: tuple[str, ...]) -> None:
    """Make the period's rows of `model` equal to the computed rows: change, add and remove only what differs.

    A rebuild that finds the roll-up right (the usual case) writes nothing; and no deleted row is
    left behind in the unique index for every new row to step over.
    """
    table = _table(model)
    match = " AND ".join(f"t.{column} = r.{column}" for column in key)
    differs = " OR ".join(f"t.{column} <> r.{column}" for column in values)
    assign = ", ".join(f"{column} = r.{column}" for column in values)
    cursor.execute(
        f"UPDATE {table} AS t SET {assign} FROM {_ROWS} r WHERE t.period_id = %s AND {match} AND ({differs})",
        [period.id],
    )
    columns = ", ".join((*key, *values))
    cursor.execute(
        f"INSERT INTO {table} (period_id, {columns}) SELECT %s, {columns} FROM {_ROWS} r "
        f"WHERE NOT EXISTS (SELECT 1 FROM {table} t WHERE t.period_id = %s AND {match})",
        [period.id, period.id],
    )
    gone = " AND ".join(f"r.{column} = {table}.{column}" for column in key)
    cursor.execute(
        f"DELETE FROM {table} WHERE period_id = %s AND NOT EXISTS (SELECT 1 FROM {_ROWS} r WHERE {gone})",
        [period.id],
    )
    cursor.execute(f"DROP TABLE {_ROWS}")


def _max_depth(period: Period) -> int:
    return PeriodUnit.objects.filter(period=period).aggregate(m=Max("depth"))["m"] or 1


def _roll_up_levels(period: Period, model, key: str, columns: tuple[str, str], own_sql: str) -> None:
    """Rebuild a roll-up table level by level, from the deepest units up.

    `own_sql` selects (unit_id, key, a, b) of each unit's own contribution. First every unit's own
    contribution goes to its parent; then, from the deepest level up, each unit's row (complete by
    then) is added to its parent's. Each row is read about once: far less work than adding every
    value to each of its ancestors.
    """
    a, b = columns
    pu = _table(PeriodUnit)
    with connection.cursor() as cursor:
        _compute_rows(
            cursor,
            f"SELECT pu.parent AS unit_id, own.{key} AS {key}, SUM(own.a) AS {a}, SUM(own.b) AS {b} "
            f"FROM ({own_sql}) own JOIN {pu} pu ON pu.period_id = %s AND pu.unit_id = own.unit_id "
            f"WHERE pu.parent IS NOT NULL GROUP BY pu.parent, own.{key}",
            [period.id, period.id],
            ("unit_id", key),
        )
        for depth in range(_max_depth(period), 1, -1):
            cursor.execute(
                f"INSERT INTO {_ROWS} (unit_id, {key}, {a}, {b}) "
                f"SELECT pu.parent, r.{key}, SUM(r.{a}), SUM(r.{b}) FROM {_ROWS} r "
                f"JOIN {pu} pu ON pu.period_id = %s AND pu.unit_id = r.unit_id "
                f"WHERE pu.depth = %s AND pu.parent IS NOT NULL GROUP BY pu.parent, r.{key} "
                f"ON CONFLICT (unit_id, {key}) DO UPDATE SET "
                f"{a} = {_ROWS}.{a} + excluded.{a}, {b} = {_ROWS}.{b} + excluded.{b}",
                [period.id, depth],
            )
        _sync(cursor, model, period, ("unit_id", key), (a, b))


def _rebuild_element_rollup(period: Period) -> None:
    _roll_up_levels(
        period,
        ElementRollup,
        "element_id",
        ("value", "reporters"),
        f"SELECT unit_id, element_id, value AS a, 1 AS b FROM {_table(DataValue)} WHERE period_id = %s AND approved",
    )


def _target_values(period: Period) -> tuple[str, list]:
    """A CTE `tv(groups, indicator_id, comparator, target, factor)`: the target for each group set."""
    indicators = list(Indicator.objects.filter(targets__isnull=False).distinct())
    targets = list(Target.objects.filter(indicator__in=indicators).select_related("unit_group"))
    group_sets = PeriodUnit.objects.filter(period=period).values_list("groups", flat=True).distinct()
    rows = []
    for groups in group_sets:
        for indicator in indicators:
            target = target_for(indicator, groups_of(groups), period.code, targets)
            if target is not None:
                rows.append((groups, indicator.id, target.comparator, target.value, indicator.factor))
    if not rows:
        rows.append(("", 0, "eq", 0, 0))  # matches nothing: there is no indicator 0
    values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(rows))
    return (
        f"tv(groups, indicator_id, comparator, target, factor) AS (VALUES {values})",
        [value for row in rows for value in row],
    )


def _rebuild_unit_indicators(period: Period) -> None:
    """Each unit's own numerator and denominator per indicator, and whether it has and meets its target."""
    term, pu = _table(IndicatorTerm), _table(PeriodUnit)
    target_cte, target_params = _target_values(period)
    meets = " ".join(
        f"WHEN '{code}' THEN x.numerator * tv.factor {operator} tv.target * x.denominator"
        for code, operator in _SQL_OPERATORS.items()
    )
    if DataValue.objects.filter(period=period).exclude(category="").exists():
        # The unit's totals per element (categories summed), for the elements of some indicator.
        values = (
            f"(SELECT unit_id, element_id, SUM(value) AS total FROM {_table(DataValue)} "
            f"WHERE period_id = %s AND approved AND element_id IN (SELECT element_id FROM {term}) "
            "GROUP BY unit_id, element_id)"
        )
    else:  # one row per unit and element: no need to sum categories first
        values = f"(SELECT unit_id, element_id, value AS total FROM {_table(DataValue)} WHERE period_id = %s AND approved)"
    with connection.cursor() as cursor:
        _compute_rows(
            cursor,
            f"WITH {target_cte} "
            "SELECT x.unit_id, x.indicator_id, x.numerator, x.denominator, x.complete, "
            "(x.complete AND x.denominator <> 0 AND tv.indicator_id IS NOT NULL) AS has_target, "
            "(x.complete AND x.denominator <> 0 AND tv.indicator_id IS NOT NULL "
            f"AND CASE tv.comparator {meets} END) AS met "
            "FROM ("
            "SELECT v.unit_id, t.indicator_id, pu.groups, "
            "SUM(CASE WHEN t.side = 'n' THEN v.total ELSE 0 END) AS numerator, "
            "SUM(CASE WHEN t.side = 'd' THEN v.total ELSE 0 END) AS denominator, "
            "COUNT(*) = MAX(tc.terms) AS complete "
            f"FROM {values} v "
            f"JOIN {pu} pu ON pu.period_id = %s AND pu.unit_id = v.unit_id "
            f"JOIN {term} t ON t.element_id = v.element_id "
            f"JOIN (SELECT indicator_id, COUNT(*) AS terms FROM {term} GROUP BY indicator_id) tc "
            "ON tc.indicator_id = t.indicator_id "
            "GROUP BY v.unit_id, t.indicator_id, pu.groups"
            ") x LEFT JOIN tv ON tv.groups = x.groups AND tv.indicator_id = x.indicator_id",
            [*target_params, period.id, period.id],
            ("unit_id", "indicator_id"),
        )
        _sync(
            cursor,
            UnitIndicator,
            period,
            ("unit_id", "indicator_id"),
            ("numerator", "denominator", "complete", "has_target", "met"),
        )


def _rebuild_indicator_rollup(period: Period) -> None:
    _roll_up_levels(
        period,
        IndicatorRollup,
        "indicator_id",
        ("target_units", "met_units"),
        "SELECT unit_id, indicator_id, 1 AS a, CASE WHEN met THEN 1 ELSE 0 END AS b "
        f"FROM {_table(UnitIndicator)} WHERE period_id = %s AND has_target",
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
    _rebuild_element_rollup(period)
    _rebuild_unit_indicators(period)
    _rebuild_indicator_rollup(period)


# ---------------------------------------------------------------- incremental


def own_totals(period: Period, unit_id: int) -> dict[int, tuple[int, int]]:
    """element id → (sum, number of rows) of the unit's approved values in the period."""
    # Plain SQL: this runs twice in every approval, and Django's query compilation costs more than the query.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT element_id, SUM(value), COUNT(*) FROM {_table(DataValue)} "
            "WHERE period_id = %s AND unit_id = %s AND approved GROUP BY element_id",
            [period.id, unit_id],
        )
        return {element_id: (int(total), rows) for element_id, total, rows in cursor.fetchall()}


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
    """(has_target, met) of one unit's own figures; the same rule as the SQL in `_rebuild_unit_indicators`."""
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
    # No savepoint: inside a caller's transaction a failure rolls the whole change back anyway.
    with transaction.atomic(savepoint=False):
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
        _rebuild_unit_indicators(period)
        _rebuild_indicator_rollup(period)


def periods_touching(day: datetime.date):
    """Periods whose tree may change when something changes on `day` (those ending on or after it)."""
    return Period.objects.filter(end__gte=day)
