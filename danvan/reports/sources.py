"""Registered sources: data elements the system derives from its own records.

Nobody types a count the system already knows. A source computes, for a period, the value of
one element for each unit it concerns; the values are stored as approved `DataValue` rows with
source "derived" so they roll up like any other. Modules register their own sources here
(`register(Source(...))` in their AppConfig.ready()) and ask for them to be recomputed (`refresh`);
the registry and the writing of values live in `derived.py`, below the roll-up, so that
`rollup.rebuild` can recompute a whole period's values without knowing this module.

The organisation registry is the first: for each grassroots party organisation in the tree at
the period's end, 1 for being one, 1 if it had a mobilisation lead on that day, 1 if its
coordination regulation was signed by then. The voice module registers its counts of cases
(danvan/voice/cases/sources.py: "voice.*" sources).
"""

from django.db import connection, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from danvan.orgs.models import MobilisationLead, Unit

from . import derived, rollup
from .derived import SOURCES, Source, derived_elements, register  # the seam other modules use
from .models import Period, PeriodUnit

__all__ = [
    "SOURCES",
    "Source",
    "derived_elements",
    "refresh",
    "refresh_days",
    "refresh_unit",
    "register",
    "register_sources",
    "tree_units",
]


def _grassroots(period: Period, unit_ids: list[int] | None):
    qs = PeriodUnit.objects.filter(period=period, unit_type="grassroots", ended=False)
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    return qs.values_list("unit_id", flat=True)


def _count_grassroots(period, unit_ids):
    return {unit_id: 1 for unit_id in _grassroots(period, unit_ids)}


def _with_lead(period, unit_ids):
    units = list(_grassroots(period, unit_ids))
    led = (
        set(
            MobilisationLead.objects.filter(unit_id__in=units, assigned_on__lte=period.end)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=period.end))
            .values_list("unit_id", flat=True)
        )
        if units
        else set()
    )
    return {unit_id: int(unit_id in led) for unit_id in units}


def _with_regulation(period, unit_ids):
    units = list(_grassroots(period, unit_ids))
    signed = (
        set(
            Unit.objects.filter(id__in=units, regulation_signed_on__lte=period.end)
            .exclude(regulation_number="")
            .values_list("id", flat=True)
        )
        if units
        else set()
    )
    return {unit_id: int(unit_id in signed) for unit_id in units}


def register_sources() -> None:
    """The organisation registry's sources (called from the app's ready())."""
    register(
        Source(
            "orgs.grassroots", _("Grassroots party organisations (organisation registry)"), _count_grassroots
        )
    )
    register(
        Source(
            "orgs.grassroots_with_lead", _("… with a mobilisation lead (organisation registry)"), _with_lead
        )
    )
    register(
        Source(
            "orgs.grassroots_with_regulation",
            _("… with a coordination regulation (organisation registry)"),
            _with_regulation,
        )
    )


def refresh(period: Period, unit_ids: list[int] | None = None, *, keys=None) -> None:
    """Recompute derived values of the period (of some units, keeping the roll-up current).

    `keys` limits the work to some sources (a module following its own records, e.g. voice).
    """
    if unit_ids is None:
        derived.refresh_period(period, keys=keys)
        return
    elements = list(derived_elements(keys))
    if not elements:
        return
    with transaction.atomic():
        _take_turns(period, unit_ids)
        # Each source computed once for all the units (one query, not one per unit: a bulk import
        # touches hundreds), then one roll-up step per unit for all its elements.
        computed = {element: SOURCES[element.source].compute(period, list(unit_ids)) for element in elements}
        for unit_id in unit_ids:
            with rollup.tracking(period, unit_id):
                derived.write_unit(
                    period, unit_id, {element: computed[element].get(unit_id) for element in elements}
                )


def _take_turns(period: Period, unit_ids) -> None:
    """Two transactions refreshing the same unit in the same period take turns (PostgreSQL): the second
    counts once the first has committed, so it sees the first one's record. Without it two citizens'
    submissions to one unit at the same moment were each counted without the other, and the live figure
    stayed one short of a rebuild's (found by deploy/smoke). Units in a fixed order: no deadlock between
    two refreshes of overlapping sets. SQLite lets one writer at a time: nothing to do."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for unit_id in sorted(set(unit_ids)):
            cursor.execute(
                "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [f"source:{period.id}:{unit_id}"]
            )


def refresh_days(unit_ids, days, *, keys) -> None:
    """A module's records changed on `days`: recompute its sources `keys` for these units in every
    prepared period containing any of the days (each in one step of the live roll-up)."""
    unit_ids = sorted({unit_id for unit_id in unit_ids if unit_id})
    days = {day for day in days if day}
    if not unit_ids or not days:
        return
    touching = Q()
    for day in days:
        touching |= Q(start__lte=day, end__gte=day)
    for period in Period.objects.filter(touching, sources_refreshed_at__isnull=False).order_by("start", "id"):
        refresh(period, unit_ids, keys=keys)


def tree_units(period: Period, *, unit_types, unit_ids: list[int] | None = None) -> set[int]:
    """The units of the period's tree (as it stood at the period's end, units that ended in it
    included) whose type is one of `unit_types`; only among `unit_ids` when given."""
    qs = PeriodUnit.objects.filter(period=period, unit_type__in=list(unit_types))
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    return set(qs.values_list("unit_id", flat=True))


def refresh_unit(unit_id: int, since) -> None:
    """A registry record of one unit changed from `since` on: follow it in every period it reaches."""
    for period in (
        rollup.periods_touching(since).filter(sources_refreshed_at__isnull=False).order_by("start", "id")
    ):
        refresh(period, [unit_id])
