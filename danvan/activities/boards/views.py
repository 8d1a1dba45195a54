"""Pages of the People's Inspection Board register.

Every page asks the policy: lists and a board's page need ACTIVITY_VIEW (the lists show the boards of
the units where the user holds it), every write ACTIVITY_RECORD at the board's agency. A board the
user may not see answers 404, one they see without the right to write 403.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts import policy
from danvan.accounts.permissions import obtain, require_somewhere
from danvan.accounts.policy import Perm
from danvan.activities.pages import part_of
from danvan.audit.exports import xlsx_export
from danvan.core import tables
from danvan.core.forms import attach_service_errors
from danvan.core.http import post_only
from danvan.core.pages import acted, saved
from danvan.orgs.fields import for_user, unit_filter

from . import selectors, services
from .forms import (
    ActivityForm,
    AnswerForm,
    BoardEditForm,
    BoardForm,
    ListForm,
    MemberForm,
    MemberFormSet,
    RecommendationForm,
)
from .models import MAX_MEMBERS, MIN_MEMBERS, MIN_STAFF, Board, Member, Recommendation, term_end

LIST_LIMIT = 500


def _today() -> datetime.date:
    return timezone.localdate()


def _board(request, pk: int, do: Perm | None = None) -> Board:
    return obtain(selectors.boards_for(request.user), user=request.user, do=do, pk=pk)


def _member(request, pk: int) -> Member:
    return part_of(request, Member.objects.all(), parent="board", pk=pk)


def _recommendation(request, pk: int) -> Recommendation:
    return obtain(
        selectors.recommendations_for(request.user),
        user=request.user,
        do=Perm.ACTIVITY_RECORD,
        unit=lambda r: r.board.unit,
        pk=pk,
    )


def _unit_chosen(request):
    """The unit filter's form and the unit chosen in it (None: none or a wrong one)."""
    unit_form = unit_filter(request.GET, user=request.user, perm=Perm.ACTIVITY_VIEW, label=_("Unit"))
    unit = unit_form.cleaned_data.get("unit") if unit_form.is_bound and unit_form.is_valid() else None
    return unit_form, unit


def _filters(request):
    unit_form, unit = _unit_chosen(request)
    list_form = ListForm(request.GET or None)
    state = list_form.cleaned_data.get("state", "") if list_form.is_bound and list_form.is_valid() else ""
    return unit_form, unit, list_form, state


def _rows(boards, today):
    return [
        {
            "board": board,
            "state": selectors.state_of(board, today),
            "short": selectors.short_term(board),
            "complete": MIN_MEMBERS <= board.member_count <= MAX_MEMBERS,
        }
        for board in boards
    ]


@login_required
def home(request):
    """The boards of the agencies in the user's scope, with their state today."""
    require_somewhere(request.user, Perm.ACTIVITY_VIEW)
    today = _today()
    unit_form, unit, list_form, state = _filters(request)
    boards = list(selectors.listed(request.user, unit=unit, state=state, today=today)[: LIST_LIMIT + 1])
    context = {
        "rows": _rows(boards[:LIST_LIMIT], today),
        "more": len(boards) > LIST_LIMIT,
        "unit_form": unit_form,
        "list_form": list_form,
        "query": request.GET.urlencode(),
        "can_record": policy.has_any(request.user, Perm.ACTIVITY_RECORD),
        "today": today,
    }
    return render(request, "boards/home.html", context)


@login_required
def boards_xlsx(request):
    require_somewhere(request.user, Perm.ACTIVITY_VIEW)
    today = _today()
    _unit_form, unit, _list_form, state = _filters(request)
    boards = list(selectors.listed(request.user, unit=unit, state=state, today=today))
    words = {
        selectors.IN_TERM: _("In term"),
        selectors.ENDED: _("Term ended"),
        selectors.NOT_STARTED: _("Term not started"),
    }
    rows = [
        (
            board.unit.name,
            board.starts_on,
            board.ends_on,
            words[selectors.state_of(board, today)],
            board.staff_count,
            board.member_count,
            board.decision_number,
            board.decision_on,
            board.open_count,
            board.overdue_count,
        )
        for board in boards
    ]
    sheet = tables.Sheet(
        name=_("Boards"),
        title=_("People's Inspection Boards on %(day)s") % {"day": today.strftime("%d/%m/%Y")},
        rows=rows,
        columns=[
            tables.Column(_("Agency"), width=40),
            tables.Column(_("Term starts on"), kind="date"),
            tables.Column(_("Term ends on"), kind="date"),
            tables.Column(_("State")),
            tables.Column(_("Staff of the agency"), kind="count"),
            tables.Column(_("Members"), kind="count"),
            tables.Column(_("Decision number")),
            tables.Column(_("Decision date"), kind="date"),
            tables.Column(_("Recommendations awaiting an answer"), kind="count"),
            tables.Column(_("Recommendations overdue"), kind="count"),
        ],
    )
    return xlsx_export(
        sheets=[sheet],
        filename=f"ban-thanh-tra-nhan-dan-{today:%Y%m%d}.xlsx",
        model=Board._meta.label_lower,
        what=_("People's Inspection Boards"),
        unit=unit,
        changes={"state": state, "rows": len(rows)},
    )


