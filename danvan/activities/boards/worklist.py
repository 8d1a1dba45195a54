"""The boards' part of the work home (core.worklist, key "boards"): recommendations overdue.

A recommendation the board sent the head that still awaits its answer after its due date, at the
agencies where the user records activities (ACTIVITY_RECORD: who writes the answer down).
"""

import datetime

from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.accounts.policy import Perm
from danvan.core import worklist
from danvan.core.worklist import Found, WorkItem

from . import selectors
from .models import Recommendation

TITLE_WORDS = 30


def _item(recommendation: Recommendation) -> WorkItem:
    return WorkItem(
        title=Truncator(recommendation.content).words(TITLE_WORDS),
        unit=recommendation.board.unit.name,
        due=recommendation.due_on,
        url=reverse("boards:board", args=[recommendation.board_id]) + f"#recommendation-{recommendation.pk}",
        kind=_("Recommendation of the People's Inspection Board"),
        state=recommendation.get_state_display(),
    )


def overdue_recommendations(user, today: datetime.date, limit: int) -> Found:
    rows = selectors.overdue(selectors.recommendations_for(user, Perm.ACTIVITY_RECORD), today)
    return worklist.found_in(rows.order_by("due_on", "id"), limit, _item)


def register() -> None:
    worklist.register(
        key="boards",
        label=gettext_lazy("Recommendations of the People's Inspection Board overdue"),
        order=70,
        collect=overdue_recommendations,
        nav="boards:home",
        more_url="boards:home",
    )
