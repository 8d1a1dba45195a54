"""Pages of grassroots mediation (/activities/mediation/)."""

from django.urls import path

from . import views

app_name = "mediation"
urlpatterns = [
    path("", views.case_list, name="cases"),
    path("print/", views.case_print, name="cases_print"),
    path("export.xlsx", views.case_xlsx, name="cases_xlsx"),
    path("cases/new/", views.case_create, name="case_create"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/edit/", views.case_edit, name="case_edit"),
    path("cases/<int:pk>/delete/", views.case_delete, name="case_delete"),
    path("teams/", views.team_list, name="teams"),
    path("teams/new/", views.team_create, name="team_create"),
    path("teams/<int:pk>/", views.team_detail, name="team"),
    path("teams/<int:pk>/mediators/new/", views.mediator_add, name="mediator_add"),
    path("teams/<int:pk>/mediators/remove/", views.mediator_remove, name="mediator_remove"),
]
