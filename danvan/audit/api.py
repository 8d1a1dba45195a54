"""The audited base of every REST API view: DRF authenticates inside the view, after the audit
middleware has run, so a token-authenticated request would otherwise be logged as anonymous. Once
DRF knows the user, the view makes them the actor of every audit event it writes.

Every module's API builds on `AuditedAPIView` or `AuditedViewSet`; the generic API pieces (errors,
fields, `body`/`query_params`, pagination) are in `danvan.core.api`.
"""

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rest_framework import parsers, views, viewsets
from rest_framework.request import Request

from danvan.core.clients import client_ip

from .context import actor_for_user, set_actor

if TYPE_CHECKING:
    _View = views.APIView  # the mixin is only ever mixed into a DRF view: type it as one
else:
    _View = object


class ActorMixin(_View):
    """Make the user DRF authenticated (session or token) the actor of the request's audit events."""

    # Bodies are JSON; an endpoint taking files adds multipart.
    parser_classes: Sequence[type[parsers.BaseParser]] = [parsers.JSONParser]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        set_actor(actor_for_user(request.user, ip_address=client_ip(request), source="api"))


class AuditedAPIView(ActorMixin, views.APIView):
    pass


class AuditedViewSet(ActorMixin, viewsets.GenericViewSet):
    pass
