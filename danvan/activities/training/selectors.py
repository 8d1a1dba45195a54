"""Reads of the training register: the classes a user may see, filtered as the list shows them, and
the figures of the activities overview."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from danvan.accounts import policy
from danvan.accounts.policy import Perm
from danvan.activities.registers import Figure
from danvan.orgs.models import Unit
from danvan.orgs.selectors import in_subtree

from .models import TrainingClass


@dataclass(frozen=True)
class Filters:
    unit: Unit | None = None
    below: bool = True  # the unit's whole subtree (False: the unit itself, as a report figure counts)
    year: int | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None


@dataclass(frozen=True)
class Totals:
    classes: int
    participants: int


def classes_for(user: Any, perm: Perm = Perm.ACTIVITY_VIEW) -> QuerySet[TrainingClass]:
    """The classes of the units where `user` holds `perm` (their subtrees)."""
    return policy.scope(user, perm, TrainingClass.objects.all())


def filtered(qs: QuerySet[TrainingClass], filters: Filters) -> QuerySet[TrainingClass]:
    if filters.unit is not None:
        if filters.below:
            qs = in_subtree(qs, filters.unit.path, field="unit__path")
        else:
            qs = qs.filter(unit=filters.unit)
    if filters.year is not None:
        qs = qs.filter(held_on__year=filters.year)
    if filters.start is not None:
        qs = qs.filter(held_on__gte=filters.start)
    if filters.end is not None:
        qs = qs.filter(held_on__lte=filters.end)
    return qs


def listed(user: Any, filters: Filters) -> QuerySet[TrainingClass]:
    """The classes the list shows, newest first, with their unit."""
    return filtered(classes_for(user), filters).select_related("unit").order_by("-held_on", "-id")


def totals(qs: QuerySet[TrainingClass]) -> Totals:
    found = qs.order_by().aggregate(classes=Count("id"), participants=Sum("participants"))
    return Totals(classes=found["classes"] or 0, participants=found["participants"] or 0)


def class_detail(pk: int) -> TrainingClass:
    return TrainingClass.objects.select_related("unit").prefetch_related("attendees").get(pk=pk)


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def overview(user: Any, year: int) -> Sequence[Figure]:
    """The register's part of the activities overview: classes and participants in `year`, in scope."""
    found = totals(classes_for(user).filter(held_on__year=year))
    url = f"{reverse('training:list')}?{urlencode({'year': year})}"
    return [
        Figure(_("Training classes held"), _number(found.classes), url),
        Figure(_("Participants of the training classes"), _number(found.participants), url),
    ]
