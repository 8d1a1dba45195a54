"""Writing units out as a unit file: every version of every unit, or a snapshot on a date.

An export writes one row per version: a unit's rows are cut wherever something in the file or
the unit's position in the tree changes, and where a predecessor joins it, so that importing the
file into an empty database and exporting again gives the same rows (versions that differ only in
what the file does not hold, the short name, come out as one row). With a date, an export is a
snapshot instead: one row per unit in force that day, without predecessors.

Units come parents first (by the start of their first version, its depth, then code). Rows are
made a batch of units at a time and written as they come (core.tables: CSV in chunks, XLSX in
write-only mode) into a temporary file: a large export holds neither every row nor the whole
file in memory. Text a spreadsheet would run as a formula gets a "'" in CSV (the import takes it
off again) and is stored as text, exactly, in XLSX.
"""

import datetime
from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO

from django.db import connection
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Collate
from django.utils.translation import gettext as _

from danvan.audit.models import AuditEvent
from danvan.audit.services import record
from danvan.core import tables

from ..models import Unit, UnitLink, UnitVersion
from ..selectors import versions_on
from .fileformat import COLUMNS, LIST_SEPARATOR

FORMATS = {"csv": tables.CSV_TYPE, "xlsx": tables.XLSX_TYPE}
XLSX_WIDTHS = (18, 60, 18, 14, 32, 13, 13, 28)
BATCH = 1000  # units (or versions, for a snapshot) whose rows are made together

_VERSION_FIELDS = (
    "id",
    "unit_id",
    "unit__code",
    "name",
    "parent__code",
    "unit_type__code",
    "path",
    "depth",
    "valid_from",
    "valid_to",
)


@dataclass
class Segment:
    """One row of a unit's history: versions that look the same in the file, joined."""

    start: datetime.date
    end: datetime.date | None
    key: tuple
    predecessors: list[str] = field(default_factory=list)

    def contains(self, day: datetime.date) -> bool:
        return self.start < day and (self.end is None or day < self.end)


def _batches(items: Iterable, size: int) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _groups_of(
    versions: Iterable[int] | None = None, units: Iterable[int] | None = None
) -> dict[int, list[str]]:
    """Group codes by version id, for these versions or for every version of these units."""
    through = UnitVersion.groups.through.objects.all()
    if versions is not None:
        through = through.filter(unitversion_id__in=versions)
    if units is not None:
        through = through.filter(unitversion__unit_id__in=units)
    found: dict[int, list[str]] = defaultdict(list)
    for version_id, code in through.values_list("unitversion_id", "unitgroup__code"):
        found[version_id].append(code)
    return found


def _unit_order(units: QuerySet[Unit] | None) -> array:
    """The ids of the units with a version, parents first; codes compared byte by byte."""
    first = UnitVersion.objects.filter(unit=OuterRef("pk")).order_by("valid_from")
    code = Collate("code", "C") if connection.vendor == "postgresql" else F("code")
    ordered = (
        (Unit.objects.all() if units is None else units)
        .annotate(
            first_from=Subquery(first.values("valid_from")[:1]),
            first_depth=Subquery(first.values("depth")[:1]),
        )
        .filter(first_from__isnull=False)
        .order_by("first_from", "first_depth", code)
    )
    return array("q", ordered.values_list("pk", flat=True).iterator(chunk_size=5000))


def _unit_segments(versions: list[tuple], groups: dict[int, list[str]], links: list[tuple]) -> list[Segment]:
    segments: list[Segment] = []
    for version_id, *_ids, name, parent, type_code, path, _depth, start, end in versions:
        key = (name, parent or "", type_code, ";".join(sorted(groups.get(version_id, ()))), path)
        last = segments[-1] if segments else None
        if last is not None and last.end == start and last.key == key:
            last.end = end
        else:
            segments.append(Segment(start, end, key))
    for day, _code in links:
        for index, segment in enumerate(segments):
            if segment.contains(day):
                segments[index : index + 1] = [
                    Segment(segment.start, day, segment.key),
                    Segment(day, segment.end, segment.key),
                ]
                break
    for day, code in links:
        target = next((s for s in segments if s.start == day), None)
        target = target or next((s for s in segments if s.contains(day)), None)
        target = target or (segments[0] if day < segments[0].start else segments[-1])
        target.predecessors.append(code)
    return segments


