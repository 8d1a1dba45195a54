"""The public portal (no login): send feedback, a suggestion, a petition, a complaint or a denunciation
from a phone, and follow it with the tracking code given once.

Sending is two steps that work without JavaScript: find the unit (accent-insensitive search over the
units that exist today; a little local script refreshes the list while typing), then fill the form.
`portal_submit` is the one write: the files are checked first, then the case, its identity and its
files are saved in one transaction — a case is in the database before the page shows its code, and
nothing is left half-saved. The tracking code is shown once, on the response to the POST (no-store),
never in an address that could be logged; only its SHA-256 is kept.

Consent: personal data is taken only with the sender's consent (the form's box; `portal_submit`
refuses it otherwise), and the consent is kept as proof with the case, in the same transaction: a
non-public CaseEvent "note" whose details are {"consent": {"at": ISO datetime, "notice":
forms_portal.NOTICE_VERSION}} (`record_consent`, used by Open311 too).

Error reports: the identity fields are `sensitive_post_parameters` and the functions holding a
sender's details are `sensitive_variables`, so a failure while saving puts the sender neither in
Django's error page nor in the administrators' error e-mail.

Abuse protection, all local (the project's cache; settings with defaults):
- per IP (REMOTE_ADDR, or django-ratelimit's RATELIMIT_IP_META_KEY when an installation sets it):
  every POST to the form counts against VOICE_PORTAL_ATTEMPT_RATE ("30/10m"), before the body is
  read; successful submissions against VOICE_PORTAL_SUBMIT_RATES ("5/10m", "30/d"); tracking
  lookups against VOICE_PORTAL_LOOKUP_RATE ("20/10m"). Over a limit: HTTP 429, a Vietnamese page;
- a honeypot field and a signed form token (a form sent back faster than VOICE_PORTAL_MIN_SECONDS,
  3, is a bot's): a neutral page, nothing saved. The token's nonce also makes a double tap or a
  reload send the submission once;
- per contact: one e-mail address or phone number sends at most VOICE_PORTAL_DAILY_PER_CONTACT (3)
  submissions a day, counted in the cache under a keyed hash (never the address itself);
- a body bigger than attachments.max_request_bytes() is refused from its Content-Length, unread.

The status page shows what is public about a case and nothing else: reference, kind, subject (the
sender's own words), day received, state in plain words, the unit handling it (name), the due date
of the current step, and the public events (date and what happened; a transfer names the unit it
went to). Never the identity, the handler or any actor, internal reasons (CaseEvent.reason, even on
a rejection or a withdrawal), decision summaries, notes or files: the answer to the sender is the
case's `public_note`, which handlers write for that purpose. A wrong code gets one neutral message.
"""

import datetime
import hashlib
import hmac
import secrets
import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent, ValidationError
from django.db import transaction
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods
from django_ratelimit.core import get_usage

from danvan.audit.context import Actor, acting_as
from danvan.core.forms import attach_service_errors
from danvan.core.text import search_terms
from danvan.orgs import selectors as org_selectors
from danvan.orgs.models import Unit

from . import attachments, cases, identity, tracking
from .forms_portal import (
    CONSENT_MISSING,
    HONEYPOT,
    KIND_HELP,
    NOTICE_VERSION,
    PERSONAL_FIELDS,
    PORTAL_KINDS,
    SubmissionForm,
    TrackForm,
    UnitSearchForm,
)
from .models import ANONYMOUS_KINDS, Case, CaseEvent, Channel, DeadlineRule, Kind, State

UNIT_RESULTS = 30
TOKEN_SALT = "danvan.voice.portal.form"
TOKEN_MAX_AGE = 24 * 60 * 60  # a long complaint may take an evening to write
# The audit log never learns a submitter's IP address (a denouncer's least of all).
PORTAL_ACTOR = Actor(id=None, label="portal", ip_address=None, source="portal")

SUBMIT_GROUP = "voice.portal.submit"
ATTEMPT_GROUP = "voice.portal.attempt"
LOOKUP_GROUP = "voice.portal.lookup"

