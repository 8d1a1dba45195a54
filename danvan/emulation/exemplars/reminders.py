"""The daily reminders of the “Dân vận khéo” models (danvan.reminders kind "exemplars"):

- "waiting": a model nominated more than `EXEMPLARS_REVIEW_REMINDER_DAYS` (7) days ago and still not
  decided (nominated or reviewed): the reviewers of the nearest unit above it holding EMULATION_REVIEW
  (for a model of a root unit, which has no unit above, the holders of EMULATION_MANAGE at that root:
  `selectors.may_review`);
- "deadline": an open campaign whose nominations close within `EXEMPLARS_DEADLINE_REMINDER_DAYS` (7) days
  (or today): the recorders (EMULATION_RECORD) of each unit directly below the campaign's unit that has
  not nominated a model from its subtree yet.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy

from danvan.accounts.policy import Perm
from danvan.accounts.selectors import holders
from danvan.core.paths import path_ids
from danvan.orgs.models import Unit
from danvan.orgs.selectors import children
from danvan.reminders.kinds import Digests, Kind

from . import selectors
from .models import WAITING, Campaign, CampaignState, Exemplar, Stage


def _days(name: str) -> int:
    return int(getattr(settings, name, 7))


@dataclass(frozen=True)
class Waiting:
    exemplar: Exemplar

    @property
    def key(self) -> str:
        return f"waiting:{self.exemplar.pk}"

    @property
    def unit(self) -> Unit:
        return self.exemplar.unit


@dataclass(frozen=True)
class Deadline:
    campaign: Campaign
    place: Unit

    @property
    def key(self) -> str:
        return f"deadline:{self.campaign.pk}:{self.place.pk}"

    @property
    def unit(self) -> Unit:
        return self.place


def digests(today: datetime.date) -> Digests:
    found = Digests()
    since = today - datetime.timedelta(days=_days("EXEMPLARS_REVIEW_REMINDER_DAYS"))
    waiting = list(
        Exemplar.objects.filter(stage__in=WAITING, nominated_on__lte=since)
        .select_related("unit", "campaign")
        .order_by("nominated_on", "id")
    )
    reviewers = holders(
        unit_ids={uid for e in waiting for uid in path_ids(e.unit.path)[:-1]}, perm=Perm.EMULATION_REVIEW
    )
    for exemplar in waiting:
        for unit_id in reversed(path_ids(exemplar.unit.path)[:-1]):
            if unit_id in reviewers:
                for user in reviewers[unit_id]:
                    found.add(user, "waiting", Waiting(exemplar))
                break
    roots = [e for e in waiting if selectors.is_root(e.unit)]
    managers = holders(unit_ids={e.unit_id for e in roots}, perm=Perm.EMULATION_MANAGE)
    for exemplar in roots:
        for user in managers.get(exemplar.unit_id, ()):
            found.add(user, "waiting", Waiting(exemplar))
    until = today + datetime.timedelta(days=_days("EXEMPLARS_DEADLINE_REMINDER_DAYS"))
    campaigns = list(
        Campaign.objects.filter(
            state=CampaignState.OPEN, nominations_until__gte=today, nominations_until__lte=until
        ).select_related("unit")
    )
    for campaign in campaigns:
        places = [version.unit for version in children(campaign.unit, today).select_related("unit")]
        nominated = set(
            Exemplar.objects.filter(campaign=campaign)
            .exclude(stage__in=[Stage.DRAFT, Stage.RETURNED])
            .values_list("unit__path", flat=True)
        )
        recorders = holders(unit_ids={place.pk for place in places}, perm=Perm.EMULATION_RECORD)
        for place in places:
            if any(path.startswith(place.path) for path in nominated):
                continue
            for user in recorders.get(place.pk, []):
                found.add(user, "deadline", Deadline(campaign, place))
    return found


REMINDER_KIND = Kind(
    name="exemplars",
    label=gettext_lazy("“Dân vận khéo” models waiting for review, nomination deadlines near"),
    subject_template="exemplars/email_reminder_subject.txt",
    body_template="exemplars/email_reminder_body.txt",
    sections=("waiting", "deadline"),
    collect=digests,
)
