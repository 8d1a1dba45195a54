"""The registry of activity registers, and what their imports share.

Each register (dialogues, staff conferences, the People's Inspection Board, disclosures, thematic
cell meetings, training, grassroots mediation, inspection and supervision) is a Django app under
danvan/activities/ and calls `register(Register(...))` from its AppConfig.ready(). This package never
imports a register: the overview page, `danvan import-activities --kind KIND FILE` and its page find
them here.

A register that can be imported gives `columns` (required, in the file's header, any order),
`optional` columns and `import_rows(*, rows, by)`: it checks every row (messages in Vietnamese, per
line), saves all of them or none (raising ValidationError({line: [messages]})), and returns how many
it saved. `row_day` and `row_unit` are the checks every importer makes the same way.
"""

import datetime
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from danvan.accounts.actors import Actor
from danvan.accounts.policy import Perm
from danvan.core.dates import parse_day
from danvan.core.tables import cell_text

T = TypeVar("T")


@dataclass(frozen=True)
class Row:
    line: int  # the line in the file (the header is line 1)
    cells: dict[str, Any]  # column → cell value (text, number or date as the file holds it)


@dataclass(frozen=True)
class Figure:
    """One line of a register's part of the activities overview: a label, a value in words, a link."""

    label: "str | Promise"
    value: str
    url: str = ""


@dataclass(frozen=True)
class Register:
    key: str  # "dialogue", "mediation", "cell_meeting", "training", … (the import's --kind)
    label: "str | Promise"  # the register's name, in words
    url_name: str  # its list page
    order: int = 100
    columns: tuple[str, ...] = ()  # () → the register cannot be imported
    optional: tuple[str, ...] = ()
    import_rows: Callable[..., int] | None = None  # (*, rows: list[Row], by: Actor) -> rows saved
    # (user, year) → the register's figures for the units the user may see (the overview page)
    overview: Callable[[Any, int], Sequence[Figure]] | None = None
    example: tuple[Sequence[Any], ...] = field(default=())  # rows of a sample file (the import page)

    @property
    def importable(self) -> bool:
        return bool(self.columns) and self.import_rows is not None


REGISTERS: dict[str, Register] = {}


def register(item: Register) -> Register:
    REGISTERS[item.key] = item  # ready() may run twice: the same key again replaces
    return item


def registers() -> list[Register]:
    return sorted(REGISTERS.values(), key=lambda item: (item.order, item.key))


def importable() -> list[Register]:
    return [item for item in registers() if item.importable]


def row_day(
    value: Any, *, label: str, required: bool = True, today: datetime.date | None = None
) -> datetime.date | None:
    """A date cell (a date of the workbook, ISO or dd/mm/yyyy text) that is not in the future.

    Raises ValidationError naming the column `label` in words."""
    day: datetime.date
    if isinstance(value, datetime.datetime):
        day = value.date()
    elif isinstance(value, datetime.date):
        day = value
    else:
        text = cell_text(value)
        if not text:
            if required:
                raise ValidationError(_("%(label)s is missing.") % {"label": label})
            return None
        parsed = parse_day(text)
        if parsed is None:
            raise ValidationError(
                _("%(label)s “%(value)s” is not a date (dd/mm/yyyy).") % {"label": label, "value": text}
            )
        day = parsed
    today = today or timezone.localdate()
    if day > today:
        raise ValidationError(
            _("%(label)s %(day)s is in the future.") % {"label": label, "day": day.strftime("%d/%m/%Y")}
        )
    return day


def row_unit(code: Any, *, by: Actor, perm: Perm = Perm.ACTIVITY_RECORD, units: dict | None = None):
    """The live unit with this code where `by` holds `perm`; a unit out of reach is refused as unknown.

    `units` (code → Unit) may be passed by an importer that loaded the file's units at once."""
    from danvan.accounts import policy
    from danvan.orgs.selectors import unit_by_code

    text = cell_text(code)
    if not text:
        raise ValidationError(_("The unit code is missing."))
    unit = units.get(text) if units is not None else unit_by_code(text)
    if unit is None or not policy.can(by, perm, unit):
        raise ValidationError(_("Unit %(code)s does not exist or is outside your scope.") % {"code": text})
    return unit


def file_units(rows: Sequence["Row"], columns: Sequence[str] = ("unit_code",)) -> dict:
    """The units a file names in `columns` (code as written → Unit), one look-up per distinct code
    (any case), for `row_unit(…, units=…)`; a code of no unit is left out."""
    from danvan.orgs.selectors import unit_by_code

    codes = {cell_text(row.cells.get(name)) for row in rows for name in columns}
    found = {code: unit_by_code(code) for code in codes if code}
    return {code: unit for code, unit in found.items() if unit is not None}


def take(messages: list[str], check: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
    """`check(*args, **kwargs)` (a cell's check); when it refuses, None, its messages added to `messages`."""
    try:
        return check(*args, **kwargs)
    except ValidationError as error:
        messages.extend(error.messages)
        return None


class Line:
    """The problems of one row: each cell's check (its messages kept, its field marked failed), then
    the service's messages for the fields whose cells were read."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.failed: set[str] = set()

    def take(self, field: str, check: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """`check(*args, **kwargs)`; when it refuses, None, its messages kept and `field` marked failed."""
        try:
            return check(*args, **kwargs)
        except ValidationError as error:
            self.problems.extend(error.messages)
            self.failed.add(field)
            return None

    def service(self, errors: Mapping[str, Any]) -> None:
        """The service's messages (field → a message or a list of them) of the fields not failed."""
        for name, messages in errors.items():
            if name not in self.failed:
                texts = messages if isinstance(messages, list) else [messages]
                self.problems.extend(str(text) for text in texts)


def refuse_unless_any(by: Actor, perm: Perm = Perm.ACTIVITY_RECORD) -> None:
    from danvan.accounts import policy

    if not policy.has_any(by, perm):
        raise PermissionDenied


# --- the menu -----------------------------------------------------------------------------------

MENU_GROUP = "activities"


def sees_activities(user: object) -> bool:
    """Whether the menu shows the Activities links: ACTIVITY_VIEW held somewhere."""
    from danvan.accounts import policy

    return policy.has_any(user, Perm.ACTIVITY_VIEW)


def menu_link(*, label: str, url_name: str, key: str, order: int) -> None:
    """A link in the menu's Activities group (core.navigation), for whoever holds ACTIVITY_VIEW
    somewhere: the overview at 420, then the registers (422 … 434). Called from AppConfig.ready()."""
    from danvan.core import navigation

    navigation.register(
        label=label, url_name=url_name, key=key, order=order, visible=sees_activities, group=MENU_GROUP
    )
