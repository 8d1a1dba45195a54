"""Reads of the cases: which cases a user may see, the clocks due soon or overdue, the flags and links
a user may see, the people who may handle a case.

Pages and the API narrow what they show with these; nothing here writes. No read returns who sent
a case (that is `identity.selectors`, asked only where the policy allows).

Overdue and due soon (issue 4, item 7): a clock is listed while it runs (`stopped_on` empty) and its
case is not paused waiting for the submitter; it is overdue once its due date has passed, due soon
when it is due today or within `SOON_WORKING_DAYS` working days (the deadline engine's calendar:
weekends, Vietnamese holidays and the administrators' changes). `due_clocks()` is one query whatever
the number of rows (the case, its unit and handler come with it); pages scope it with
`policy.scope(user, CASE_VIEW, …)`.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import NoReverseMatch, reverse

from danvan.accounts import policy
from danvan.accounts.policy import Perm
from danvan.core.paths import PATH_SEGMENT, path_upper_bound
from danvan.voice.deadlines import calendar as workdays

from .models import Case, CaseFlag, CaseLink, Clock, State

Flag = CaseFlag.Kind


def visible_cases(user) -> QuerySet[Case]:
    """The cases `user` may read: those of the units where they hold CASE_VIEW."""
    return policy.scope(user, Perm.CASE_VIEW, Case.objects.all())


def case_handlers(case: Case) -> list:
    """People who may handle the case: holders of CASE_HANDLE at its unit, as the policy says."""
    path = case.unit.path
    above = [path[:end] for end in range(PATH_SEGMENT, len(path) + 1, PATH_SEGMENT)]
    candidates = (
        get_user_model()
        .objects.filter(is_active=True, role_assignments__unit__path__in=above)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )
    return [user for user in candidates if policy.can(user, Perm.CASE_HANDLE, case.unit)]


# ---------------------------------------------------------------- overdue and due soon

SOON_WORKING_DAYS = 3
OVERDUE, SOON = "overdue", "soon"


def soon_limit(today: datetime.date, working_days: int = SOON_WORKING_DAYS) -> datetime.date:
    """The last day that is "due soon": the `working_days`-th working day after today."""
    cal = workdays.current()
    day = today
    for _ in range(max(working_days, 0)):
        day = cal.next_working_day(day)
    return day


def due_clocks(*, today: datetime.date, working_days: int = SOON_WORKING_DAYS) -> QuerySet[Clock]:
    """Running clocks of cases not paused, overdue or due soon, the most urgent first (one query)."""
    return (
        Clock.objects.filter(stopped_on__isnull=True, due_on__lte=soon_limit(today, working_days))
        .exclude(case__state=State.PAUSED)
        .select_related("case", "case__unit", "case__handler")
        .order_by("due_on", "case__reference", "id")
    )


def status_of(clock: Clock, today: datetime.date) -> str:
    return OVERDUE if clock.due_on < today else SOON


def case_path(case) -> str:
    """The case's page (the lists filtered on the case if the case pages are not installed)."""
    try:
        return reverse("voice:case_detail", args=[case.pk])
    except NoReverseMatch:
        return reverse("voice:overdue") + f"?q={case.reference}"


# ---------------------------------------------------------------- flags and links


def _open_pairs(qs: QuerySet) -> QuerySet:
    linked = CaseLink.objects.filter(case_id=OuterRef("case_id"), other_id=OuterRef("other_case_id"))
    return qs.filter(dismissed_at__isnull=True).exclude(
        Q(kind__in=[Flag.DUPLICATE, Flag.REPEAT]) & Exists(linked)
    )


def _hides_protected_senders(user) -> Q:
    """The flags whose showing would not tell `user` who sent a protected case.

    "Same submitter" (or "both") between two cases says that one person sent both: when either case
    protects its sender (a denunciation), knowing the other case's sender names the denouncer
    (Luật Tố cáo 2018, Điều 47, 56). Such a flag is for those who may see both identities only;
    to anyone else it does not exist, so neither does its basis.
    """
    return (
        ~Q(basis__in=[CaseFlag.Basis.SUBMITTER, CaseFlag.Basis.BOTH])
        | Q(case__identity_protected=False, other_case__identity_protected=False)
        | (policy.identity_visible(user, "case") & policy.identity_visible(user, "other_case"))
    )


def visible_flags(user, *, kinds=None, unit=None) -> QuerySet:
    """Open flags the user may see: a pair only when the user may see both cases; never an identity,
    and a "same submitter" pair touching a protected identity only for those who may see both identities."""
    qs = policy.scope(user, Perm.CASE_VIEW, CaseFlag.objects.all(), "case__unit__path")
    paired = Q(other_case__isnull=False)
    within = policy.scope(user, Perm.CASE_VIEW, Case.objects.all()).values("id")
    qs = qs.filter(~paired | Q(other_case_id__in=within)).filter(_hides_protected_senders(user))
    if kinds:
        qs = qs.filter(kind__in=list(kinds))
    if unit is not None:
        qs = qs.filter(case__unit__path__gte=unit.path, case__unit__path__lt=path_upper_bound(unit.path))
    return _open_pairs(qs).select_related("case", "case__unit", "other_case", "other_case__unit")


def flags_of(user, case: Case) -> list[CaseFlag]:
    """The open flags of one case the user may see (for a case page), in both directions of a pair."""
    qs = visible_flags(user)
    return list(qs.filter(Q(case=case) | Q(other_case=case)))


def may_act(user, flag: CaseFlag) -> bool:
    """Linking or dismissing takes CASE_HANDLE on every case the flag names."""
    units = [flag.case.unit] + ([flag.other_case.unit] if flag.other_case is not None else [])
    return all(policy.can(user, Perm.CASE_HANDLE, unit) for unit in units)


def shown_links(user, case: Case, links) -> set[int]:
    """Ids of the linked cases whose link `user` may see on `case`'s page or in the API.

    The other case must be one the user may see. A link that involves a protected identity (either
    case is or was a denunciation) says "these came from the same matter", which may point at the
    denouncer through the other case's sender: it is shown only to users who may see both identities.
    """
    others = {link.other_id: link.other for link in links}
    if not others:
        return set()
    seen = set(
        policy.scope(user, Perm.CASE_VIEW, Case.objects.filter(pk__in=list(others))).values_list(
            "pk", flat=True
        )
    )
    involved = case.identity_protected or any(other.identity_protected for other in others.values())
    if not involved:
        return seen
    identity_ok = set(
        Case.objects.filter(policy.identity_visible(user), pk__in=[case.pk, *others]).values_list(
            "pk", flat=True
        )
    )
    return {
        pk
        for pk in seen
        if not (case.identity_protected or others[pk].identity_protected)
        or (case.pk in identity_ok and pk in identity_ok)
    }
