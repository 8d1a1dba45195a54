"""The live roll-up: aggregates kept current inside the transaction that changes approved values.

For a period, `PeriodUnit` holds the tree as it stood at the period's end: each unit's path of
ancestor ids. A unit that ended during the period keeps the path of its last day, so for a period
before a merge the predecessors' values still count under their old parents.

`ElementRollup` and `IndicatorRollup` hold sums over each unit's *strict* descendants; a unit's
figure is its own value plus that row. Changing one unit's approved values touches one row per
(strict ancestor, element): a single upsert statement whatever the depth.

`rebuild(period)` recomputes everything for a period in a handful of set-based statements;
`tracking(period, unit)` wraps a change to one unit's values and applies the differences;
`tracking_units(period, units)` does the same for many units at once (bulk imports).
"""

import contextlib
import datetime
from collections import defaultdict
from fractions import Fraction

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max

from danvan.core.paths import PATH_SEGMENT, path_ids
from danvan.orgs.models import UnitVersion

from . import derived as derivation
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


# ---------------------------------------------------------------- making a period's tables equal to computed rows


_ROWS = "danvan_rollup_rows"  # SQLite: the computed rows, materialised before they are compared
_DIFF = "danvan_rollup_diff"  # the rows that differ between a table and what was computed


def _sync(
    cursor, model, key: tuple[str, ...], values: tuple[str, ...], rows_sql: str, params: list, period
) -> int:
    """Make the period's rows of `model` equal to the rows `rows_sql` selects: change, add and remove
    only what differs. Returns the number of rows written.

    The computed rows are compared with the stored ones in one join (a full outer join on
    PostgreSQL) into a small temporary table of differences, then applied by id. A rebuild that
    finds everything right (the usual case) writes nothing, and no deleted row is left behind in
    the unique index for the live upserts to step over.
    """
    table = _table(model)
    columns = (*key, *values)
    listed = ", ".join(columns)
    cursor.execute(f"SELECT 1 FROM {table} WHERE period_id = %s LIMIT 1", [period.id])
    if cursor.fetchone() is None:
        # Nothing stored for the period yet (its first rebuild): nothing to compare, so the computed rows go
        # straight in, in the order of the table's unique index so that each index page is written once.
        cursor.execute(
            f"INSERT INTO {table} (period_id, {listed}) SELECT %s, {listed} FROM ({rows_sql}) r "
            f"ORDER BY {', '.join(key)}",
            [period.id, *params],
        )
        return cursor.rowcount
    match = " AND ".join(f"t.{column} = r.{column}" for column in key)
    unequal = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"  # NULL-safe
    differs = " OR ".join(f"t.{column} {unequal} r.{column}" for column in values)
    stored = f"(SELECT id, {', '.join(columns)} FROM {table} WHERE period_id = %s)"
    computed = ", ".join(f"r.{column} AS {column}" for column in columns)
    cursor.execute(f"DROP TABLE IF EXISTS {_DIFF}")
    if connection.vendor == "postgresql":
        cursor.execute(
            f"CREATE TEMPORARY TABLE {_DIFF} AS SELECT {computed}, t.id AS old_id, r.{key[0]} IS NOT NULL AS keep "
            f"FROM ({rows_sql}) r FULL JOIN {stored} t ON {match} "
            f"WHERE t.id IS NULL OR r.{key[0]} IS NULL OR {differs}",
            [*params, period.id],
        )
    else:  # SQLite before 3.39 has no FULL JOIN: new and changed rows, then the stored rows no longer computed
        cursor.execute(f"DROP TABLE IF EXISTS {_ROWS}")
        cursor.execute(f"CREATE TEMPORARY TABLE {_ROWS} AS {rows_sql}", params)
        nothing = ", ".join(f"NULL AS {column}" for column in columns)
        cursor.execute(
            f"CREATE TEMPORARY TABLE {_DIFF} AS SELECT {computed}, t.id AS old_id, 1 AS keep "
            f"FROM {_ROWS} r LEFT JOIN {stored} t ON {match} WHERE t.id IS NULL OR {differs} "
            f"UNION ALL SELECT {nothing}, t.id AS old_id, 0 AS keep FROM {stored} t "
            f"WHERE NOT EXISTS (SELECT 1 FROM {_ROWS} r WHERE {match})",
            [period.id, period.id],
        )
        cursor.execute(f"DROP TABLE {_ROWS}")
    written = 0
    assign = ", ".join(f"{column} = d.{column}" for column in values)
    cursor.execute(f"UPDATE {table} AS t SET {assign} FROM {_DIFF} d WHERE t.id = d.old_id AND d.keep")
    written += cursor.rowcount
    cursor.execute(
        f"INSERT INTO {table} (period_id, {listed}) SELECT %s, {listed} FROM {_DIFF} WHERE old_id IS NULL",
        [period.id],
    )
    written += cursor.rowcount
    cursor.execute(f"DELETE FROM {table} WHERE id IN (SELECT old_id FROM {_DIFF} WHERE NOT keep)")
    written += cursor.rowcount
    cursor.execute(f"DROP TABLE {_DIFF}")
    return written


