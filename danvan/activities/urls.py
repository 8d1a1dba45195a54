from django.urls import path

from . import views

app_name = "activities"

urlpatterns = [
    path("", views.home, name="home"),
    path("import/", views.import_file, name="import"),
    path("import/<str:kind>/sample.xlsx", views.import_sample, name="import_sample"),
]
