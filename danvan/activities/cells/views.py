"""Pages of the thematic cell meetings: the register (filters, XLSX), record/change/delete a meeting,
and the coverage of a unit's cells in a year.

Every page asks the policy: the register and the coverage need ACTIVITY_VIEW, a write ACTIVITY_RECORD
at the meeting's cell. A meeting or unit the user may not see answers 404; one they see without the
right to change it answers 403.
"""

import datetime

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from danvan.accounts import policy
from danvan.accounts.permissions import obtain, require_somewhere
from danvan.accounts.policy import Perm
from danvan.audit.exports import xlsx_export
from danvan.core import pages, tables
from danvan.core.dates import day_text
from danvan.core.pages import confirmed_delete, saved
from danvan.orgs.fields import unit_filter
from danvan.orgs.models import Unit, UnitVersion
from danvan.orgs.selectors import PATH_SEPARATOR, path_labels, unit_by_code, units_for

from . import selectors, services
from .forms import CoverageForm, FilterForm, MeetingForm
from .models import Meeting

PAGE_SIZE = 50  # meetings a page of the list


def _filters(request) -> tuple[dict, FilterForm]:
    """unit, start, end asked for (nothing: every meeting in scope); a wrong filter is said above the list."""
    form = FilterForm(request.GET or None, user=request.user)
    chosen: dict = {"unit": None, "start": None, "end": None}
    if not form.is_bound:
        return chosen, form
    if not form.is_valid():
        return chosen, form
    data = form.cleaned_data
    chosen["unit"] = data.get("unit")
    if data.get("year"):
        chosen["start"] = datetime.date(data["year"], 1, 1)
        chosen["end"] = datetime.date(data["year"], 12, 31)
    if data.get("from"):
        chosen["start"] = data["from"]
    if data.get("to"):
        chosen["end"] = data["to"]
    if chosen["start"] and chosen["end"] and chosen["start"] > chosen["end"]:
        form.add_error("to", _("The end date comes before the start date."))
    return chosen, form


def _query(request) -> str:
    kept = {key: request.GET[key] for key in ("unit", "year", "from", "to") if request.GET.get(key)}
    return urlencode(kept)


def _name_the_grassroots(meetings: list[Meeting]) -> None:
    """`meeting.above`: the name of the unit above the cell ("Chi bộ 1" alone says little in a bloc
    of many), from today's tree, in one query for the whole list."""
    units = {m.unit_id: m.unit for m in meetings}
    labels = path_labels([UnitVersion(unit_id=u.id, name=u.name, path=u.path) for u in units.values()])
    for meeting in meetings:
        parts = labels.get(meeting.unit_id, "").split(PATH_SEPARATOR)
        meeting.above = parts[1] if len(parts) > 1 else ""


@login_required
def meeting_list(request):
    require_somewhere(request.user, Perm.ACTIVITY_VIEW)
    chosen, form = _filters(request)
    meetings = (
        selectors.meetings_filtered(request.user, **chosen) if not form.errors else Meeting.objects.none()
    )
    # A bloc's cells meet every month: a page at a time (the most recent first; the download holds all).
    page = pages.sliced(request, meetings.select_related("unit"), PAGE_SIZE)
    shown = page.rows
    _name_the_grassroots(shown)
    return render(
        request,
        "cells/list.html",
        {
            "form": form,
            "meetings": shown,
            "page": page,
            "query": _query(request),
            "can_record": policy.has_any(request.user, Perm.ACTIVITY_RECORD),
            "record_ids": {m.pk for m in shown if policy.can(request.user, Perm.ACTIVITY_RECORD, m.unit)},
        },
    )


@login_required
def meeting_export(request):
    require_somewhere(request.user, Perm.ACTIVITY_VIEW)
    chosen, form = _filters(request)
    meetings = (
        selectors.meetings_filtered(request.user, **chosen) if not form.errors else Meeting.objects.none()
    )
    rows = [
        (m.unit.name, m.held_on, m.topic, m.attendees, m.expected, m.notes)
        for m in meetings.select_related("unit").iterator()
    ]
    sheet = tables.Sheet(
        name=_("Thematic cell meetings"),
        rows=rows,
        columns=[
            tables.Column(_("Party cell"), width=36),
            tables.Column(_("Date held"), kind="date"),
            tables.Column(_("Topic"), width=48),
            tables.Column(_("Attendees"), kind="count"),
            tables.Column(_("Members expected"), kind="count"),
            tables.Column(_("Notes"), width=40),
        ],
    )
    return xlsx_export(
        sheets=[sheet],
        filename="sinh-hoat-chuyen-de-chi-bo.xlsx",
        model=Meeting._meta.label_lower,
        what=_("Thematic cell meetings"),
        unit=chosen["unit"],
        changes={
            "unit": chosen["unit"].code if chosen["unit"] else "",
            "start": chosen["start"].isoformat() if chosen["start"] else "",
            "end": chosen["end"].isoformat() if chosen["end"] else "",
            "rows": len(rows),
        },
    )


