"""Pages of the voice module: so far the administration of statutory deadlines."""

from django.urls import path

from . import identity_views, views, views_cases

app_name = "voice"
urlpatterns = [
    path("deadlines/rules/", views.rule_list, name="rules"),
    path("deadlines/rules/new/", views.rule_edit, name="rule_add"),
    path("deadlines/rules/<int:pk>/", views.rule_edit, name="rule_edit"),
    path("deadlines/rules/<int:pk>/close/", views.rule_close, name="rule_close"),
    path("deadlines/calendar/", views.calendar_page, name="calendar"),
    path("deadlines/calendar/<int:pk>/remove/", views.calendar_remove, name="calendar_remove"),
    path("deadlines/check/", views.check, name="check"),
    path("cases/<int:pk>/identity/", identity_views.case_identity, name="case_identity"),
    path("attachments/<str:token>/", identity_views.attachment, name="attachment"),
    path("cases/", views_cases.case_list, name="case_list"),
    path("cases/new/", views_cases.case_new, name="case_new"),
    path("cases/<int:pk>/", views_cases.case_detail, name="case_detail"),
    path("cases/<int:pk>/act/<slug:action>/", views_cases.case_action, name="case_action"),
    path("boxes/", views_cases.box_openings, name="box_openings"),
]

# Overdue and due-soon lists, statistics, patterns (views_lists.py).
from . import views_lists  # noqa: E402

urlpatterns += views_lists.urlpatterns
