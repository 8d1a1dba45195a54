"""Shared pieces of the REST API (Django REST framework), used by every app's api module.

- The audited base views (`AuditedAPIView`, `AuditedViewSet`) are the audit log's:
  `danvan.audit.api`.
- `exception_handler`: a service's django `ValidationError` becomes HTTP 400 carrying the
  service's (translated) message; django `PermissionDenied` is 403 and `Http404` is 404, as in DRF.
- The access rule every endpoint follows: a record the user may not even read is treated exactly
  like one that does not exist, so its existence is never revealed: named in the URL it answers
  404; named in a body field (a unit code) it gets that field's "unknown" message (HTTP 400), the
  same one a code that does not exist gets (`body(..., narrow=...)` reads references among the
  records the user may read). A record the user may read but not change answers 403.
- `Pagination` (the default pagination): `?limit=` (default 100, at most 1000) and `?offset=`; a
  malformed value answers 400 with a Vietnamese message, never 500. `SessionAuthentication`: DRF's,
  with a Vietnamese message when the CSRF check fails. `JSONParser` (the default JSON parser): a body
  too large or nested too deeply (`core.jsonbody`) answers 400 with a Vietnamese message, never 500.
  `Metadata` (OPTIONS): DRF's, also for a view whose PUT names no record. They live in `api_defaults`
  (settings name them there: DRF imports them while its own views are still loading).
- `TextField` (checked by `core.text.validate_text`), `TextModelSerializer` (the same check on the text
  fields a ModelSerializer builds from its model), `DateField` (dd/mm/yyyy or ISO, with a Vietnamese
  message), `WholeItemSerializer` (a nested item whose required fields stay required in a PATCH),
  `query_params()`, `body()`.
- `AutoSchema` (the OpenAPI schema of every endpoint): drf-spectacular's, plus the error statuses
  an operation can answer, each with its body's shape (`ERRORS`).
"""

import math
from collections.abc import Callable, Mapping

from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from drf_spectacular import openapi
from drf_spectacular.authentication import SessionScheme
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import exceptions, relations, serializers, views
from rest_framework.serializers import as_serializer_error

from . import jsonbody
from .api_defaults import (  # noqa: F401  (re-exported)
    BodyRefused,
    JSONParser,
    Metadata,
    Pagination,
    SessionAuthentication,
)
from .dates import INPUT_FORMATS
from .errors import Conflict
from .text import validate_text

DATE_INPUT_FORMATS = ["iso-8601", *INPUT_FORMATS]


class _SessionScheme(SessionScheme):
    """The OpenAPI description of our session authentication: DRF's (a signed-in session cookie)."""

    target_class = "danvan.core.api_defaults.SessionAuthentication"


_DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
# A 400's body: the wrong fields, each with its messages (a nested serializer's field holds an object, a
# list's a list); `detail` or `non_field_errors` for what is not about one field. A service's error
# raised without a field is a plain list of messages.
_INVALID = {
    "oneOf": [
        {"type": "object", "additionalProperties": {}},
        {"type": "array", "items": {"type": "string"}},
    ]
}


_PAGE_PARAMETERS = {"limit", "offset"}  # name no record

# The error statuses an endpoint may answer: status -> (name in components/responses, description, body).
ERRORS = {
    "400": ("BadRequest", _("Invalid request: the messages say what to correct."), _INVALID),
    "401": ("Unauthorized", _("Not signed in: send a token or a signed-in session."), _DETAIL),
    "403": ("Forbidden", _("Not allowed (or the CSRF check of a signed-in session failed)."), _DETAIL),
    "404": ("NotFound", _("The record does not exist or is outside your scope."), _DETAIL),
    "409": ("Conflict", _("Someone else changed the record first: reload it and try again."), _DETAIL),
    "415": ("UnsupportedMediaType", _("The body's media type is not accepted."), _DETAIL),
    "429": ("Throttled", _("Too many requests: wait and try again."), _DETAIL),
}


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's schema of an operation, plus the errors it may answer (unless the view declares
    them itself), so that a client, and a fuzzer checking conformance, knows every status:

    - 400 when it reads a body or query parameters, or writes (a service refuses: a record in use);
    - 401 and 403 when it needs a signed-in user (the policy refuses; a session's CSRF check fails);
    - 404 when it may name a record: in the path, a query parameter (`?unit=`) or the body (a unit
      the user may not see, where the endpoint looks it up with `accounts.permissions.obtain`);
    - 409 when it writes (someone else changed the record first);
    - 415 when it reads a body; 429 always (throttled).
    """

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        writes = self.method not in ("GET", "HEAD", "OPTIONS")
        reads_body = "requestBody" in operation
        query = [p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"]
        signed_in = {} not in operation.get("security", [{}])
        errors = {
            "400": writes or reads_body or bool(query),
            "401": signed_in,
            "403": signed_in,
            "404": "{" in path or reads_body or bool(set(query) - _PAGE_PARAMETERS),
            "409": writes,
            "415": reads_body,
            "429": True,
        }
        responses = operation["responses"]
        for status, (name, description, body) in ERRORS.items():
            if errors[status] and status not in responses:
                component = ResolvedComponent(
                    name=name,
                    type=ResolvedComponent.RESPONSE,
                    object=name,
                    schema={"description": description, "content": {"application/json": {"schema": body}}},
                )
                registry.register_on_missing(component)
                responses[status] = component.ref
        return operation


def exception_handler(exc, context):
    """DRF's handler, plus django ValidationError (raised by services) as HTTP 400 and a body that
    cannot be parsed, or is too large, answered in Vietnamese."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, Conflict):
        exc = exceptions.APIException(exc.message)
        exc.status_code = 409
    elif isinstance(exc, exceptions.Throttled):
        # DRF's detail is English ("Request was throttled …"); the wait also goes in Retry-After.
        seconds = max(1, math.ceil(exc.wait)) if exc.wait is not None else None
        if seconds is None:
            detail = _("Too many requests. Please try again later.")
        else:
            detail = ngettext(
                "Too many requests. Please try again in %(seconds)s second.",
                "Too many requests. Please try again in %(seconds)s seconds.",
                seconds,
            ) % {"seconds": seconds}
        exc = exceptions.Throttled(detail=detail)
        exc.wait = seconds
    elif isinstance(exc, RequestDataTooBig):  # Django's check of DATA_UPLOAD_MAX_MEMORY_SIZE
        exc = BodyRefused(jsonbody.too_large().message)
    elif isinstance(exc, exceptions.ParseError) and not isinstance(exc, BodyRefused):
        # DRF's message carries the parser's English detail ("JSON parse error - Expecting value …").
        exc = exceptions.ParseError(_("The request body could not be read: send valid JSON (or form data)."))
    return views.exception_handler(exc, context)


class CodeRelatedField(serializers.SlugRelatedField):
    """A record named by its code. A code holding a NUL character names nothing: PostgreSQL cannot even
    compare such a string, so it is answered as unknown before any query."""

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data.replace("\x00", ""))
        return super().to_internal_value(data)


