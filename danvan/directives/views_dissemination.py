"""Pages of dissemination and study (item 7): a document's dissemination panel (send form, recipients with
receipt and study), the documents my units must study (acknowledge, record a session), and the coverage
per parent unit.

Policy: the panel and coverage need DOCUMENT_VIEW at the document's unit, sending DOCUMENT_MANAGE there;
a recipient's page needs DOCUMENT_VIEW at the recipient unit (or at the document's unit), acknowledging and
recording a session DOCUMENT_MANAGE at the recipient unit. What the user may not see answers 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts import policy
from danvan.accounts.permissions import obtain, require_somewhere
from danvan.accounts.policy import Perm
from danvan.core.api import as_id
from danvan.core.dates import parse_day
from danvan.core.http import post_only
from danvan.orgs.models import Unit, UnitGroup, UnitType
from danvan.orgs.selectors import units_for

from . import dissemination, selectors
from .forms import DisseminationForm
from .models import StudyForm


def _documents(user):
    return selectors.visible_documents(user).select_related("unit")


def _errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
def panel(request, pk: int):
    # the panel is the register's: a unit the document was sent to sees it, but not this page (403)
    document = obtain(_documents(request.user), user=request.user, do=Perm.DOCUMENT_VIEW, pk=pk)
    can_send = policy.can(request.user, Perm.DOCUMENT_MANAGE, document.unit)
    form = DisseminationForm(request.POST or None, user=request.user, document=document)
    if request.method == "POST":
        if not can_send:
            raise PermissionDenied
        if form.is_valid():
            post = request.POST
            subtree_id = as_id(post.get("subtree", ""))
            subtree = Unit.objects.filter(pk=subtree_id).first() if subtree_id else None
            units = dissemination.choose(
                document,
                units=form.cleaned_data["units"],
                unit_type=post.get("unit_type", ""),
                group=post.get("group", ""),
                subtree=subtree,
            )
            due_text = post.get("study_due", "")
            due = parse_day(due_text)
            try:
                if due_text.strip() and due is None:
                    raise ValidationError({"study_due": _("Write the study deadline as dd/mm/yyyy.")})
                result = dissemination.send(document=document, units=units, by=request.user, study_due=due)
            except ValidationError as error:
                _errors(request, error)
            else:
                messages.success(
                    request,
                    _("Sent to %(sent)s units; %(skipped)s had already received it.")
                    % {"sent": len(result.sent), "skipped": result.skipped},
                )
            return redirect("directives:dissemination", pk=document.pk)
    deliveries = document.deliveries.select_related("unit").order_by("unit__path")
    candidates = list(dissemination.candidates(document)) if can_send else []
    return render(
        request,
        "directives/dissemination.html",
        {
            "document": document,
            "deliveries": deliveries,
            "overdue": set(dissemination.overdue(deliveries).values_list("pk", flat=True)),
            "can_send": can_send,
            "form": form,
            "candidates": candidates,
            "unit_types": UnitType.objects.filter(pk__in={v.unit_type_id for v in candidates}),
            "groups": UnitGroup.objects.filter(unit_versions__in=[v.pk for v in candidates]).distinct(),
        },
    )


@login_required
def coverage(request, pk: int):
    document = obtain(_documents(request.user), user=request.user, do=Perm.DOCUMENT_VIEW, pk=pk)
    parent = document.unit
    code = request.GET.get("unit", "").strip()
    if code:  # a unit outside the document's tree or the user's scope answers like an unknown code
        readable = units_for(request.user, Perm.DOCUMENT_VIEW)
        parent = obtain(readable, user=request.user, code=code, path__startswith=document.unit.path)
    cover = dissemination.coverage(document, parent)
    overdue = dissemination.overdue(
        document.deliveries.filter(unit__path__startswith=parent.path).select_related("unit")
    )
    return render(
        request,
        "directives/coverage.html",
        {"document": document, "cover": cover, "overdue": overdue},
    )


@login_required
def to_study(request):
    require_somewhere(request.user, Perm.DOCUMENT_VIEW)
    deliveries = dissemination.to_study(request.user)[:200]
    return render(
        request,
        "directives/to_study.html",
        {"deliveries": deliveries, "today": timezone.localdate()},
    )


def _deliveries(user):
    """The deliveries `user` sees (received in their scope or sent from it); acting is the recipient's."""
    return dissemination.visible_deliveries(user).select_related("document", "unit")


@login_required
def delivery_detail(request, pk: int):
    delivery = obtain(_deliveries(request.user), user=request.user, pk=pk)
    return render(
        request,
        "directives/delivery.html",
        {
            "delivery": delivery,
            "sessions": delivery.sessions.all(),
            "can_act": policy.can(request.user, Perm.DOCUMENT_MANAGE, delivery.unit),
            "forms": StudyForm.choices,
            "today": timezone.localdate(),
        },
    )


@login_required
@post_only("directives:delivery")
def acknowledge(request, pk: int):
    delivery = obtain(_deliveries(request.user), user=request.user, do=Perm.DOCUMENT_MANAGE, pk=pk)
    dissemination.acknowledge(delivery=delivery, by=request.user)
    messages.success(request, _("Receipt acknowledged."))
    return redirect("directives:delivery", pk=delivery.pk)


@login_required
@post_only("directives:delivery")
def session_add(request, pk: int):
    delivery = obtain(_deliveries(request.user), user=request.user, do=Perm.DOCUMENT_MANAGE, pk=pk)
    post = request.POST
    try:
        dissemination.session_record(
            delivery=delivery,
            held_on=parse_day(post.get("held_on", "")),
            form=post.get("form", ""),
            participants=post.get("participants"),
            expected=post.get("expected"),
            note=post.get("note", ""),
            by=request.user,
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("The study session has been recorded."))
    return redirect("directives:delivery", pk=delivery.pk)
