"""Administration of statutory deadlines: the rules, the working-day calendar, a deadline check.

Every page needs DEADLINE_MANAGE held at a root (bloc administrators); anyone else gets 403, before
any rule or entry is looked up (`obtain`: 404 when there is none).
Writes go through services.py; a ValidationError is shown on the form and nothing is saved.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts import policy
from danvan.accounts.permissions import obtain
from danvan.accounts.policy import Perm
from danvan.core.dates import day_text
from danvan.core.forms import attach_service_errors
from danvan.core.http import post_only
from danvan.core.text import whole

from . import calendar as workdays
from . import counting, selectors, services
from .forms import CalendarDayForm, CheckForm, RuleCloseForm, RuleForm
from .models import MAX_YEAR, MIN_YEAR, CalendarDay, DeadlineRule


def _require_manage(user) -> None:
    if not policy.can(user, Perm.DEADLINE_MANAGE, None):
        raise PermissionDenied


# ---------------------------------------------------------------- rules


@login_required
def rule_list(request):
    _require_manage(request.user)
    today = timezone.localdate()
    rows = [
        {
            "rule": rule,
            "in_force": rule.effective_from <= today
            and (rule.effective_to is None or rule.effective_to >= today),
        }
        for rule in selectors.rules()
    ]
    return render(request, "voice/rule_list.html", {"rows": rows, "section": "rules"})


@login_required
def rule_edit(request, pk: int | None = None):
    _require_manage(request.user)
    rule = obtain(DeadlineRule.objects.all(), user=request.user, pk=pk) if pk is not None else None
    form = RuleForm(request.POST if request.method == "POST" else None, instance=rule)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.rule_save(rule=form.instance, by=request.user)
        except ValidationError as error:
            attach_service_errors(form, error)
        else:
            messages.success(request, _("Rule %(code)s was saved.") % {"code": saved.code})
            return redirect("voice:rules")
    return render(request, "voice/rule_form.html", {"form": form, "rule": rule, "section": "rules"})


@login_required
def rule_close(request, pk: int):
    _require_manage(request.user)
    rule = obtain(DeadlineRule.objects.all(), user=request.user, pk=pk)
    form = RuleCloseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.rule_close(rule=rule, effective_to=form.cleaned_data["effective_to"], by=request.user)
        except ValidationError as error:
            attach_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Rule %(code)s ends on %(date)s.")
                % {"code": rule.code, "date": day_text(form.cleaned_data["effective_to"])},
            )
            return redirect("voice:rules")
    return render(request, "voice/rule_close.html", {"form": form, "rule": rule, "section": "rules"})


# ---------------------------------------------------------------- calendar


def _year(request) -> int:
    text = (request.GET.get("year") or "").strip()
    if text:
        year = whole(text, digits=4)
        if year is not None and MIN_YEAR <= year <= MAX_YEAR:
            return year
        messages.error(
            request, _("The year must be between %(min)s and %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR}
        )
    return timezone.localdate().year


def _calendar_page(request, year: int, form: CalendarDayForm):
    cal = workdays.current()
    length = (datetime.date(year, 12, 31) - datetime.date(year, 1, 1)).days + 1
    context = {
        "year": year,
        "rows": selectors.calendar_year(year),
        "working_days": length - len(cal.days_off(year)),
        "form": form,
        "years": [year - 1, year + 1],
        "section": "calendar",
    }
    return render(request, "voice/calendar.html", context)


@login_required
def calendar_page(request):
    _require_manage(request.user)
    if request.method != "POST":
        return _calendar_page(request, _year(request), CalendarDayForm())
    form = CalendarDayForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.calendar_day_add(
                day=data["date"], kind=data["kind"], reason=data["reason"], by=request.user
            )
        except ValidationError as error:
            attach_service_errors(form, error)
        else:
            messages.success(
                request, _("The entry for %(date)s was added.") % {"date": day_text(data["date"])}
            )
            return redirect(f"{reverse('voice:calendar')}?year={data['date'].year}")
    year = form.cleaned_data["date"].year if form.cleaned_data.get("date") else _year(request)
    return _calendar_page(request, year if MIN_YEAR <= year <= MAX_YEAR else _year(request), form)


@login_required
@post_only("voice:calendar", keep=())
def calendar_remove(request, pk: int):
    _require_manage(request.user)
    entry = obtain(CalendarDay.objects.all(), user=request.user, pk=pk)
    services.calendar_day_remove(entry=entry, by=request.user)
    messages.success(request, _("The entry for %(date)s was removed.") % {"date": day_text(entry.date)})
    return redirect(f"{reverse('voice:calendar')}?year={entry.date.year}")


# ---------------------------------------------------------------- check a deadline


@login_required
def check(request):
    _require_manage(request.user)
    form = CheckForm(request.GET if "start" in request.GET else None)
    result = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            due = counting.due_date(data["start"], data["days"], data["unit"], data["pauses"])
        except ValidationError as error:
            attach_service_errors(form, error)
        else:
            result = {"due": due}
    return render(request, "voice/check.html", {"form": form, "result": result, "section": "check"})
