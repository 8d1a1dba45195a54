"""Writing units out as a unit file: every version of every unit, or a snapshot on a date.

An export writes one row per version: a unit's rows are cut wherever something in the file or
the unit's position in the tree changes, and where a predecessor joins it, so that importing the
file into an empty database and exporting again gives the same rows (versions that differ only in
what the file does not hold, the short name, come out as one row). With a date, an export is a
snapshot instead: one row per unit in force that day, without predecessors.

Units come parents first (by the start of their first version, its depth, then code). Rows are
made one unit at a time from queries read in chunks, and written as they come (core.tables: CSV
in chunks, XLSX in write-only mode) into a temporary file: a large export holds neither every
row nor the whole file in memory. Text a spreadsheet would run as a formula gets a "'" in CSV (the import takes it
off again) and is stored as text, exactly, in XLSX.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
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
CHUNK = 2000  # rows fetched from the database at a time

_VERSION_FIELDS = (
    "unit_id",
    "id",
    "unit__code",
    "name",
    "parent__code",
    "unit_type__code",
    "path",
    "depth",
    "valid_from",
    "valid_to",
)
_GroupThrough = UnitVersion.groups.through


@dataclass
class Segment:
    """One row of a unit's history: versions that look the same in the file, joined."""

    start: datetime.date
    end: datetime.date | None
    key: tuple
    predecessors: list[str] = field(default_factory=list)

    def contains(self, day: datetime.date) -> bool:
        return self.start < day and (self.end is None or day < self.end)


class _Stream:
    """Rows of a query, in the order of another query's rows, taken a key (their first value) at a time."""

    def __init__(self, rows: Iterable[tuple]):
        self.rows = iter(rows)
        self.head = next(self.rows, None)

    def take(self, key) -> list[tuple]:
        found = []
        while self.head is not None and self.head[0] == key:
            found.append(self.head)
            self.head = next(self.rows, None)
        return found


def _scoped(qs: QuerySet, units: QuerySet[Unit] | None, field_name: str) -> QuerySet:
    return qs if units is None else qs.filter(**{f"{field_name}__in": units})


def _in_unit_order(qs: QuerySet, unit: str, *then: str) -> QuerySet:
    """`qs` in the export's order of units (parents first: the start of the unit's first version, its
    depth, then code, byte by byte), then by `then`; `unit` is the lookup from qs to the unit."""
    first = UnitVersion.objects.filter(unit=OuterRef(unit)).order_by("valid_from")
    code = Collate(f"{unit}__code", "C") if connection.vendor == "postgresql" else F(f"{unit}__code")
    return qs.annotate(
        first_from=Subquery(first.values("valid_from")[:1]),
        first_depth=Subquery(first.values("depth")[:1]),
    ).order_by("first_from", "first_depth", code, *then)


def _unit_segments(versions: list[tuple], groups: dict[int, list[str]], links: list[tuple]) -> list[Segment]:
    segments: list[Segment] = []
    for _unit_id, version_id, _code, name, parent, type_code, path, _depth, start, end in versions:
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
        return _snapshot_rows(units, as_of)
    return _history_rows(units)


def _history_rows(units: QuerySet[Unit] | None) -> Iterator[list[str]]:
    # Versions, their groups and the units' predecessor links are read in three queries sorted
    # alike and walked together, one unit at a time: nothing is held but the unit being written.
    versions = _in_unit_order(_scoped(UnitVersion.objects.all(), units, "unit"), "unit", "valid_from")
    groups = _in_unit_order(
        _scoped(_GroupThrough.objects.all(), units, "unitversion__unit"), "unitversion__unit"
    )
    links = _in_unit_order(
        _scoped(_scoped(UnitLink.objects.all(), units, "successor"), units, "predecessor"), "successor"
    )
    group_stream = _Stream(
        groups.values_list("unitversion__unit_id", "unitversion_id", "unitgroup__code").iterator(CHUNK)
    )
    link_stream = _Stream(
        links.values_list("successor_id", "predecessor__code", "effective_on").iterator(CHUNK)
    )
    current: list[tuple] = []
    for version in versions.values_list(*_VERSION_FIELDS).iterator(CHUNK):
        if current and version[0] != current[0][0]:
            yield from _unit_rows(current, group_stream, link_stream)
            current = []
        current.append(version)
    if current:
        yield from _unit_rows(current, group_stream, link_stream)


def _unit_rows(versions: list[tuple], group_stream: _Stream, link_stream: _Stream) -> Iterator[list[str]]:
    unit_id, code = versions[0][0], versions[0][2]
    groups: dict[int, list[str]] = defaultdict(list)
    for _unit_id, version_id, group_code in group_stream.take(unit_id):
        groups[version_id].append(group_code)
    links = sorted((day, predecessor) for _unit_id, predecessor, day in link_stream.take(unit_id))
    for segment in _unit_segments(versions, groups, links):
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
    versions = _scoped(versions_on(day), units, "unit").order_by("path")
    groups = _GroupThrough.objects.filter(unitversion__in=versions).order_by("unitversion__path")
    group_stream = _Stream(groups.values_list("unitversion_id", "unitgroup__code").iterator(CHUNK))
    fields = ("id", "unit__code", "name", "parent__code", "unit_type__code", "valid_from", "valid_to")
    for version_id, code, name, parent, type_code, start, end in versions.values_list(*fields).iterator(
        CHUNK
    ):
        group_codes = sorted(group_code for _version_id, group_code in group_stream.take(version_id))
        yield [
            code,
            name,
            parent or "",
            type_code,
            LIST_SEPARATOR.join(group_codes),
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
    *,
    units: QuerySet[Unit] | None = None,
    as_of: datetime.date | None = None,
    fmt: str = "csv",
    progress: Callable[[int], object] | None = None,
) -> ExportFile:
    """Export `units` (already narrowed to what the user may export; None = all) and audit it.

    `progress(rows written)` follows the writing (a background job's progress bar)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    rows = export_rows(units=units, as_of=as_of)
    if fmt == "xlsx":
        book = tables.new_workbook()
        columns = [tables.Column(name, width=width) for name, width in zip(COLUMNS, XLSX_WIDTHS, strict=True)]
        count = tables.add_sheet(
            book, tables.Sheet(_("Units"), rows, columns, exact_text=True), progress=progress
        )
        file = tables.xlsx_file(book)
    else:
        file = tables.temporary_file()
        count = tables.write_csv(file, rows, header=COLUMNS, progress=progress)
        file.seek(0)
    stem = f"don-vi-{as_of.isoformat()}" if as_of else "don-vi"
    record(
        action=AuditEvent.Action.EXPORT,
        model=Unit._meta.label_lower,
        object_repr=_("Unit export (%(count)s rows)") % {"count": count},
        changes={"format": fmt, "as_of": as_of.isoformat() if as_of else None, "rows": count},
    )
    return ExportFile(file, f"{stem}.{fmt}", FORMATS[fmt], count)
