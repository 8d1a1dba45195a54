"""Pages of the document register."""

from django.urls import path

from . import views, views_dissemination

app_name = "directives"
urlpatterns = [
    path("", views.document_list, name="list"),
    path("new/", views.document_create, name="create"),
    path("import/", views.import_upload, name="import"),
    path("import/save/", views.import_save, name="import_save"),
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/edit/", views.document_edit, name="edit"),
    path("<int:pk>/original/", views.original, name="original"),
    path("<int:pk>/relations/", views.relation_add, name="relation_add"),
    path("<int:pk>/relations/<int:relation_pk>/remove/", views.relation_remove, name="relation_remove"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("<int:pk>/attachments/", views.attachment_add, name="attachment_add"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/remove/", views.attachment_remove, name="attachment_remove"
    ),
    # Dissemination and study (views_dissemination.py)
    path("<int:pk>/dissemination/", views_dissemination.panel, name="dissemination"),
    path("<int:pk>/coverage/", views_dissemination.coverage, name="coverage"),
    path("study/", views_dissemination.to_study, name="to_study"),
    path("study/<int:pk>/", views_dissemination.delivery_detail, name="delivery"),
    path("study/<int:pk>/acknowledge/", views_dissemination.acknowledge, name="acknowledge"),
    path("study/<int:pk>/sessions/", views_dissemination.session_add, name="session_add"),
]
