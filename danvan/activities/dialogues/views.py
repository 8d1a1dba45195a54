"""Pages of the dialogues register: the list (filtered by unit, year and dates, with counts, exported
as XLSX), a dialogue with its issues, recording and changing them, and the enterprises' coverage of the
yearly workplace dialogue (Bộ luật Lao động 2019, Điều 63 khoản 2 điểm a).

Every page needs ACTIVITY_VIEW somewhere (403 otherwise) and shows only the dialogues of the subtrees
where the user holds it; a dialogue out of reach answers 404. Writing needs ACTIVITY_RECORD at the
dialogue's unit (403). Views are thin: the services check and write, the selectors read.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts import policy
from danvan.accounts.permissions import obtain, require_somewhere
from danvan.accounts.policy import Perm
from danvan.activities.pages import part_of
from danvan.audit.exports import xlsx_export
from danvan.core.dates import day_text, parse_day
from danvan.core.http import post_only
from danvan.core.pages import saved, year_in
from danvan.core.tables import Column, Sheet
from danvan.orgs.fields import for_user, unit_filter

from . import selectors, services
from .forms import DialogueForm, IssueAnswerForm, IssueForm
from .models import Audience, Dialogue, Format, Issue

PAGE_SIZE = 50
LAW = "Bộ luật Lao động 2019, Điều 63 khoản 2 điểm a"


def _require_view(user) -> None:
    require_somewhere(user, Perm.ACTIVITY_VIEW)


def _year(text: str | None, today: datetime.date) -> int | None:
    return year_in(text, last=today.year + 1)


def _iso(text: str | None) -> datetime.date | None:
    """A date of the filter: dd/mm/yyyy as typed, or ISO as the report figures' links give it."""
    return parse_day(text)


def _chosen(request, today: datetime.date) -> tuple[selectors.Filter, dict]:
    """The list's filter from the address (?unit=&below=&year=&from=&to=) and what the page shows of it."""
    picker = unit_filter(request.GET, user=request.user, perm=Perm.ACTIVITY_VIEW, label=_("Unit"))
    errors: list[str] = []
    unit = None
    if (picker["unit"].data or "").strip():
        if picker.is_valid():
            unit = picker.cleaned_data["unit"]
            picker = unit_filter(
                None, user=request.user, perm=Perm.ACTIVITY_VIEW, label=_("Unit"), current=unit
            )
        else:
            errors.extend(picker.errors["unit"])
    year = _year(request.GET.get("year"), today)
    if request.GET.get("year") and year is None:
        errors.append(_("The year must be between 2000 and %(max)s.") % {"max": today.year + 1})
    start, end = _iso(request.GET.get("from")), _iso(request.GET.get("to"))
    if (request.GET.get("from") and start is None) or (request.GET.get("to") and end is None):
        errors.append(_("Type the date as dd/mm/yyyy, e.g. 05/03/2026."))
    chosen = selectors.Filter(
        unit=unit, below=request.GET.get("below", "1") != "0", year=year, start=start, end=end
    )
    state = {
        "unit_picker": picker,
        "unit": unit,
        "below": chosen.below,
        "year": year,
        "start": start,
        "end": end,
        "filter_errors": errors,
    }
    return chosen, state


def _listed(request, today: datetime.date):
    chosen, state = _chosen(request, today)
    qs = selectors.filtered(selectors.dialogues_for(request.user), chosen)
    if state["filter_errors"]:
        qs = qs.none()
    return qs, state