# ---------------------------------------------------------------- the tree of a period


def _group_concat() -> str:
    return "string_agg(g.code, ',')" if connection.vendor == "postgresql" else "group_concat(g.code, ',')"


def _period_units(period: Period) -> tuple[str, list]:
    """SQL and parameters selecting the tree of `period` as of its end.

    Every unit standing on the period's last day, and every unit that ended within the period
    with its last version: its place on its last day.
    """
    through = UnitVersion.groups.through
    version = _table(UnitVersion)
    unit_type = _table(UnitVersion.unit_type.field.related_model)
    group = _table(through.unitgroup.field.related_model)
    columns = (
        "v.unit_id AS unit_id, v.path AS path, v.depth + 1 AS depth, v.parent_id AS parent, "
        "ut.code AS unit_type, COALESCE(',' || gs.codes || ',', '') AS groups"
    )
    source = (
        f"FROM {version} v JOIN {unit_type} ut ON ut.id = v.unit_type_id "
        f"LEFT JOIN (SELECT t.unitversion_id, {_group_concat()} AS codes FROM {_table(through)} t "
        f"JOIN {group} g ON g.id = t.unitgroup_id GROUP BY t.unitversion_id) gs ON gs.unitversion_id = v.id "
    )
    standing = "{v}.valid_from <= %s AND ({v}.valid_to IS NULL OR {v}.valid_to > %s)"
    ended = "{v}.valid_to > %s AND {v}.valid_to <= %s"
    sql = (
        f"SELECT {columns}, %s AS ended {source}WHERE {standing.format(v='v')} "
        f"UNION ALL SELECT {columns}, %s AS ended {source}WHERE {ended.format(v='v')} "
        f"AND v.valid_from = (SELECT MAX(l.valid_from) FROM {version} l WHERE l.unit_id = v.unit_id "
        f"AND {ended.format(v='l')}) "
        f"AND NOT EXISTS (SELECT 1 FROM {version} c WHERE c.unit_id = v.unit_id AND {standing.format(v='c')})"
    )
    start, end = period.start, period.end
    return sql, [False, end, end, True, start, end, start, end, end, end]


def build_period_units(period: Period) -> int:
    """Make the tree of `period` the tree as of its end; units that ended within it keep their last place.

    Only the rows that differ are written. Returns the number of units in the period's tree.
    """
    _lock_period(period, shared=False)
    sql, params = _period_units(period)
    with connection.cursor() as cursor:
        _sync(
            cursor,
            PeriodUnit,
            ("unit_id",),
            ("path", "depth", "parent", "unit_type", "groups", "ended"),
            sql,
            params,
            period,
        )
    return PeriodUnit.objects.filter(period=period).count()


def period_unit(period: Period, unit_id: int) -> PeriodUnit | None:
    return PeriodUnit.objects.filter(period=period, unit_id=unit_id).first()


# ---------------------------------------------------------------- full rebuild


_OWN, _ENDED = "danvan_rollup_own", "danvan_rollup_ended"


def _level_table(depth: int) -> str:
    return f"danvan_rollup_level_{depth}"