def export_rows(
    *, units: QuerySet[Unit] | None = None, as_of: datetime.date | None = None
) -> Iterator[list[str]]:
    """The rows of an export (without the header) of `units` (all when None), made as they are read.

    Every version by default; with `as_of`, one row per unit in force that day (a snapshot).
    """
    if as_of is not None:
        yield from _snapshot_rows(units, as_of)
        return
    for batch in _batches(_unit_order(units), BATCH):
        yield from _history_rows(batch, units)


def _history_rows(batch: list[int], units: QuerySet[Unit] | None) -> Iterator[list[str]]:
    versions: dict[int, list[tuple]] = defaultdict(list)
    for version in (
        UnitVersion.objects.filter(unit_id__in=batch)
        .order_by("unit_id", "valid_from")
        .values_list(*_VERSION_FIELDS)
    ):
        versions[version[1]].append(version)
    groups = _groups_of(units=batch)
    links: dict[int, list[tuple]] = defaultdict(list)
    link_qs = UnitLink.objects.filter(successor_id__in=batch)
    if units is not None:
        link_qs = link_qs.filter(predecessor__in=units)
    for successor_id, code, day in link_qs.values_list("successor_id", "predecessor__code", "effective_on"):
        links[successor_id].append((day, code))
    for unit_id in batch:
        code = versions[unit_id][0][2]
        for segment in _unit_segments(versions[unit_id], groups, sorted(links[unit_id])):
            name, parent, type_code, group_codes, _path = segment.key
            yield [
                code,
                name,
                parent,
                type_code,
                group_codes,
                segment.start.isoformat(),
                segment.end.isoformat() if segment.end else "",
                LIST_SEPARATOR.join(sorted(segment.predecessors)),
            ]


def _snapshot_rows(units: QuerySet[Unit] | None, day: datetime.date) -> Iterator[list[str]]:
    versions = versions_on(day)
    if units is not None:
        versions = versions.filter(unit__in=units)
    fields = ("id", "unit__code", "name", "parent__code", "unit_type__code", "valid_from", "valid_to")
    rows = versions.order_by("path").values_list(*fields).iterator(chunk_size=5000)
    for batch in _batches(rows, BATCH):
        groups = _groups_of(versions=[version[0] for version in batch])
        for version_id, code, name, parent, type_code, start, end in batch:
            yield [
                code,
                name,
                parent or "",
                type_code,
                LIST_SEPARATOR.join(sorted(groups.get(version_id, ()))),
                start.isoformat(),
                end.isoformat() if end else "",
                "",
            ]


@dataclass
class ExportFile:
    file: IO[bytes]  # a temporary file, at its start; closing it removes it
    filename: str
    content_type: str
    rows: int


def units_export(
    *, units: QuerySet[Unit] | None = None, as_of: datetime.date | None = None, fmt: str = "csv"
) -> ExportFile:
    """Export `units` (already narrowed to what the user may export; None = all) and audit it."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    rows = export_rows(units=units, as_of=as_of)
    if fmt == "xlsx":
        book = tables.new_workbook()
        columns = [tables.Column(name, width=width) for name, width in zip(COLUMNS, XLSX_WIDTHS, strict=True)]
        count = tables.add_sheet(book, tables.Sheet(_("Units"), rows, columns, exact_text=True))
        file = tables.xlsx_file(book)
    else:
        file = tables.temporary_file()
        count = tables.write_csv(file, rows, header=COLUMNS)
        file.seek(0)
    stem = f"don-vi-{as_of.isoformat()}" if as_of else "don-vi"
    record(
        action=AuditEvent.Action.EXPORT,
        model=Unit._meta.label_lower,
        object_repr=_("Unit export (%(count)s rows)") % {"count": count},
        changes={"format": fmt, "as_of": as_of.isoformat() if as_of else None, "rows": count},
    )
    return ExportFile(file, f"{stem}.{fmt}", FORMATS[fmt], count)
