"""Reads of the thematic cell meetings: the scoped register, the coverage of a unit's cells in a year,
the cells of a report period, the overview figures and the cells the work home reminds of.

Meetings are seen with ACTIVITY_VIEW at their cell or above (`policy.scope` on the cell's path). The
cells of a unit are those of type "cell" in its subtree, in the tree as it stood at the year's end
(today for the current year: the tree as it stands), read with the organisation selectors.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from danvan.accounts import policy
from danvan.accounts.policy import Perm
from danvan.activities.registers import Figure
from danvan.core.templatetags.vn import number, percent
from danvan.orgs import selectors as org_selectors
from danvan.orgs.models import Unit, UnitVersion
from danvan.reports.models import PeriodUnit
from danvan.reports.sources import tree_units

from .models import Meeting

CELL = "cell"


def today() -> datetime.date:
    return timezone.localdate()


def meetings_for(user, perm: Perm = Perm.ACTIVITY_VIEW) -> QuerySet[Meeting]:
    """The meetings of the cells where `user` holds `perm` (or above)."""
    return policy.scope(user, perm, Meeting.objects.select_related("unit"), field="unit__path")


def meetings_filtered(
    user,
    *,
    unit: Unit | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> QuerySet[Meeting]:
    """The user's meetings, of the cells in `unit`'s subtree (the unit's current path), within [start, end]."""
    qs = meetings_for(user)
    if unit is not None:
        qs = org_selectors.in_subtree(qs, unit.path, field="unit__path")
    if start is not None:
        qs = qs.filter(held_on__gte=start)
    if end is not None:
        qs = qs.filter(held_on__lte=end)
    return qs.order_by("-held_on", "-id")


def tree_day(year: int, on: datetime.date | None = None) -> datetime.date:
    """The day whose tree a year's coverage reads: the year's end, or today during the year."""
    return min(on or today(), datetime.date(year, 12, 31))


def rate_text(done: int, total: int) -> str:
    """ "3/4 chi bộ (75 %)", "47/64 chi bộ (73,4 %)"; without a rate when there is no cell."""
    if not total:
        return _("%(done)s/%(total)s cells") % {"done": number(done), "total": number(total)}
    return _("%(done)s/%(total)s cells (%(rate)s)") % {
        "done": number(done),
        "total": number(total),
        "rate": percent(done * 100 / total),
    }


def cell_error(unit: Unit, day: datetime.date) -> str:
    """Why `unit` cannot hold a thematic meeting on `day` ("" when it can: it is a cell on that day)."""
    version = org_selectors.version_on(unit, day)
    if version is None:
        return _("%(unit)s did not exist on %(day)s.") % {"unit": unit.name, "day": day.strftime("%d/%m/%Y")}
    if version.unit_type.code != CELL:
        return _(
            "%(unit)s is not a party cell (it is: %(type)s): thematic meetings are recorded for party cells."
        ) % {"unit": unit.name, "type": version.unit_type.name}
    return ""


# ---------------------------------------------------------------- coverage


@dataclass
class CellLine:
    version: UnitVersion
    meetings: list[Meeting] = field(default_factory=list)

    @property
    def covered(self) -> bool:
        return bool(self.meetings)


@dataclass
class Coverage:
    unit: Unit
    year: int
    day: datetime.date
    lines: list[CellLine]

    @property
    def total(self) -> int:
        return len(self.lines)

    @property
    def done(self) -> int:
        return sum(1 for line in self.lines if line.covered)

    @property
    def missing(self) -> list[CellLine]:
        return [line for line in self.lines if not line.covered]

    @property
    def rate(self) -> str:
        return rate_text(self.done, self.total)


def coverage(unit: Unit, year: int, *, on: datetime.date | None = None) -> Coverage:
    """The cells in `unit`'s subtree (the unit itself if it is one) in the tree on `tree_day(year)`,
    each with its meetings held in the year; those without any first."""
    day = tree_day(year, on)
    versions = list(
        org_selectors.descendants(unit, day, include_self=True)
        .filter(unit_type__code=CELL)
        .select_related("unit", "parent")
    )
    by_cell: dict[int, list[Meeting]] = defaultdict(list)
    if versions:
        for meeting in Meeting.objects.filter(
            unit_id__in=[version.unit_id for version in versions], held_on__year=year
        ).order_by("held_on", "id"):
            by_cell[meeting.unit_id].append(meeting)
    lines = [CellLine(version, by_cell.get(version.unit_id, [])) for version in versions]
    lines.sort(key=lambda line: (line.covered, line.version.path))
    return Coverage(unit=unit, year=year, day=day, lines=lines)


def default_unit(user, perm: Perm = Perm.ACTIVITY_VIEW) -> Unit | None:
    """The user's top unit where they hold `perm` (a root for a superuser)."""
    paths = policy.scope_paths(user, perm)
    if paths is None:
        return Unit.objects.filter(versions__parent__isnull=True).order_by("path").first()
    top = sorted(paths, key=lambda path: (len(path), path))
    return Unit.objects.filter(path=top[0]).first() if top else None


def cells_in_scope(user, perm: Perm, day: datetime.date) -> QuerySet[UnitVersion]:
    """The cells (their versions on `day`) where `user` holds `perm`."""
    qs = org_selectors.versions_on(day).filter(unit_type__code=CELL)
    return policy.scope(user, perm, qs, field="path")


def overview(user, year: int) -> list[Figure]:
    """The register's part of the activities overview: cells with a meeting in the year / cells in scope,
    and the meetings held."""
    cells = list(cells_in_scope(user, Perm.ACTIVITY_VIEW, tree_day(year)).values_list("unit_id", flat=True))
    met = cells_with_meeting(cells, datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    held = (
        meetings_for(user)
        .filter(held_on__gte=datetime.date(year, 1, 1), held_on__lte=datetime.date(year, 12, 31))
        .count()
    )
    return [
        Figure(
            _("Cells with a thematic meeting on mobilisation"),
            rate_text(len(met), len(cells)),
            f"{reverse('cells:coverage')}?{urlencode({'year': year})}",
        ),
        Figure(
            _("Thematic cell meetings held"),
            number(held),
            f"{reverse('cells:list')}?{urlencode({'year': year})}",
        ),
    ]


@dataclass(frozen=True)
class Missing:
    """A grassroots organisation (the cells' parent) and how many of its cells in scope have not met."""

    parent: Unit
    count: int


def missing_by_parent(user, year: int, day: datetime.date) -> list[Missing]:
    """The cells where `user` may record meetings that held none in `year`, counted per parent unit
    (one query: the cells in scope without a meeting in the year, with their parents)."""
    met = Meeting.objects.filter(
        unit_id=OuterRef("unit_id"),
        held_on__gte=datetime.date(year, 1, 1),
        held_on__lte=datetime.date(year, 12, 31),
    )
    cells = (
        cells_in_scope(user, Perm.ACTIVITY_RECORD, day)
        .filter(parent__isnull=False)
        .exclude(Exists(met))
        .select_related("parent")
    )
    counts: dict[int, int] = defaultdict(int)
    parents: dict[int, Unit] = {}
    for version in cells:
        parent = version.parent
        if parent is None:
            continue
        parents[parent.pk] = parent
        counts[parent.pk] += 1
    return sorted(
        (Missing(parents[pk], count) for pk, count in counts.items()), key=lambda item: item.parent.path
    )


# ---------------------------------------------------------------- report sources


def period_cells(period, unit_ids: list[int] | None) -> list[int]:
    """The cells of the period's tree at its end, among `unit_ids` when given; a cell that ended in the
    period is not in the tree at its end (as `reports.sources._count_grassroots` does)."""
    cells = tree_units(period, unit_types=[CELL], unit_ids=unit_ids)
    if not cells:
        return []
    ended = PeriodUnit.objects.filter(period=period, unit_type=CELL, ended=True)
    if unit_ids is not None:
        ended = ended.filter(unit_id__in=unit_ids)
    return sorted(cells - set(ended.values_list("unit_id", flat=True)))


def cells_with_meeting(
    cell_ids: list[int], start: datetime.date, end: datetime.date, *, every: bool = False
) -> set[int]:
    """Those of `cell_ids` that held at least one thematic meeting within [start, end] (`every`: the
    cells are all those of a period, so the meetings are not narrowed to them in the query)."""
    if not cell_ids:
        return set()
    meetings = Meeting.objects.filter(held_on__gte=start, held_on__lte=end)
    if not every:
        meetings = meetings.filter(unit_id__in=cell_ids)
    held = set(meetings.values("unit_id").annotate(n=Count("id")).values_list("unit_id", flat=True))
    return held & set(cell_ids)


def unit_code(unit_id: int) -> str:
    return Unit.objects.filter(pk=unit_id).values_list("code", flat=True).first() or ""
