"""Pages of inspection and supervision.

A programme is seen with ACTIVITY_VIEW at the inspecting unit or at one of the inspected units
(`selectors.inspections_for`); an inspected unit's results and remedies only by the inspecting side
and by that unit's side (`selectors.targets_for`, `remedies_for`). The inspecting unit's officers
(ACTIVITY_RECORD there) plan, record findings and remedies; the inspected unit's officers (ACTIVITY_RECORD
at the responsible unit) record the follow-up. What the user may not see answers 404; what they see
without the right to change it answers 403.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts import policy
from danvan.accounts.permissions import obtain, require_somewhere
from danvan.accounts.policy import Perm
from danvan.audit.exports import xlsx_export
from danvan.core import tables
from danvan.core.http import post_only
from danvan.core.pages import saved, year_in
from danvan.orgs.fields import for_user

from . import selectors, services
from .forms import (
    FindingsForm,
    FollowUpForm,
    InspectionEditForm,
    InspectionForm,
    RemedyFilterForm,
    RemedyForm,
)
from .models import Inspection, Remedy, Target

VIEW, RECORD = Perm.ACTIVITY_VIEW, Perm.ACTIVITY_RECORD
LIST_LIMIT = 500


def _year(request) -> int | None:
    return year_in(request.GET.get("year", ""), last=2100)


@login_required
def home(request):
    """The programmes the user may see (as the inspecting side or an inspected one), by year."""
    require_somewhere(request.user, VIEW)
    year = _year(request)
    qs = selectors.inspections_for(request.user)
    if year:
        qs = qs.filter(year=year)
    inspections = list(qs.prefetch_related("targets__unit")[:LIST_LIMIT])
    rows = [
        (inspection, [t.unit for t in inspection.targets.all() if _sees_target(request.user, inspection, t)])
        for inspection in inspections
    ]
    return render(
        request,
        "inspections/home.html",
        {"rows": rows, "year": year, "may_plan": policy.has_any(request.user, RECORD)},
    )


def _sees_target(user, inspection: Inspection, target: Target) -> bool:
    return policy.can(user, VIEW, inspection.unit) or policy.can(user, VIEW, target.unit)


@login_required
def inspection_create(request):
    require_somewhere(request.user, RECORD)
    form = for_user(
        InspectionForm(request.POST or None, initial={"year": timezone.localdate().year}), request.user
    )
    done = saved(
        request,
        form,
        lambda data: services.inspection_create(
            unit=data["unit"],
            kind=data["kind"],
            title=data["title"],
            reference=data["reference"],
            year=data["year"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            units=data["units"],
            by=request.user,
        ),
        done=_("The programme was saved."),
        then=lambda inspection: redirect("inspections:detail", pk=inspection.pk),
    )
    return done or render(request, "inspections/form.html", {"form": form, "inspection": None})


@login_required
def inspection_detail(request, pk: int):
    inspection = obtain(selectors.inspections_for(request.user), user=request.user, pk=pk)
    today = timezone.localdate()
    targets = selectors.visible_targets(request.user, inspection)
    rows = [
        (target, [(remedy, remedy.status_badge(today)) for remedy in target.remedies.all()])
        for target in targets
    ]
    return render(
        request,
        "inspections/detail.html",
        {
            "inspection": inspection,
            "rows": rows,
            "may_record": policy.can(request.user, RECORD, inspection.unit),
        },
    )


@login_required
def inspection_edit(request, pk: int):
    inspection = obtain(selectors.inspections_for(request.user), user=request.user, do=RECORD, pk=pk)
    units = [target.unit for target in inspection.targets.select_related("unit")]
    initial = {
        "kind": inspection.kind,
        "title": inspection.title,
        "reference": inspection.reference,
        "year": inspection.year,
        "starts_on": inspection.starts_on,
        "ends_on": inspection.ends_on,
        "state": inspection.state,
        "units": units,
    }
    form = for_user(
        InspectionEditForm(request.POST or None, initial=initial),
        request.user,
        within=inspection.unit,
        keep=units,
    )
    done = saved(
        request,
        form,
        lambda data: services.inspection_update(
            inspection=inspection,
            kind=data["kind"],
            title=data["title"],
            reference=data["reference"],
            year=data["year"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            state=data["state"],
            units=data["units"],
            by=request.user,
        ),
        done=_("The programme was saved."),
        then=redirect("inspections:detail", pk=inspection.pk),
    )
    return done or render(request, "inspections/form.html", {"form": form, "inspection": inspection})


def _target_page(request, target: Target, findings_form=None, remedy_form=None, status: int = 200):
    today = timezone.localdate()
    may_record = policy.can(request.user, RECORD, target.inspection.unit)
    if may_record and findings_form is None:
        findings_form = FindingsForm(
            initial={
                "conducted_on": target.conducted_on,
                "strengths": target.strengths,
                "shortcomings": target.shortcomings,
                "conclusion": target.conclusion,
            }
        )
    if may_record and remedy_form is None and target.conducted_on:
        remedy_form = RemedyForm()
    return render(
        request,
        "inspections/target.html",
        {
            "target": target,
            "inspection": target.inspection,
            "remedies": [(remedy, remedy.status_badge(today)) for remedy in target.remedies.all()],
            "findings_form": findings_form if may_record else None,
            "remedy_form": remedy_form if may_record else None,
        },
        status=status,
    )


def _require_inspecting(user, target: Target) -> None:
    """The inspecting side records findings and remedies: ACTIVITY_RECORD at the inspecting unit (403)."""
    if not policy.can(user, RECORD, target.inspection.unit):
        raise PermissionDenied


@login_required
def target_page(request, pk: int):
    """An inspected unit's results: the findings, the conclusion and the remedies; the inspecting side
    records the findings here (POST)."""
    user = request.user
    target = obtain(selectors.targets_for(user), user=user, pk=pk)
    if request.method != "POST":
        return _target_page(request, target)
    _require_inspecting(user, target)
    form = FindingsForm(request.POST)
    done = saved(
        request,
        form,
        lambda data: services.findings_record(target=target, by=user, **data),
        done=_("The findings were saved."),
        then=redirect("inspections:target", pk=target.pk),
    )
    return done or _target_page(request, target, findings_form=form, status=400)


@login_required
@post_only("inspections:target")
def remedy_add(request, pk: int):
    user = request.user
    target = obtain(selectors.targets_for(user), user=user, pk=pk)
    _require_inspecting(user, target)
    form = RemedyForm(request.POST)
    done = saved(
        request,
        form,
        lambda data: services.remedy_add(target=target, by=user, **data),
        done=_("The remedy was added."),
        then=redirect("inspections:target", pk=target.pk),
    )
    return done or _target_page(request, target, remedy_form=form, status=400)


@login_required
def remedy_page(request, pk: int):
    """A remedy and its follow-up; the responsible unit's officers record the follow-up here (POST)."""
    user = request.user
    remedy = obtain(selectors.remedies_for(user), user=user, pk=pk)
    may_follow = policy.can(user, RECORD, remedy.target.unit)
    form = None
    status = 200
    if request.method == "POST":
        if not may_follow:
            raise PermissionDenied
        form = FollowUpForm(request.POST)
        done = saved(
            request,
            form,
            lambda data: services.remedy_follow_up(remedy=remedy, by=user, **data),
            done=_("The follow-up was saved."),
            then=redirect("inspections:remedy", pk=remedy.pk),
        )
        if done is not None:
            return done
        status = 400
    elif may_follow:
        form = FollowUpForm(
            initial={"state": remedy.state, "remedied_on": remedy.remedied_on, "result": remedy.result}
        )
    return render(
        request,
        "inspections/remedy.html",
        {
            "remedy": remedy,
            "target": remedy.target,
            "inspection": remedy.target.inspection,
            "badge": remedy.status_badge(),
            "form": form,
        },
        status=status,
    )


