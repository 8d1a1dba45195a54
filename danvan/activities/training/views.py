"""Pages of the training register: the list (filters, totals, XLSX), a class, record/change/delete.

A class is seen with ACTIVITY_VIEW at its unit (or above), recorded, changed and deleted with
ACTIVITY_RECORD there. What the user may not see answers 404; what they see without the right to
change it answers 403.
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from danvan.accounts import policy
from danvan.accounts.permissions import obtain, require_somewhere
from danvan.accounts.policy import Perm
from danvan.audit.exports import xlsx_export
from danvan.core.pages import confirmed_delete, saved
from danvan.core.tables import Column, Sheet

from . import selectors, services
from .forms import ClassForm, FilterForm, attendees_text
from .specs import ClassSpec

PAGE_SIZE = 50


def _filters(request) -> tuple[selectors.Filters | None, FilterForm, str]:
    """The list's filters from ?unit=&year=&from=&to=&below=0 (None when they are wrong), the form
    showing them and the query string to carry to the export."""
    data = request.GET if any(request.GET.get(name) for name in ("unit", "year", "from", "to")) else None
    form = FilterForm(data, user=request.user)
    if data is None:
        return selectors.Filters(), form, ""
    if not form.is_valid():
        return None, form, ""
    cleaned = form.cleaned_data
    filters = selectors.Filters(
        unit=cleaned["unit"],
        below=cleaned.get("below") != "0",
        year=cleaned["year"],
        start=cleaned["from"],
        end=cleaned["to"],
    )
    kept = {name: request.GET.get(name, "") for name in ("unit", "year", "from", "to", "below")}
    return filters, form, urlencode({name: value for name, value in kept.items() if value})


@login_required
def class_list(request):
    require_somewhere(request.user, Perm.ACTIVITY_VIEW)
    filters, form, query = _filters(request)
    qs = (
        selectors.listed(request.user, filters)
        if filters is not None
        else selectors.classes_for(request.user).none()
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "training/list.html",
        {
            "form": form,
            "filters": filters,
            "query": query,
            "page": page,
            "totals": selectors.totals(qs),
            "may_record": policy.has_any(request.user, Perm.ACTIVITY_RECORD),
        },
    )


@login_required
def class_xlsx(request):
    require_somewhere(request.user, Perm.ACTIVITY_VIEW)
    filters, _form, _query = _filters(request)
    qs = selectors.listed(request.user, filters or selectors.Filters())
    if filters is None:
        qs = qs.none()
    classes = list(qs.prefetch_related("attendees"))
    rows = [
        (
            number,
            item.unit.name,
            item.title,
            item.topic,
            item.organiser,
            item.held_on,
            item.ended_on,
            item.place,
            item.participants,
            "; ".join(person.name for person in item.attendees.all()),
            item.notes,
        )
        for number, item in enumerate(classes, start=1)
    ]
    columns = [
        Column(_("No."), "count", 6),
        Column(_("Unit"), width=30),
        Column(_("Title of the class"), width=40),
        Column(_("Topic"), width=30),
        Column(_("Organised by"), width=25),
        Column(_("First day"), "date", 12),
        Column(_("Last day"), "date", 12),
        Column(_("Place"), width=20),
        Column(_("Number of participants"), "count", 12),
        Column(_("List of participants"), width=40),
        Column(_("Notes"), width=30),
    ]
    return xlsx_export(
        sheets=[Sheet(_("Training classes"), rows, columns)],
        filename="lop-tap-huan.xlsx",
        model="training.trainingclass",
        what=_("Training classes"),
        unit=filters.unit if filters is not None else None,
        changes={"filter": request.GET.dict(), "rows": len(rows)},
    )


def _spec(form: ClassForm) -> ClassSpec:
    data = form.cleaned_data
    return ClassSpec(
        unit=data["unit"],
        title=data["title"],
        topic=data["topic"],
        organiser=data["organiser"],
        held_on=data["held_on"],
        ended_on=data["ended_on"],
        place=data["place"],
        participants=data["participants"],
        attendees=data["attendees"],
        notes=data["notes"],
    )


@login_required
def class_create(request):
    require_somewhere(request.user, Perm.ACTIVITY_RECORD)
    form = ClassForm(request.POST or None, user=request.user)
    done = saved(
        request,
        form,
        lambda _data: services.class_save(spec=_spec(form), by=request.user),
        done=_("The training class was recorded."),
        then=lambda item: redirect("training:detail", pk=item.pk),
    )
    return done or render(request, "training/form.html", {"form": form, "item": None})


@login_required
def class_detail(request, pk: int):
    item = obtain(selectors.classes_for(request.user), user=request.user, pk=pk)
    item = selectors.class_detail(item.pk)
    return render(
        request,
        "training/detail.html",
        {
            "item": item,
            "attendees": list(item.attendees.all()),
            "may_record": policy.can(request.user, Perm.ACTIVITY_RECORD, item.unit),
        },
    )


def _to_change(request, pk: int):
    """The class the user may see, 403 without ACTIVITY_RECORD at its unit."""
    return obtain(
        selectors.classes_for(request.user).select_related("unit"),
        user=request.user,
        do=Perm.ACTIVITY_RECORD,
        pk=pk,
    )


@login_required
def class_edit(request, pk: int):
    item = _to_change(request, pk)
    initial = {
        "unit": item.unit,
        "title": item.title,
        "topic": item.topic,
        "organiser": item.organiser,
        "held_on": item.held_on,
        "ended_on": item.ended_on,
        "place": item.place,
        "participants": item.participants,
        "attendees": attendees_text(item),
        "notes": item.notes,
    }
    form = ClassForm(request.POST or None, initial=initial, user=request.user, keep=[item.unit])
    done = saved(
        request,
        form,
        lambda _data: services.class_save(spec=_spec(form), training_class=item, by=request.user),
        done=_("The training class was saved."),
        then=redirect("training:detail", pk=item.pk),
    )
    return done or render(request, "training/form.html", {"form": form, "item": item})


@login_required
def class_delete(request, pk: int):
    item = _to_change(request, pk)
    return confirmed_delete(
        request,
        lambda: services.class_delete(training_class=item, by=request.user),
        done=_("The training class was deleted."),
        then=redirect("training:list"),
        template="training/delete.html",
        context={"item": item},
    )
