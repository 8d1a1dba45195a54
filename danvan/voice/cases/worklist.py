"""The cases' part of the work home (core.worklist): cases near their statutory deadline or overdue.

The clocks of "Cases due and overdue" (`selectors.due_clocks`: running, not paused, overdue or due within
`SOON_WORKING_DAYS` working days), for the cases of the units where the user handles cases (CASE_HANDLE),
scoped by the policy as that page is.
"""

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.accounts import policy
from danvan.accounts.policy import Perm
from danvan.core import worklist
from danvan.core.worklist import Found, WorkItem

from .models import Clock
from .selectors import case_path, due_clocks


def _item(clock: Clock) -> WorkItem:
    case = clock.case
    return WorkItem(
        title=case.subject,
        unit=case.unit.name,
        due=clock.due_on,
        url=case_path(case),
        kind=_("Case"),
        state=clock.get_step_display(),
    )


def cases_due(user, today: datetime.date, limit: int) -> Found:
    clocks = policy.scope(user, Perm.CASE_HANDLE, due_clocks(today=today), "case__unit__path")
    return worklist.found_in(clocks, limit, _item)


def register() -> None:
    worklist.register(
        key="cases",
        label=gettext_lazy("Cases near their deadline"),
        order=30,
        collect=cases_due,
        nav="voice:case_list",
        more_url="voice:overdue",
    )
