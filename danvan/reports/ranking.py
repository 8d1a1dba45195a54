"""Ranking units of a period on chosen indicators and on a composite score (the ranking page).

Each indicator ranks the units that have a figure for it, best first in the indicator's direction:
lower is better when every target of the indicator says "≤" or "<", higher otherwise. Equal figures
share a rank and the next rank skips it (standard competition ranking: 1, 2, 2, 4). A unit without
a figure is not ranked: it is listed last, "chưa có số liệu" — never as a zero.

The composite score of a unit is the plain average, over the chosen indicators, of a score out of
100 for each (`score`):

- with a target: how far the unit got towards it, value ÷ target × 100 (target ÷ value × 100 when
  lower is better; for "=", the smaller of the two over the larger), capped at 100: meeting the
  target earns the whole score and going beyond it earns nothing more, so one indicator cannot
  make up for another;
- without a target: a rate (%) is its own score, between 0 and 100; any other figure is scored
  against the best of the units ranked, value ÷ best × 100 (best ÷ value × 100 when lower is better).

Only a unit with a figure for every chosen indicator gets a composite score and a rank on it; the
others follow, with the figures they have. With a single indicator chosen, units are ranked on its
figure itself. Scores are exact fractions, so ties are real ties.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from danvan.core.text import sort_key
from danvan.orgs.models import Unit

from .models import Comparator, Indicator, Target
from .selectors import PlaceFigure

HUNDRED = Fraction(100)
LOWER = (Comparator.LTE, Comparator.LT)


@dataclass
class Cell:
    """One unit's figure for one indicator, its score out of 100 and its rank on that indicator."""

    figure: PlaceFigure | None
    score: Fraction | None = None
    rank: int | None = None
    tied: bool = False

    @property
    def value(self) -> Fraction | None:
        return self.figure.value if self.figure is not None else None


@dataclass
class Line:
    unit: Unit
    cells: list[Cell]
    composite: Fraction | None = None
    rank: int | None = None
    tied: bool = False

    @property
    def missing(self) -> int:
        """How many of the chosen indicators have no figure for this unit."""
        return sum(cell.value is None for cell in self.cells)


@dataclass
class Ranking:
    indicators: list[Indicator]
    lower_better: dict[int, bool]  # indicator id → lower figures rank first
    lines: list[Line] = field(default_factory=list)  # the ranked first, by rank; then the others

    @property
    def ranked(self) -> list[Line]:
        return [line for line in self.lines if line.rank is not None]

    @property
    def unranked(self) -> list[Line]:
        return [line for line in self.lines if line.rank is None]


def lower_is_better(indicator: Indicator, targets: Sequence[Target]) -> bool:
    """Does the indicator rank lower figures first? Yes when all its targets say "≤" or "<"."""
    own = [target for target in targets if target.indicator_id == indicator.id]
    return bool(own) and all(target.comparator in LOWER for target in own)


def competition_ranks(
    keys: Sequence[Fraction | None], *, lower_better: bool = False
) -> list[tuple[int | None, bool]]:
    """(rank, tied) for each key: the best key is 1, equal keys share a rank, the next rank skips
    (1, 2, 2, 4); a None key has no rank."""
    present = sorted((k for k in keys if k is not None), reverse=not lower_better)
    first: dict[Fraction, int] = {}
    count: dict[Fraction, int] = {}
    for position, key in enumerate(present, start=1):
        first.setdefault(key, position)
        count[key] = count.get(key, 0) + 1
    return [(None, False) if k is None else (first[k], count[k] > 1) for k in keys]


def score(
    value: Fraction, target: Target | None, *, rate: bool, best: Fraction | None, lower_better: bool
) -> Fraction:
    """The indicator's score out of 100 for one unit (see the module's docstring)."""
    if target is not None:
        goal = Fraction(target.value)
        if target.comparator == Comparator.EQ:
            high, low = max(value, goal), min(value, goal)
            result = HUNDRED if high == 0 else low / high * HUNDRED
        elif target.comparator in LOWER:
            result = HUNDRED if value == 0 else goal / value * HUNDRED
        else:
            result = HUNDRED if goal == 0 else value / goal * HUNDRED
    elif rate:
        result = value
    elif best is None or best == 0:
        result = HUNDRED if lower_better or best == 0 else Fraction(0)
    else:
        result = (best / value * HUNDRED if value else HUNDRED) if lower_better else value / best * HUNDRED
    return min(max(result, Fraction(0)), HUNDRED)


def build(
    *,
    units: Sequence[Unit],
    figures: dict[int, dict[int, PlaceFigure]],
    indicators: list[Indicator],
    targets: Sequence[Target],
) -> Ranking:
    """Rank `units` on each of `indicators` and on the composite of them."""
    lower = {indicator.id: lower_is_better(indicator, targets) for indicator in indicators}
    lines = [
        Line(unit=unit, cells=[Cell(figure=figures.get(unit.id, {}).get(i.id)) for i in indicators])
        for unit in units
    ]
    for column, indicator in enumerate(indicators):
        _rank_column(lines, column, indicator, lower[indicator.id])
    for line in lines:
        if line.cells and line.missing == 0:
            line.composite = sum((cell.score for cell in line.cells), Fraction(0)) / len(line.cells)  # type: ignore[misc]
    for line, (rank, tied) in zip(lines, competition_ranks([line.composite for line in lines]), strict=True):
        line.rank, line.tied = rank, tied
        if len(indicators) == 1:  # one indicator: ranked on its figure itself, not on the capped score
            line.rank, line.tied = line.cells[0].rank, line.cells[0].tied
    ordered = sorted(lines, key=_order)
    return Ranking(indicators=indicators, lower_better=lower, lines=ordered)


def _rank_column(lines: list[Line], column: int, indicator: Indicator, lower_better: bool) -> None:
    cells = [line.cells[column] for line in lines]
    values = [cell.value for cell in cells]
    present = [v for v in values if v is not None]
    best = (min(present) if lower_better else max(present)) if present else None
    rate = indicator.unit_label == "%"
    for cell, (rank, tied) in zip(cells, competition_ranks(values, lower_better=lower_better), strict=True):
        cell.rank, cell.tied = rank, tied
        if cell.value is not None:
            target = cell.figure.target if cell.figure is not None else None
            cell.score = score(cell.value, target, rate=rate, best=best, lower_better=lower_better)


def _order(line: Line) -> tuple:
    """The ranked by rank, then the unranked (those with more figures first); then by name."""
    if line.rank is None:
        return (True, line.missing, sort_key(line.unit.name))
    return (False, line.rank, sort_key(line.unit.name))
