"""Applying a checked unit file, and the import as a whole (`import_file`, `import_checked`).

A checked plan is replayed through the services in date order inside one transaction: any error,
found while checking or raised by a service, rejects the whole file and nothing is saved. A file of
new units only (one row each, referring to no unit of the system: a whole tree into an empty
database) is applied set-based instead (`services.units_create_tree`), which writes the same rows in
the same order and refuses with the same messages, in a few statements per table. On a
given day units are created parents first, then renamed or regrouped, then moved; units end
children first. Units already in the system go through the same steps with only what their rows
change (plan.Update); a unit the file leaves as it is gets nothing written.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from danvan.accounts.actors import Actor
from danvan.audit.models import AuditEvent
from danvan.audit.services import record
from danvan.core import tables, uploads
from danvan.core.tables import FileRejected, RowError

from .. import selectors, services
from ..models import Unit, UnitImport, UnitLink
from .fileformat import COLUMNS, Catalogue, Row, parse, read
from .plan import FileUnit, Permitted, Plan, check

# Service field names -> file columns, to point a service's error at the right cell.
_SERVICE_FIELDS = {
    "code": "code",
    "name": "name",
    "parent": "parent_code",
    "unit_type": "type",
    "groups": "groups",
}


class _Rejected(Exception):
    """Raised inside the import transaction to roll everything back."""

    def __init__(self, errors: list[RowError]):
        super().__init__(errors)
        self.errors = errors


class _DryRun(Exception):
    """Raised at the end of a dry run to roll back a successful import."""


class _Applier:
    """Replays a checked plan through the services, date by date."""

    def __init__(self, plan: Plan, catalogue: Catalogue, by: Actor):
        self.plan, self.catalogue, self.by = plan, catalogue, by
        self.ids = {code: unit.id for code, unit in plan.existing.items()}
        self.counts = {
            "units": 0,
            "updated": sum(1 for update in plan.updates.values() if update.changed),
            "unchanged": plan.unchanged,
            "changes": 0,
            "moves": 0,
            "dissolutions": 0,
            "links": 0,
        }

    def unit(self, code: str) -> Unit:
        # Fetched afresh each time: a move re-paths other units, and services read the mirror.
        return Unit.objects.get(pk=self.ids[code])

    def call(self, row: Row, function: Callable[..., Any], **kwargs: Any) -> Any:
        try:
            return function(**kwargs)
        except ValidationError as exc:
            raise _Rejected(_service_errors(row, exc)) from None
        except PermissionDenied as exc:  # the services ask the policy for every unit they touch
            raise _Rejected([RowError(row.number, None, str(exc))]) from None

    def schedule(self) -> dict[datetime.date, dict[str, list[Any]]]:
        """What happens on each day: units created, changed, ended."""
        events: defaultdict[datetime.date, dict[str, list[Any]]] = defaultdict(
            lambda: {"create": [], "change": [], "end": []}
        )
        for unit in self.plan.units.values():
            events[unit.start]["create"].append(unit)
            for before, after in zip(unit.rows, unit.rows[1:], strict=False):
                events[after.valid_from]["change"].append((unit, before, after))
            if unit.end is not None:
                events[unit.end]["end"].append(unit)
        for update in self.plan.updates.values():
            for day, before, after in update.changes:
                events[day]["change"].append((update, before, after))
            if update.end is not None:
                events[update.end]["end"].append(update)
        return events

    def run(self) -> dict[str, int]:
        events = self.schedule()
        for day in sorted(events):
            self.apply_day(day, events[day])
        self.link_predecessors()
        return self.counts

    def creations(self, day: datetime.date, todo: dict) -> list[FileUnit]:
        """The units created on `day`, in the order they are created: parents first."""
        depth = self.plan.depth_on
        return sorted(todo["create"], key=lambda u: (depth(u.code, day), u.code))

    def endings(self, day: datetime.date, todo: dict) -> list[Any]:
        """The units ending on `day`, in the order they end: children first."""
        depth, eve = self.plan.depth_on, day - datetime.timedelta(days=1)
        return sorted(todo["end"], key=lambda u: (-depth(u.code, eve), u.code))

    def apply_day(self, day: datetime.date, todo: dict) -> None:
        depth = self.plan.depth_on
        for unit in self.creations(day, todo):
            self.create(unit.rows[0])
        changes = sorted(todo["change"], key=lambda item: (depth(item[0].code, day), item[0].code))
        for _unit, before, after in changes:
            self.change(before, after)
        for _unit, before, after in changes:
            if before.parent != after.parent:
                self.call(
                    after,
                    services.unit_move,
                    unit=self.unit(after.code),
                    new_parent=self.parent(after),
                    effective_on=day,
                    by=self.by,
                )
                self.counts["moves"] += 1
        for unit in self.endings(day, todo):
            row = unit.rows[-1]
            self.call(row, services.unit_dissolve, unit=self.unit(unit.code), effective_on=day, by=self.by)
            self.counts["dissolutions"] += 1

    def parent(self, row: Row) -> Unit | None:
        return self.unit(row.parent) if row.parent else None

    def create(self, row: Row) -> None:
        spec = services.NewUnit(
            code=row.code,
            name=row.name,
            unit_type=self.catalogue.types[row.type_code],
            parent=self.parent(row),
            groups=[self.catalogue.groups[g] for g in row.groups],
        )
        unit = self.call(row, services.unit_create, spec=spec, valid_from=row.valid_from, by=self.by)
        self.ids[row.code] = unit.id
        self.counts["units"] += 1

    def change(self, before: Row, after: Row) -> None:
        changes: dict[str, Any] = {}
        if after.name != before.name:
            changes["name"] = after.name
        if after.type_code != before.type_code:
            changes["unit_type"] = self.catalogue.types[after.type_code]
        if after.groups != before.groups:
            changes["groups"] = [self.catalogue.groups[g] for g in after.groups]
        if changes:
            self.call(
                after,
                services.unit_change,
                unit=self.unit(after.code),
                effective_on=after.valid_from,
                by=self.by,
                **changes,
            )
            self.counts["changes"] += 1

    def _link_kinds(self) -> Callable[[str, str], str]:
        """kind(predecessor, successor): merge when 2+ units became one, split when one became 2+."""
        predecessors_of, successors_of = defaultdict(set), defaultdict(set)
        for row in self.plan.link_rows():
            for code in row.predecessors:
                predecessors_of[row.code].add(code)
                successors_of[code].add(row.code)

        def kind(predecessor: str, successor: str) -> str:
            if len(predecessors_of[successor]) > 1:
                return UnitLink.Kind.MERGE
            if len(successors_of[predecessor]) > 1:
                return UnitLink.Kind.SPLIT
            return UnitLink.Kind.SUCCESSION

        return kind

    def link_calls(self) -> list[tuple[Row, list[str], str]]:
        """The links to record, as (row, predecessor codes, kind) in the order they are recorded."""
        linked: set[tuple[str, str]] = set()
        kind = self._link_kinds()
        calls = []
        for row in self.plan.link_rows():
            codes = [code for code in row.predecessors if (code, row.code) not in linked]
            linked.update((code, row.code) for code in codes)
            if codes:
                calls.append((row, codes, kind(codes[0], row.code)))
        return calls

    def link_predecessors(self) -> None:
        for row, codes, kind in self.link_calls():
            if codes:
                predecessors = [self.unit(code) for code in codes]
                self.call(
                    row,
                    services.unit_link_predecessors,
                    successor=self.unit(row.code),
                    predecessors=predecessors,
                    effective_on=row.valid_from,
                    kind=kind,
                    by=self.by,
                )
                self.counts["links"] += len(predecessors)

    # --- a file of new units only: the same rows, set-based ------------------------------------

    def bulk_ready(self) -> bool:
        """Can the file be applied by `run_bulk`? When every unit of the file is new and has one row (no
        rename, move or regrouping), the file refers to no unit of the system (parents and predecessors are
        all in the file), and the importer may restructure everywhere (the services would refuse nothing
        on permissions). Otherwise the file goes through the services, one unit at a time (`run`)."""
        plan = self.plan
        return (
            not plan.existing
            and not plan.updates
            and all(len(unit.rows) == 1 for unit in plan.units.values())
            and selectors.may_create_tree(by=self.by)
        )

    def run_bulk(self) -> dict[str, int]:
        """Apply a file `bulk_ready` accepts with `services.units_create_tree`: the rows `run` would write,
        in a few statements per table."""
        steps: list[tuple[str, str]] = []
        events = self.schedule()
        for day in sorted(events):
            steps += [("create", unit.code) for unit in self.creations(day, events[day])]
            steps += [("end", unit.code) for unit in self.endings(day, events[day])]
        planned = [
            services.PlannedUnit(
                code=row.code,
                name=row.name,
                unit_type=self.catalogue.types[row.type_code],
                parent=row.parent,
                groups=[self.catalogue.groups[g] for g in row.groups],
                valid_from=row.valid_from,
                valid_to=row.valid_to,
                key=row,
            )
            for row in (unit.rows[0] for unit in self.plan.units.values())
        ]
        links = [
            services.PlannedLink(predecessor=code, successor=row.code, kind=kind, effective_on=row.valid_from)
            for row, codes, kind in self.link_calls()
            for code in codes
        ]
        try:
            services.units_create_tree(units=planned, steps=steps, links=links, by=self.by)
        except services.UnitRefused as refused:
            raise _Rejected(_service_errors(refused.key, refused.error)) from None
        self.counts["units"] = len(planned)
        self.counts["dissolutions"] = sum(1 for step, _code in steps if step == "end")
        self.counts["links"] = len(links)
        return self.counts


def _service_errors(row: Row, exc: ValidationError) -> list[RowError]:
    if hasattr(exc, "error_dict"):
        return [
            RowError(row.number, _SERVICE_FIELDS.get(name), message)
            for name, messages in exc.message_dict.items()
            for message in messages
        ]
    return [RowError(row.number, None, message) for message in exc.messages]


# --- the import as a whole --------------------------------------------------------------------


@dataclass
class ImportResult:
    errors: list[RowError]
    summary: dict

    @property
    def ok(self) -> bool:
        return not self.errors


def import_file(
    *,
    data,
    filename: str | None = None,
    permitted: Permitted | None = None,
    by: Actor,
    dry_run: bool = False,
    job: UnitImport | None = None,
    effective_on: datetime.date | None = None,
    bulk: bool = True,
) -> ImportResult:
    """Check a file (bytes with its `filename`, or an open django File) with the upload checker
    (core.tables.check_upload), then import it as `import_checked` does; a file the checker
    refuses is the result's one error."""
    try:
        checked = tables.check_upload(data, name=filename)
    except FileRejected as exc:
        return ImportResult([exc.error], {})
    return import_checked(
        checked=checked,
        permitted=permitted,
        by=by,
        dry_run=dry_run,
        job=job,
        effective_on=effective_on,
        bulk=bulk,
    )


