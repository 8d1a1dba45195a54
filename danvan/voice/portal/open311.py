"""Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2), mounted at /open311/v2/.

Existing citizen apps can submit feedback, suggestions and petitions and follow them. What this
endpoint does and decides:

- Formats: JSON and XML (`.json` / `.xml` at the end of every path, as the standard asks).
- `GET services.json`: three services, `feedback`, `suggestion` and `petition` (the case kinds),
  with Vietnamese names, `metadata: false`, `type: realtime`. Complaints and denunciations are not
  offered: the law asks more of them (and a denouncer's identity must not travel through third-party
  apps); they go through the portal or the reception desk. `GET services/{code}.json` answers 404:
  no service has extra attributes.
- `jurisdiction_id` is the code of the responsible unit. It is required to submit (a unit that
  does not exist or has ended answers 404); elsewhere, when given, it must name an active unit.
- `POST requests.json` (form-encoded as the standard says, or a JSON object) records a case
  through `cases.services.case_receive` with channel "portal" and received today. `description` is the
  content; `address_string`, `lat` and `long` (the place of the problem) are added to it;
  `first_name`, `last_name` (Vietnamese order: last name first), `phone` and `email` are the
  sender's identity, stored encrypted apart from the case file. With none of them the submission
  is anonymous, which only feedback and suggestions may be. A petition needs the sender's
  address: the non-standard field `sender_address`, or else `address_string`. `media_url`,
  `device_id`, `account_id` and `attribute[…]` are ignored (no file is ever fetched from a URL).
- Consent (Nghị định 13/2023/NĐ-CP): personal data (`first_name`, `last_name`, `phone`, `email`,
  `sender_address`) is accepted only with the non-standard parameter `consent=true` (a JSON body
  may say `"consent": true`; `1`, `yes` and `on` are read as true too): the sender agrees to its
  processing for the request, under the portal's personal data notice (services.NOTICE_VERSION,
  named in every service's description). Without it, a request with personal data answers 400;
  one without any is anonymous and needs no consent. The consent is recorded like the portal's, in
  the transaction that records the case: a non-public note whose details are
  {"consent": {"at": ISO datetime, "notice": NOTICE_VERSION}} (services.consent_record).
- `api_key` is optional and ignored: citizen apps cannot keep a key secret anyway. Instead, with
  django-ratelimit, per IP address (like the portal: the client's address of core/clients.py,
  IPv6 by /64): every request, read or submission, counts against
  OPEN311_RATE ("120/m"); successful submissions count against the portal's own allowance
  (VOICE_PORTAL_SUBMIT_RATES, the same counters as the portal's form: one allowance per address
  whichever way a citizen sends), and the sender's e-mail address or phone number against the
  portal's daily quota per contact (VOICE_PORTAL_DAILY_PER_CONTACT). Over a limit: 429 with
  Retry-After. The POST is exempt from CSRF (an API for apps; no session is ever used, nothing
  here reads `request.user`). The personal fields are `sensitive_post_parameters` and the
  functions holding them `sensitive_variables`: an error report never shows the sender.
- `service_request_id` is the submitter's tracking code (100 random bits, cases/tracking.py), returned
  once in the answer to the POST and stored only as a hash. It is the only key to read a request
  back, so it must be unguessable: a sequential id would let anyone walk through every case.
  No `token` is returned (the id is known at once: `type: realtime`).
- `GET requests/{id}.json` answers only public fields: status (open / closed), `status_notes`
  (the answer the unit wrote for the submitter), service name and code, the responsible unit's
  name, when it was received and last moved. Never the description, the place or anyone's
  identity: whoever holds a code may read it, and codes get shared.
- `GET requests.json` never lists cases: it returns the requests whose ids are given in
  `service_request_id` (comma separated, at most 20) and otherwise an empty list. Listing every
  request, as some cities do, would publish every citizen's submission.
- Errors use the standard's format, `[{"code": 400, "description": "…"}]`, in Vietnamese.
"""

import datetime
import json
import re
from xml.etree import ElementTree

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Max, Q
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django_ratelimit.core import get_usage

from danvan.accounts.actors import System
from danvan.audit.context import Actor, acting_as
from danvan.orgs.selectors import unit_by_code
from danvan.voice.cases import services as cases
from danvan.voice.cases import tracking
from danvan.voice.cases.models import FINISHED_STATES, Case, Channel, Kind

from . import limits
from .services import NOTICE_VERSION, consent_record