def _tune_for_rebuild() -> None:
    """Planner settings for the rest of a rebuild's transaction (PostgreSQL).

    A rebuild aggregates a period's whole data: some 1.500.000 values into 200.000 groups per
    50.000 units. Without statistics on its temporary tables the planner reaches for sorts and
    nested loops, overestimates the aggregates and JIT-compiles them (seconds spent compiling,
    none saved); and on two cores it rarely dares a parallel scan. Hash aggregates held in
    memory and cheap parallel workers are the right plan for every statement here, with no more
    workers than the server has cores beside the leader (settings.ROLLUP_PARALLEL_WORKERS, 1 by
    default: on two cores a second worker only competes with the leader; measured in PERFORMANCE.md).
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for setting, value in (
            ("jit", "off"),
            ("work_mem", "256MB"),
            ("enable_sort", "off"),
            ("enable_nestloop", "off"),
            ("parallel_setup_cost", "0"),
            ("parallel_tuple_cost", "0"),
            ("max_parallel_workers_per_gather", str(max(0, int(settings.ROLLUP_PARALLEL_WORKERS)))),
        ):
            cursor.execute(f"SET LOCAL {setting} = '{value}'")


def _sum(expression: str) -> str:
    """SQL for the sum of a BIGINT expression, itself a BIGINT.

    PostgreSQL's own SUM of a BIGINT accumulates in a 128-bit state allocated per group and returns a
    NUMERIC: over a rebuild's 200.000 groups that state is most of the aggregates' memory and time,
    and combining it across parallel workers means serialising it. `danvan_sum` (migration 0008) adds
    in a plain BIGINT, which overflows with an error just as the cast of a too large SUM would.
    """
    if connection.vendor == "postgresql":
        return f"danvan_sum({expression})"
    return f"CAST(SUM({expression}) AS BIGINT)"


def _max_depth(period: Period, *, ended: bool = False) -> int:
    units = PeriodUnit.objects.filter(period=period)
    if ended:
        units = units.filter(ended=True)
    return units.aggregate(m=Max("depth"))["m"] or 1


def _roll_up_levels(period: Period, model, key: str, columns: tuple[str, str], own_sql: str) -> None:
    """Rebuild a roll-up table level by level, from the deepest units up.

    `own_sql` selects (unit_id, key, a, b): each unit's own contribution. A contribution counts
    under every ancestor on its unit's own path in the period's tree, the rule `tracking` follows.
    First the contributions are summed per parent; then, from the deepest level up, each level's
    sums are its own contributions plus the sums of the level below, passed to their parents. Each
    row is read about twice and none is updated: far less work than adding every value to each
    of its ancestors.

    A unit that ended within the period keeps the path of its last day, which may no longer be
    its parent's path (the parent moved later): its contributions climb along that path rather
    than along the parent's place at the period's end. Such units are few; their contributions
    are added straight to every ancestor on their own path, apart from the levels, so that the
    levels (nearly all the rows) carry no path at all.
    """
    a, b = columns
    segment, pu = PATH_SEGMENT, _table(PeriodUnit)
    postgresql = connection.vendor == "postgresql"
    levels = [_level_table(depth) for depth in range(_max_depth(period) - 1, 0, -1)]
    ended = list(PeriodUnit.objects.filter(period=period, ended=True).values_list("unit_id", flat=True))
    sums = f"{_sum(a)} AS {a}, {_sum(b)} AS {b}"
    with connection.cursor() as cursor:
        for name in (_OWN, _ENDED, *levels):
            cursor.execute(f"DROP TABLE IF EXISTS {name}")
        # The units that stand at the period's end, summed per parent. On PostgreSQL this is one parallel
        # scan of the period's values; grouping by plain columns (no path expression) lets the planner
        # count the groups right and sum them in the workers first.
        cursor.execute(
            f"CREATE TEMPORARY TABLE {_OWN} AS "
            f"SELECT pu.parent AS unit_id, pu.depth - 1 AS depth, own.{key} AS {key}, "
            f"{_sum('own.a')} AS {a}, {_sum('own.b')} AS {b} "
            f"FROM ({own_sql}) own JOIN {pu} pu ON pu.period_id = %s AND pu.unit_id = own.unit_id "
            f"WHERE pu.depth > 1 AND NOT pu.ended GROUP BY pu.parent, pu.depth, own.{key}",
            [period.id, period.id],
        )
        if ended:
            # The units that ended within the period: each contribution to every strict ancestor on the
            # unit's own path, the k-th segment for k below its depth. Read by unit (an index lookup on
            # PostgreSQL), not by scanning the period's values again.
            numbers = ", ".join(f"({k})" for k in range(1, max(_max_depth(period, ended=True), 2)))
            if postgresql:
                whose, whose_params = "own.unit_id = ANY(%s)", [ended]
            else:
                whose = f"own.unit_id IN (SELECT unit_id FROM {pu} WHERE period_id = %s AND ended)"
                whose_params = [period.id]
            cursor.execute(
                f"CREATE TEMPORARY TABLE {_ENDED} AS WITH n(k) AS (VALUES {numbers}) "
                f"SELECT CAST(SUBSTR(pu.path, (n.k - 1) * {segment} + 1, {segment}) AS BIGINT) AS unit_id, "
                f"own.{key} AS {key}, {_sum('own.a')} AS {a}, {_sum('own.b')} AS {b} "
                f"FROM ({own_sql}) own JOIN {pu} pu ON pu.period_id = %s AND pu.unit_id = own.unit_id "
                f"JOIN n ON n.k < pu.depth WHERE pu.ended AND {whose} "
                f"GROUP BY CAST(SUBSTR(pu.path, (n.k - 1) * {segment} + 1, {segment}) AS BIGINT), own.{key}",
                [period.id, period.id, *whose_params],
            )
        # One table per level: each level reads exactly the one below it, never a scan of all the rows.
        for index, level in enumerate(levels):
            depth = len(levels) - index
            own = f"SELECT unit_id, {key}, {a}, {b} FROM {_OWN} WHERE depth = {depth}"
            if index == 0:  # the deepest level: nothing below
                cursor.execute(f"CREATE TEMPORARY TABLE {level} AS {own}")
                continue
            below = (
                f"SELECT pu.parent AS unit_id, l.{key} AS {key}, l.{a} AS {a}, l.{b} AS {b} FROM {levels[index - 1]} l "
                f"JOIN {pu} pu ON pu.period_id = %s AND pu.unit_id = l.unit_id WHERE pu.parent IS NOT NULL"
            )
            if postgresql:
                # The level's own rows are unique already: only the rows from below need summing, then
                # one hash join adds them in.
                cursor.execute(
                    f"CREATE TEMPORARY TABLE {level} AS SELECT COALESCE(o.unit_id, c.unit_id) AS unit_id, "
                    f"COALESCE(o.{key}, c.{key}) AS {key}, COALESCE(o.{a}, 0) + COALESCE(c.{a}, 0) AS {a}, "
                    f"COALESCE(o.{b}, 0) + COALESCE(c.{b}, 0) AS {b} "
                    f"FROM ({own}) o FULL JOIN (SELECT unit_id, {key}, {sums} FROM ({below}) c "
                    f"GROUP BY unit_id, {key}) c ON c.unit_id = o.unit_id AND c.{key} = o.{key}",
                    [period.id],
                )
            else:  # SQLite before 3.39 has no FULL JOIN
                cursor.execute(
                    f"CREATE TEMPORARY TABLE {level} AS SELECT unit_id, {key}, {sums} "
                    f"FROM ({own} UNION ALL {below}) level GROUP BY unit_id, {key}",
                    [period.id],
                )
        rows = " UNION ALL ".join(f"SELECT unit_id, {key}, {a}, {b} FROM {name}" for name in levels)
        rows = rows or f"SELECT unit_id, {key}, {a}, {b} FROM {_OWN}"  # a tree of roots only: no rows
        if ended:
            # A unit reached along both ways has a row from each: one row per unit, summed.
            rows = (
                f"SELECT unit_id, {key}, {sums} FROM ({rows} UNION ALL "
                f"SELECT unit_id, {key}, {a}, {b} FROM {_ENDED}) r GROUP BY unit_id, {key}"
            )
        _sync(cursor, model, ("unit_id", key), (a, b), rows, [], period)
        for name in (_OWN, _ENDED, *levels):
            cursor.execute(f"DROP TABLE IF EXISTS {name}")


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
    pu = _table(PeriodUnit)
    target_cte, target_params = _target_values(period)
    terms = list(IndicatorTerm.objects.values_list("element_id", "indicator_id", "side"))
    counts = defaultdict(int)
    for _element_id, indicator_id, _side in terms:
        counts[indicator_id] += 1
    # The terms inline, each with its indicator's number of terms: the planner sees a dozen rows to hash.
    term_rows = [
        (element_id, indicator_id, side, counts[indicator_id]) for element_id, indicator_id, side in terms
    ]
    term_rows = term_rows or [(0, 0, "n", 1)]  # no indicator yet: matches nothing
    term_cte = f"tt(element_id, indicator_id, side, terms) AS (VALUES {', '.join(['(%s, %s, %s, %s)'] * len(term_rows))})"
    meets = " ".join(
        f"WHEN '{code}' THEN x.numerator * tv.factor {operator} tv.target * x.denominator"
        for code, operator in _SQL_OPERATORS.items()
    )
    # Only the values of elements some indicator uses (a third of them, in the benchmark), chosen in the
    # scan itself: PostgreSQL may then read them through the element index.
    elements = sorted({row[0] for row in term_rows})
    used = f"element_id IN ({', '.join(['%s'] * len(elements))})"
    if DataValue.objects.filter(period=period).exclude(category="").exists():
        # The unit's totals per element (categories summed).
        values = (
            f"(SELECT unit_id, element_id, {_sum('value')} AS total FROM {_table(DataValue)} "
            f"WHERE period_id = %s AND approved AND {used} GROUP BY unit_id, element_id)"
        )
    else:  # one row per unit and element: no need to sum categories first
        values = (
            f"(SELECT unit_id, element_id, value AS total FROM {_table(DataValue)} "
            f"WHERE period_id = %s AND approved AND {used})"
        )
    numerator = _sum("CASE WHEN t.side = 'n' THEN v.total ELSE 0 END")
    denominator = _sum("CASE WHEN t.side = 'd' THEN v.total ELSE 0 END")
    with connection.cursor() as cursor:
        _sync(
            cursor,
            UnitIndicator,
            ("unit_id", "indicator_id"),
            ("numerator", "denominator", "complete", "has_target", "met"),
            f"WITH {target_cte}, {term_cte} "
            "SELECT x.unit_id AS unit_id, x.indicator_id AS indicator_id, x.numerator AS numerator, "
            "x.denominator AS denominator, x.complete AS complete, "
            "(x.complete AND x.denominator <> 0 AND tv.indicator_id IS NOT NULL) AS has_target, "
            "(x.complete AND x.denominator <> 0 AND tv.indicator_id IS NOT NULL "
            f"AND CASE tv.comparator {meets} END) AS met "
            "FROM ("
            "SELECT v.unit_id, t.indicator_id, "
            f"{numerator} AS numerator, {denominator} AS denominator, "
            "COUNT(*) = MAX(t.terms) AS complete "
            f"FROM {values} v JOIN tt t ON t.element_id = v.element_id "
            "GROUP BY v.unit_id, t.indicator_id"
            f") x JOIN {pu} pu ON pu.period_id = %s AND pu.unit_id = x.unit_id "
            "LEFT JOIN tv ON tv.groups = pu.groups AND tv.indicator_id = x.indicator_id",
            [*target_params, *(value for row in term_rows for value in row), period.id, *elements, period.id],
            period,
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
    _lock_period(period, shared=False)
    _tune_for_rebuild()
    if tree:
        build_period_units(period)
    if derived:
        derivation.refresh_period(period)
    _rebuild_element_rollup(period)
    _rebuild_unit_indicators(period)
    _rebuild_indicator_rollup(period)


# ---------------------------------------------------------------- incremental


def own_totals(period: Period, unit_id: int) -> dict[int, tuple[int, int]]:
    """element id → (sum, number of rows) of the unit's approved values in the period."""
    return own_totals_of(period, [unit_id]).get(unit_id, {})


