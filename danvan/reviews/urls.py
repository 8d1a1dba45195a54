"""Web pages of the review reports."""

from django.urls import path

from . import views

app_name = "reviews"
urlpatterns = [
    path("", views.home, name="home"),
    path("versions/<int:pk>/", views.version_page, name="version"),
    path("versions/<int:pk>/download/<str:fmt>/", views.version_download, name="version_download"),
    path("<str:code>/", views.unit_page, name="unit"),
    path("<str:code>/<str:period>/", views.preview, name="preview"),
    path("<str:code>/<str:period>/edit/", views.edit, name="edit"),
    path("<str:code>/<str:period>/finalise/", views.finalise, name="finalise"),
    path("<str:code>/<str:period>/correct/", views.correct, name="correct"),
    path("<str:code>/<str:period>/download/<str:fmt>/", views.download, name="download"),
]
