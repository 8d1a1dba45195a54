"""Reads of the People's Inspection Board register, scoped by the policy like its pages.

A board is seen by who holds ACTIVITY_VIEW at its agency or above (`boards_for`); its members,
supervisions and recommendations with it. Overdue is computed, never stored: a recommendation is
overdue when it still awaits its answer and its due date has passed.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from danvan.accounts import policy
from danvan.accounts.policy import Perm
from danvan.orgs.models import Unit
from danvan.orgs.selectors import in_subtree, versions_on

from .models import Board, Recommendation, RecommendationState, term_end

# The groups of units that are "cơ quan, đơn vị" in the sense of Điều 60: state agencies and public
# service units (vocational schools are public service units too). Enterprises are not.
AGENCY_GROUPS = ("admin_agency", "public_service_unit", "vocational_school")

IN_TERM, ENDED, NOT_STARTED = "in_term", "ended", "not_started"


def is_agency(unit: Unit, day: datetime.date | None = None) -> bool:
    return versions_on(day).filter(unit=unit, groups__code__in=AGENCY_GROUPS).exists()


def boards_for(user: Any, perm: Perm = Perm.ACTIVITY_VIEW) -> QuerySet[Board]:
    return policy.scope(user, perm, Board.objects.select_related("unit"), field="unit__path")


def recommendations_for(user: Any, perm: Perm = Perm.ACTIVITY_VIEW) -> QuerySet[Recommendation]:
    qs = Recommendation.objects.select_related("board__unit", "activity")
    return policy.scope(user, perm, qs, field="board__unit__path")


def overdue(qs: QuerySet[Recommendation], today: datetime.date) -> QuerySet[Recommendation]:
    return qs.filter(state=RecommendationState.OPEN, due_on__lt=today)


def overlapping(
    unit: Unit, starts_on: datetime.date, ends_on: datetime.date, *, exclude: Board | None = None
) -> Board | None:
    qs = Board.objects.filter(unit=unit, starts_on__lte=ends_on, ends_on__gte=starts_on)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs.order_by("starts_on").first()


def state_of(board: Board, today: datetime.date) -> str:
    if board.starts_on > today:
        return NOT_STARTED
    return IN_TERM if board.ends_on >= today else ENDED


def short_term(board: Board) -> bool:
    """A term shorter than two years (accepted, and shown as such)."""
    return board.ends_on < term_end(board.starts_on) - datetime.timedelta(days=31)


def in_term_on(qs: QuerySet[Board], day: datetime.date) -> QuerySet[Board]:
    return qs.filter(starts_on__lte=day, ends_on__gte=day)


def listed(
    user: Any,
    *,
    unit: Unit | None = None,
    state: str = "",
    today: datetime.date,
) -> QuerySet[Board]:
    """The boards of the list page (and its XLSX): within `unit`'s subtree, in the state asked for,
    with their members counted and their open / overdue recommendations."""
    qs = boards_for(user)
    if unit is not None:
        qs = in_subtree(qs, unit.path, field="unit__path")
    if state == IN_TERM:
        qs = in_term_on(qs, today)
    elif state == ENDED:
        qs = qs.filter(ends_on__lt=today)
    elif state == NOT_STARTED:
        qs = qs.filter(starts_on__gt=today)
    open_ = Q(recommendations__state=RecommendationState.OPEN)
    return qs.annotate(
        member_count=Count("members", distinct=True),
        open_count=Count("recommendations", filter=open_, distinct=True),
        overdue_count=Count(
            "recommendations", filter=open_ & Q(recommendations__due_on__lt=today), distinct=True
        ),
    ).order_by("unit__path", "-starts_on", "-id")


@dataclass(frozen=True)
class Missing:
    unit: Unit
    last: Board | None  # the agency's latest board (its staff count is the last known one)


def missing(user: Any, today: datetime.date, *, within: Unit | None = None) -> list[Missing]:
    """Agencies in the user's scope that must have a board and have none in term today.

    An agency must have one when it has more than 7 staff (Điều 60, khoản 1). The staff count is
    known only from a board recorded before; an agency with no board at all is listed too (its staff
    count unknown) — one with 7 staff or fewer is told apart by who knows it."""
    versions = versions_on(today).filter(groups__code__in=AGENCY_GROUPS)
    units = policy.scope(
        user,
        Perm.ACTIVITY_VIEW,
        Unit.objects.filter(pk__in=versions.values("unit_id")),
        field="path",
    )
    if within is not None:
        units = in_subtree(units, within.path, field="path")
    current = in_term_on(Board.objects.filter(unit=OuterRef("pk")), today)
    units = units.exclude(Exists(current)).order_by("path")
    rows = list(units)
    latest: dict[int, Board] = {}
    for board in Board.objects.filter(unit__in=rows).order_by("unit_id", "-starts_on"):
        latest.setdefault(board.unit_id, board)
    return [
        Missing(unit, latest.get(unit.pk))
        for unit in rows
        if unit.pk not in latest or latest[unit.pk].staff_count > 7
    ]


@dataclass(frozen=True)
class Overview:
    in_term: int
    open: int
    overdue: int


def overview(user: Any, year: int, today: datetime.date) -> Overview:
    """The register's figures for the activities overview: boards in term (today, or at the end of a
    past year), recommendations awaiting an answer and those overdue, of the units the user sees."""
    day = min(today, datetime.date(year, 12, 31))
    boards = in_term_on(boards_for(user), day).count()
    recommendations = recommendations_for(user).filter(sent_on__year=year)
    open_ = recommendations.filter(state=RecommendationState.OPEN)
    return Overview(in_term=boards, open=open_.count(), overdue=overdue(open_, today).count())