def own_totals_of(period: Period, unit_ids: list[int]) -> dict[int, dict[int, tuple[int, int]]]:
    """unit id → element id → (sum, number of rows) of the units' approved values in the period."""
    # Plain SQL: this runs twice in every approval, and Django's query compilation costs more than the query.
    totals: dict[int, dict[int, tuple[int, int]]] = {}
    with connection.cursor() as cursor:
        for chunk in _chunks(unit_ids, _IN_CHUNK):
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"SELECT unit_id, element_id, SUM(value), COUNT(*) FROM {_table(DataValue)} "
                f"WHERE period_id = %s AND unit_id IN ({marks}) AND approved GROUP BY unit_id, element_id",
                [period.id, *chunk],
            )
            for unit_id, element_id, total, rows in cursor.fetchall():
                totals.setdefault(unit_id, {})[element_id] = (int(total), rows)
    return totals


_IN_CHUNK = 900  # ids in one IN list (SQLite allows 999 parameters in a statement)


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _upsert_statement(model, key_field: str, columns: tuple[str, str], rows: list[tuple]) -> tuple[str, list]:
    """An INSERT adding (a, b) to the two counter columns of each (unit, period, key) row, creating it if
    absent, and its parameters."""
    table = _table(model)
    a, b = columns
    if connection.vendor == "postgresql":
        # Five arrays, whatever the number of rows: one statement text (no placeholders to convert per
        # row, and the same text every time), where a VALUES list has five placeholders per row.
        source = "SELECT * FROM UNNEST(%s::bigint[], %s::bigint[], %s::bigint[], %s::bigint[], %s::bigint[])"
        params = [list(column) for column in zip(*rows, strict=True)]
    else:
        source = "VALUES " + ", ".join(["(%s, %s, %s, %s, %s)"] * len(rows))
        params = [value for row in rows for value in row]
    return (
        f"INSERT INTO {table} (unit_id, period_id, {key_field}, {a}, {b}) {source} "
        f"ON CONFLICT (unit_id, period_id, {key_field}) DO UPDATE SET "
        f"{a} = {table}.{a} + excluded.{a}, {b} = {table}.{b} + excluded.{b}",
        params,
    )


