"""Pages of the training register (under /activities/training/)."""

from django.urls import path

from . import views

app_name = "training"
urlpatterns = [
    path("", views.class_list, name="list"),
    path("classes.xlsx", views.class_xlsx, name="xlsx"),
    path("new/", views.class_create, name="create"),
    path("<int:pk>/", views.class_detail, name="detail"),
    path("<int:pk>/edit/", views.class_edit, name="edit"),
    path("<int:pk>/delete/", views.class_delete, name="delete"),
]
