from django.urls import path

from . import views

app_name = "workplace"

urlpatterns = [
    path("", views.home, name="home"),
    path("conferences.xlsx", views.conferences_xlsx, name="conferences_xlsx"),
    path("conferences/new/", views.conference_add, name="conference_add"),
    path("conferences/<int:pk>/", views.conference_detail, name="conference"),
    path("conferences/<int:pk>/edit/", views.conference_edit, name="conference_edit"),
    path("conferences/<int:pk>/delete/", views.conference_delete, name="conference_delete"),
    path("conferences/<int:pk>/resolution/", views.resolution, name="resolution"),
    path("disclosures/", views.disclosures, name="disclosures"),
    path("disclosures/new/", views.disclosure_add, name="disclosure_add"),
    path("disclosures/<int:pk>/edit/", views.disclosure_edit, name="disclosure_edit"),
    path("disclosures/<int:pk>/delete/", views.disclosure_delete, name="disclosure_delete"),
    path("disclosures/checklist/<str:code>/", views.checklist, name="checklist"),
]
