"""Pages of inspection and supervision."""

from django.urls import path

from . import views

app_name = "inspections"
urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.inspection_create, name="create"),
    path("<int:pk>/", views.inspection_detail, name="detail"),
    path("<int:pk>/edit/", views.inspection_edit, name="edit"),
    path("units/<int:pk>/", views.target_page, name="target"),
    path("units/<int:pk>/remedies/new/", views.remedy_add, name="remedy_add"),
    path("remedies/", views.remedies, name="remedies"),
    path("remedies/xlsx/", views.remedies_xlsx, name="remedies_xlsx"),
    path("remedies/<int:pk>/", views.remedy_page, name="remedy"),
]
