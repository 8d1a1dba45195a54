"""Pages of the reception module: a unit's register (screen, print, XLSX), its entries, its leaders' reception days.

Every page asks the policy: the register and the reception days need CASE_VIEW on the unit, any
write CASE_HANDLE. A unit the user may not even see answers 404, as if it did not exist; a unit
they see without the permission answers 403. A protected identity (privacy.is_protected: a
denunciation, or an entry whose case became one) is masked unless the user holds the case-handler
role at the register's unit (privacy.can_see_identity).

The pages that receive or show who came are `sensitive_post_parameters` (the identity fields) and
`sensitive_variables()` (every variable of theirs and of what they call, template rendering
included): a server error there reports the identity as stars, neither on the DEBUG page nor in
the error e-mail.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables

from danvan.accounts import policy
from danvan.accounts.permissions import itself, obtain, require_somewhere
from danvan.accounts.policy import Perm
from danvan.audit.models import AuditEvent
from danvan.audit.services import record
from danvan.core import tables
from danvan.core.dates import day_text
from danvan.core.forms import attach_service_errors
from danvan.core.http import post_only
from danvan.core.text import whole
from danvan.orgs.models import Unit
from danvan.orgs.selectors import units_for

from . import privacy, register, selectors, services
from .forms import (
    DayLogForm,
    DayPlanForm,
    EntryForm,
    FollowUpForm,
    HandleForm,
    PeriodForm,
    SettingForm,
)
from .models import Entry, ReceptionDay

HOME_LIMIT = 300


def _unit(request, code: str, do: Perm) -> Unit:
    """The unit whose register is named: 404 unless the user sees the unit or its cases, 403 unless
    they may also `do` this."""
    units = units_for(request.user) | units_for(request.user, Perm.CASE_VIEW)
    return obtain(units, user=request.user, do=do, unit=itself, code__iexact=code.strip())


def _entries(user):
    entries = Entry.objects.select_related("unit", "case", "leader_day")
    return policy.scope(user, Perm.CASE_VIEW, entries, field="unit__path")


def _days(user):
    return policy.scope(user, Perm.CASE_VIEW, ReceptionDay.objects.select_related("unit"), field="unit__path")


def _period(request) -> tuple[datetime.date, datetime.date, PeriodForm]:
    """The period asked for (a year, or a range of dates); this year when nothing (or something wrong) is asked."""
    year = timezone.localdate().year
    form = PeriodForm(request.GET or None, initial={"year": year})
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data.get("start"):
            return data["start"], data["end"], form
        year = data.get("year") or year
    elif form.is_bound:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31), form


def _query(start: datetime.date, end: datetime.date) -> str:
    if start.month == 1 and start.day == 1 and end == datetime.date(start.year, 12, 31):
        return f"?year={start.year}"
    return f"?start={day_text(start)}&end={day_text(end)}"


# ---------------------------------------------------------------- the register


@login_required
def home(request):
    """The units whose register the user may open."""
    require_somewhere(request.user, Perm.CASE_VIEW)
    today = timezone.localdate()
    units = policy.scope(
        request.user,
        Perm.CASE_VIEW,
        Unit.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=today)),
        field="path",
    ).order_by("path")
    shown = list(units[: HOME_LIMIT + 1])
    return render(
        request,
        "reception/home.html",
        {"units": shown[:HOME_LIMIT], "more": len(shown) > HOME_LIMIT},
    )


@login_required
@sensitive_variables()
def register_page(request, code: str):
    unit = _unit(request, code, Perm.CASE_VIEW)
    start, end, form = _period(request)
    rows = register.rows(request.user, selectors.register_entries(unit, start, end), what="register")
    context = {
        "unit": unit,
        "rows": rows,
        "columns": register.COLUMNS,
        "headings": register.headings(),
        "form": form,
        "period": register.period_label(start, end),
        "query": _query(start, end),
        "can_handle": policy.can(request.user, Perm.CASE_HANDLE, unit),
        "section": "register",
    }
    return render(request, "reception/register.html", context)


def _audit_export(request, unit: Unit, start, end, fmt: str, count: int) -> None:
    record(
        action=AuditEvent.Action.EXPORT,
        model=Entry._meta.label_lower,
        object_repr=_("Reception register of %(unit)s, %(period)s")
        % {"unit": unit.code, "period": register.period_label(start, end)},
        unit=unit,
        changes={"format": fmt, "start": start.isoformat(), "end": end.isoformat(), "rows": count},
    )


@login_required
@sensitive_variables()
def register_print(request, code: str):
    unit = _unit(request, code, Perm.CASE_VIEW)
    start, end, _form = _period(request)
    rows = register.rows(request.user, selectors.register_entries(unit, start, end), what="print")
    _audit_export(request, unit, start, end, "print", len(rows))
    context = {
        "unit": unit,
        "rows": rows,
        "columns": register.COLUMNS,
        "headings": register.headings(),
        "title": register.title(),
        "period": register.period_label(start, end),
        "query": _query(start, end),
        "printed_on": timezone.localdate(),
    }
    return render(request, "reception/register_print.html", context)


@login_required
@sensitive_variables()
def register_xlsx(request, code: str):
    unit = _unit(request, code, Perm.CASE_VIEW)
    start, end, _form = _period(request)
    rows = register.rows(request.user, selectors.register_entries(unit, start, end), what="xlsx")
    name = f"so-tiep-cong-dan-{unit.code.lower()}-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"
    response = tables.xlsx_response(register.workbook(unit, start, end, rows), filename=name)
    _audit_export(request, unit, start, end, "xlsx", len(rows))
    return response


# ---------------------------------------------------------------- entries


@login_required
@sensitive_post_parameters(*EntryForm.IDENTITY_FIELDS)
@sensitive_variables()
def entry_add(request, code: str):
    unit = _unit(request, code, Perm.CASE_HANDLE)
    today = timezone.localdate()
    initial = {"received_on": today, "receiver": request.user.get_full_name() or request.user.username}
    form = EntryForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        days=ReceptionDay.objects.filter(unit=unit, date__gte=today - datetime.timedelta(days=366)).exclude(
            held=False
        ),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        spec = services.NewEntry(
            unit=unit,
            received_on=data["received_on"],
            kind=data["kind"],
            content=data["content"],
            receiver=data["receiver"],
            people_count=data["people_count"],
            anonymous=data["anonymous"],
            name=data["name"],
            address=data["address"],
            id_number=data["id_number"],
            id_issued_on=data["id_issued_on"],
            id_issued_by=data["id_issued_by"],
            representatives=form.representative_names(),
            previous_authority=data["previous_authority"],
            leader_day=data["leader_day"],
            handling=data["handling"],
            transfer_to=data["transfer_to"],
            guidance=data["guidance"],
            note=data["note"],
        )
        try:
            entry = services.entry_record(spec=spec, by=request.user)
        except ValidationError as error:
            attach_service_errors(form, error)
        else:
            message = _("Entry no. %(number)s of %(year)s was written in the register.") % {
                "number": entry.number,
                "year": entry.year,
            }
            if entry.case_id:
                message += " " + _("Case %(reference)s was opened.") % {"reference": entry.case.reference}
            messages.success(request, message)
            return redirect("reception:entry", pk=entry.pk)
    return render(request, "reception/entry_form.html", {"form": form, "unit": unit, "section": "register"})


@sensitive_variables()
def _entry_page(request, entry: Entry, *, handle_form=None, follow_form=None, status=200):
    seen: list[Entry] = []
    person = privacy.shown_identity(request.user, entry, seen=seen)
    privacy.log_views(request.user, seen, "entry")
    can_handle = policy.can(request.user, Perm.CASE_HANDLE, entry.unit)
    context = {
        "entry": entry,
        "unit": entry.unit,
        "row": register.row(request.user, entry, []),
        "person": person,
        "can_handle": can_handle,
        "handle_form": handle_form or (HandleForm() if can_handle and not entry.handling else None),
        "follow_form": follow_form
        or (FollowUpForm(initial={"result": entry.result, "note": entry.note}) if can_handle else None),
        "section": "register",
    }
    return render(request, "reception/entry.html", context, status=status)


@login_required
def entry_page(request, pk: int):
    return _entry_page(request, obtain(_entries(request.user), user=request.user, pk=pk))


@login_required
@post_only("reception:entry")
def entry_handle(request, pk: int):
    entry = obtain(_entries(request.user), user=request.user, do=Perm.CASE_HANDLE, pk=pk)
    form = HandleForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            entry = services.entry_handle(
                entry=entry,
                handling=data["handling"],
                transfer_to=data["transfer_to"],
                guidance=data["guidance"],
                by=request.user,
            )
        except ValidationError as error:
            attach_service_errors(form, error)
        else:
            message = _("The handling of entry no. %(number)s was recorded.") % {"number": entry.number}
            if entry.case_id:
                message += " " + _("Case %(reference)s was opened.") % {"reference": entry.case.reference}
            messages.success(request, message)
            return redirect("reception:entry", pk=entry.pk)
    return _entry_page(request, entry, handle_form=form)


@login_required
@post_only("reception:entry")
def entry_follow_up(request, pk: int):
    entry = obtain(_entries(request.user), user=request.user, do=Perm.CASE_HANDLE, pk=pk)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.entry_follow_up(
                entry=entry,
                result=form.cleaned_data["result"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as error:
            attach_service_errors(form, error)
        else:
            messages.success(request, _("The follow-up was saved."))
            return redirect("reception:entry", pk=entry.pk)
    return _entry_page(request, entry, follow_form=form)


# ---------------------------------------------------------------- leaders' reception days


def _year(request) -> int:
    text = (request.GET.get("year") or "").strip()
    year = whole(text, digits=4)
    if year is not None and 1995 <= year <= 2100:
        return year
    if text:
        messages.error(
            request, _("The year must be between %(min)s and %(max)s.") % {"min": 1995, "max": 2100}
        )
    return timezone.localdate().year


def _days_page(request, unit: Unit, year: int, *, plan_form=None, status=200):
    can_handle = policy.can(request.user, Perm.CASE_HANDLE, unit)
    check = selectors.compliance(unit, year)
    context = {
        "unit": unit,
        "year": year,
        "years": [year - 1, year + 1],
        "check": check,
        "days": selectors.days_of(unit, datetime.date(year, 1, 1), datetime.date(year, 12, 31)),
        "can_handle": can_handle,
        "plan_form": plan_form or (DayPlanForm() if can_handle else None),
        "setting_form": SettingForm(initial={"commune_level": check.commune_level}) if can_handle else None,
        "today": timezone.localdate(),
        "section": "days",
    }
    return render(request, "reception/days.html", context, status=status)


@login_required
def days_page(request, code: str):
    if request.method == "POST":
        unit = _unit(request, code, Perm.CASE_HANDLE)
        form = DayPlanForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                day = services.day_plan(unit=unit, by=request.user, **data)
            except ValidationError as error:
                attach_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The reception day of %(date)s was planned.") % {"date": day_text(day.date)},
                )
                return redirect(f"{reverse('reception:days', args=[unit.code])}?year={day.date.year}")
        year = form.cleaned_data["date"].year if form.cleaned_data.get("date") else _year(request)
        return _days_page(request, unit, year, plan_form=form)
    unit = _unit(request, code, Perm.CASE_VIEW)
    return _days_page(request, unit, _year(request))


@login_required
@post_only("reception:days")
def setting_save(request, code: str):
    unit = _unit(request, code, Perm.CASE_HANDLE)
    form = SettingForm(request.POST)
    form.is_valid()
    try:
        services.setting_save(
            unit=unit, commune_level=bool(form.cleaned_data.get("commune_level")), by=request.user
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The setting was saved."))
    return redirect(f"{reverse('reception:days', args=[unit.code])}?year={_year(request)}")


@login_required
def day_log(request, pk: int):
    day = obtain(_days(request.user), user=request.user, do=Perm.CASE_HANDLE, pk=pk)
    initial = {"held": "yes" if day.held else "no" if day.held is False else None}
    initial.update({"citizens": day.citizens, "note": day.note})
    form = DayLogForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.day_log(
                day=day, held=data["held"], citizens=data["citizens"], note=data["note"], by=request.user
            )
        except ValidationError as error:
            attach_service_errors(form, error)
        else:
            messages.success(
                request, _("The reception day of %(date)s was logged.") % {"date": day_text(day.date)}
            )
            return redirect(f"{reverse('reception:days', args=[day.unit.code])}?year={day.date.year}")
    return render(
        request, "reception/day_log.html", {"form": form, "day": day, "unit": day.unit, "section": "days"}
    )


@login_required
@post_only("reception:day_log")
def day_remove(request, pk: int):
    day = obtain(_days(request.user), user=request.user, do=Perm.CASE_HANDLE, pk=pk)
    try:
        services.day_remove(day=day, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("The planned reception day of %(date)s was removed.") % {"date": day_text(day.date)}
        )
    return redirect(f"{reverse('reception:days', args=[day.unit.code])}?year={day.date.year}")
