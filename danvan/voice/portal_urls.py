"""The public portal, mounted at /public/ (namespace "portal"): no login."""

from django.urls import path

from . import portal

app_name = "portal"
urlpatterns = [
    path("", portal.home, name="home"),
    path("send/", portal.choose_unit, name="choose_unit"),
    path("send/<str:code>/", portal.send, name="send"),
    path("track/", portal.track, name="track"),
]
