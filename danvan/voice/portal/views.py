"""The public portal (no login): send feedback, a suggestion, a petition, a complaint or a denunciation
from a phone, and follow it with the tracking code given once.

Sending is two steps that work without JavaScript: find the unit (accent-insensitive search over the
units that exist today; a little local script refreshes the list while typing), then fill the form.
`services.portal_submit` is the one write: the files are checked first, then the case, its identity
and its files are saved in one transaction — a case is in the database before the page shows its
code, and nothing is left half-saved. The tracking code is shown once, on the response to the POST
(no-store), never in an address that could be logged; only its SHA-256 is kept.

Error reports: the identity fields are `sensitive_post_parameters` and the functions holding a
sender's details are `sensitive_variables`, so a failure while saving puts the sender neither in
Django's error page nor in the administrators' error e-mail.

Abuse protection (`limits.py`): per-IP rates (over a limit: HTTP 429, a Vietnamese page), a honeypot
field and a signed form token (a form sent back faster than VOICE_PORTAL_MIN_SECONDS, 3, is a bot's:
a neutral page, nothing saved; the token's nonce also makes a double tap or a reload send the
submission once), a daily quota per contact, and a body bigger than attachments.max_request_bytes()
refused from its Content-Length, unread.

The status page shows what `selectors.public_status` says is public, and nothing else. A wrong code
gets one neutral message.
"""

import datetime
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent, ValidationError
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods

from danvan.core.forms import attach_service_errors
from danvan.core.text import search_terms
from danvan.orgs import selectors as org_selectors
from danvan.orgs.models import Unit
from danvan.voice.cases import attachments
from danvan.voice.cases.models import Kind

from . import limits, selectors, services
from .forms import (
    HONEYPOT,
    KIND_HELP,
    PERSONAL_FIELDS,
    PORTAL_KINDS,
    SubmissionForm,
    TrackForm,
    UnitSearchForm,
)

UNIT_RESULTS = 30


def _no_store(response):
    add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private
    return response