@login_required
def missing(request):
    """Agencies in scope that must have a board and have none in term today."""
    require_somewhere(request.user, Perm.ACTIVITY_VIEW)
    today = _today()
    unit_form, unit = _unit_chosen(request)
    context = {
        "rows": selectors.missing(request.user, today, within=unit),
        "unit_form": unit_form,
        "today": today,
        "min_staff": MIN_STAFF,
    }
    return render(request, "boards/missing.html", context)


def _member_specs(formset) -> list[services.MemberSpec]:
    specs = []
    for form in formset.forms:
        data = form.cleaned_data if hasattr(form, "cleaned_data") else {}
        if not (data.get("full_name") or data.get("position")):
            continue
        specs.append(
            services.MemberSpec(
                full_name=data.get("full_name", ""),
                position=data.get("position", ""),
                role=data.get("role") or "member",
                office=data.get("office") or "none",
            )
        )
    return specs


def _attach_member_errors(formset, error: ValidationError, specs_rows: list[int]) -> list[str]:
    """Member errors (members.N.field) go to their row; the rest are returned."""
    rest = []
    for name, texts in error.message_dict.items():
        if name.startswith("members."):
            _prefix, index, field = name.split(".", 2)
            form = formset.forms[specs_rows[int(index)]]
            form.add_error(field if field in form.fields else None, texts)
        elif name == "members":
            rest.extend(texts)
    return rest


