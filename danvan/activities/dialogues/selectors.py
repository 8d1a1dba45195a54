"""Reads of the dialogues register, scoped by the policy: a dialogue is seen by who holds ACTIVITY_VIEW
at its unit or above; the work home's issues by who records activities there (ACTIVITY_RECORD)."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from danvan.accounts import policy
from danvan.accounts.policy import Perm
from danvan.activities.registers import Figure
from danvan.orgs import selectors as org_selectors
from danvan.orgs.models import Unit

from .models import WORKPLACE, Dialogue, Issue, IssueState

ENTERPRISE = "enterprise"  # the unit group of enterprises (orgs catalogue)


def dialogues_for(user, perm: Perm = Perm.ACTIVITY_VIEW) -> QuerySet[Dialogue]:
    return policy.scope(user, perm, Dialogue.objects.all())


@dataclass(frozen=True)
class Filter:
    unit: Unit | None = None
    below: bool = True  # the unit's subtree (False: the unit alone, as a report figure counts)
    year: int | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None


def filtered(qs: QuerySet[Dialogue], chosen: Filter) -> QuerySet[Dialogue]:
    if chosen.unit is not None:
        if chosen.below:
            qs = org_selectors.in_subtree(qs, chosen.unit.path, field="unit__path")
        else:
            qs = qs.filter(unit=chosen.unit)
    if chosen.year is not None:
        qs = qs.filter(held_on__year=chosen.year)
    if chosen.start is not None:
        qs = qs.filter(held_on__gte=chosen.start)
    if chosen.end is not None:
        qs = qs.filter(held_on__lte=chosen.end)
    return qs


def with_counts(qs: QuerySet[Dialogue], today: datetime.date) -> QuerySet[Dialogue]:
    """Each dialogue with its issues counted: all, still open, open past their due date."""
    return qs.select_related("unit").annotate(
        issue_count=Count("issues"),
        open_count=Count("issues", filter=Q(issues__state=IssueState.OPEN)),
        overdue_count=Count("issues", filter=Q(issues__state=IssueState.OPEN, issues__due_on__lt=today)),
    )


def totals(qs: QuerySet[Dialogue], today: datetime.date) -> dict[str, int]:
    issues = Issue.objects.filter(dialogue__in=qs.values("id"))
    counted = issues.aggregate(
        issues=Count("id"),
        open=Count("id", filter=Q(state=IssueState.OPEN)),
        overdue=Count("id", filter=Q(state=IssueState.OPEN, due_on__lt=today)),
    )
    return {"dialogues": qs.count(), **counted}


def issues_due(user, today: datetime.date, soon_days: int) -> QuerySet[Issue]:
    """Open issues due by today + `soon_days` (overdue included) at the user's ACTIVITY_RECORD units."""
    soon = today + datetime.timedelta(days=soon_days)
    qs = Issue.objects.filter(state=IssueState.OPEN, due_on__isnull=False, due_on__lte=soon)
    return (
        policy.scope(user, Perm.ACTIVITY_RECORD, qs, "dialogue__unit__path")
        .select_related("dialogue__unit")
        .order_by("due_on", "id")
    )


@dataclass(frozen=True)
class Coverage:
    unit: Unit
    name: str
    dialogues: int  # workplace dialogues held in the year

    @property
    def covered(self) -> bool:
        return self.dialogues > 0


def enterprise_coverage(user, year: int, today: datetime.date) -> list[Coverage]:
    """The enterprises in the user's scope (group "enterprise" today) with the number of workplace
    dialogues (audience workers or staff) each held in `year` — Bộ luật Lao động 2019, Điều 63
    khoản 2 điểm a: at least once a year."""
    scoped = (
        policy.scope(
            user,
            Perm.ACTIVITY_VIEW,
            org_selectors.versions_on(today).filter(groups__code=ENTERPRISE),
            "unit__path",
        )
        .select_related("unit")
        .order_by("sort_name")
    )
    versions = list(scoped.distinct())
    held = dict(
        Dialogue.objects.filter(
            unit_id__in=[version.unit_id for version in versions],
            held_on__year=year,
            audience__in=WORKPLACE,
        )
        .values("unit_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("unit_id", "n")
    )
    return [Coverage(version.unit, version.name, held.get(version.unit_id, 0)) for version in versions]


def overview(user, year: int) -> Sequence[Figure]:
    """The register's figures of `year` for the units the user may see (the activities overview)."""
    from django.utils import timezone

    today = timezone.localdate()
    qs = dialogues_for(user).filter(held_on__year=year)
    counted = totals(qs, today)
    url = f"{reverse('dialogues:home')}?{urlencode({'year': year})}"
    return [
        Figure(_("Dialogues held"), number_format(counted["dialogues"], force_grouping=True), url),
        Figure(_("Issues awaiting an answer"), number_format(counted["open"], force_grouping=True), url),
        Figure(_("… of which overdue"), number_format(counted["overdue"], force_grouping=True), url),
    ]
