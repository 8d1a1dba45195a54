"""Writing many new rows fast: `insert` is `bulk_create` for hundreds of thousands of rows (a whole tree
imported at once), without the ORM compiling every value of every row.

The rows are model instances, as for `bulk_create`: `auto_now` and `auto_now_add` fields are filled
with the time of the call (one time for every row, set on the instances too), values that need it are prepared once per field kind as the ORM
would (dates, times, JSON), and the rows go to the database with COPY on PostgreSQL and `executemany`
on SQLite, a batch at a time. No signal is sent and primary keys are not read back: give the instances
their ids first (reserved in the sequence) when other rows refer to them, or leave them all empty for
the database to number the rows in the order given.
"""

from collections.abc import Callable, Iterable, Sequence
from itertools import islice
from typing import Any

from django.db import connection, models
from django.utils import timezone

_PREPARED = {
    "DateField",
    "DateTimeField",
    "TimeField",
    "DurationField",
    "DecimalField",
    "JSONField",
    "UUIDField",
    "GenericIPAddressField",
    "BinaryField",
    "FileField",
    "ImageField",
}


def _prepared(convert: Callable[[Any], Any] | None, value: Any) -> Any:
    return convert(value) if convert is not None else value


def _prepare(field: models.Field) -> Callable[[Any], Any] | None:
    if field.get_internal_type() not in _PREPARED:
        return None
    return lambda value: field.get_db_prep_save(value, connection)


def insert_values(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]], *, batch_size: int = 5000
) -> int:
    """Write new rows of `model` given as values of the fields named (attribute names), ready for the
    database as they are (text, numbers, ids, None): no instance is made. Returns how many."""
    meta = model._meta
    table = connection.ops.quote_name(meta.db_table)
    columns = ", ".join(connection.ops.quote_name(_column(meta.get_field(name))) for name in fields)
    count = 0
    remaining = iter(rows)
    while batch := list(islice(remaining, batch_size)):
        _write(table, columns, len(fields), batch)
        count += len(batch)
    return count


def _column(field: Any) -> str:
    if not isinstance(field, models.Field) or not field.column:
        raise ValueError(f"{field} is not a column")
    return field.column


def insert(objs: Iterable[models.Model], *, batch_size: int = 5000) -> int:
    """Write new rows of one model; returns how many. The instances' primary keys are all set or all
    empty (their first instance decides)."""
    rows = iter(objs)
    first = next(rows, None)
    if first is None:
        return 0
    meta = first._meta
    fields = [
        field
        for field in meta.concrete_fields
        if not (field.primary_key and first.pk is None) and not getattr(field, "generated", False)
    ]
    prepare = [_prepare(field) for field in fields]
    table = connection.ops.quote_name(meta.db_table)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    # Fields the database fills with the time of writing: one time for the whole call, prepared once.
    stamped = {
        index
        for index, field in enumerate(fields)
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    }
    now = timezone.now()
    now_prepared = {index: _prepared(prepare[index], now) for index in stamped}
    count = 0
    pending = [first]
    while True:
        pending.extend(islice(rows, batch_size - len(pending)))
        if not pending:
            return count
        values = []
        for obj in pending:
            row = []
            for index, (field, convert) in enumerate(zip(fields, prepare, strict=True)):
                if index in stamped:
                    setattr(obj, field.attname, now)  # as the field's pre_save does
                    row.append(now_prepared[index])
                    continue
                value = getattr(obj, field.attname)
                row.append(convert(value) if convert is not None and value is not None else value)
            values.append(row)
        _write(table, columns, len(fields), values)
        count += len(values)
        pending = []


def _write(table: str, columns: str, width: int, values: Sequence[Sequence[Any]]) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * width)
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", values)
