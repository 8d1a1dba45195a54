"""Staff pages for cases: the list, intake, the case file with its actions, suggestion-box openings.

Every page asks `policy`:
- the list needs CASE_VIEW somewhere (else 403) and shows only cases of the user's subtrees;
- a case outside the user's CASE_VIEW scope answers 404, exactly like one that does not exist;
- actions need CASE_HANDLE at the case's unit (else 403); intake and box openings offer only the
  units where the user holds CASE_HANDLE.
Writes go through services.py; a ValidationError is shown beside the form and
nothing is saved. Files received with a letter are kept at intake with the case, in one transaction
(services.case_receive_with_files); a denunciation's files, and those ticked as protected, are encrypted. A protected identity (a denouncer's) never appears on these pages: the case file
only says it is protected and, for those `policy.can_see_identity` allows, links to the identity page.
"""

import datetime
import secrets

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from danvan.accounts import policy
from danvan.accounts.permissions import obtain
from danvan.accounts.policy import Perm
from danvan.core.dates import day_text
from danvan.core.forms import attach_service_errors
from danvan.core.http import post_only
from danvan.orgs.models import Unit
from danvan.orgs.selectors import in_subtree
from danvan.voice.deadlines.models import DeadlineRule
from danvan.voice.identity import selectors as identity_selectors

from .. import selectors, services, workflow
from ..forms import (
    ACTION_FORMS,
    ActionForm,
    AssignForm,
    BoxOpeningForm,
    CaseFilterForm,
    IntakeForm,
    active_units,
)
from ..models import BoxOpening, Case, CaseEvent, Clock, Kind
from ..selectors import case_handlers, visible_cases

PAGE_SIZE = 50
DUE_SOON_DAYS = 3  # a running clock due within this many days is "due soon"
INTAKE_TOKENS = (
    "voice_intake_tokens"  # session: form token -> case id, so a resent form records nothing twice
)
INTAKE_TOKENS_KEPT = 20

Action = CaseEvent.Action
Step = DeadlineRule.Step


def _today() -> datetime.date:
    return timezone.localdate()


def _case(user, pk: int, *, do: Perm | None = None) -> Case:
    """The case if `user` may see it (404 otherwise, like one that does not exist); with `do`, 403
    unless they may also do that at its unit."""
    return obtain(visible_cases(user).select_related("unit", "handler"), user=user, do=do, pk=pk)


def _require_view(user) -> None:
    if not policy.has_any(user, Perm.CASE_VIEW):
        raise PermissionDenied


def _due_state(due: datetime.date | None, today: datetime.date) -> str:
    if due is None:
        return ""
    if due < today:
        return "overdue"
    if due <= today + datetime.timedelta(days=DUE_SOON_DAYS):
        return "soon"
    return ""


def _tools(user) -> dict:
    return {"can_receive": policy.has_any(user, Perm.CASE_HANDLE)}


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


# ---------------------------------------------------------------- the list


def _filtered(qs: QuerySet[Case], data: dict, today: datetime.date) -> QuerySet[Case]:
    if data.get("unit") is not None:
        qs = in_subtree(qs, data["unit"].path, "unit__path")
    for field in ("kind", "channel", "state"):
        if data.get(field):
            qs = qs.filter(**{field: data[field]})
    if data.get("received_from"):
        qs = qs.filter(received_on__gte=data["received_from"])
    if data.get("received_to"):
        qs = qs.filter(received_on__lte=data["received_to"])
    if data.get("overdue"):
        late = Clock.objects.filter(case=OuterRef("pk"), stopped_on__isnull=True, due_on__lt=today)
        qs = qs.filter(Exists(late))
    # The case file only: reference and subject. Who sent it is never searched here.
    for term in (data.get("q") or "").replace("\x00", "").split():
        qs = qs.filter(Q(reference__icontains=term) | Q(subject__icontains=term))
    return qs


@login_required
def case_list(request):
    user = request.user
    _require_view(user)
    today = _today()
    units = policy.scope(user, Perm.CASE_VIEW, Unit.objects.all(), field="path")
    form = CaseFilterForm(request.GET or None, units=units)
    next_due = Clock.objects.filter(case=OuterRef("pk"), stopped_on__isnull=True).order_by("due_on")
    rows = (
        visible_cases(user).select_related("unit").annotate(next_due=Subquery(next_due.values("due_on")[:1]))
    )
    if form.is_bound:
        rows = _filtered(rows, form.cleaned_data, today) if form.is_valid() else rows.none()
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for case in page:
        case.due_state = _due_state(case.next_due, today)
    context = {"form": form, "page": page, "query": _query_without_page(request), "section": "cases"}
    return render(request, "voice/cases/list.html", {**context, **_tools(user)})


# ---------------------------------------------------------------- intake


def _intake_units(user) -> QuerySet[Unit]:
    return policy.scope(user, Perm.CASE_HANDLE, active_units(), field="path")


def _new_page(request, form: IntakeForm):
    context = {
        "form": form,
        "once": secrets.token_urlsafe(16),
        "section": "new",
        "files_lost": form.is_bound and bool(request.FILES),  # a browser never sends them back
    }
    return render(request, "voice/cases/new.html", {**context, **_tools(request.user)})


