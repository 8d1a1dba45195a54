"""The staff conference on the work home (core.worklist): the agencies in my ACTIVITY_RECORD scope
whose conference reviewing last year is not recorded, when its deadline (31/03) is within
NEAR_DAYS days or past."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from danvan.accounts import policy
from danvan.accounts.policy import Perm
from danvan.core import worklist
from danvan.core.templatetags.vn import number
from danvan.core.worklist import Found, WorkItem

from . import selectors
from .models import deadline

NEAR_DAYS = 30


def conferences_due(user, today: datetime.date, limit: int) -> Found:
    year = today.year - 1
    due = deadline(year)
    if (due - today).days > NEAR_DAYS or not policy.has_any(user, Perm.ACTIVITY_RECORD):
        return Found([], 0)
    held = (
        selectors.conferences_for(user, Perm.ACTIVITY_RECORD)
        .filter(year=year)
        .values_list("unit_id", flat=True)
    )
    done = set(held)
    missing = [unit for unit in selectors.agencies(user, year, Perm.ACTIVITY_RECORD) if unit.pk not in done]
    state = _("Not held yet") if today <= due else _("Missing: the deadline has passed")
    # The officers of an agency see their own conference; those above see one line per unit where they hold
    # the right, counting the agencies below it (a bloc's officer has dozens: one line, to the year's list).
    own_paths = set(policy.scope_paths(user, Perm.ACTIVITY_RECORD) or [])
    add = reverse("workplace:conference_add")
    items = [
        WorkItem(
            title=_("Staff conference reviewing %(year)s") % {"year": year},
            unit=unit.name,
            due=due,
            url=f"{add}?year={year}&unit={unit.code}",
            kind=_("Staff conference"),
            state=state,
        )
        for unit in missing
        if unit.path in own_paths
    ]
    below: dict[str, int] = {}
    for unit in missing:
        if unit.path in own_paths:
            continue
        root = max((path for path in own_paths if unit.path.startswith(path)), key=len, default="")
        below[root] = below.get(root, 0) + 1
    roots = {unit.path: unit for unit in selectors.units_at(list(below))}
    home = reverse("workplace:home")
    for path, count in below.items():
        root = roots.get(path)
        items.append(
            WorkItem(
                title=ngettext(
                    "%(count)s agency has not held its staff conference reviewing %(year)s",
                    "%(count)s agencies have not held their staff conference reviewing %(year)s",
                    count,
                )
                % {"count": number(count), "year": year},
                unit=root.name if root else "",
                due=due,
                url=f"{home}?year={year}" + (f"&unit={root.code}" if root else ""),
                kind=_("Staff conference"),
                state=state,
            )
        )
    return worklist.found(items, limit)


def register() -> None:
    worklist.register(
        key="workplace",
        label=gettext_lazy("Staff conferences due"),
        order=75,
        collect=conferences_due,
        nav="workplace:home",
        more_url="workplace:home",
    )
