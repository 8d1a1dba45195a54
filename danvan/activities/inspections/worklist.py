"""Inspection and supervision on the work home (core.worklist, source key "inspections").

One source, two kinds of item:

- "Remedy to carry out": for the inspected side (ACTIVITY_RECORD at the remedy's responsible unit,
  not at the programme's inspecting unit), its remedies not remedied yet, due within
  `worklist.SOON_DAYS` days or overdue;
- "Overdue remedy of an inspected unit": for the inspecting side (ACTIVITY_RECORD at the inspecting
  unit), the remedies of the units it inspected that are past their deadline and not remedied.

A remedy appears once: a user holding the right on both sides (say the bloc, which inspected a unit
below it) sees it as the inspecting side does, when it is overdue.
"""

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.accounts import policy
from danvan.core import worklist
from danvan.core.worklist import Found, WorkItem

from .models import Remedy, RemedyState

RECORD = policy.Perm.ACTIVITY_RECORD
TITLE_WORDS = 30


def _item(user, remedy: Remedy) -> WorkItem:
    target = remedy.target
    inspector = policy.can(user, RECORD, target.inspection.unit)
    return WorkItem(
        title=Truncator(remedy.content).words(TITLE_WORDS),
        unit=target.unit.name,
        due=remedy.due_on,
        url=reverse("inspections:remedy", args=[remedy.pk]),
        kind=_("Overdue remedy of an inspected unit") if inspector else _("Remedy to carry out"),
        state=remedy.get_state_display(),
    )


def remedies_due(user, today: datetime.date, limit: int) -> Found:
    soon = today + datetime.timedelta(days=worklist.SOON_DAYS)
    base = Remedy.objects.filter(state=RemedyState.OPEN)
    inspector = policy.scope(user, RECORD, base, "target__inspection__unit__path").values("pk")
    responsible = policy.scope(user, RECORD, base, "target__unit__path").values("pk")
    rows = (
        Remedy.objects.select_related("target__inspection__unit", "target__unit")
        .filter(
            Q(pk__in=inspector, due_on__lt=today)
            | (Q(pk__in=responsible, due_on__lte=soon) & ~Q(pk__in=inspector))
        )
        .order_by("due_on", "id")
    )
    return worklist.found_in(rows, limit, lambda remedy: _item(user, remedy))


def register() -> None:
    worklist.register(
        key="inspections",
        label=gettext_lazy("Inspection remedies due"),
        order=85,
        collect=remedies_due,
        nav="inspections:home",
        more_url="inspections:remedies",
    )