def _unit_indicators_statement(rows: list[tuple]) -> tuple[str, list]:
    """An INSERT of UnitIndicator rows (period, unit, indicator, numerator, denominator, complete,
    has_target, met), and its parameters."""
    columns = "period_id, unit_id, indicator_id, numerator, denominator, complete, has_target, met"
    if connection.vendor == "postgresql":
        source = (
            "SELECT * FROM UNNEST(%s::bigint[], %s::bigint[], %s::bigint[], %s::bigint[], %s::bigint[], "
            "%s::boolean[], %s::boolean[], %s::boolean[])"
        )
        params = [list(column) for column in zip(*rows, strict=True)]
    else:
        source = "VALUES " + ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s)"] * len(rows))
        params = [value for row in rows for value in row]
    return f"INSERT INTO {_table(UnitIndicator)} ({columns}) {source}", params


def _write_changes(element_deltas: list[tuple], unit_indicators: list[tuple], counts: list[tuple]) -> None:
    """Write one unit's change: the ancestors' element deltas, the unit's new indicator rows and the
    ancestors' target counts. On PostgreSQL in one statement (data-modifying WITH): one round trip."""
    statements = []
    if element_deltas:
        statements.append(
            _upsert_statement(ElementRollup, "element_id", ("value", "reporters"), element_deltas)
        )
    if unit_indicators:
        statements.append(_unit_indicators_statement(unit_indicators))
    if counts:
        statements.append(
            _upsert_statement(IndicatorRollup, "indicator_id", ("target_units", "met_units"), counts)
        )
    if not statements:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            *first, (last, last_params) = statements
            prefix = ", ".join(f"w{number} AS ({sql})" for number, (sql, _params) in enumerate(first))
            cursor.execute(
                f"WITH {prefix} {last}" if first else last,
                [value for _sql, params in first for value in params] + last_params,
            )
        else:
            for sql, params in statements:
                cursor.execute(sql, params)


