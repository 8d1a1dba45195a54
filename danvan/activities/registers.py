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

A register's records are found by the one search (danvan.search) through `Searched`: the register says
how its main record reads (`Found`) and its services call `put`/`drop`; the rest is the same for all.
"""

import datetime
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from danvan.accounts.actors import Actor
from danvan.accounts.policy import Perm
from danvan.core.dates import parse_day
from danvan.core.tables import cell_text
from danvan.search import registry as search_registry
from danvan.search import services as search

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


# --- the search ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Found:
    """How a register's record reads in the search: what an official recognises it by (`title`), a short
    line of words (`context`: its parts joined by " · "), the searchable text (`text`, parts by lines),
    its page and its unit. Only what every holder of ACTIVITY_VIEW at the unit sees on that page."""

    title: str
    url: str
    unit: Any  # orgs.Unit
    context: Sequence[Any] = ()
    text: Sequence[Any] = ()
    reach: Sequence[str] = ()  # paths of other units whose pages show it too (an inspection's targets)


@dataclass(frozen=True)
class Searched:
    """A register's main record in the one search, found with ACTIVITY_VIEW at its unit (as its pages).

    `rows` gives every record with what `found` reads (select_related/prefetch_related: no query per
    record); `found` reads one record (None: not to be found). The register's services call `put` after
    every write that changes what `found` reads and `drop` after a deletion, in their transaction, and its
    AppConfig.ready() calls `register`."""

    kind: str
    label: "str | Promise"
    rows: Callable[[], QuerySet]
    found: Callable[[Any], Found | None]
    order: int = 40

    def doc(self, record: Any) -> search.Doc | None:
        with translation.override(settings.LANGUAGE_CODE):  # what is stored is read in the interface's words
            found = self.found(record)
            if found is None:
                return None
            return search.Doc(
                kind=self.kind,
                object_id=record.pk,
                perm=Perm.ACTIVITY_VIEW,
                unit_path=found.unit.path,
                title=str(found.title),
                url=found.url,
                context=" · ".join(str(part) for part in found.context if part),
                text="\n".join(str(part) for part in found.text if part),
                reach=tuple(found.reach),
            )

    def documents(self) -> Iterator[search.Doc | None]:
        for record in self.rows().order_by("pk").iterator(chunk_size=2000):
            yield self.doc(record)

    def put(self, record: Any) -> None:
        doc = self.doc(record)
        if doc is None:  # no longer to be found
            self.drop(record.pk)
        else:
            search.put(doc=doc)

    def put_many(self, records: Sequence[Any]) -> None:
        """Records saved at once (an import): read again through `rows`, without a query per record."""
        search.put_many(
            docs=(self.doc(record) for record in self.rows().filter(pk__in=[r.pk for r in records]))
        )

    def drop(self, pk: int) -> None:
        search.drop(kind=self.kind, object_id=pk)

    def register(self) -> None:
        search_registry.register(self.kind, self.label, Perm.ACTIVITY_VIEW, self.documents, order=self.order)


def lines(rows: Any, *fields: str) -> list[str]:
    """The non-empty `fields` of each of `rows` (a record's parts shown on its page), one per line."""
    return [str(value) for row in rows for value in (getattr(row, name) for name in fields) if value]