def _filtered_remedies(request):
    user = request.user
    form = for_user(RemedyFilterForm(request.GET or None), user)
    qs = selectors.remedies_for(user)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["unit"]:
            qs = selectors.in_unit(qs, data["unit"])
        if data["state"]:
            qs = selectors.with_state(qs, data["state"])
        if data["year"]:
            qs = qs.filter(target__inspection__year=data["year"])
    elif form.is_bound:
        qs = qs.none()
    return form, qs.order_by("due_on", "id")


@login_required
def remedies(request):
    """Remedies the user may see, filterable by unit, state and year."""
    require_somewhere(request.user, VIEW)
    form, qs = _filtered_remedies(request)
    today = timezone.localdate()
    rows = [(remedy, remedy.status_badge(today)) for remedy in qs[:LIST_LIMIT]]
    return render(
        request,
        "inspections/remedies.html",
        {"form": form, "rows": rows, "query": request.GET.urlencode()},
    )


@login_required
def remedies_xlsx(request):
    require_somewhere(request.user, VIEW)
    _form, qs = _filtered_remedies(request)
    today = timezone.localdate()
    rows = [
        [
            remedy.target.inspection.title,
            remedy.target.inspection.unit.name,
            remedy.target.unit.name,
            remedy.target.conducted_on,
            remedy.content,
            remedy.due_on,
            remedy.status_badge(today)[1],
            remedy.remedied_on,
            remedy.result,
        ]
        for remedy in qs[:20000]
    ]
    columns = [
        tables.Column(_("Programme"), width=40),
        tables.Column(_("Inspecting unit"), width=30),
        tables.Column(_("Responsible unit"), width=30),
        tables.Column(_("Conducted on"), kind="date"),
        tables.Column(_("Recommendation or remedy"), width=50),
        tables.Column(_("Deadline"), kind="date"),
        tables.Column(_("State"), width=20),
        tables.Column(_("Remedied on"), kind="date"),
        tables.Column(_("Result of the remedy"), width=50),
    ]
    return xlsx_export(
        sheets=[tables.Sheet(_("Remedies"), rows, columns)],
        filename="kien-nghi-khac-phuc.xlsx",
        model=Remedy._meta.label_lower,
        what=_("Remedies after inspection and supervision"),
        changes={"filter": request.GET.urlencode()[:500], "rows": len(rows)},
    )
