"""Figures of the cases (issue 4, items 7 and 11): counts and on-time rates for the statistics page.

- `breakdown(unit, span, dimension)`: cases received in a period by kind, channel or state, for
  the unit's own cases and for each child unit's whole subtree (one query), with the mass and
  over-level cases counted beside them.
- `on_time(unit, span, step)`: of the statutory clocks of a step (resolve, accept) stopped in the
  period — not cancelled by a transfer or a withdrawal — how many stopped on or before their due
  date, as a numerator / denominator pair.

The same cases feed the reports through `sources.py`.
"""

from dataclasses import dataclass, field
from fractions import Fraction

from django.db.models import Count, F, Q
from django.db.models.functions import Length, Substr
from django.utils.translation import gettext_lazy as _

from danvan.core.paths import PATH_SEGMENT, path_upper_bound
from danvan.orgs.models import Unit
from danvan.reports.periods import Span
from danvan.voice.deadlines.models import DeadlineRule

from .models import MASS_COMPLAINT_PEOPLE, Case, Channel, Clock, Kind, State

Step = DeadlineRule.Step
DIMENSIONS = {
    "kind": (_("Kind"), Kind.choices),
    "channel": (_("Channel"), Channel.choices),
    "state": (_("State"), State.choices),
}


def period_span(code: str) -> Span:
    """The dates of a period code (2026, 2026S1, 2026Q3, 202609, 2026RY); ValidationError in Vietnamese."""
    from danvan.reports import periods

    return periods.period_span(code)


def _subtree(field_name: str, unit: Unit) -> Q:
    return Q(**{f"{field_name}__gte": unit.path, f"{field_name}__lt": path_upper_bound(unit.path)})


# ---------------------------------------------------------------- on-time rates


@dataclass(frozen=True)
class Rate:
    """`numerator` of `denominator` on time; `value` the percentage (None without any)."""

    numerator: int = 0
    denominator: int = 0

    @property
    def value(self) -> Fraction | None:
        return Fraction(self.numerator * 100, self.denominator) if self.denominator else None

    @property
    def percent(self) -> float | None:
        value = self.value
        return float(value) if value is not None else None

    def __add__(self, other: "Rate") -> "Rate":
        return Rate(self.numerator + other.numerator, self.denominator + other.denominator)


def _stopped(span: Span, steps) -> "Q":
    return Q(step__in=list(steps), cancelled=False, stopped_on__gte=span.start, stopped_on__lte=span.end)


def on_time(unit: Unit, span: Span, step: str = Step.RESOLVE, *, subtree: bool = True) -> Rate:
    """Of the `step` clocks stopped in the period at the unit (and below it), how many on time."""
    qs = Clock.objects.filter(_stopped(span, [step]))
    qs = qs.filter(_subtree("unit__path", unit)) if subtree else qs.filter(unit=unit)
    found = qs.aggregate(total=Count("id"), good=Count("id", filter=Q(stopped_on__lte=F("due_on"))))
    return Rate(found["good"], found["total"])


# ---------------------------------------------------------------- per child unit


@dataclass
class Branch:
    """A row of a table by unit: the unit's own cases (`own`) or a child unit with its subtree."""

    unit: Unit
    own: bool = False
    cells: dict[str, int] = field(default_factory=dict)
    mass: int = 0
    over_level: int = 0
    accept: Rate = field(default_factory=Rate)
    resolve: Rate = field(default_factory=Rate)
    values: list[int] = field(default_factory=list)  # the cells in the order of the table's columns

    @property
    def total(self) -> int:
        return sum(self.cells.values())

    @property
    def empty(self) -> bool:
        return not (self.total or self.accept.denominator or self.resolve.denominator)


@dataclass
class Breakdown:
    unit: Unit
    span: Span
    dimension: str
    columns: list[tuple[str, str]]
    rows: list[Branch]

    @property
    def totals(self) -> Branch:
        total = Branch(unit=self.unit)
        for row in self.rows:
            for key, value in row.cells.items():
                total.cells[key] = total.cells.get(key, 0) + value
            total.mass += row.mass
            total.over_level += row.over_level
            total.accept += row.accept
            total.resolve += row.resolve
        total.values = [total.cells.get(value, 0) for value, _label in self.columns]
        return total


def _branch_key(path: str, parent_path: str) -> int | None:
    """The id of the child of `parent_path` whose subtree holds `path`; None for the parent itself."""
    if len(path) <= len(parent_path):
        return None
    return int(path[len(parent_path) : len(parent_path) + PATH_SEGMENT])


def _children(unit: Unit, with_data: set[int]) -> list[Unit]:
    """The units directly under `unit` today, plus ended ones that still hold figures."""
    found = (
        Unit.objects.filter(_subtree("path", unit))
        .annotate(path_length=Length("path"))
        .filter(path_length=len(unit.path) + PATH_SEGMENT)
    )
    return [child for child in found if child.is_active or child.pk in with_data]


def breakdown(unit: Unit, span: Span, dimension: str = "kind") -> Breakdown:
    """Cases received in the period under `unit`, by `dimension`, per child subtree (two queries and the tree)."""
    label_choices = DIMENSIONS[dimension][1]
    width = len(unit.path) + PATH_SEGMENT
    cases = (
        Case.objects.filter(
            _subtree("unit__path", unit), received_on__gte=span.start, received_on__lte=span.end
        )
        .annotate(branch=Substr("unit__path", 1, width))
        .values("branch", dimension)
        .annotate(
            n=Count("id"),
            mass=Count("id", filter=Q(people_count__gte=MASS_COMPLAINT_PEOPLE)),
            over=Count("id", filter=Q(is_over_level=True)),
        )
    )
    clocks = (
        Clock.objects.filter(_subtree("unit__path", unit))
        .filter(_stopped(span, [Step.ACCEPT, Step.RESOLVE]))
        .annotate(branch=Substr("unit__path", 1, width))
        .values("branch", "step")
        .annotate(n=Count("id"), good=Count("id", filter=Q(stopped_on__lte=F("due_on"))))
    )
    rows: dict[int | None, Branch] = {}

    def row_for(path: str) -> Branch:
        key = _branch_key(path, unit.path)
        if key not in rows:
            rows[key] = Branch(unit=unit, own=True) if key is None else Branch(unit=None)
        return rows[key]

    for item in cases:
        row = row_for(item["branch"])
        row.cells[item[dimension]] = row.cells.get(item[dimension], 0) + item["n"]
        row.mass += item["mass"]
        row.over_level += item["over"]
    for item in clocks:
        row = row_for(item["branch"])
        rate = Rate(item["good"], item["n"])
        if item["step"] == Step.ACCEPT:
            row.accept += rate
        else:
            row.resolve += rate
    own = rows.pop(None, Branch(unit=unit, own=True))
    result = [own]
    for child in sorted(_children(unit, set(rows)), key=lambda u: u.code):
        branch = rows.get(child.pk, Branch(unit=child))
        branch.unit = child
        result.append(branch)
    columns = [(value, str(label)) for value, label in label_choices]
    for branch in result:
        branch.values = [branch.cells.get(value, 0) for value, _label in columns]
    return Breakdown(unit=unit, span=span, dimension=dimension, columns=columns, rows=result)