@login_required
def board_add(request):
    require_somewhere(request.user, Perm.ACTIVITY_RECORD)
    post = request.POST if request.method == "POST" else None
    form = for_user(BoardForm(post), request.user)
    formset = MemberFormSet(post, prefix="members")
    member_errors: list[str] = []
    if post is not None and form.is_valid() & formset.is_valid():
        data = form.cleaned_data
        rows = [
            index
            for index, member_form in enumerate(formset.forms)
            if member_form.cleaned_data.get("full_name") or member_form.cleaned_data.get("position")
        ]
        try:
            board = services.board_create(
                unit=data["unit"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"] or term_end(data["starts_on"]),
                staff_count=data["staff_count"],
                members=_member_specs(formset),
                decision_number=data["decision_number"],
                decision_on=data["decision_on"],
                decision_text=data["decision_text"],
                by=request.user,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                member_errors = _attach_member_errors(formset, error, rows)
                others = {k: v for k, v in error.message_dict.items() if not k.startswith("members")}
                if others:
                    attach_service_errors(form, ValidationError(others))
            else:
                attach_service_errors(form, error)
        else:
            messages.success(request, _("The People's Inspection Board was recorded."))
            return redirect("boards:board", pk=board.pk)
    context = {"form": form, "formset": formset, "member_errors": member_errors}
    return render(request, "boards/board_form.html", context)


@login_required
def board_page(request, pk: int):
    board = _board(request, pk)
    today = _today()
    recommendations = list(board.recommendations.select_related("activity"))
    context = {
        "board": board,
        "unit": board.unit,
        "state": selectors.state_of(board, today),
        "short": selectors.short_term(board),
        "members": list(board.members.all()),
        "activities": list(board.activities.all()),
        "recommendations": [(item, item.overdue(today)) for item in recommendations],
        "can_record": policy.can(request.user, Perm.ACTIVITY_RECORD, board.unit),
        "min_members": MIN_MEMBERS,
        "max_members": MAX_MEMBERS,
    }
    return render(request, "boards/board.html", context)


def _form_page(request, *, form, board, title: str, status: int = 200):
    return render(
        request,
        "boards/form.html",
        {"form": form, "board": board, "unit": board.unit, "title": title},
        status=status,
    )


@login_required
def board_edit(request, pk: int):
    board = _board(request, pk, Perm.ACTIVITY_RECORD)
    initial = {
        "starts_on": board.starts_on,
        "ends_on": board.ends_on,
        "staff_count": board.staff_count,
        "decision_number": board.decision_number,
        "decision_on": board.decision_on,
        "decision_text": board.decision_text,
    }
    form = BoardEditForm(request.POST if request.method == "POST" else None, initial=initial)
    done = saved(
        request,
        form,
        lambda data: services.board_update(
            board=board,
            starts_on=data["starts_on"],
            ends_on=data["ends_on"] or term_end(data["starts_on"]),
            staff_count=data["staff_count"],
            decision_number=data["decision_number"],
            decision_on=data["decision_on"],
            decision_text=data["decision_text"],
            by=request.user,
        ),
        done=_("The board was saved."),
        then=redirect("boards:board", pk=board.pk),
    )
    return done or _form_page(request, form=form, board=board, title=_("Change the board"))


def _spec(data) -> services.MemberSpec:
    return services.MemberSpec(
        full_name=data["full_name"], position=data["position"], role=data["role"], office=data["office"]
    )


@login_required
def member_add(request, pk: int):
    board = _board(request, pk, Perm.ACTIVITY_RECORD)
    form = MemberForm(request.POST if request.method == "POST" else None)
    done = saved(
        request,
        form,
        lambda data: services.member_add(board=board, spec=_spec(data), by=request.user),
        done=_("The member was added."),
        then=redirect("boards:board", pk=board.pk),
    )
    return done or _form_page(request, form=form, board=board, title=_("Add a member"))


@login_required
def member_edit(request, pk: int):
    member = _member(request, pk)
    initial = {
        "full_name": member.full_name,
        "position": member.position,
        "role": member.role,
        "office": member.office,
    }
    form = MemberForm(request.POST if request.method == "POST" else None, initial=initial)
    done = saved(
        request,
        form,
        lambda data: services.member_update(member=member, spec=_spec(data), by=request.user),
        done=_("The member was saved."),
        then=redirect("boards:board", pk=member.board_id),
    )
    return done or _form_page(request, form=form, board=member.board, title=_("Change a member"))


@login_required
@post_only("boards:home", keep=())
def member_remove(request, pk: int):
    member = _member(request, pk)
    acted(
        request,
        lambda: services.member_remove(member=member, by=request.user),
        done=_("The member was removed."),
    )
    return redirect("boards:board", pk=member.board_id)


@login_required
def activity_add(request, pk: int):
    board = _board(request, pk, Perm.ACTIVITY_RECORD)
    form = ActivityForm(request.POST if request.method == "POST" else None)
    done = saved(
        request,
        form,
        lambda data: services.activity_record(board=board, by=request.user, **data),
        done=_("The supervision was recorded."),
        then=redirect("boards:board", pk=board.pk),
    )
    return done or _form_page(request, form=form, board=board, title=_("Record a supervision"))


@login_required
def recommendation_add(request, pk: int):
    board = _board(request, pk, Perm.ACTIVITY_RECORD)
    activities = list(board.activities.all())
    form = RecommendationForm(request.POST if request.method == "POST" else None, activities=activities)
    done = saved(
        request,
        form,
        lambda data: services.recommendation_record(
            board=board,
            content=data["content"],
            sent_on=data["sent_on"],
            due_on=data["due_on"],
            activity=next((item for item in activities if item.pk == data["activity"]), None),
            by=request.user,
        ),
        done=_("The recommendation was recorded."),
        then=redirect("boards:board", pk=board.pk),
    )
    return done or _form_page(request, form=form, board=board, title=_("Record a recommendation to the head"))


@login_required
def recommendation_answer(request, pk: int):
    recommendation = _recommendation(request, pk)
    initial = {"answer": recommendation.answer, "answered_on": recommendation.answered_on}
    form = AnswerForm(request.POST if request.method == "POST" else None, initial=initial)
    done = saved(
        request,
        form,
        lambda data: services.recommendation_answer(recommendation=recommendation, by=request.user, **data),
        done=_("The answer was recorded."),
        then=redirect("boards:board", pk=recommendation.board_id),
    )
    return done or _form_page(
        request, form=form, board=recommendation.board, title=_("Record the head's answer")
    )


@login_required
@post_only("boards:home", keep=())
def recommendation_close(request, pk: int):
    recommendation = _recommendation(request, pk)
    acted(
        request,
        lambda: services.recommendation_close(recommendation=recommendation, by=request.user),
        done=_("The recommendation was closed."),
    )
    return redirect(reverse("boards:board", args=[recommendation.board_id]))