@login_required
def home(request):
    _require_view(request.user)
    today = timezone.localdate()
    qs, state = _listed(request, today)
    page = Paginator(selectors.with_counts(qs, today).order_by("-held_on", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        **state,
        "page": page,
        "totals": selectors.totals(qs, today),
        "query_string": query.urlencode(),
        "may_record": policy.has_any(request.user, Perm.ACTIVITY_RECORD),
        "this_year": today.year,
        "today": today,
    }
    return render(request, "dialogues/home.html", context)


@login_required
def export(request):
    _require_view(request.user)
    today = timezone.localdate()
    qs, state = _listed(request, today)
    rows = [
        [
            dialogue.held_on,
            dialogue.unit.name,
            dialogue.leader_name,
            dialogue.leader_position,
            dialogue.get_audience_display(),
            dialogue.get_format_display(),
            dialogue.participants,
            dialogue.place,
            dialogue.issue_count,
            dialogue.open_count,
            dialogue.overdue_count,
        ]
        for dialogue in selectors.with_counts(qs, today).order_by("-held_on", "-id")
    ]
    columns = [
        Column(_("Date held"), "date", 12),
        Column(_("Unit"), width=40),
        Column(_("Leader"), width=24),
        Column(_("Position"), width=24),
        Column(_("With"), width=22),
        Column(_("Format"), width=18),
        Column(_("Participants"), "count", 12),
        Column(_("Place"), width=30),
        Column(_("Issues raised"), "count", 12),
        Column(_("Awaiting an answer"), "count", 12),
        Column(_("Overdue"), "count", 12),
    ]
    return xlsx_export(
        sheets=[Sheet(_("Dialogues"), rows, columns)],
        filename="doi-thoai.xlsx",
        model="dialogues.dialogue",
        what=_("Dialogues"),
        unit=state["unit"],
        changes={"filter": request.GET.dict(), "rows": len(rows)},
    )


def _dialogue(request, pk: int, do: Perm | None = None) -> Dialogue:
    _require_view(request.user)
    return obtain(
        selectors.dialogues_for(request.user).select_related("unit"), user=request.user, do=do, pk=pk
    )


def _spec(data: dict) -> services.DialogueSpec:
    return services.DialogueSpec(
        unit=data["unit"],
        held_on=data["held_on"],
        leader_name=data["leader_name"],
        leader_position=data["leader_position"],
        audience=data["audience"],
        participants=data["participants"],
        format=data["format"],
        place=data["place"],
        note=data["note"],
    )


@login_required
def create(request):
    require_somewhere(request.user, Perm.ACTIVITY_RECORD)
    initial = {"held_on": timezone.localdate(), "audience": Audience.STAFF, "format": Format.DIRECT}
    form = for_user(
        DialogueForm(request.POST if request.method == "POST" else None, initial=initial), request.user
    )
    done = saved(
        request,
        form,
        lambda data: services.dialogue_record(spec=_spec(data), by=request.user),
        done=_("The dialogue was recorded. Add the issues raised in it."),
        then=lambda dialogue: redirect("dialogues:detail", pk=dialogue.pk),
    )
    return done or render(request, "dialogues/form.html", {"form": form, "dialogue": None})


@login_required
def edit(request, pk: int):
    dialogue = _dialogue(request, pk, Perm.ACTIVITY_RECORD)
    form = for_user(
        DialogueForm(
            request.POST if request.method == "POST" else None,
            initial=services.DialogueSpec.values_of(dialogue),
        ),
        request.user,
        keep=[dialogue.unit],
    )
    done = saved(
        request,
        form,
        lambda data: services.dialogue_update(dialogue=dialogue, spec=_spec(data), by=request.user),
        done=_("The dialogue was saved."),
        then=redirect("dialogues:detail", pk=dialogue.pk),
    )
    return done or render(request, "dialogues/form.html", {"form": form, "dialogue": dialogue})


def _detail(request, dialogue: Dialogue, *, issue_form=None, status=200):
    today = timezone.localdate()
    may_record = policy.can(request.user, Perm.ACTIVITY_RECORD, dialogue.unit)
    if may_record and issue_form is None:
        issue_form = IssueForm()
    context = {
        "dialogue": dialogue,
        "issues": list(dialogue.issues.all()),
        "may_record": may_record,
        "issue_form": issue_form if may_record else None,
        "today": today,
    }
    return render(request, "dialogues/detail.html", context, status=status)


@login_required
def detail(request, pk: int):
    return _detail(request, _dialogue(request, pk))


@login_required
@post_only("dialogues:detail")
def delete(request, pk: int):
    dialogue = _dialogue(request, pk, Perm.ACTIVITY_RECORD)
    services.dialogue_delete(dialogue=dialogue, by=request.user)
    messages.success(request, _("The dialogue was deleted."))
    return redirect("dialogues:home")


@login_required
@post_only("dialogues:detail")
def issue_add(request, pk: int):
    dialogue = _dialogue(request, pk, Perm.ACTIVITY_RECORD)
    form = IssueForm(request.POST)
    done = saved(
        request,
        form,
        lambda data: services.issue_add(
            dialogue=dialogue,
            content=data["content"],
            answerer=data["answerer"],
            due_on=data["due_on"],
            by=request.user,
        ),
        done=_("The issue was added."),
        then=redirect("dialogues:detail", pk=dialogue.pk),
    )
    return done or _detail(request, dialogue, issue_form=form, status=400)


def _issue(request, pk: int) -> Issue:
    _require_view(request.user)
    return part_of(request, Issue.objects.all(), parent="dialogue", pk=pk)


@login_required
def issue_edit(request, pk: int):
    issue = _issue(request, pk)
    initial = {
        "content": issue.content,
        "answerer": issue.answerer,
        "due_on": issue.due_on,
        "state": issue.state,
        "answer": issue.answer,
        "answered_on": issue.answered_on or timezone.localdate(),
    }
    form = IssueAnswerForm(request.POST if request.method == "POST" else None, initial=initial)
    done = saved(
        request,
        form,
        lambda data: services.issue_update(
            issue=issue,
            content=data["content"],
            answerer=data["answerer"],
            due_on=data["due_on"],
            answer=data["answer"],
            state=data["state"],
            answered_on=data["answered_on"],
            by=request.user,
        ),
        done=_("The issue was saved."),
        then=redirect("dialogues:detail", pk=issue.dialogue_id),
    )
    return done or render(
        request, "dialogues/issue.html", {"form": form, "issue": issue, "dialogue": issue.dialogue}
    )


@login_required
@post_only("dialogues:issue_edit")
def issue_delete(request, pk: int):
    issue = _issue(request, pk)
    services.issue_delete(issue=issue, by=request.user)
    messages.success(request, _("The issue was deleted."))
    return redirect("dialogues:detail", pk=issue.dialogue_id)


@login_required
def coverage(request):
    """Enterprises with and without a workplace dialogue in a year (Bộ luật Lao động 2019, Điều 63)."""
    _require_view(request.user)
    today = timezone.localdate()
    year = _year(request.GET.get("year"), today) or today.year
    rows = selectors.enterprise_coverage(request.user, year, today)
    context = {
        "year": year,
        "years": list(range(today.year, today.year - 4, -1)),
        "with": [row for row in rows if row.covered],
        "without": [row for row in rows if not row.covered],
        "law": LAW,
        "year_end": day_text(datetime.date(year, 12, 31)),
    }
    return render(request, "dialogues/coverage.html", context)