SERVICES = (Kind.FEEDBACK, Kind.SUGGESTION, Kind.PETITION)
MAX_IDS = 20
FIELD_MAX = 300
ADDRESS_MAX = 1000
SUBJECT_CHARS = 120  # characters of the description's first line used as the case's subject
PERSONAL_FIELDS = ("first_name", "last_name", "phone", "email", "sender_address")  # need consent=true
# Also hidden from error reports: the place may be the sender's home (a petition's address).
SENSITIVE_FIELDS = (*PERSONAL_FIELDS, "address_string")
CONSENT_VALUES = ("true", "1", "yes", "on")
# Like the portal's: the audit log does not keep a citizen's address (an identity may be written).
OPEN311 = System("open311")  # who receives the requests: the system, under this name
OPEN311_ACTOR = Actor(id=None, label=OPEN311.label, ip_address=None, source="open311")
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _service_texts() -> dict[str, dict]:
    return {
        Kind.FEEDBACK: {
            "description": _(
                "Report a situation you have seen: the work of an agency, a public service, the conduct of an "
                "official. It may be sent anonymously."
            ),
            "keywords": _("feedback, situation, public service, official"),
        },
        Kind.SUGGESTION: {
            "description": _(
                "Give a suggestion to the Party committee or to an agency. It may be sent anonymously."
            ),
            "keywords": _("suggestion, idea, proposal"),
        },
        Kind.PETITION: {
            "description": _(
                "Ask an agency to consider or change something. The law asks for your full name and address."
            ),
            "keywords": _("petition, request, proposal"),
        },
    }


def _consent_text() -> str:
    return _(
        "To send your name, phone number, e-mail address or address (first_name, last_name, phone, email, "
        "sender_address), add consent=true: you agree that they are processed to handle this request, as "
        "the personal data notice of the public portal (version %(version)s) describes."
    ) % {"version": NOTICE_VERSION}


def services_list() -> list[dict]:
    texts = _service_texts()
    consent = _consent_text()
    return [
        {
            "service_code": str(kind.value),
            "service_name": str(kind.label),
            "description": f"{texts[kind]['description']} {consent}",
            "metadata": False,
            "type": "realtime",
            "keywords": texts[kind]["keywords"],
            "group": _("Citizens' voice"),
        }
        for kind in SERVICES
    ]


# --- answers ------------------------------------------------------------------------------------


def _xml_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return _XML_ILLEGAL.sub("", str(value))


