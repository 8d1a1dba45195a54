"""A period that is not prepared yet: what the pages say about it, and the button that prepares it.

Pages and API reads never create or prepare a period (reads never write): the nightly job
(`tasks.prepare_periods`, `danvan prepare-periods`) prepares the periods around today ahead of
use. A page asked for a period that does not exist or is not prepared yet shows an explanation
(`unprepared`) and, to whoever may prepare it, a button that POSTs to `prepare`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from danvan.accounts import policy
from danvan.accounts.policy import Perm
from danvan.core.http import post_only

from . import periods, selectors, services
from .models import Period, ReportForm
from .xlsx_template import period_label


class NotPrepared(Exception):
    """A page needs a period that does not exist or is not prepared yet (the nightly job prepares it)."""

    def __init__(self, code: str, form: ReportForm):
        super().__init__(code)
        self.code, self.form = code, form


def may_prepare(user) -> bool:
    """May `user` prepare a period now (what `services.period_get` asks)?"""
    return policy.has_any(user, Perm.REPORT_VIEW)


def placeholder(code: str, start: tuple[int, int] | None = None) -> Period | None:
    """An unsaved Period with the code's dates, to show; None for a malformed code. Nothing is written."""
    try:
        span = periods.span(code, start or periods.reporting_start())
    except periods.PeriodCodeError:
        return None
    return Period(code=span.code, period_type=span.period_type, start=span.start, end=span.end)


def notice(request: HttpRequest, code: str) -> dict:
    """What the explanation of an unprepared period needs (the include `reports/_period_unprepared.html`)."""
    start = periods.reporting_start()
    period = placeholder(code, start)
    return {
        "code": code,
        "label": period_label(period, start) if period is not None else code,
        "period": period,
        "may_prepare": may_prepare(request.user),
        "prepare_url": reverse("reports:period_prepare"),
        "next": request.get_full_path(),
    }


def unprepared(request: HttpRequest, code: str, *, title: str, back: str | None = None) -> HttpResponse:
    """The page shown instead of one that needs period `code`, which is not prepared yet (HTTP 200)."""
    context = {"title": title, "back": back, "notice": notice(request, code)}
    return render(request, "reports/period_unprepared.html", context)


def _safe_next(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse("reports:home")


@login_required
@post_only("reports:home")
def prepare(request: HttpRequest) -> HttpResponse:
    """Prepare period `code` now (what the nightly job would do), then go back to the page."""
    code = (request.POST.get("period") or "").strip().upper()
    try:
        periods.period_span(code)  # a malformed code (NUL included) is refused before any query
        found = selectors.period_find(code)
        period = services.period_get(code=code, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(_safe_next(request))
    if selectors.is_prepared(found):
        messages.info(request, _("Period %(code)s was already prepared.") % {"code": period_label(period)})
    else:
        messages.success(request, _("Period %(code)s is prepared.") % {"code": period_label(period)})
    return redirect(_safe_next(request))


urlpatterns = [
    path("periods/prepare/", prepare, name="period_prepare"),
]
