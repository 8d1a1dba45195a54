"""What a document suggests a programme's tasks are: its assignments, with their lead units found in the
programme unit's subtree and their due rules, and its targets (read by `directives.parsing`).

`TaskSpec` is what a task is made from, by hand (pages, API) or from a document's text; it changes nothing.
"""

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from danvan.core.text import search_key
from danvan.directives import parsing
from danvan.orgs import selectors as org_selectors
from danvan.orgs.models import Unit

from .models import DueRule, Task, TaskKind
from .schedule import RECURRING, valid_day


@dataclass
class TaskSpec:
    text: str
    lead: Unit | None = None
    lead_text: str = ""
    coordinating: list[Unit] = field(default_factory=list)
    coordinating_text: list[str] = field(default_factory=list)
    kind: str = TaskKind.TASK
    percent: float | None = None
    rule: str = DueRule.NONE
    due_on: datetime.date | None = None
    day: int | None = None
    month: int | None = None
    relative_to: datetime.date | None = None
    relative_days: int | None = None
    # What a relative rule counts from (RelativeBase); "" reads it from the other fields: a task given
    # in `relative_task` is "task", otherwise a date in `relative_to` is "date".
    relative_base: str = ""
    relative_task: Task | None = None


# Leads that name nobody in particular: "các cơ quan, đơn vị", "cấp ủy các cấp", "mỗi cán bộ" (search keys).
_GENERIC_RE = re.compile(r"^(?:cac|nhung|moi|tung|toan the|tat ca|ca)\b|^cap uy cac cap\b|\bcac cap$")
# An abbreviation as written: one upper-case word ("UBKT", "BTGĐUK", "VP").
_ABBREVIATION_RE = re.compile(r"^[A-ZĐ]{2,10}$")


def _initials(key: str) -> str:
    return "".join(word[0] for word in re.findall(r"[a-z0-9]+", key))


Names = list[tuple[Unit, str, str]]


def unit_names(root: Unit) -> Names:
    """(unit, search key of its name, of its short name) for `root`'s subtree: read once per document."""
    versions = org_selectors.descendants(root, include_self=True).select_related("unit")
    return [
        (version.unit, search_key(version.name), search_key(version.short_name or "")) for version in versions
    ]


def resolve_lead(root: Unit, text: str, names: Names | None = None) -> Unit | None:
    """The unit of `root`'s subtree that `text` names, only when that is sure; None otherwise.

    Sure is: exactly one unit whose full name or short name is the text, ignoring accents and case
    ("ban tuyen giao dang uy khoi" is "Ban Tuyên giáo Đảng ủy Khối"), or, for an abbreviation written
    in capitals ("UBKT"), exactly one unit whose name has those initials. A phrase naming nobody in
    particular ("các cơ quan, đơn vị", "cấp ủy các cấp") names no unit, nor does a name that only
    contains or is contained in a unit's ("Văn phòng" is not "Chi bộ Văn phòng"): the user chooses.
    """
    key = search_key(text or "").strip(" ,;:.")
    if not key or _GENERIC_RE.search(key):
        return None
    names = unit_names(root) if names is None else names
    exact = {unit.pk: unit for unit, name, short in names if key in (name, short)}
    if not exact and _ABBREVIATION_RE.match((text or "").strip()):
        exact = {
            unit.pk: unit for unit, name, _short in names if len(name.split()) > 1 and _initials(name) == key
        }
    return next(iter(exact.values())) if len(exact) == 1 else None


def _recurrence_of(value: object) -> dict[str, Any] | None:
    """The rule of the parser's "recurrence" ({"every": "annual"|"semiannual", "day": d, "month": m}),
    or None when it is not one (a day that does not exist every year is not one)."""
    if not isinstance(value, dict) or value.get("every") not in RECURRING:
        return None
    day, month = value.get("day"), value.get("month")
    if type(day) is not int or type(month) is not int or not valid_day(day, month):
        return None
    return {"rule": value["every"], "day": day, "month": month}


def _rule_of(item: dict[str, Any]) -> dict[str, Any]:
    """The due rule a parsed assignment suggests ("ongoing" when the parser says it is done "thường
    xuyên" and gives no deadline).

    When the parser says whether the task recurs (the key "recurrence"), its word is taken: a recurrence
    gives an annual or semi-annual rule, null a fixed date (or none). Without the key the text decides:
    "trước 15 tháng 12 hàng năm" is annual, "định kỳ 6 tháng" semi-annual, any other date fixed.
    """
    if "recurrence" in item:
        recurring = _recurrence_of(item.get("recurrence"))
        if recurring is not None:
            return recurring
    due = item.get("due")
    if not due or not isinstance(due, str):
        return {"rule": DueRule.ONGOING if item.get("ongoing") is True else DueRule.NONE}
    try:
        day = datetime.date.fromisoformat(due)  # the parser writes ISO dates; a date as typed is no due date
    except ValueError:
        return {"rule": DueRule.NONE}
    if "recurrence" in item:
        return {"rule": DueRule.FIXED, "due_on": day}
    key = search_key(item.get("text", ""))
    if "6 thang" in key and ("dinh ky" in key or "hang nam" in key):
        return {"rule": DueRule.SEMIANNUAL, "day": day.day, "month": day.month}
    if "hang nam" in key or "moi nam" in key:
        return {"rule": DueRule.ANNUAL, "day": day.day, "month": day.month}
    return {"rule": DueRule.FIXED, "due_on": day}


def specs_from_text(unit: Unit, text: str) -> list[TaskSpec]:
    """The tasks a document's text suggests: its assignments (lead resolved within `unit`'s tree) and targets."""
    parsed = parsing.parse(text or "")
    specs = []
    names = unit_names(unit) if parsed.tasks else []
    for item in parsed.tasks:
        lead = resolve_lead(unit, item.get("lead") or "", names)
        coordinating = []
        for name in item.get("coordinating") or []:
            found = resolve_lead(unit, name, names)
            if found is not None and found != lead and found not in coordinating:
                coordinating.append(found)
        specs.append(
            TaskSpec(
                text=item.get("text", ""),
                lead=lead,
                lead_text=item.get("lead") or "",
                coordinating=coordinating,
                coordinating_text=list(item.get("coordinating") or []),
                **_rule_of(item),
            )
        )
    seen = set()
    for item in parsed.targets:
        if item.get("text") in seen:  # one sentence with two percentages is one target
            continue
        seen.add(item.get("text"))
        specs.append(TaskSpec(text=item.get("text", ""), kind=TaskKind.TARGET, percent=item.get("percent")))
    return specs
