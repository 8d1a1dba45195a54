"""Shared pieces of the REST API (Django REST framework), used by every app's api module.

- `AuditedAPIView`, `AuditedViewSet`: DRF authenticates inside the view, after the audit
  middleware has run, so a token-authenticated request would otherwise be logged as anonymous.
  Once DRF knows the user, the view makes them the actor of every audit event it writes.
- `exception_handler`: a service's django `ValidationError` becomes HTTP 400 carrying the
  service's (translated) message; django `PermissionDenied` is 403 and `Http404` is 404, as in DRF.
- The access rule every endpoint follows: reading a record outside the user's scope answers 404
  (its existence is not revealed); writing to a record the user may not change answers 403
  (and naming a record that does not exist answers 404).
- `DateField` (dd/mm/yyyy or ISO, with a Vietnamese message), `query_params()`, `body()`.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, parsers, serializers, views, viewsets
from rest_framework.serializers import as_serializer_error

from danvan.audit.context import actor_for_user, set_actor
from danvan.audit.middleware import client_ip

DATE_INPUT_FORMATS = ["iso-8601", "%d/%m/%Y"]


class ActorMixin:
    """Make the user DRF authenticated (session or token) the actor of the request's audit events."""

    parser_classes = [parsers.JSONParser]  # bodies are JSON; an endpoint taking files adds multipart

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        set_actor(actor_for_user(request.user, ip_address=client_ip(request), source="api"))


class AuditedAPIView(ActorMixin, views.APIView):
    pass


class AuditedViewSet(ActorMixin, viewsets.GenericViewSet):
    pass


def exception_handler(exc, context):
    """DRF's handler, plus django ValidationError (raised by services) as HTTP 400."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    return views.exception_handler(exc, context)


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


def body(serializer_class: type[serializers.Serializer], request) -> dict:
    """The request's body validated by `serializer_class`; HTTP 400 when it is wrong."""
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def as_id(value: str) -> int | None:
    """`value` as a database id if it is one (digits that fit a 64-bit column), else None."""
    return int(value) if value.isdecimal() and len(value) <= 18 else None