def import_checked(
    *,
    checked: uploads.Checked,
    permitted: Permitted | None = None,
    by: Actor,
    dry_run: bool = False,
    job: UnitImport | None = None,
    effective_on: datetime.date | None = None,
    bulk: bool = True,
) -> ImportResult:
    """Read a checked file, check its rows and, when every row is right, apply it in one transaction,
    and audit it.

    `permitted(unit)` says whether the importer may place units under `unit` (None: at the top);
    leave it out for administrators' commands. The services it replays the file through check `by`. With `dry_run` the import runs and is rolled back.
    `job`: the UnitImport the file came with, named in the audit log. `effective_on` (today by default):
    the day a unit of the system changes from when its row keeps the date of the version exported.
    A file that changes nothing writes nothing, not even an audit event. A file of new units only is
    applied set-based (`_Applier.bulk_ready`), with the same rows; `bulk=False` replays it through the
    services one unit at a time all the same (the tests compare the two).
    """
    try:
        table = read(checked)
    except FileRejected as exc:
        return ImportResult([exc.error], {})
    catalogue = Catalogue.load()
    rows, errors, broken = parse(table, catalogue)
    summary = {"rows": len(table) - 1, "dry_run": dry_run}
    filename = checked.name
    del table, checked  # the raw cells are no longer needed; a big file holds a lot of them
    if rows:
        plan, more = check(rows, broken, permitted=permitted, effective_on=effective_on)
        errors.extend(more)
        summary["units_in_file"] = len(plan.units)
    if errors:
        return ImportResult(sorted(errors, key=_error_order), summary)
    try:
        with transaction.atomic():
            applier = _Applier(plan, catalogue, by)
            summary.update(applier.run_bulk() if bulk and applier.bulk_ready() else applier.run())
            if dry_run:
                raise _DryRun
            if not _wrote(summary):
                return ImportResult([], summary)
            record(
                action=AuditEvent.Action.IMPORT,
                instance=job,
                model=Unit._meta.label_lower if job is None else "",
                object_repr=filename,
                changes=summary,
            )
    except _DryRun:
        pass
    except _Rejected as exc:
        return ImportResult(exc.errors, summary)
    except IntegrityError:
        return ImportResult(
            [RowError(None, None, _("The database refused the import; nothing was saved."))], summary
        )
    return ImportResult([], summary)


def _wrote(summary: dict) -> bool:
    return any(summary.get(key) for key in ("units", "updated", "changes", "moves", "dissolutions", "links"))


def _error_order(error: RowError) -> tuple:
    column = COLUMNS.index(error.column) if error.column in COLUMNS else -1
    return (error.row or 0, column)


def summary_text(summary: dict) -> str:
    """One line saying what an import did (or would do, for a dry run)."""
    values = {
        key: number_format(summary.get(key, 0), force_grouping=True)
        for key in ("rows", "units", "updated", "unchanged", "changes", "moves", "dissolutions", "links")
    }
    text = (
        _(
            "%(rows)s rows: %(units)s units created, %(updated)s changed, %(unchanged)s unchanged "
            "(%(changes)s renamed or regrouped, %(moves)s moves, %(dissolutions)s dissolved, "
            "%(links)s predecessor links)."
        )
        % values
    )
    if summary.get("dry_run"):
        return _("Dry run, nothing saved. %(summary)s") % {"summary": text}
    return text