@sensitive_post_parameters(*IntakeForm.SENDER_FIELDS)
@login_required
def case_new(request):
    user = request.user
    if not policy.has_any(user, Perm.CASE_HANDLE):
        raise PermissionDenied
    units = _intake_units(user)
    if request.method != "POST":
        return _new_page(request, IntakeForm(units=units))
    token = str(request.POST.get("once", ""))[:64]
    recorded = request.session.get(INTAKE_TOKENS, {})
    if token and token in recorded:
        case = visible_cases(user).filter(pk=recorded[token]).first()
        if case is not None:
            messages.info(
                request,
                _("This form was already sent: the case is %(reference)s.") % {"reference": case.reference},
            )
            return redirect("voice:case_detail", pk=case.pk)
    form = IntakeForm(request.POST, request.FILES, units=units)
    if form.is_valid():
        spec = form.spec()
        if spec.unit is not None:
            policy.require(user, Perm.CASE_HANDLE, spec.unit)
        try:
            case, code, _files = services.case_receive_with_files(
                spec=spec,
                files=form.cleaned_data["attachments"],
                protected=form.cleaned_data["attachments_protected"],
                by=user,
                with_tracking_code=form.cleaned_data["receipt"],
            )
        except ValidationError as error:
            attach_service_errors(form, error)
        else:
            if token:
                kept = list(recorded.items())[-(INTAKE_TOKENS_KEPT - 1) :]
                request.session[INTAKE_TOKENS] = {**dict(kept), token: case.pk}
            if code:
                # The code exists only in this response: it is never stored, so it is shown this once.
                response = render(
                    request,
                    "voice/cases/receipt.html",
                    {"case": case, "code": code, "section": "new", **_tools(user)},
                )
                add_never_cache_headers(response)
                return response
            messages.success(request, _("Case %(reference)s was recorded.") % {"reference": case.reference})
            return redirect("voice:case_detail", pk=case.pk)
    return _new_page(request, form)


# ---------------------------------------------------------------- the case file


def available_actions(case: Case, clocks: list[Clock]) -> list[str]:
    """The actions the state machine allows now that have a form here, in the order of `workflow.ACTIONS`."""
    names = [name for name in workflow.allowed(case.state) if name in ACTION_FORMS]
    if Action.NOTIFY in names and not any(c.step == Step.NOTIFY and c.running for c in clocks):
        names.remove(Action.NOTIFY)  # nothing to notify: no notification period runs
    return names


def _action_form(name: str, case: Case, data=None) -> ActionForm:
    form_class = ACTION_FORMS[name]
    if form_class is AssignForm:
        return AssignForm(data, case=case, handlers=case_handlers(case))
    return form_class(data, case=case)


def _clock_status(clock: Clock, today: datetime.date) -> str:
    if clock.cancelled:
        return "cancelled"
    if clock.stopped_on is not None:
        return "on_time" if clock.on_time else "late"
    if clock.due_on < today:
        return "overdue"
    return "soon" if _due_state(clock.due_on, today) == "soon" else "running"


CHANGE_LABELS = {
    "kind": Case._meta.get_field("kind").verbose_name,
    "is_complex": Case._meta.get_field("is_complex").verbose_name,
    "is_especially_complex": Case._meta.get_field("is_especially_complex").verbose_name,
    "is_remote": Case._meta.get_field("is_remote").verbose_name,
    "is_over_level": Case._meta.get_field("is_over_level").verbose_name,
    "people_count": Case._meta.get_field("people_count").verbose_name,
}


def _shown(field: str, value) -> str:
    if field == "kind" and value in Kind.values:
        return str(Kind(value).label)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def _event_notes(event: CaseEvent, people: dict, units: dict) -> list[str]:
    """What a history line adds to who, when and the states: never anything about the sender."""
    details = event.details or {}
    notes = []
    if event.action in (Action.CLASSIFY, Action.RECLASSIFY):
        for field, (old, new) in (details.get("changes") or {}).items():
            if field in CHANGE_LABELS:
                notes.append(f"{CHANGE_LABELS[field]}: {_shown(field, old)} → {_shown(field, new)}")
    elif event.action == Action.ASSIGN:
        person = people.get(details.get("handler"))
        notes.append(_("Handler: %(name)s") % {"name": person or "—"})
    elif event.action == Action.TRANSFER and details.get("to_unit"):
        unit = units.get(details["to_unit"])
        notes.append(_("To: %(unit)s") % {"unit": unit.name if unit else details.get("to_code", "")})
    elif event.action == Action.RECEIVE and details.get("transfer"):
        unit = units.get(details.get("from_unit"))
        notes.append(_("Transferred from: %(unit)s") % {"unit": unit.name if unit else "—"})
    elif event.action in (Action.EXTEND, Action.RESOLVE) and details.get("decision_number"):
        notes.append(_("Decision %(number)s") % {"number": details["decision_number"]})
    if event.action == Action.EXTEND and details.get("due_on"):
        due = datetime.date.fromisoformat(details["due_on"])
        notes.append(_("New due date: %(date)s") % {"date": day_text(due)})
    return notes