class BoundedListField(serializers.ListField):
    """A ListField that refuses a list over `max_length` before validating any item: DRF checks the length
    only afterwards, so a body of a million unit codes would otherwise be looked up one by one."""

    def to_internal_value(self, data):
        if self.max_length is not None and isinstance(data, list | tuple) and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        return super().to_internal_value(data)


class TextField(serializers.CharField):
    """Text in a body, checked by `core.text.validate_text` (no control characters). Optional by
    default (blank allowed, "" when absent): an empty one reaches the service, which says what is
    missing in the same words as the pages."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_blank", True)
        if not kwargs["required"]:
            kwargs.setdefault("default", "")
        super().__init__(**kwargs)
        self.validators.append(validate_text)


# A ModelSerializer whose text fields built from the model (CharField, TextField) are checked by
# `core.text.validate_text`, as `TextField` is: for an endpoint that writes a model without a service.
# (A comment, not a docstring: the OpenAPI schema would show it as every such serializer's description.)
class TextModelSerializer(serializers.ModelSerializer):
    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if issubclass(field_class, serializers.CharField):
            kwargs["validators"] = [*kwargs.get("validators", []), validate_text]
        return field_class, kwargs


# A nested item always written whole (a form's section): its required fields stay required in a partial
# update (PATCH), where DRF skips every missing field, nested ones too, and the view would then meet a
# KeyError (HTTP 500). (A comment, not a docstring: the schema would show it as the item's description.)
class WholeItemSerializer(serializers.Serializer):
    def to_internal_value(self, data):
        errors: dict = {}
        try:
            value = super().to_internal_value(data)
        except exceptions.ValidationError as error:
            if not isinstance(error.detail, dict) or not isinstance(data, Mapping):
                raise
            errors, value = dict(error.detail), None
        for name, field in self.fields.items():
            if field.required and not field.read_only and name not in errors and name not in data:
                errors[name] = [field.error_messages["required"]]
        if errors:
            raise exceptions.ValidationError(errors)
        return value


class DateField(serializers.DateField):
    """A date given as dd/mm/yyyy or yyyy-mm-dd."""

    default_error_messages = {"invalid": _("Enter a valid date, e.g. 31/12/2024 or 2024-12-31.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", DATE_INPUT_FORMATS)
        super().__init__(**kwargs)


def query_params(serializer_class: type[serializers.Serializer], request) -> dict:
    """The request's query parameters validated by `serializer_class`; HTTP 400 when they are wrong."""
    params = serializer_class(data=request.query_params)
    params.is_valid(raise_exception=True)
    return params.validated_data


def body(
    serializer_class: type[serializers.Serializer],
    request,
    *,
    narrow: Callable[[QuerySet], QuerySet] | None = None,
) -> dict:
    """The request's body validated by `serializer_class`; HTTP 400 when it is wrong.

    `narrow`, when given, narrows the queryset of every reference in the body (see
    `narrow_references`): a record it leaves out is refused exactly like one that does not exist.
    """
    serializer = serializer_class(data=request.data)
    if narrow is not None:
        narrow_references(serializer, narrow)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def narrow_references(field: serializers.Field, narrow: Callable[[QuerySet], QuerySet]) -> None:
    """Pass the queryset of every related field in `field` (in nested serializers and lists too)
    through `narrow`. A reference is then looked up among the narrowed records only, so a record
    left out gets the field's own "does not exist" message, the very one an unknown key gets.

    Serializer fields are copied per serializer instance: this changes only `field`'s copies.
    """
    if isinstance(field, relations.ManyRelatedField):
        field = field.child_relation
    if isinstance(field, relations.RelatedField):
        if field.queryset is not None:
            field.queryset = narrow(field.queryset.all())  # a manager's too
        return
    if isinstance(field, serializers.Serializer):
        for nested in field.fields.values():
            narrow_references(nested, narrow)
        return
    child = getattr(field, "child", None)  # ListSerializer, ListField, DictField
    if isinstance(child, serializers.Field):
        narrow_references(child, narrow)


def as_id(value: str) -> int | None:
    """`value` as a database id if it is one (digits that fit a 64-bit column), else None."""
    return int(value) if value.isdecimal() and len(value) <= 18 else None
