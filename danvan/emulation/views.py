"""The emulation package's own page: /emulation/ — for a year, one card per part with its figures
(EMULATION_VIEW). GET only; reads never write."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone

from danvan.accounts import policy
from danvan.accounts.policy import Perm
from danvan.core.pages import year_in

from . import cards


@login_required
def home(request):
    if not policy.has_any(request.user, Perm.EMULATION_VIEW):
        raise PermissionDenied
    today = timezone.localdate()
    choices = cards.years(today)
    year = year_in(request.GET.get("year"), last=today.year)
    if year not in choices:
        year = today.year
    context = {"year": year, "years": choices, "cards": cards.shown(request.user, year)}
    return render(request, "emulation/home.html", context)
