"""The audited base of every REST API view: DRF authenticates inside the view, after the audit
middleware has run, so a token-authenticated request would otherwise be logged as anonymous. Once
DRF knows the user, the view makes them the actor of every audit event it writes.

Every module's API builds on `AuditedAPIView` or `AuditedViewSet`; the generic API pieces (errors,
fields, `body`/`query_params`, pagination) are in `danvan.core.api`.
"""

from rest_framework import parsers, views, viewsets

from .context import actor_for_user, set_actor
from .middleware import client_ip


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