STATE_TEXT = {
    State.RECEIVED: gettext_lazy("Your submission has been received and is waiting to be examined."),
    State.CLASSIFIED: gettext_lazy(
        "Your submission has been examined; the unit is deciding whether to accept it for handling."
    ),
    State.ACCEPTED: gettext_lazy("Your submission has been accepted for handling."),
    State.REJECTED: gettext_lazy("Your submission was not accepted for handling."),
    State.VERIFYING: gettext_lazy("The unit is verifying the facts."),
    State.RESOLVED: gettext_lazy("The unit has settled your submission."),
    State.CLOSED: gettext_lazy("The handling of your submission is finished."),
    State.WITHDRAWN: gettext_lazy("The submission was withdrawn."),
    State.PAUSED: gettext_lazy(
        "The unit is waiting for information or documents from you; the time limit is paused until then."
    ),
}
ACTION_LABELS = dict(CaseEvent.Action.choices)
STEP_TEXT = {
    DeadlineRule.Step.ACCEPT: gettext_lazy("Decision on accepting it, due by"),
    DeadlineRule.Step.RESOLVE: gettext_lazy("Settlement due by"),
    DeadlineRule.Step.NOTIFY: gettext_lazy("Notice of acceptance due by"),
}


# ---------------------------------------------------------------- the write


def _channel(kind: str) -> str:
    return Channel.ONLINE_BOX if kind == Kind.SUGGESTION else Channel.PORTAL


def record_consent(case: Case) -> CaseEvent:
    """Keep the proof that the sender agreed to the processing of their personal data, and to which notice.

    A non-public note on the case (CaseEvent is written once): call it in the transaction that records
    the case, so that no identity is ever kept without it.
    """
    with translation.override(settings.LANGUAGE_CODE):  # the case file is kept in Vietnamese
        reason = _("Consent to the processing of personal data")
    return CaseEvent.objects.create(
        case=case,
        actor=None,
        action=CaseEvent.Action.NOTE,
        unit=case.unit,
        reason=reason,
        details={"consent": {"at": timezone.now().isoformat(), "notice": NOTICE_VERSION}},
        public=False,
    )


@sensitive_variables()
def portal_submit(*, unit: Unit, data: dict, person: dict, files=()) -> tuple[Case, str]:
    """Record a submission from the portal with its files; returns the case and its tracking code.

    Personal data needs `data["consent"]`; the consent is recorded with the case (`record_consent`).
    The files are checked before anything is written; the case, its identity, the consent and the
    files are one transaction. Files written before a failure are removed. A denunciation's files are
    protected (encrypted like the identity): a scan of the letter carries the denouncer's handwriting.
    """
    if person and not data.get("consent"):
        raise ValidationError({"consent": CONSENT_MISSING})
    files = list(files)
    attachments.check_all(files)
    kind = data["kind"]
    spec = cases.NewCase(
        unit=unit,
        kind=kind,
        channel=_channel(kind),
        subject=data["subject"],
        content=data["content"],
        received_on=timezone.localdate(),
        people_count=data.get("people_count") or 1,
        anonymous=kind in ANONYMOUS_KINDS and not person,
        identity=person or None,
    )
    stored = []
    try:
        with acting_as(PORTAL_ACTOR), transaction.atomic():
            case, code = cases.case_receive(spec, with_tracking_code=True)
            if person:
                record_consent(case)
            for uploaded in files:
                stored.append(attachments.store(case, uploaded, protected=case.identity_protected))
    except BaseException:
        attachments.discard(stored)
        raise
    return case, code


# ---------------------------------------------------------------- reads


def active_units(query: str):
    """Units that exist today whose name, short name or code hold every word of `query`, accents ignored."""
    return org_selectors.search(query).select_related("parent")


def case_by_code(code: str) -> Case | None:
    """The case whose tracking code is `code`, looked up by the code's hash (a bad code costs the same)."""
    digest = tracking.digest(code) or hashlib.sha256(secrets.token_bytes(16)).hexdigest()
    case = Case.objects.select_related("unit").filter(tracking_hash=digest).first()
    if case is None or not hmac.compare_digest(case.tracking_hash, digest):
        return None
    return case


