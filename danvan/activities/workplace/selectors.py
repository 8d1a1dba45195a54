"""Reads of workplace democracy: conferences and disclosures the user may see, the agencies' standing
for a year (held on time, late, not yet held, missing) and the disclosure checklist.

Agencies in scope of the staff conference: the units (in force on the year's deadline, or today if
earlier) belonging to one of the unit groups of agencies and employers — administrative agencies,
public service units, vocational schools, enterprises (AGENCY_GROUPS) — plus any unit that recorded a
conference for the year. Units of other kinds (cells, committees, mass organisations) have no staff
conference of their own.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from danvan.accounts import policy
from danvan.accounts.policy import Perm
from danvan.core.paths import path_upper_bound
from danvan.orgs import selectors as org_selectors
from danvan.orgs.models import Unit

from .models import REQUIRED, Category, Conference, Disclosure, deadline

AGENCY_GROUPS = ("admin_agency", "public_service_unit", "vocational_school", "enterprise")

ON_TIME, LATE, PENDING, MISSING = "on_time", "late", "pending", "missing"


def today() -> datetime.date:
    return timezone.localdate()


def conferences_for(user, perm: Perm = Perm.ACTIVITY_VIEW) -> QuerySet[Conference]:
    return policy.scope(user, perm, Conference.objects.select_related("unit"), field="unit__path")


def disclosures_for(user, perm: Perm = Perm.ACTIVITY_VIEW) -> QuerySet[Disclosure]:
    return policy.scope(user, perm, Disclosure.objects.select_related("unit"), field="unit__path")


def agencies(user, year: int, perm: Perm = Perm.ACTIVITY_VIEW, *, within: Unit | None = None) -> list[Unit]:
    """The agencies in the user's scope that owe a conference for `year`, in tree order."""
    day = min(deadline(year), today())
    versions = org_selectors.versions_on(day).filter(groups__code__in=AGENCY_GROUPS)
    units = policy.scope(user, perm, Unit.objects.filter(pk__in=versions.values("unit_id")), field="path")
    held = conferences_for(user, perm).filter(year=year).values("unit_id")
    units = units | policy.scope(user, perm, Unit.objects.filter(pk__in=held), field="path")
    if within is not None:
        units = org_selectors.in_subtree(units, within.path)
    return list(units.distinct().order_by("path"))


def units_at(paths: list[str]) -> list[Unit]:
    """The units whose materialised path is one of `paths` (the roots of a user's scope)."""
    return list(Unit.objects.filter(path__in=[path for path in paths if path]))


@dataclass
class Standing:
    unit: Unit
    conference: Conference | None
    state: str  # ON_TIME, LATE, PENDING, MISSING


def standings(
    user, year: int, *, within: Unit | None = None, day: datetime.date | None = None
) -> list[Standing]:
    """Every agency in scope with its conference for `year` (if any) and where it stands on `day`."""
    day = day or today()
    units = agencies(user, year, within=within)
    held = {c.unit_id: c for c in Conference.objects.filter(year=year, unit__in=units).select_related("unit")}
    rows = []
    for unit in units:
        conference = held.get(unit.pk)
        if conference is not None:
            state = ON_TIME if conference.on_time else LATE
        else:
            state = MISSING if day > deadline(year) else PENDING
        rows.append(Standing(unit, conference, state))
    return rows


def count_states(rows: list[Standing]) -> dict[str, int]:
    counts = {ON_TIME: 0, LATE: 0, PENDING: 0, MISSING: 0}
    for row in rows:
        counts[row.state] += 1
    return counts


@dataclass
class ChecklistLine:
    category: Category
    disclosures: list[Disclosure] = field(default_factory=list)

    @property
    def done(self) -> bool:
        return bool(self.disclosures)

    @property
    def last_on(self) -> datetime.date | None:
        return max((d.disclosed_on for d in self.disclosures), default=None)


def checklist(unit: Unit, year: int) -> list[ChecklistLine]:
    """For each category the law requires, the unit's disclosures of that category dated in `year`."""
    lines = {category.value: ChecklistLine(category) for category in REQUIRED}
    for disclosure in Disclosure.objects.filter(unit=unit, disclosed_on__year=year).order_by("disclosed_on"):
        if disclosure.category in lines:
            lines[disclosure.category].disclosures.append(disclosure)
    return list(lines.values())


def missing_counts(units: list[Unit], year: int) -> dict[int, int]:
    """Unit id → how many required categories it has not disclosed in `year` (one query)."""
    done: dict[int, set[str]] = {unit.pk: set() for unit in units}
    rows = (
        Disclosure.objects.filter(unit__in=units, disclosed_on__year=year)
        .values_list("unit_id", "category")
        .distinct()
    )
    for unit_id, category in rows:
        done[unit_id].add(category)
    required = {category.value for category in REQUIRED}
    return {unit_id: len(required - categories) for unit_id, categories in done.items()}


def held_between(unit: Unit, start: datetime.date, end: datetime.date) -> list[int]:
    """The years reviewed by the staff conferences held from `start` to `end` in `unit`'s subtree (one
    entry per conference): what a review report counts."""
    upper = path_upper_bound(unit.path)
    return list(
        Conference.objects.filter(
            unit__path__gte=unit.path, unit__path__lt=upper, held_on__gte=start, held_on__lte=end
        ).values_list("year", flat=True)
    )
