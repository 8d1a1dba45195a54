"""What a document suggests a programme's tasks are: its assignments, with their lead units found in the
programme unit's subtree and their due rules, and its targets (read by `directives.parsing`).

`TaskSpec` is what a task is made from, by hand (pages, API) or from a document's text; it changes nothing.
"""

import datetime
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


def resolve_lead(root: Unit, text: str) -> Unit | None:
    """The unit of `root`'s subtree named by `text`, ignoring accents and case; None when not exactly one.

    A name equal to the text wins; otherwise the one unit whose name contains the text or is contained in it.
    """
    key = search_key(text or "")
    if not key:
        return None
    versions = list(org_selectors.descendants(root, include_self=True).select_related("unit"))
    names = [
        (version.unit, search_key(version.name), search_key(version.short_name or "")) for version in versions
    ]
    exact = [unit for unit, name, short in names if key in (name, short)]
    if len(exact) == 1:
        return exact[0]
    partial = {
        unit.pk: unit
        for unit, name, short in names
        if f" {name} " in f" {key} " or f" {key} " in f" {name} " or (short and f" {short} " in f" {key} ")
    }
    return next(iter(partial.values())) if len(partial) == 1 else None


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
    """The due rule a parsed assignment suggests.

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
        return {"rule": DueRule.NONE}
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
    for item in parsed.tasks:
        lead = resolve_lead(unit, item.get("lead") or "")
        coordinating = []
        for name in item.get("coordinating") or []:
            found = resolve_lead(unit, name)
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