def _event_day(event: CaseEvent):
    day = event.details.get("day") or event.details.get("decision_date")
    if day:
        return datetime.date.fromisoformat(day)
    return timezone.localdate(event.at)


def public_status(case: Case) -> dict:
    """What the sender may read about their case; see the module docstring for what is left out."""
    events = []
    for event in case.events.filter(public=True).order_by("at", "id"):
        item = {"day": _event_day(event), "label": ACTION_LABELS.get(event.action, ""), "to_unit": ""}
        if event.action == CaseEvent.Action.TRANSFER:
            target = Unit.objects.filter(pk=event.details.get("to_unit")).values_list("name", flat=True)
            item["to_unit"] = target.first() or ""
        events.append(item)
    due = None
    if case.state in (State.RECEIVED, State.CLASSIFIED, State.ACCEPTED, State.VERIFYING):
        running = {
            clock.step: clock for clock in case.clocks.filter(stopped_on__isnull=True, cancelled=False)
        }
        for step in (DeadlineRule.Step.ACCEPT, DeadlineRule.Step.RESOLVE, DeadlineRule.Step.NOTIFY):
            if step in running:
                due = {"label": STEP_TEXT[step], "day": running[step].due_on}
                break
    return {
        "reference": case.reference,
        "kind": Kind(case.kind).label,
        "subject": case.subject,
        "received_on": case.received_on,
        "state": State(case.state).label,
        "state_text": STATE_TEXT[State(case.state)],
        "finished": case.state in (State.REJECTED, State.RESOLVED, State.CLOSED, State.WITHDRAWN),
        "unit": case.unit.name,
        "due": due,
        "events": events,
        "answer": case.public_note,
    }


# ---------------------------------------------------------------- abuse protection


def _rates(name: str, default) -> list[str]:
    value = getattr(settings, name, default)
    return [value] if isinstance(value, str) else list(value)


def submit_rates() -> list[str]:
    return _rates("VOICE_PORTAL_SUBMIT_RATES", ("5/10m", "30/d"))


def limit_wait(request, group: str, rates: list[str], *, increment: bool) -> int | None:
    """Seconds to wait when this IP has used up one of `rates` (counting this request if `increment`)."""
    wait = None
    for rate in rates:
        usage = get_usage(request, group=group, key="ip", rate=rate, increment=increment)
        if usage is None:  # RATELIMIT_ENABLE = False
            continue
        over = usage["should_limit"] if increment else usage["count"] >= usage["limit"]
        if over:
            wait = max(wait or 0, usage["time_left"], 1)
    return wait


def count(request, group: str, rates: list[str]) -> None:
    for rate in rates:
        get_usage(request, group=group, key="ip", rate=rate, increment=True)


@sensitive_variables()
def _contact_keys(person: dict) -> list[str]:
    """Cache keys counting today's submissions per e-mail address and per phone number (keyed hashes)."""
    secret = hmac.new(identity.configured_keys()[0], b"danvan-portal-contact-quota", hashlib.sha256).digest()
    parts = []
    if person.get("email"):
        parts.append("email:" + person["email"].strip().lower())
    digits = "".join(ch for ch in person.get("phone", "") if ch.isdigit())
    if digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    if digits:
        parts.append("phone:" + digits)
    day = timezone.localdate().isoformat()
    return [
        f"voice-portal-contact:{day}:{hmac.new(secret, part.encode(), hashlib.sha256).hexdigest()}"
        for part in parts
    ]


def contact_quota() -> int:
    return int(getattr(settings, "VOICE_PORTAL_DAILY_PER_CONTACT", 3))


@sensitive_variables()
def contact_over(person: dict) -> bool:
    return any((cache.get(key) or 0) >= contact_quota() for key in _contact_keys(person))


