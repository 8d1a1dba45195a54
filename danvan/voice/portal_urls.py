"""The public portal, mounted at /public/ (namespace "portal"): no login."""

from django.urls import path

from .portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("send/", views.choose_unit, name="choose_unit"),
    path("send/<str:code>/", views.send, name="send"),
    path("track/", views.track, name="track"),
]
