"""Pages of the dialogues register."""

from django.urls import path

from . import views

app_name = "dialogues"
urlpatterns = [
    path("", views.home, name="home"),
    path("export.xlsx", views.export, name="export"),
    path("coverage/", views.coverage, name="coverage"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("<int:pk>/issues/", views.issue_add, name="issue_add"),
    path("issues/<int:pk>/", views.issue_edit, name="issue_edit"),
    path("issues/<int:pk>/delete/", views.issue_delete, name="issue_delete"),
]