def _seconds_to_midnight() -> int:
    now = timezone.localtime()
    midnight = (now + datetime.timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return max(1, int((midnight - now).total_seconds()))


@sensitive_variables()
def contact_count(person: dict) -> None:
    for key in _contact_keys(person):
        cache.add(key, 0, 2 * 24 * 60 * 60)
        try:
            cache.incr(key)
        except ValueError:  # evicted in between
            cache.set(key, 1, 2 * 24 * 60 * 60)


def form_token(issued_at: float | None = None) -> str:
    """A signed token for one form: a nonce (a submission is recorded once) and when the form was served."""
    issued = int(time.time() if issued_at is None else issued_at)
    return signing.dumps({"n": secrets.token_urlsafe(16), "t": issued}, salt=TOKEN_SALT, compress=True)


def _read_token(value: str) -> tuple[str, int] | None:
    try:
        data = signing.loads(value or "", salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
        return str(data["n"]), int(data["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def _nonce_key(nonce: str) -> str:
    return "voice-portal-nonce:" + hashlib.sha256(nonce.encode()).hexdigest()


# ---------------------------------------------------------------- pages


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
        results = list(active_units(query)[: UNIT_RESULTS + 1])
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
        wait = limit_wait(
            request, ATTEMPT_GROUP, _rates("VOICE_PORTAL_ATTEMPT_RATE", "30/10m"), increment=True
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
        "notice_date": datetime.date.fromisoformat(NOTICE_VERSION),
    }
    return _no_store(render(request, "voice/portal/send.html", context, status=status))


@csrf_protect
@sensitive_variables()  # the form, the POST's copy and `person` hold the sender's details
def _send(request, code: str):
    unit = _active_unit(code)
    if unit is None:
        return _unit_missing(request)
    if request.method != "POST":
        return _render_form(request, unit, SubmissionForm(initial={"token": form_token()}))

    wait = limit_wait(request, SUBMIT_GROUP, submit_rates(), increment=False)
    if wait:
        return _throttled(request, _("Too many submissions from your connection."), wait)
    if request.POST.get(HONEYPOT):
        count(request, SUBMIT_GROUP, submit_rates())
        return _neutral(request)
    token = _read_token(request.POST.get("token", ""))
    data = request.POST.copy()
    if token is None:
        data["token"] = form_token()
        form = SubmissionForm(data, request.FILES)
        form.is_valid()
        form.add_error(None, _("This form has expired. Check your answers and send it again."))
        return _render_form(request, unit, form)
    nonce, issued = token
    if time.time() - issued < float(getattr(settings, "VOICE_PORTAL_MIN_SECONDS", 3)):
        count(request, SUBMIT_GROUP, submit_rates())
        return _neutral(request)

    form = SubmissionForm(data, request.FILES)
    if not form.is_valid():
        return _render_form(request, unit, form)
    person = form.personal_data()
    if person and contact_over(person):
        return _throttled(
            request,
            _(
                "This e-mail address or phone number has already sent %(count)s submissions today. Send again "
                "tomorrow, or bring your submission to the unit's reception desk."
            )
            % {"count": contact_quota()},
            _seconds_to_midnight(),
        )
    nonce_key = _nonce_key(nonce)
    if not cache.add(nonce_key, "", TOKEN_MAX_AGE):
        return _no_store(render(request, "voice/portal/already.html", {"reference": cache.get(nonce_key)}))
    try:
        case, tracking_code = portal_submit(
            unit=unit, data=form.cleaned_data, person=person, files=form.cleaned_data["attachments"]
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
    cache.set(nonce_key, case.reference, TOKEN_MAX_AGE)
    count(request, SUBMIT_GROUP, submit_rates())
    if person:
        contact_count(person)
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
    wait = limit_wait(request, LOOKUP_GROUP, _rates("VOICE_PORTAL_LOOKUP_RATE", "20/10m"), increment=True)
    if wait:
        return _throttled(request, _("Too many tracking code lookups from your connection."), wait)
    form = TrackForm(request.POST)
    if form.is_valid():
        case = case_by_code(form.cleaned_data["code"])
        if case is not None:
            context = {"status": public_status(case), "portal_section": "track"}
            return _no_store(render(request, "voice/portal/status.html", context))
        form.add_error(
            "code",
            _(
                "No submission matches this code. Check the code you were given (letters and digits, in groups "
                "of four) and try again."
            ),
        )
    return _no_store(render(request, "voice/portal/track.html", {"form": form, "portal_section": "track"}))
