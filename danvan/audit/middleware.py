from danvan.core.clients import client_ip

from .context import acting_as, actor_for_user


class AuditContextMiddleware:
    """Makes the logged-in user the actor of every audit event written during the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        actor = actor_for_user(getattr(request, "user", None), ip_address=client_ip(request))
        with acting_as(actor):
            return self.get_response(request)
