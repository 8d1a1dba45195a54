"""Pages of the voice module (namespace "voice"): the deadline administration and the cases' staff pages."""

from django.urls import path

from .cases.views import cases, identity, lists
from .deadlines import views as deadlines

app_name = "voice"
urlpatterns = [
    path("deadlines/rules/", deadlines.rule_list, name="rules"),
    path("deadlines/rules/new/", deadlines.rule_edit, name="rule_add"),
    path("deadlines/rules/<int:pk>/", deadlines.rule_edit, name="rule_edit"),
    path("deadlines/rules/<int:pk>/close/", deadlines.rule_close, name="rule_close"),
    path("deadlines/calendar/", deadlines.calendar_page, name="calendar"),
    path("deadlines/calendar/<int:pk>/remove/", deadlines.calendar_remove, name="calendar_remove"),
    path("deadlines/check/", deadlines.check, name="check"),
    path("cases/<int:pk>/identity/", identity.case_identity, name="case_identity"),
    path("attachments/<str:token>/", identity.attachment, name="attachment"),
    path("cases/", cases.case_list, name="case_list"),
    path("cases/new/", cases.case_new, name="case_new"),
    path("cases/<int:pk>/", cases.case_detail, name="case_detail"),
    path("cases/<int:pk>/act/<slug:action>/", cases.case_action, name="case_action"),
    path("boxes/", cases.box_openings, name="box_openings"),
    # Overdue and due-soon lists, statistics, patterns.
    path("lists/due/", lists.overdue, name="overdue"),
    path("lists/statistics/", lists.statistics, name="stats"),
    path("lists/patterns/", lists.flags, name="flags"),
    path("lists/patterns/<int:pk>/link/", lists.flag_link, name="flag_link"),
    path("lists/patterns/<int:pk>/dismiss/", lists.flag_dismiss, name="flag_dismiss"),
]
