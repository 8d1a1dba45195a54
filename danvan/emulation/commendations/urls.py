"""Pages of commendations (/emulation/commendations/)."""

from django.urls import path

from . import views

app_name = "commendations"
urlpatterns = [
    path("", views.commendation_list, name="list"),
    path("export.xlsx", views.commendation_xlsx, name="xlsx"),
    path("new/", views.commendation_create, name="create"),
    path("import/", views.commendation_import, name="import"),
    path("import/sample.xlsx", views.import_sample, name="import_sample"),
    path("<int:pk>/", views.commendation_detail, name="detail"),
    path("<int:pk>/edit/", views.commendation_edit, name="edit"),
    path("<int:pk>/delete/", views.commendation_delete, name="delete"),
    path("<int:pk>/decision/", views.decision_file, name="decision_file"),
]