def _upsert(model, key_field: str, columns: tuple[str, str], rows: list[tuple]) -> None:
    """Add (a, b) to the two counter columns of each (unit, period, key) row, creating it if absent (many
    units' changes at once: a bulk import).

    Rows with the same key are added together first (one statement may not touch a row twice).
    """
    summed: dict[tuple, list[int]] = {}
    for unit_id, period_id, key, a_delta, b_delta in rows:
        total = summed.setdefault((unit_id, period_id, key), [0, 0])
        total[0] += a_delta
        total[1] += b_delta
    # A sum of nothing changes nothing (and a row missing from the table cannot come to zero).
    flat = [(*key, a_delta, b_delta) for key, (a_delta, b_delta) in summed.items() if a_delta or b_delta]
    with connection.cursor() as cursor:
        for chunk in _statement_batches(flat, per_row=5):
            cursor.execute(*_upsert_statement(model, key_field, columns, chunk))


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
) -> tuple[list[tuple], list[tuple]]:
    """Remove the unit's own indicator rows touched by `changed` elements; return the rows that replace
    them and the ancestors' count deltas (for `_write_changes`).

    Plain SQL, three statements: this runs in every approval, where Django's query building cost more
    than the queries (PERFORMANCE.md).
    """
    terms_table, indicators_table = _table(IndicatorTerm), _table(Indicator)
    unit_indicators = _table(UnitIndicator)
    in_changed = ", ".join(["%s"] * len(changed))
    by_indicator: dict[int, list[tuple[int, str]]] = defaultdict(list)  # indicator → [(element, side)]
    factors = {}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT t.indicator_id, t.element_id, t.side, i.factor FROM {terms_table} t "
            f"JOIN {indicators_table} i ON i.id = t.indicator_id WHERE t.indicator_id IN "
            f"(SELECT indicator_id FROM {terms_table} WHERE element_id IN ({in_changed}))",
            sorted(changed),
        )
        for indicator_id, element_id, side, factor in cursor.fetchall():
            by_indicator[indicator_id].append((element_id, side))
            factors[indicator_id] = factor
        if not by_indicator:
            return [], []
        in_indicators = ", ".join(["%s"] * len(by_indicator))
        # The unit's old rows, read as they are removed (RETURNING: SQLite 3.35 and later).
        which = f"FROM {unit_indicators} WHERE period_id = %s AND unit_id = %s AND indicator_id IN ({in_indicators})"
        which_params = [period.id, place.unit_id, *by_indicator]
        if connection.vendor == "postgresql" or connection.Database.sqlite_version_info >= (3, 35):
            cursor.execute(f"DELETE {which} RETURNING indicator_id, has_target, met", which_params)
            found = cursor.fetchall()
        else:  # pragma: no cover - an older SQLite
            cursor.execute(f"SELECT indicator_id, has_target, met {which}", which_params)
            found = cursor.fetchall()
            cursor.execute(f"DELETE {which}", which_params)
        old = {indicator_id: (bool(has_target), bool(met)) for indicator_id, has_target, met in found}
    targets = list(Target.objects.filter(indicator_id__in=by_indicator).select_related("unit_group"))
    groups = groups_of(place.groups)
    rows, counts = [], []
    for indicator_id, indicator_terms in by_indicator.items():
        reported = [(element_id, side) for element_id, side in indicator_terms if element_id in totals]
        state = (False, False)
        if reported:
            numerator = sum(totals[element_id][0] for element_id, side in reported if side == "n")
            denominator = sum(totals[element_id][0] for element_id, side in reported if side == "d")
            complete = len(reported) == len(indicator_terms)
            target = target_for(Indicator(id=indicator_id), groups, period.code, targets)
            state = _evaluate(factors[indicator_id], target, numerator, denominator, complete)
            rows.append((period.id, place.unit_id, indicator_id, numerator, denominator, complete, *state))
        before = old.get(indicator_id, (False, False))
        d_target, d_met = int(state[0]) - int(before[0]), int(state[1]) - int(before[1])
        if d_target or d_met:
            counts.extend((ancestor, period.id, indicator_id, d_target, d_met) for ancestor in ancestors)
    return rows, counts


