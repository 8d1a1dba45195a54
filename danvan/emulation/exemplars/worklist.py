"""The models' part of the work home (core.worklist, key "exemplars"):

- for reviewers (EMULATION_REVIEW strictly above the model's unit): models nominated or reviewed and
  not yet decided, by the campaign's review deadline;
- for the units' recorders (EMULATION_RECORD): their models returned for correction, by the campaign's
  nomination deadline;
- for the same: an open campaign's nomination deadline within 14 days (or today) while the unit where
  they hold the right (below the campaign's own unit) has no model nominated in it yet.
"""

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.accounts import policy
from danvan.accounts.policy import Perm
from danvan.core import worklist
from danvan.core.paths import path_upper_bound
from danvan.core.worklist import Found, WorkItem
from danvan.orgs.models import Unit

from . import selectors
from .models import CampaignState, Exemplar, Stage

SOON_DAYS = 14


def _waiting(exemplar: Exemplar) -> WorkItem:
    return WorkItem(
        title=exemplar.title,
        unit=exemplar.unit.name,
        due=exemplar.campaign.review_until,
        url=reverse("exemplars:detail", args=[exemplar.pk]),
        kind=_("“Dân vận khéo” model to review"),
        state=exemplar.get_stage_display(),
    )


def _returned(exemplar: Exemplar) -> WorkItem:
    return WorkItem(
        title=exemplar.title,
        unit=exemplar.unit.name,
        due=exemplar.campaign.nominations_until,
        url=reverse("exemplars:detail", args=[exemplar.pk]),
        kind=_("“Dân vận khéo” model returned for correction"),
        state=exemplar.get_stage_display(),
    )


def deadlines_near(user, today: datetime.date) -> list[WorkItem]:
    """Open campaigns whose nominations close within SOON_DAYS, for each unit where the user records
    models that has nominated none in it."""
    paths = policy.scope_paths(user, Perm.EMULATION_RECORD)
    if paths is None:  # the whole tree: nothing is “the user's unit”
        return []
    if not paths:
        return []
    campaigns = list(
        selectors.campaigns_for(user, Perm.EMULATION_RECORD)
        .filter(
            state=CampaignState.OPEN,
            nominations_until__gte=today,
            nominations_until__lte=today + datetime.timedelta(days=SOON_DAYS),
        )
        .select_related("unit")
    )
    if not campaigns:
        return []
    units = list(Unit.objects.filter(path__in=paths))
    nominated = set(
        Exemplar.objects.filter(campaign__in=campaigns)
        .exclude(stage__in=[Stage.DRAFT, Stage.RETURNED])
        .values_list("campaign_id", "unit__path")
    )
    items = []
    for campaign in campaigns:
        for unit in units:
            if unit.path == campaign.unit.path or not unit.path.startswith(campaign.unit.path):
                continue  # the unit running the campaign does not nominate to itself
            upper = path_upper_bound(unit.path)
            if any(cid == campaign.pk and unit.path <= path < upper for cid, path in nominated):
                continue
            items.append(
                WorkItem(
                    title=_("Nominate the unit's models to %(title)s") % {"title": campaign.title},
                    unit=unit.name,
                    due=campaign.nominations_until,
                    url=reverse("exemplars:create") + f"?campaign={campaign.pk}",
                    kind=_("Nomination deadline of a “Dân vận khéo” campaign"),
                )
            )
    return items


def work_items(user, today: datetime.date, limit: int) -> Found:
    """One query for the models (waiting for the user's review, or returned to the user's units), one
    for the campaigns whose nominations close soon (and, when there are some, two more)."""
    waiting = selectors.waiting_for(user).values("pk")
    returned = selectors.exemplars_for(user, Perm.EMULATION_RECORD).filter(stage=Stage.RETURNED).values("pk")
    rows = list(
        Exemplar.objects.filter(Q(pk__in=waiting) | Q(pk__in=returned))
        .select_related("unit", "campaign")
        .order_by("campaign__review_until", "id")[:200]
    )
    items = [_returned(e) if e.stage == Stage.RETURNED else _waiting(e) for e in rows]
    return worklist.found(items + deadlines_near(user, today), limit)


def register() -> None:
    worklist.register(
        key="exemplars",
        label=gettext_lazy("“Dân vận khéo” models"),
        order=90,
        collect=work_items,
        nav="exemplars:list",
        more_url="exemplars:list",
    )
