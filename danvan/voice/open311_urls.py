"""Routes of the Open311 GeoReport v2 endpoints, mounted at /open311/v2/ (see portal/open311.py)."""

from django.urls import re_path

from .portal import open311

FORMAT = r"\.(?P<fmt>json|xml)$"

urlpatterns = [
    re_path(r"^services" + FORMAT, open311.services, name="open311-services"),
    re_path(r"^services/(?P<code>[^/.]+)" + FORMAT, open311.service_definition, name="open311-service"),
    re_path(r"^requests" + FORMAT, open311.requests, name="open311-requests"),
    re_path(r"^requests/(?P<request_id>[^/.]+)" + FORMAT, open311.request_detail, name="open311-request"),
]