def _follow_indicators_of(
    period: Period, changes: list[tuple[PeriodUnit, dict, set[int], list[int]]]
) -> None:
    """Several units at once (`tracking_units`): recompute the units' own indicator rows touched by their changed elements; move the ancestors' counts.

    `changes`: (place, the unit's totals after, its changed elements, its strict ancestors) per unit.
    A handful of statements whatever the number of units.
    """
    changed_all = set().union(*(changed for _place, _totals, changed, _ancestors in changes))
    terms = list(
        IndicatorTerm.objects.filter(
            indicator_id__in=IndicatorTerm.objects.filter(element_id__in=changed_all).values("indicator_id")
        ).select_related("indicator")
    )
    by_indicator: dict[int, list[IndicatorTerm]] = defaultdict(list)
    by_element: dict[int, set[int]] = defaultdict(set)
    for term in terms:
        by_indicator[term.indicator_id].append(term)
        by_element[term.element_id].add(term.indicator_id)
    if not by_indicator:
        return
    old: dict[tuple[int, int], UnitIndicator] = {}
    unit_ids = [place.unit_id for place, *_rest in changes]
    for chunk in _chunks(unit_ids, _IN_CHUNK):
        for row in UnitIndicator.objects.filter(
            period=period, unit_id__in=chunk, indicator_id__in=by_indicator
        ):
            old[(row.unit_id, row.indicator_id)] = row
    targets = list(Target.objects.filter(indicator_id__in=by_indicator).select_related("unit_group"))
    rows, counts, stale = [], [], []
    for place, totals, changed, ancestors in changes:
        groups = groups_of(place.groups)
        touched = set().union(*(by_element.get(element_id, ()) for element_id in changed))
        for indicator_id in sorted(touched):
            indicator_terms = by_indicator[indicator_id]
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
                    (period.id, place.unit_id, indicator_id, numerator, denominator, complete, *state)
                )
            previous = old.get((place.unit_id, indicator_id))
            if previous is not None:
                stale.append(previous.id)
            before = (previous.has_target, previous.met) if previous is not None else (False, False)
            d_target, d_met = int(state[0]) - int(before[0]), int(state[1]) - int(before[1])
            if d_target or d_met:
                counts.extend((ancestor, period.id, indicator_id, d_target, d_met) for ancestor in ancestors)
    for chunk in _chunks(stale, _IN_CHUNK):
        UnitIndicator.objects.filter(id__in=chunk).delete()
    _insert_unit_indicators(rows)
    _upsert(IndicatorRollup, "indicator_id", ("target_units", "met_units"), counts)