def _render(fmt: str, items: list[dict], root: str, item: str, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        top = ElementTree.Element(root)
        for entry in items:
            node = ElementTree.SubElement(top, item)
            for key, value in entry.items():
                ElementTree.SubElement(node, key).text = _xml_text(value)
        content = '<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(top, encoding="unicode")
        return HttpResponse(content.encode(), status=status, content_type="text/xml; charset=utf-8")
    return JsonResponse(items, safe=False, status=status, json_dumps_params={"ensure_ascii": False})


def _errors(fmt: str, status: int, descriptions: list[str]) -> HttpResponse:
    items = [{"code": status, "description": str(text)} for text in dict.fromkeys(descriptions)]
    return _render(fmt, items, "errors", "error", status=status)


def _error(fmt: str, status: int, description: str) -> HttpResponse:
    return _errors(fmt, status, [description])


# --- abuse protection ---------------------------------------------------------------------------


def _throttled(fmt: str, message: str, wait: int | None) -> HttpResponse:
    response = _error(fmt, 429, message)
    response["Retry-After"] = str(max(1, wait or 60))
    return response


def _over_limit(request, fmt: str) -> HttpResponse | None:
    """Every Open311 request of this address counts against OPEN311_RATE."""
    usage = get_usage(
        request,
        group="voice.open311",
        key="ip",
        rate=lambda group, request: settings.OPEN311_RATE,
        increment=True,
    )
    if usage is None or not usage["should_limit"]:
        return None
    return _throttled(
        fmt, _("Too many requests from this address. Please try again later."), usage["time_left"]
    )


def _over_submissions(request, fmt: str) -> HttpResponse | None:
    """The portal's allowance of submissions per address (its counters: one allowance whatever the channel)."""
    wait = limits.limit_wait(request, limits.SUBMIT_GROUP, limits.submit_rates(), increment=False)
    return _throttled(fmt, _("Too many submissions from your connection."), wait) if wait else None


# --- checks -------------------------------------------------------------------------------------


def _jurisdiction(fmt: str, code: str):
    """The active unit with this code, or an error answer (404, as the standard says)."""
    unit = unit_by_code(code)
    if unit is None or not unit.is_active:
        return None, _error(
            fmt, 404, _("There is no unit with code “%(code)s” (jurisdiction_id).") % {"code": code[:64]}
        )
    return unit, None


def _optional_jurisdiction(request, fmt: str) -> HttpResponse | None:
    code = request.GET.get("jurisdiction_id", "").strip()
    return _jurisdiction(fmt, code)[1] if code else None


def _iso(moment: datetime.datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def _formatted(raw: str) -> str:
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


@sensitive_variables()
def _form(request) -> dict[str, str]:
    """The submitted fields: form-encoded (the standard) or a JSON object."""
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError):
            return {}
        if not isinstance(data, dict):
            return {}
        return {str(k): "" if v is None else str(v) for k, v in data.items()}
    return {key: request.POST.get(key, "") for key in request.POST}


def _coordinate(value: str, limit: float, message: str, problems: list[str]) -> float | None:
    if not value.strip():
        return None
    try:
        number = float(value)
    except ValueError:
        number = None
    if number is None or not -limit <= number <= limit:
        problems.append(message)
        return None
    return number


# --- views --------------------------------------------------------------------------------------


def _method_not_allowed(fmt: str, allowed: str) -> HttpResponse:
    response = _error(fmt, 405, _("This address does not accept this method."))
    response["Allow"] = allowed
    return response


def services(request, fmt: str):
    """GET services.json: the services citizens can submit through Open311."""
    if request.method != "GET":
        return _method_not_allowed(fmt, "GET")
    refused = _over_limit(request, fmt) or _optional_jurisdiction(request, fmt)
    if refused:
        return refused
    return _render(fmt, services_list(), "services", "service")


def service_definition(request, code: str, fmt: str):
    """GET services/{code}.json: no service has extra attributes (metadata false), so always 404."""
    if request.method != "GET":
        return _method_not_allowed(fmt, "GET")
    refused = _over_limit(request, fmt)
    if refused:
        return refused
    if code in SERVICES:
        return _error(
            fmt, 404, _("Service “%(code)s” has no extra attributes (metadata false).") % {"code": code}
        )
    return _error(fmt, 404, _("There is no service with code “%(code)s”.") % {"code": code[:40]})


@csrf_exempt
@sensitive_post_parameters(*SENSITIVE_FIELDS)
def requests(request, fmt: str):
    """POST requests.json submits a request; GET requests.json reads the requests whose ids are given."""
    if request.method == "POST":
        return _create(request, fmt)
    if request.method == "GET":
        return _list(request, fmt)
    return _method_not_allowed(fmt, "GET, POST")


def request_detail(request, request_id: str, fmt: str):
    """GET requests/{id}.json: the public state of one request, by its tracking code."""
    if request.method != "GET":
        return _method_not_allowed(fmt, "GET")
    refused = _over_limit(request, fmt) or _optional_jurisdiction(request, fmt)
    if refused:
        return refused
    found = _by_codes([request_id])
    if not found:
        return _error(fmt, 404, _("No request has this id. Check the code you were given."))
    return _render(fmt, found, "service_requests", "request")


def _by_codes(codes: list[str]) -> list[dict]:
    raws = [raw for raw in (tracking.normalise(code) for code in codes) if raw]
    if not raws:
        return []
    by_hash = {tracking.digest(raw): raw for raw in raws}
    found = {
        case.tracking_hash: case
        for case in Case.objects.filter(tracking_hash__in=list(by_hash))
        .select_related("unit")
        .annotate(last_public=Max("events__at", filter=Q(events__public=True)))
    }
    return [_public(found[digest], raw) for digest, raw in by_hash.items() if digest in found]


def _public(case: Case, raw: str) -> dict:
    """What the holder of the code may read: never the description, the place or an identity."""
    return {
        "service_request_id": _formatted(raw),
        "status": "closed" if case.state in FINISHED_STATES else "open",
        "status_notes": case.public_note or None,
        "service_name": str(Kind(case.kind).label),
        "service_code": case.kind,
        "agency_responsible": case.unit.name,
        "requested_datetime": _iso(case.received_at),
        "updated_datetime": _iso(case.last_public or case.received_at),
    }


def _list(request, fmt: str) -> HttpResponse:
    refused = _over_limit(request, fmt) or _optional_jurisdiction(request, fmt)
    if refused:
        return refused
    codes = [code.strip() for code in request.GET.get("service_request_id", "").split(",") if code.strip()]
    if len(codes) > MAX_IDS:
        return _error(fmt, 400, _("Ask for at most %(max)s requests at once.") % {"max": MAX_IDS})
    found = _by_codes(codes)
    service_code = request.GET.get("service_code", "").strip()
    if service_code:
        found = [item for item in found if item["service_code"] in service_code.split(",")]
    status = request.GET.get("status", "").strip()
    if status:
        found = [item for item in found if item["status"] in status.split(",")]
    return _render(fmt, found, "service_requests", "request")


def _subject(description: str, service: Kind) -> str:
    first = description.strip().splitlines()[0].strip() if description.strip() else ""
    if len(first) > SUBJECT_CHARS:
        first = first[:SUBJECT_CHARS].rsplit(" ", 1)[0] + "…"
    return first or str(service.label)


@sensitive_variables()  # the submitted fields, the identity and the case's specification
def _create(request, fmt: str) -> HttpResponse:
    refused = _over_limit(request, fmt) or _over_submissions(request, fmt)
    if refused:
        return refused
    data = {key: value.strip() for key, value in _form(request).items()}
    code = data.get("jurisdiction_id", "")
    if not code:
        return _error(fmt, 400, _("Give jurisdiction_id: the code of the unit the request is for."))
    service_code = data.get("service_code", "")
    if not service_code:
        return _error(fmt, 400, _("Give service_code: feedback, suggestion or petition."))
    unit, refused = _jurisdiction(fmt, code)
    if refused:
        return refused
    if service_code not in SERVICES:
        return _error(fmt, 404, _("There is no service with code “%(code)s”.") % {"code": service_code[:40]})
    service = Kind(service_code)

    problems: list[str] = []
    lat = _coordinate(
        data.get("lat", ""), 90, _("The latitude (lat) must be a number from -90 to 90."), problems
    )
    lon = _coordinate(
        data.get("long", ""), 180, _("The longitude (long) must be a number from -180 to 180."), problems
    )
    address = data.get("address_string", "")
    if len(address) > ADDRESS_MAX:
        problems.append(
            _("The address (address_string) is too long: at most %(max)s characters.") % {"max": ADDRESS_MAX}
        )
    email = data.get("email", "")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problems.append(_("The e-mail address is not valid."))
    for field in ("first_name", "last_name", "phone", "email", "sender_address"):
        if len(data.get(field, "")) > FIELD_MAX:
            problems.append(
                _("The field %(field)s is too long: at most %(max)s characters.")
                % {"field": field, "max": FIELD_MAX}
            )
    if (
        any(data.get(field) for field in PERSONAL_FIELDS)
        and data.get("consent", "").lower() not in CONSENT_VALUES
    ):
        problems.append(
            _(
                "Personal data (first_name, last_name, phone, email, sender_address) is accepted only with "
                "consent=true, which means the sender agrees to its processing to handle the request (Nghị "
                "định 13/2023/NĐ-CP). Add consent=true or send without personal data."
            )
        )
    if problems:
        return _errors(fmt, 400, problems)

    description = data.get("description", "")
    content = description
    if description and address:
        content += "\n\n" + _("Place: %(address)s") % {"address": address}
    if description and lat is not None and lon is not None:
        content += "\n" + _("Coordinates: %(lat)s, %(long)s") % {"lat": lat, "long": lon}
    name = " ".join(part for part in (data.get("last_name", ""), data.get("first_name", "")) if part)
    contacts = {"name": name, "phone": data.get("phone", ""), "email": email}
    anonymous = not any(contacts.values())
    person = None
    if not anonymous:
        sender_address = data.get("sender_address", "") or (address if service == Kind.PETITION else "")
        person = {**contacts, "address": sender_address}
    spec = cases.NewCase(
        unit=unit,
        kind=service,
        channel=Channel.PORTAL,
        subject=_subject(description, service),
        content=content,
        received_on=timezone.localdate(),
        anonymous=anonymous,
        identity=person,
    )
    if person and limits.contact_over(person):
        message = _(
            "This e-mail address or phone number has already sent %(count)s submissions today. Send again "
            "tomorrow, or bring your submission to the unit's reception desk."
        ) % {"count": limits.contact_quota()}
        now = timezone.localtime()
        midnight = datetime.datetime.combine(
            now.date() + datetime.timedelta(days=1), datetime.time(), now.tzinfo
        )
        return _throttled(fmt, message, int((midnight - now).total_seconds()))
    try:
        with acting_as(OPEN311_ACTOR), transaction.atomic():
            case, tracking_code = cases.case_receive(spec=spec, by=OPEN311, with_tracking_code=True)
            if person:
                consent_record(case=case, by=OPEN311)
    except ValidationError as error:
        return _errors(fmt, 400, error.messages)
    limits.count(request, limits.SUBMIT_GROUP, limits.submit_rates())
    if person:
        limits.contact_count(person)
    answer = {
        "service_request_id": tracking_code,
        "service_notice": _(
            "Keep this code: it is the only way to follow your request (received by %(unit)s). "
            "Nobody, not even us, can find it for you again."
        )
        % {"unit": case.unit.name},
        "account_id": None,
    }
    return _render(fmt, [answer], "service_requests", "request", status=201)
