"""Reads of grassroots mediation: the teams and the register a user may see, filtered; the overview.

A record is seen by whoever holds ACTIVITY_VIEW at its unit or above (`policy.scope`).
"""

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.accounts import policy
from danvan.accounts.policy import Perm
from danvan.activities.registers import Figure
from danvan.core.templatetags.vn import number, percent
from danvan.orgs.models import Unit
from danvan.orgs.selectors import in_subtree

from .models import Case, Mediator, Result, Team
from .sources import register_url


def teams_for(user, perm: Perm = Perm.ACTIVITY_VIEW) -> QuerySet[Team]:
    return policy.scope(user, perm, Team.objects.all())


def cases_for(user, perm: Perm = Perm.ACTIVITY_VIEW) -> QuerySet[Case]:
    return policy.scope(user, perm, Case.objects.all())


def mediators_for(user) -> QuerySet[Mediator]:
    return policy.scope(user, Perm.ACTIVITY_VIEW, Mediator.objects.all(), field="team__unit__path")


@dataclass
class CaseFilter:
    unit: Unit | None = None
    result: str = ""
    start: datetime.date | None = None  # received from
    end: datetime.date | None = None  # received until
    year: int | None = None


def filter_cases(qs: QuerySet[Case], wanted: CaseFilter) -> QuerySet[Case]:
    if wanted.unit is not None:
        qs = in_subtree(qs, wanted.unit.path, field="unit__path")
    if wanted.result:
        qs = qs.filter(result=wanted.result)
    if wanted.start:
        qs = qs.filter(received_on__gte=wanted.start)
    if wanted.end:
        qs = qs.filter(received_on__lte=wanted.end)
    if wanted.year:
        qs = qs.filter(received_on__year=wanted.year)
    return qs


def register_rows(user, wanted: CaseFilter) -> QuerySet[Case]:
    """The register lines the user may see, in the register's order (date received)."""
    return filter_cases(cases_for(user), wanted).select_related("unit", "team").order_by("received_on", "id")


@dataclass
class Totals:
    received: int
    successful: int
    unsuccessful: int
    ongoing: int

    @property
    def rate(self) -> float | None:
        """Successful ÷ received × 100 (None without any case), as MEDIATION_SUCCESS_RATE computes it."""
        return round(self.successful * 100 / self.received, 1) if self.received else None


def totals(qs: QuerySet[Case]) -> Totals:
    row = qs.aggregate(
        received=Count("id"),
        successful=Count("id", filter=Q(result=Result.SUCCESSFUL)),
        unsuccessful=Count("id", filter=Q(result=Result.UNSUCCESSFUL)),
        ongoing=Count("id", filter=Q(result=Result.ONGOING)),
    )
    return Totals(**row)


def teams_with_counts(user, unit: Unit | None = None) -> QuerySet[Team]:
    qs = teams_for(user)
    if unit is not None:
        qs = in_subtree(qs, unit.path, field="unit__path")
    return (
        qs.select_related("unit")
        .annotate(
            size=Count("mediators", distinct=True),
            women=Count("mediators", filter=Q(mediators__sex="female"), distinct=True),
            trained_count=Count("mediators", filter=Q(mediators__trained=True), distinct=True),
        )
        .prefetch_related(
            Prefetch("mediators", queryset=Mediator.objects.filter(leader=True), to_attr="leaders")
        )
        .order_by("unit__path", "name", "id")
    )


def overview(user, year: int) -> list[Figure]:
    """The mediation lines of the activities overview for the units `user` may see, in `year`."""
    if not policy.has_any(user, Perm.ACTIVITY_VIEW):
        return []
    count = totals(cases_for(user).filter(received_on__year=year))
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    teams = teams_for(user).count()
    mediators = mediators_for(user).aggregate(n=Count("id"), trained=Count("id", filter=Q(trained=True)))
    successful = number(count.successful)
    if count.rate is not None:
        successful = f"{successful} ({percent(count.rate)})"
    teams_url = reverse("mediation:teams")
    return [
        Figure(
            gettext_lazy("Mediation cases received"),
            number(count.received),
            register_url(start=start, end=end),
        ),
        Figure(
            gettext_lazy("… mediated successfully"),
            successful,
            register_url(start=start, end=end, result=Result.SUCCESSFUL),
        ),
        Figure(
            gettext_lazy("… still being mediated"),
            number(count.ongoing),
            register_url(start=start, end=end, result=Result.ONGOING),
        ),
        Figure(gettext_lazy("Mediation teams"), number(teams), teams_url),
        Figure(
            gettext_lazy("Mediators (trained)"),
            _("%(count)s (%(trained)s trained)")
            % {"count": number(mediators["n"]), "trained": number(mediators["trained"])},
            teams_url,
        ),
    ]


def query_of(wanted: CaseFilter) -> str:
    """The filter as a query string (export and print links keep it)."""
    query = {
        "unit": wanted.unit.code if wanted.unit else "",
        "result": wanted.result,
        "from": wanted.start.isoformat() if wanted.start else "",
        "to": wanted.end.isoformat() if wanted.end else "",
        "year": str(wanted.year or ""),
    }
    return urlencode({key: value for key, value in query.items() if value})
