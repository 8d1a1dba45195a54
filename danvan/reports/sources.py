"""Registered sources: data elements the system derives from its own records.

Nobody types a count the system already knows. A source computes, for a period, the value of
one element for each unit it concerns; the values are stored as approved `DataValue` rows with
source "derived" so they roll up like any other. Other modules register their own sources.

The organisation registry is the first: for each grassroots party organisation in the tree at
the period's end, 1 for being one, 1 if it had a mobilisation lead on that day, 1 if its
coordination regulation was signed by then. The voice module registers its counts of cases
(danvan/voice/cases/sources.py: "voice.*" sources).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from danvan.orgs.models import MobilisationLead, Unit

from . import rollup
from .models import DataElement, DataValue, Period, PeriodUnit


@dataclass(frozen=True)
class Source:
    key: str
    label: str
    # (period, unit ids or None for all) → {unit id: value} for every unit the source concerns
    compute: Callable[[Period, list[int] | None], dict[int, int]]


SOURCES: dict[str, Source] = {}


def register(source: Source) -> None:
    SOURCES[source.key] = source


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


register(
    Source("orgs.grassroots", _("Grassroots party organisations (organisation registry)"), _count_grassroots)
)
register(
    Source("orgs.grassroots_with_lead", _("… with a mobilisation lead (organisation registry)"), _with_lead)
)
register(
    Source(
        "orgs.grassroots_with_regulation",
        _("… with a coordination regulation (organisation registry)"),
        _with_regulation,
    )
)


def derived_elements(keys=None):
    """Elements derived by a registered source (only by the sources `keys`, when given)."""
    wanted = list(SOURCES) if keys is None else [key for key in keys if key in SOURCES]
    return DataElement.objects.filter(source__in=wanted)


def _write(
    period: Period, element: DataElement, wanted: dict[int, int], unit_ids: list[int] | None
) -> set[int]:
    """Make the element's derived values match `wanted`; return the units whose value changed."""
    existing = DataValue.objects.filter(period=period, element=element, category="")
    if unit_ids is not None:
        existing = existing.filter(unit_id__in=unit_ids)
    current = {unit_id: (pk, value) for pk, unit_id, value in existing.values_list("id", "unit_id", "value")}
    changed = set()
    stale = [pk for unit_id, (pk, _v) in current.items() if unit_id not in wanted]
    DataValue.objects.filter(id__in=stale).delete()
    changed.update(unit_id for unit_id in current if unit_id not in wanted)
    new, updates = [], []
    for unit_id, value in wanted.items():
        if unit_id not in current:
            new.append(
                DataValue(
                    unit_id=unit_id,
                    period=period,
                    element=element,
                    value=value,
                    approved=True,
                    source=DataValue.Source.DERIVED,
                )
            )
        elif current[unit_id][1] != value:
            updates.append(DataValue(id=current[unit_id][0], value=value))
        else:
            continue
        changed.add(unit_id)
    DataValue.objects.bulk_create(new, batch_size=2000)
    DataValue.objects.bulk_update(updates, ["value"], batch_size=2000)
    return changed


def _write_unit(period: Period, unit_id: int, wanted: dict[DataElement, int | None]) -> None:
    """Make one unit's derived values of these elements match `wanted` (None: no value), in a few statements."""
    existing = {
        element_id: (pk, value)
        for pk, element_id, value in DataValue.objects.filter(
            period=period, unit_id=unit_id, category="", element_id__in=[e.id for e in wanted]
        ).values_list("id", "element_id", "value")
    }
    stale, new, updates = [], [], []
    for element, value in wanted.items():
        current = existing.get(element.id)
        if value is None:
            if current is not None:
                stale.append(current[0])
        elif current is None:
            new.append(
                DataValue(
                    unit_id=unit_id,
                    period=period,
                    element=element,
                    value=value,
                    approved=True,
                    source=DataValue.Source.DERIVED,
                )
            )
        elif current[1] != value:
            updates.append(DataValue(id=current[0], value=value))
    if stale:
        DataValue.objects.filter(id__in=stale).delete()
    if new:
        DataValue.objects.bulk_create(new)
    if updates:
        DataValue.objects.bulk_update(updates, ["value"])


def refresh(period: Period, unit_ids: list[int] | None = None, *, keys=None) -> None:
    """Recompute derived values of the period (of some units, keeping the roll-up current).

    `keys` limits the work to some sources (a module following its own records, e.g. voice).
    """
    from django.utils import timezone

    with transaction.atomic():
        elements = list(derived_elements(keys))
        if unit_ids is None:
            for element in elements:
                _write(period, element, SOURCES[element.source].compute(period, None), None)
            if keys is None:
                Period.objects.filter(pk=period.pk).update(sources_refreshed_at=timezone.now())
            return
        if not elements:
            return
        for unit_id in unit_ids:
            with rollup.tracking(period, unit_id):  # one roll-up step for all the unit's elements
                _write_unit(
                    period,
                    unit_id,
                    {e: SOURCES[e.source].compute(period, [unit_id]).get(unit_id) for e in elements},
                )


def refresh_unit(unit_id: int, since) -> None:
    """A registry record of one unit changed from `since` on: follow it in every period it reaches."""
    for period in rollup.periods_touching(since).filter(sources_refreshed_at__isnull=False):
        refresh(period, [unit_id])
