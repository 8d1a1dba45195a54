"""Values derived from the system's own records: the registry of sources, and writing what they compute.

A source (registered by its module through `reports.sources`, the public seam) computes, for a
period, the value of one element for each unit it concerns; the values are stored as approved
`DataValue` rows with source "derived" so they roll up like any other.

This module sits below the roll-up: `refresh_period` writes a whole period's values, and
`rollup.rebuild` then recomputes the period's sums; `write_unit` writes one unit's values, which
`sources.refresh` wraps in the live roll-up (`rollup.tracking`).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise

from .models import DataElement, DataValue, Period


@dataclass(frozen=True)
class Source:
    key: str
    label: "str | Promise"  # lazy: named in the language of whoever reads it
    # (period, unit ids or None for all) → {unit id: value} for every unit the source concerns
    compute: Callable[[Period, list[int] | None], dict[int, int]]
    # (unit id, period) → the address of the records the figure counts (a report form links to it)
    records: Callable[[int, Period], str] | None = None


SOURCES: dict[str, Source] = {}


def register(source: Source) -> None:
    SOURCES[source.key] = source


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


def write_unit(period: Period, unit_id: int, wanted: dict[DataElement, int | None]) -> None:
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


def refresh_period(period: Period, *, keys=None) -> None:
    """Recompute the period's derived values for every unit (of the sources `keys` only, when given).

    The roll-up is not followed: `rollup.rebuild` recomputes it after (or calls this itself).
    """
    with transaction.atomic():
        for element in derived_elements(keys):
            _write(period, element, SOURCES[element.source].compute(period, None), None)
        if keys is None:
            Period.objects.filter(pk=period.pk).update(sources_refreshed_at=timezone.now())