def _history(case: Case) -> list[CaseEvent]:
    events = list(case.events.select_related("actor"))
    handler_ids = {e.details.get("handler") for e in events if e.action == Action.ASSIGN} - {None}
    people = {
        user.pk: user.get_full_name() or user.username
        for user in get_user_model().objects.filter(pk__in=handler_ids)
    }
    unit_ids = {e.details.get(key) for e in events for key in ("to_unit", "from_unit")} - {None}
    units = {unit.pk: unit for unit in Unit.objects.filter(pk__in=unit_ids)}
    for event in events:
        event.notes = _event_notes(event, people, units)
    return events


def _sender(case: Case, user) -> dict | None:
    """An unprotected identity, for those who may see the case; a protected one never comes here."""
    if case.identity_protected or not policy.can_see_identity(user, case):
        return None
    return identity_selectors.identity_of(case)


def _hidden_for_identity(case: Case, link) -> bool:
    return case.identity_protected or link.other.identity_protected


def _detail_page(request, case: Case, failed: ActionForm | None = None):
    user = request.user
    today = _today()
    clocks = list(case.clocks.select_related("rule", "unit"))
    for clock in clocks:
        clock.status = _clock_status(clock, today)
    can_handle = policy.can(user, Perm.CASE_HANDLE, case.unit)
    forms = []
    if can_handle:
        for name in available_actions(case, clocks):
            forms.append(failed if failed is not None and failed.action == name else _action_form(name, case))
    links = list(case.links.select_related("other"))
    shown = selectors.shown_links(user, case, links)
    # A link the user may not see at all because of a protected identity is left out entirely.
    links = [link for link in links if link.other_id in shown or not _hidden_for_identity(case, link)]
    for link in links:
        link.visible = link.other_id in shown
    context = {
        "case": case,
        "clocks": clocks,
        "pauses": list(case.pauses.all()),
        "extensions": list(case.extensions.select_related("decided_by")),
        "links": links,
        "flags": selectors.flags_of(user, case),
        "attachments": list(
            case.attachments.only("id", "case_id", "token", "name", "size", "protected", "created_at")
        ),
        "events": _history(case),
        "can_handle": can_handle,
        "can_see_identity": policy.can_see_identity(user, case),
        "sender": _sender(case, user),
        "action_forms": forms,
        "failed": failed.action if failed is not None else "",
        "section": "cases",
        **_tools(user),
    }
    return render(request, "voice/cases/detail.html", context)


@never_cache  # an unprotected sender's contacts may be on the page
@login_required
def case_detail(request, pk: int):
    _require_view(request.user)
    return _detail_page(request, _case(request.user, pk))


@never_cache
@login_required
@post_only("voice:case_detail", keep=("pk",))
def case_action(request, pk: int, action: str):
    if action not in ACTION_FORMS:
        raise Http404
    user = request.user
    case = _case(user, pk, do=Perm.CASE_HANDLE)
    form = _action_form(action, case, request.POST)
    refused = workflow.refusal(case, action)  # the state's refusal first, whatever else the form says
    if refused:
        form.add_error(None, refused)
    elif form.is_valid():
        try:
            form.perform(case, by=user)
        except ValidationError as error:
            attach_service_errors(form, error)
        else:
            messages.success(request, str(form.done) % {"reference": case.reference})
            return redirect("voice:case_detail", pk=case.pk)
    case = _case(user, pk)
    clocks = list(case.clocks.all())
    if action not in available_actions(case, clocks):
        # The form is not on the page in this state: say why above it.
        for problem in [m for messages_ in form.errors.values() for m in messages_]:
            messages.error(request, problem)
        return redirect("voice:case_detail", pk=case.pk)
    return _detail_page(request, case, failed=form)


# ---------------------------------------------------------------- suggestion boxes


@login_required
def box_openings(request):
    user = request.user
    _require_view(user)
    may_add = policy.has_any(user, Perm.CASE_HANDLE)
    units = _intake_units(user) if may_add else Unit.objects.none()
    form = BoxOpeningForm(units=units) if may_add else None
    if request.method == "POST":
        if not may_add:
            raise PermissionDenied
        form = BoxOpeningForm(request.POST, units=units)
        if form.is_valid():
            data = form.cleaned_data
            if data["unit"] is not None:
                policy.require(user, Perm.CASE_HANDLE, data["unit"])
            try:
                opening = services.box_opening_add(
                    unit=data["unit"],
                    opened_on=data["opened_on"],
                    opened_by=data["opened_by"],
                    witnesses=data["witnesses"],
                    letters=data["letters"],
                    note=data["note"],
                    by=user,
                )
            except ValidationError as error:
                attach_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The opening of the box of %(unit)s on %(date)s was recorded.")
                    % {"unit": opening.unit.name, "date": day_text(opening.opened_on)},
                )
                return redirect("voice:box_openings")
    openings = policy.scope(user, Perm.CASE_VIEW, BoxOpening.objects.select_related("unit", "created_by"))
    page = Paginator(openings, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "section": "boxes", **_tools(user)}
    return render(request, "voice/cases/box_openings.html", context)
