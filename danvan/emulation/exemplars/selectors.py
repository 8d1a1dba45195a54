"""Reads of the “Dân vận khéo” models: what a user may see, the filters, the review queue, the card.

A model is seen with EMULATION_VIEW at its unit or above (`policy.scope`); a recognised model is also
seen by the units its campaign reaches (EMULATION_VIEW within the campaign's unit's subtree), so
that they can replicate it. A campaign is seen by the units it reaches and by those above it.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy

from danvan.accounts import policy
from danvan.accounts.policy import Perm
from danvan.core.paths import PATH_SEGMENT, path_upper_bound
from danvan.core.templatetags.vn import number
from danvan.emulation.cards import Figure
from danvan.orgs.models import Unit
from danvan.orgs.selectors import in_subtree

from .models import WAITING, Campaign, CampaignState, Exemplar, Replication, Stage


def _prefixes(path: str) -> list[str]:
    return [path[:end] for end in range(PATH_SEGMENT, len(path) + 1, PATH_SEGMENT)]


def _within(paths: list[str], field: str) -> Q:
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{field}__gte": path, f"{field}__lt": path_upper_bound(path)})
    return condition


def _reaching(paths: list[str], field: str) -> Q:
    """Rows whose `field` (a unit path) is one of `paths` or above one of them."""
    return Q(**{f"{field}__in": sorted({prefix for path in paths for prefix in _prefixes(path)})})


def campaigns_for(user, perm: Perm = Perm.EMULATION_VIEW) -> QuerySet[Campaign]:
    """The campaigns that reach a unit where the user holds `perm`, and those of the units below it."""
    paths = policy.scope_paths(user, perm)
    qs = Campaign.objects.all()
    if paths is None:
        return qs
    if not paths:
        return qs.none()
    return qs.filter(_within(paths, "unit__path") | _reaching(paths, "unit__path"))


def open_campaigns_for(user) -> QuerySet[Campaign]:
    """Campaigns where the user may register a model (it reaches a unit where they hold EMULATION_RECORD)."""
    return campaigns_for(user, Perm.EMULATION_RECORD).filter(state=CampaignState.OPEN).select_related("unit")


def exemplars_for(user, perm: Perm = Perm.EMULATION_VIEW) -> QuerySet[Exemplar]:
    paths = policy.scope_paths(user, perm)
    qs = Exemplar.objects.all()
    if paths is None:
        return qs
    if not paths:
        return qs.none()
    seen = _within(paths, "unit__path")
    if perm == Perm.EMULATION_VIEW:
        seen |= Q(stage=Stage.RECOGNISED) & _reaching(paths, "campaign__unit__path")
    return qs.filter(seen)


def replications_for(user) -> QuerySet[Replication]:
    return Replication.objects.filter(exemplar__in=exemplars_for(user))


def is_root(unit: Unit) -> bool:
    """A unit at the top of the tree (its path is one level long): it has no level above."""
    return len(unit.path) == PATH_SEGMENT


def may_review(user, unit: Unit) -> bool:
    """Who reviews, recognises or returns the models of `unit`.

    The rule: the level above — EMULATION_REVIEW held at a unit strictly above `unit`
    (`policy.can_above`). A root unit has no level above, so its models are reviewed by the holders of
    EMULATION_MANAGE at that root unit itself: those who run the tree's campaigns and set its criteria
    (the bloc's emulation council). A right held only below the root never reviews a root model.
    """
    if policy.can_above(user, Perm.EMULATION_REVIEW, unit):
        return True
    return is_root(unit) and policy.can(user, Perm.EMULATION_MANAGE, unit)


def waiting_for(user) -> QuerySet[Exemplar]:
    """Nominated or reviewed models the user may decide (`may_review`): of units strictly below a unit
    where the user holds EMULATION_REVIEW, and of a root unit where the user holds EMULATION_MANAGE."""
    paths = policy.scope_paths(user, Perm.EMULATION_REVIEW)
    qs = Exemplar.objects.filter(stage__in=WAITING)
    if paths is None:
        return qs
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(unit__path__gt=path, unit__path__lt=path_upper_bound(path))
    roots = [
        path for path in policy.scope_paths(user, Perm.EMULATION_MANAGE) or [] if len(path) == PATH_SEGMENT
    ]
    if roots:
        condition |= Q(unit__path__in=roots)
    return qs.filter(condition)


@dataclass
class ExemplarFilter:
    unit: Unit | None = None
    year: int | None = None
    campaign: Campaign | None = None
    field: str = ""
    stage: str = ""
    replicated: bool = False


def filter_exemplars(qs: QuerySet[Exemplar], wanted: ExemplarFilter) -> QuerySet[Exemplar]:
    if wanted.unit is not None:
        qs = in_subtree(qs, wanted.unit.path, field="unit__path")
    if wanted.year:
        qs = qs.filter(campaign__year=wanted.year)
    if wanted.campaign is not None:
        qs = qs.filter(campaign=wanted.campaign)
    if wanted.field:
        qs = qs.filter(field=wanted.field)
    if wanted.stage:
        qs = qs.filter(stage=wanted.stage)
    if wanted.replicated:
        qs = qs.filter(replications__isnull=False).distinct()
    return qs


def listed(user, wanted: ExemplarFilter) -> QuerySet[Exemplar]:
    """The models the user may see, filtered, with their campaign, unit and number of replications."""
    return (
        filter_exemplars(exemplars_for(user), wanted)
        .select_related("campaign", "unit")
        .annotate(spread=Count("replications", distinct=True))
        .order_by("-campaign__year", "unit__path", "title", "id")
    )


def query_of(wanted: ExemplarFilter) -> str:
    query = {
        "unit": wanted.unit.code if wanted.unit else "",
        "year": str(wanted.year or ""),
        "campaign": str(wanted.campaign.pk) if wanted.campaign else "",
        "field": wanted.field,
        "stage": wanted.stage,
        "replicated": "1" if wanted.replicated else "",
    }
    return urlencode({key: value for key, value in query.items() if value})


@dataclass
class YearFigures:
    registered: int
    nominated: int
    recognised: int
    replications: int


def year_figures(user, year: int) -> YearFigures:
    """The year's models over what the user may see (by the campaign's year)."""
    qs = Exemplar.objects.filter(pk__in=exemplars_for(user).filter(campaign__year=year).values("pk"))
    row = qs.aggregate(
        registered=Count("id"),
        nominated=Count("id", filter=~Q(stage=Stage.DRAFT)),
        recognised=Count("id", filter=Q(stage=Stage.RECOGNISED)),
    )
    replications = Replication.objects.filter(exemplar__in=qs).count()
    return YearFigures(replications=replications, **row)


def card(user, year: int) -> list[Figure]:
    """The models' card on the emulation overview."""
    from django.urls import reverse

    if not policy.has_any(user, Perm.EMULATION_VIEW):
        return []
    figures = year_figures(user, year)
    base = reverse("exemplars:list")
    return [
        Figure(str(gettext_lazy("Models registered")), number(figures.registered), f"{base}?year={year}"),
        Figure(str(gettext_lazy("… nominated")), number(figures.nominated), f"{base}?year={year}"),
        Figure(
            str(gettext_lazy("… recognised")),
            number(figures.recognised),
            f"{base}?year={year}&stage=recognised",
        ),
        Figure(
            str(gettext_lazy("Replications by other units")),
            number(figures.replications),
            f"{base}?year={year}&replicated=1",
        ),
    ]
