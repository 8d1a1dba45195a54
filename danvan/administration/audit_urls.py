"""The audit-log browser, under /audit/ as before (namespace `audit`)."""

from django.urls import path

from . import audit_views as views

app_name = "audit"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("export.csv", views.event_export, {"fmt": "csv"}, name="export_csv"),
    path("export.xlsx", views.event_export, {"fmt": "xlsx"}, name="export_xlsx"),
]