def _spec(form: MeetingForm) -> services.MeetingSpec:
    data = form.cleaned_data
    return services.MeetingSpec(
        unit=data["unit"],
        held_on=data["held_on"],
        topic=data["topic"],
        attendees=data["attendees"],
        expected=data.get("expected"),
        notes=data.get("notes") or "",
    )


@login_required
def meeting_add(request):
    require_somewhere(request.user, Perm.ACTIVITY_RECORD)
    initial = {}
    code = (request.GET.get("unit") or "").strip()
    if code:
        unit = unit_by_code(code)
        if unit is not None and policy.can(request.user, Perm.ACTIVITY_RECORD, unit):
            initial["unit"] = unit
    form = MeetingForm(request.POST or None, user=request.user, initial=initial)
    done = saved(
        request,
        form,
        lambda _data: services.meeting_create(spec=_spec(form), by=request.user),
        done=_("The thematic meeting was recorded."),
        then=redirect("cells:list"),
    )
    return done or render(request, "cells/form.html", {"form": form, "meeting": None})


def _meeting(request, pk: int, do: Perm | None = None) -> Meeting:
    return obtain(selectors.meetings_for(request.user), user=request.user, do=do, pk=pk)


@login_required
def meeting_edit(request, pk: int):
    meeting = _meeting(request, pk, Perm.ACTIVITY_RECORD)
    form = MeetingForm(
        request.POST or None,
        user=request.user,
        initial=services.MeetingSpec.values_of(meeting),
        keep=[meeting.unit],
    )
    done = saved(
        request,
        form,
        lambda _data: services.meeting_update(meeting=meeting, spec=_spec(form), by=request.user),
        done=_("The thematic meeting was saved."),
        then=redirect("cells:list"),
    )
    return done or render(request, "cells/form.html", {"form": form, "meeting": meeting})


@login_required
def meeting_delete(request, pk: int):
    meeting = _meeting(request, pk, Perm.ACTIVITY_RECORD)
    return confirmed_delete(
        request,
        lambda: services.meeting_delete(meeting=meeting, by=request.user),
        done=_("The thematic meeting was deleted."),
        then=redirect("cells:list"),
        template="cells/delete.html",
        context={"meeting": meeting},
    )


# ---------------------------------------------------------------- coverage


def _coverage_unit(request) -> tuple[Unit | None, object]:
    """The unit asked for (?unit= a code, or a name typed without JavaScript), else the user's top unit."""
    picker = unit_filter(request.GET, user=request.user, perm=Perm.ACTIVITY_VIEW, label=_("Unit"))
    typed = (request.GET.get("unit") or "").strip()
    if typed and unit_by_code(typed) is not None:
        unit = obtain(units_for(request.user, Perm.ACTIVITY_VIEW), user=request.user, code__iexact=typed)
    elif typed and picker.is_valid() and picker.cleaned_data["unit"] is not None:
        unit = picker.cleaned_data["unit"]
    else:
        unit = selectors.default_unit(request.user)
    if not picker.errors:
        picker = unit_filter(None, user=request.user, perm=Perm.ACTIVITY_VIEW, label=_("Unit"), current=unit)
    return unit, picker


@login_required
def coverage(request):
    require_somewhere(request.user, Perm.ACTIVITY_VIEW)
    unit, picker = _coverage_unit(request)
    year_form = CoverageForm(request.GET or None)
    year = selectors.today().year
    if year_form.is_bound and year_form.is_valid() and year_form.cleaned_data.get("year"):
        year = year_form.cleaned_data["year"]
    result = selectors.coverage(unit, year) if unit is not None else None
    records = ""
    if unit is not None:
        records = urlencode({"unit": unit.code, "year": year})
    return render(
        request,
        "cells/coverage.html",
        {
            "picker": picker,
            "year_form": year_form,
            "year": year,
            "unit": unit,
            "coverage": result,
            "records": records,
            "tree_day": day_text(result.day) if result else "",
            "can_record": policy.has_any(request.user, Perm.ACTIVITY_RECORD),
        },
    )
