"""Pages of the thematic cell meetings (/activities/cells/)."""

from django.urls import path

from . import views

app_name = "cells"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("export.xlsx", views.meeting_export, name="export"),
    path("new/", views.meeting_add, name="add"),
    path("coverage/", views.coverage, name="coverage"),
    path("<int:pk>/", views.meeting_edit, name="edit"),
    path("<int:pk>/delete/", views.meeting_delete, name="delete"),
]
