"""Reads of inspection and supervision: what a user may see, the remedies list, the overview figures.

A programme is seen by whoever holds ACTIVITY_VIEW at the inspecting unit or at one of the inspected
units (each right holding for the unit's subtree). Its inspected units (`Target`) and their remedies
are seen by the inspecting side (ACTIVITY_VIEW at the inspecting unit) and by the inspected unit's own
side (ACTIVITY_VIEW at that unit): an inspected unit never sees another inspected unit's results.
"""

import datetime
from collections.abc import Sequence
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from danvan.accounts import policy
from danvan.accounts.policy import Perm
from danvan.activities.registers import Figure

from .models import Inspection, Remedy, RemedyState, Target

VIEW = Perm.ACTIVITY_VIEW
RECORD = Perm.ACTIVITY_RECORD

OPEN = "open"  # the remedies list's state filter: open (overdue included)
OVERDUE = "overdue"
REMEDIED = "remedied"
STATE_FILTERS = (
    (OPEN, _("Not remedied yet")),
    (OVERDUE, _("Overdue remedy")),
    (REMEDIED, _("Remedied")),
)


def inspections_for(user, perm: Perm = VIEW) -> QuerySet[Inspection]:
    """Programmes the user may see: as the inspecting side or as an inspected unit's side (or above)."""
    base = Inspection.objects.all()
    mine = policy.scope(user, perm, base, "unit__path").values("pk")
    inspected = policy.scope(user, perm, base, "targets__unit__path").values("pk")
    return Inspection.objects.select_related("unit").filter(Q(pk__in=mine) | Q(pk__in=inspected))


def targets_for(user, perm: Perm = VIEW) -> QuerySet[Target]:
    """Inspected units (with their findings) the user may see: all of a programme the user's side
    inspects, and the user's own units' ones."""
    base = Target.objects.all()
    by_inspector = policy.scope(user, perm, base, "inspection__unit__path").values("pk")
    own = policy.scope(user, perm, base, "unit__path").values("pk")
    return Target.objects.select_related("inspection__unit", "unit").filter(
        Q(pk__in=by_inspector) | Q(pk__in=own)
    )


def remedies_for(user, perm: Perm = VIEW) -> QuerySet[Remedy]:
    base = Remedy.objects.all()
    by_inspector = policy.scope(user, perm, base, "target__inspection__unit__path").values("pk")
    own = policy.scope(user, perm, base, "target__unit__path").values("pk")
    return Remedy.objects.select_related("target__inspection__unit", "target__unit").filter(
        Q(pk__in=by_inspector) | Q(pk__in=own)
    )


def visible_targets(user, inspection: Inspection) -> list[Target]:
    """The inspection's inspected units the user may see, with their remedies."""
    qs = inspection.targets.select_related("unit").prefetch_related("remedies")
    if policy.can(user, VIEW, inspection.unit):
        return list(qs)
    return [target for target in qs if policy.can(user, VIEW, target.unit)]


def with_state(qs: QuerySet[Remedy], state: str, day: datetime.date | None = None) -> QuerySet[Remedy]:
    """Remedies of a list filter: open (overdue too), overdue only, remedied; anything else: all."""
    day = day or timezone.localdate()
    if state == OPEN:
        return qs.filter(state=RemedyState.OPEN)
    if state == OVERDUE:
        return overdue(qs, day)
    if state == REMEDIED:
        return qs.filter(state=RemedyState.REMEDIED)
    return qs


def overdue(qs: QuerySet[Remedy], day: datetime.date | None = None) -> QuerySet[Remedy]:
    day = day or timezone.localdate()
    return qs.filter(state=RemedyState.OPEN, due_on__lt=day)


def in_unit(qs: QuerySet[Remedy], unit: Any) -> QuerySet[Remedy]:
    """Remedies of an inspected unit's subtree, or of programmes of an inspecting unit's subtree."""
    from danvan.core.paths import path_upper_bound

    upper = path_upper_bound(unit.path)
    return qs.filter(
        Q(target__unit__path__gte=unit.path, target__unit__path__lt=upper)
        | Q(target__inspection__unit__path__gte=unit.path, target__inspection__unit__path__lt=upper)
    )


def overview(user, year: int) -> Sequence[Figure]:
    """The register's figures on the activities overview: programmes of the year, remedies open and overdue."""
    today = timezone.localdate()
    programmes = inspections_for(user).filter(year=year).count()
    remedies = remedies_for(user).filter(target__inspection__year=year)
    open_count = remedies.filter(state=RemedyState.OPEN).count()
    late = overdue(remedies, today).count()
    home = reverse("inspections:home")
    listing = reverse("inspections:remedies")
    return [
        Figure(_("Inspection and supervision programmes"), number_format(programmes), f"{home}?year={year}"),
        Figure(
            _("Remedies not remedied yet"), number_format(open_count), f"{listing}?year={year}&state={OPEN}"
        ),
        Figure(_("Overdue remedies"), number_format(late), f"{listing}?year={year}&state={OVERDUE}"),
    ]