def _insert_unit_indicators(rows: list[tuple]) -> None:
    """Add (period, unit, indicator, numerator, denominator, complete, has_target, met) rows."""
    with connection.cursor() as cursor:
        for chunk in _statement_batches(rows, per_row=8):
            cursor.execute(*_unit_indicators_statement(chunk))


def _statement_batches(rows: list[tuple], *, per_row: int):
    """The rows in as few statements as the engine takes: all at once on PostgreSQL (arrays), else as many
    as its parameter limit allows (`per_row` parameters a row)."""
    if connection.vendor == "postgresql":
        size = len(rows)
    else:
        size = (connection.features.max_query_params or 50_000) // per_row
    return _chunks(rows, max(size, 1))


@contextlib.contextmanager
def tracking(period: Period, unit_id: int):
    """Wrap a change to one unit's values in a period; the roll-up follows before the block commits.

    Eight statements whatever the depth (PostgreSQL): the period's shared lock, the unit's place, its
    totals before and after, the indicator terms, its old indicator rows (removed), the targets, and one
    statement writing the element deltas of every strict ancestor, the unit's new indicator rows and
    the ancestors' target counts (`_write_changes`).
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
        ancestors = path_ids(place.path)[:-1]
        deltas = []
        for element_id in changed:
            old_sum, old_rows = before.get(element_id, (0, 0))
            new_sum, new_rows = after.get(element_id, (0, 0))
            deltas.extend(
                (ancestor, period.id, element_id, new_sum - old_sum, new_rows - old_rows)
                for ancestor in ancestors
            )
        unit_indicators, counts = _follow_indicators(period, place, after, changed, ancestors)
        _write_changes(deltas, unit_indicators, counts)


@contextlib.contextmanager
def tracking_units(period: Period, unit_ids: list[int]):
    """Wrap a change to several units' values in a period (a bulk import, a batch of units at a time);
    the roll-up follows once for all of them, before the block commits.

    The same statements as for one unit, each covering every unit (in chunks of ids): totals before
    and after, one upsert of the element deltas summed per (ancestor, element), the units' indicator
    rows, one upsert of the counts summed per (ancestor, indicator).
    """
    unit_ids = sorted(set(unit_ids))
    # No savepoint: inside a caller's transaction a failure rolls the whole change back anyway.
    with transaction.atomic(savepoint=False):
        _lock_period(period, shared=True)
        # Lock the units' places (in id order): two writers of one unit must not both read the same "before".
        places: dict[int, PeriodUnit] = {}
        for chunk in _chunks(unit_ids, _IN_CHUNK):
            places.update(
                (place.unit_id, place)
                for place in PeriodUnit.objects.select_for_update()
                .filter(period=period, unit_id__in=chunk)
                .order_by("unit_id")
            )
        before = own_totals_of(period, unit_ids)
        yield
        after = own_totals_of(period, unit_ids)
        deltas, changes = [], []
        for unit_id in unit_ids:
            old, new = before.get(unit_id, {}), after.get(unit_id, {})
            changed = {
                element_id
                for element_id in old.keys() | new.keys()
                if old.get(element_id) != new.get(element_id)
            }
            place = places.get(unit_id)
            if not changed or place is None:
                continue
            ancestors = path_ids(place.path)[:-1]
            for element_id in changed:
                old_sum, old_rows = old.get(element_id, (0, 0))
                new_sum, new_rows = new.get(element_id, (0, 0))
                deltas.extend(
                    (ancestor, period.id, element_id, new_sum - old_sum, new_rows - old_rows)
                    for ancestor in ancestors
                )
            changes.append((place, new, changed, ancestors))
        if not changes:
            return
        _upsert(ElementRollup, "element_id", ("value", "reporters"), deltas)
        _follow_indicators_of(period, changes)


def refresh_targets(period: Period) -> None:
    """After targets change: re-evaluate every unit's target and recount (no value moves)."""
    with transaction.atomic():
        _lock_period(period, shared=False)
        _tune_for_rebuild()
        _rebuild_unit_indicators(period)
        _rebuild_indicator_rollup(period)


def periods_touching(day: datetime.date):
    """Periods whose tree may change when something changes on `day` (those ending on or after it)."""
    return Period.objects.filter(end__gte=day)