def _throttled(request, message: str, wait: int | None = None):
    minutes = max(1, -(-(wait or 60) // 60))
    context = {"message": message, "minutes": minutes, "hours": -(-minutes // 60) if minutes > 90 else None}
    response = render(request, "voice/portal/throttled.html", context, status=429)
    response["Retry-After"] = str(wait or 60)
    return _no_store(response)


def _too_big(request):
    context = {"limit_mb": attachments.total_mb_text(), "types": attachments.accepted_types_text()}
    return _no_store(render(request, "voice/portal/too_big.html", context, status=413))


def _unreadable(request):
    return _no_store(render(request, "voice/portal/unreadable.html", {}, status=400))


def _neutral(request):
    """What a bot gets (honeypot filled, form sent back too fast): looks like any answer, says nothing."""
    return _no_store(render(request, "voice/portal/neutral.html", {}))


def _active_unit(code: str) -> Unit | None:
    unit = org_selectors.unit_by_code(code)
    return unit if unit is not None and unit.is_active else None


@require_http_methods(["GET"])
def home(request):
    kinds = [(label, KIND_HELP[Kind(value)]) for value, label in PORTAL_KINDS]
    return render(request, "voice/portal/home.html", {"kinds": kinds, "portal_section": "home"})


@require_http_methods(["GET"])
def choose_unit(request):
    """Step one: find the unit. A script asks for the results alone (X-Requested-With: fetch)."""
    form = UnitSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    found, more = [], 0
    if search_terms(query):
        results = list(selectors.active_units(query)[: UNIT_RESULTS + 1])
        found, more = results[:UNIT_RESULTS], len(results) > UNIT_RESULTS
    context = {
        "form": form,
        "query": query,
        "found": found,
        "more": more,
        "searched": bool(search_terms(query)),
        "portal_section": "send",
    }
    if request.headers.get("X-Requested-With") == "fetch":
        return render(request, "voice/portal/_unit_results.html", context)
    return render(request, "voice/portal/choose_unit.html", context)


def _unit_missing(request):
    return render(request, "voice/portal/unit_missing.html", {}, status=404)


@csrf_exempt
@require_http_methods(["GET", "POST"])
@sensitive_post_parameters(*PERSONAL_FIELDS)
def send(request, code: str):
    """Step two: the form. A POST's size is judged before its body is read, CSRF afterwards.

    (Django's CSRF check reads the body; hence csrf_exempt here and csrf_protect on `_send`.)
    """
    if request.method == "POST":
        wait = limits.limit_wait(
            request, limits.ATTEMPT_GROUP, limits.rates("VOICE_PORTAL_ATTEMPT_RATE", "30/10m"), increment=True
        )
        if wait:
            return _throttled(request, _("Too many attempts from your connection."), wait)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > attachments.max_request_bytes():
            return _too_big(request)
        try:
            request.POST, request.FILES  # noqa: B018 — parse now, inside the limits above
        except RequestDataTooBig:
            return _too_big(request)
        except (MultiPartParserError, TooManyFieldsSent, TooManyFilesSent):
            return _unreadable(request)
    return _send(request, code)


def _render_form(request, unit, form, *, status=200):
    context = {
        "unit": unit,
        "form": form,
        "kind_options": [(radio, KIND_HELP[Kind(radio.data["value"])]) for radio in form["kind"]],
        "portal_section": "send",
        "types": attachments.accepted_types_text(),
        "files_lost": form.is_bound and bool(request.FILES),
        "notice_date": datetime.date.fromisoformat(services.NOTICE_VERSION),
    }
    return _no_store(render(request, "voice/portal/send.html", context, status=status))


@csrf_protect
@sensitive_variables()  # the form, the POST's copy and `person` hold the sender's details
def _send(request, code: str):
    unit = _active_unit(code)
    if unit is None:
        return _unit_missing(request)
    if request.method != "POST":
        return _render_form(request, unit, SubmissionForm(initial={"token": limits.form_token()}))

    wait = limits.limit_wait(request, limits.SUBMIT_GROUP, limits.submit_rates(), increment=False)
    if wait:
        return _throttled(request, _("Too many submissions from your connection."), wait)
    if request.POST.get(HONEYPOT):
        limits.count(request, limits.SUBMIT_GROUP, limits.submit_rates())
        return _neutral(request)
    token = limits.read_token(request.POST.get("token", ""))
    data = request.POST.copy()
    if token is None:
        data["token"] = limits.form_token()
        form = SubmissionForm(data, request.FILES)
        form.is_valid()
        form.add_error(None, _("This form has expired. Check your answers and send it again."))
        return _render_form(request, unit, form)
    nonce, issued = token
    if time.time() - issued < float(getattr(settings, "VOICE_PORTAL_MIN_SECONDS", 3)):
        limits.count(request, limits.SUBMIT_GROUP, limits.submit_rates())
        return _neutral(request)

    form = SubmissionForm(data, request.FILES)
    if not form.is_valid():
        return _render_form(request, unit, form)
    person = form.personal_data()
    if person and limits.contact_over(person):
        return _throttled(
            request,
            _(
                "This e-mail address or phone number has already sent %(count)s submissions today. Send again "
                "tomorrow, or bring your submission to the unit's reception desk."
            )
            % {"count": limits.contact_quota()},
            limits.seconds_to_midnight(),
        )
    nonce_key = limits.nonce_key(nonce)
    if not cache.add(nonce_key, "", limits.TOKEN_MAX_AGE):
        return _no_store(render(request, "voice/portal/already.html", {"reference": cache.get(nonce_key)}))
    try:
        case, tracking_code = services.portal_submit(
            unit=unit,
            data=form.cleaned_data,
            person=person,
            files=form.cleaned_data["attachments"],
            by=services.PORTAL,
        )
    except ValidationError as error:
        cache.delete(nonce_key)
        attach_service_errors(
            form, error, {"identity": "name", "unit": None, "channel": None, "received_on": None}
        )
        return _render_form(request, unit, form)
    except BaseException:
        cache.delete(nonce_key)
        raise
    cache.set(nonce_key, case.reference, limits.TOKEN_MAX_AGE)
    limits.count(request, limits.SUBMIT_GROUP, limits.submit_rates())
    if person:
        limits.contact_count(person)
    context = {
        "case": case,
        "code": tracking_code,
        "unit": unit,
        "kind": Kind(case.kind).label,
        "files": len(form.cleaned_data["attachments"]),
        "anonymous": not person,
    }
    return _no_store(render(request, "voice/portal/sent.html", context))


@require_http_methods(["GET", "POST"])
def track(request):
    """The status page: the code is POSTed (never in the address), every lookup counts against the IP."""
    if request.method != "POST":
        return render(request, "voice/portal/track.html", {"form": TrackForm(), "portal_section": "track"})
    wait = limits.lookup_wait(request)
    if wait:
        return _throttled(request, _("Too many tracking code lookups from your connection."), wait)
    form = TrackForm(request.POST)
    if form.is_valid():
        case = selectors.case_by_code(form.cleaned_data["code"])
        if case is not None:
            context = {"status": selectors.public_status(case), "portal_section": "track"}
            return _no_store(render(request, "voice/portal/status.html", context))
        form.add_error(
            "code",
            _(
                "No submission matches this code. Check the code you were given (letters and digits, in groups "
                "of four) and try again."
            ),
        )
    return _no_store(render(request, "voice/portal/track.html", {"form": form, "portal_section": "track"}))
