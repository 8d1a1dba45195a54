"""The thematic cell meetings' part of the work home (core.worklist, key "cells").

From 1 October, the cells where the user records activities (ACTIVITY_RECORD) that have held no
thematic meeting on mobilisation this year (seed 004: at least one a year, so due on 31 December):
one line per grassroots organisation with the number of its cells missing, linking to the coverage
page of that organisation (one line per cell would drown the page).
"""

import datetime

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.accounts import policy
from danvan.accounts.policy import Perm
from danvan.core import worklist
from danvan.core.worklist import Found, WorkItem

from . import selectors

FROM_MONTH = 10  # the last quarter of the year


def missing_meetings(user, today: datetime.date, limit: int) -> Found:
    if today.month < FROM_MONTH or not policy.has_any(user, Perm.ACTIVITY_RECORD):
        return Found([], 0)
    due = datetime.date(today.year, 12, 31)
    items = []
    for missing in selectors.missing_by_parent(user, today.year, today):
        query: dict[str, str | int] = {"year": today.year}
        if policy.can(user, Perm.ACTIVITY_VIEW, missing.parent):
            query = {"unit": missing.parent.code, **query}
        items.append(
            WorkItem(
                title=_("Party cells with no thematic meeting on mobilisation this year: %(count)s")
                % {"count": missing.count},
                unit=missing.parent.name,
                due=due,
                url=f"{reverse('cells:coverage')}?{urlencode(query)}",
                kind=_("Thematic cell meetings"),
            )
        )
    return worklist.found(items, limit)


def register() -> None:
    worklist.register(
        key="cells",
        label=gettext_lazy("Cells without a thematic meeting this year"),
        order=60,
        collect=missing_meetings,
        nav="cells:list",
        more_url="cells:coverage",
    )
