"""Pages of the voice module: so far the administration of statutory deadlines."""

from django.urls import path

from . import views

app_name = "voice"
urlpatterns = [
    path("deadlines/rules/", views.rule_list, name="rules"),
    path("deadlines/rules/new/", views.rule_edit, name="rule_add"),
    path("deadlines/rules/<int:pk>/", views.rule_edit, name="rule_edit"),
    path("deadlines/rules/<int:pk>/close/", views.rule_close, name="rule_close"),
    path("deadlines/calendar/", views.calendar_page, name="calendar"),
    path("deadlines/calendar/<int:pk>/remove/", views.calendar_remove, name="calendar_remove"),
    path("deadlines/check/", views.check, name="check"),
]
