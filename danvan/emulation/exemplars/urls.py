"""Pages of the “Dân vận khéo” models (/emulation/models/)."""

from django.urls import path

from . import views

app_name = "exemplars"
urlpatterns = [
    path("", views.exemplar_list, name="list"),
    path("export.xlsx", views.exemplar_xlsx, name="export"),
    path("new/", views.exemplar_create, name="create"),
    path("review/", views.review_queue, name="review_queue"),
    path("<int:pk>/", views.exemplar_detail, name="detail"),
    path("<int:pk>/edit/", views.exemplar_edit, name="edit"),
    path("<int:pk>/nominate/", views.exemplar_nominate, name="nominate"),
    path("<int:pk>/review/", views.exemplar_review, name="review"),
    path("<int:pk>/recognise/", views.exemplar_recognise, name="recognise"),
    path("<int:pk>/return/", views.exemplar_return, name="return"),
    path("<int:pk>/evidence/", views.evidence_add, name="evidence_add"),
    path("<int:pk>/evidence/<int:evidence_pk>/", views.evidence_download, name="evidence"),
    path("<int:pk>/evidence/<int:evidence_pk>/remove/", views.evidence_remove, name="evidence_remove"),
    path("<int:pk>/replications/", views.replication_add, name="replication_add"),
    path(
        "<int:pk>/replications/<int:replication_pk>/remove/",
        views.replication_remove,
        name="replication_remove",
    ),
    path("campaigns/", views.campaign_list, name="campaigns"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/edit/", views.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/delete/", views.campaign_delete, name="campaign_delete"),
]
