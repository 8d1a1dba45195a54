"""A fake register for the package's own tests: its rows are saved as auth groups named after them."""

from contextlib import contextmanager

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from danvan.activities import registers
from danvan.activities.registers import Figure, Register, row_day, row_unit

calls: list[tuple] = []  # (user, year) of each overview asked


def import_rows(*, rows, by) -> int:
    errors: dict[int, list[str]] = {}
    for row in rows:
        try:
            unit = row_unit(row.cells["unit_code"], by=by)
            day = row_day(row.cells["held_on"], label="Ngày")
        except ValidationError as error:
            errors[row.line] = error.messages
            continue
        # written at once, before the other rows are checked: the import must undo it on an error
        Group.objects.create(name=f"fake:{unit.code}:{day:%Y-%m-%d}:{row.cells['topic']}")
    if errors:
        raise ValidationError(errors)
    return len(rows)


def overview(user, year):
    calls.append((user, year))
    return [Figure("Số buổi", f"{user.username}·{year}", f"/activities/?year={year}")]


FAKE = Register(
    key="fake_meeting",
    label="Sổ họp thử",
    url_name="activities:home",
    order=5,
    columns=("unit_code", "held_on", "topic"),
    optional=("attendees",),
    import_rows=import_rows,
    overview=overview,
    example=(("STP", "15/03/2025", "Dân vận khéo", 25), ("STP-CB1", "2025-04-02", "Quy chế dân chủ")),
)
PLAIN = Register(key="plain", label="Sổ không nhập được", url_name="no-such-page", order=9)


@contextmanager
def only(*items: Register):
    """These registers, and no other, for the duration."""
    saved = dict(registers.REGISTERS)
    registers.REGISTERS.clear()
    calls.clear()
    try:
        for item in items:
            registers.register(item)
        yield
    finally:
        registers.REGISTERS.clear()
        registers.REGISTERS.update(saved)


def saved_rows() -> list[str]:
    return sorted(Group.objects.filter(name__startswith="fake:").values_list("name", flat=True))
