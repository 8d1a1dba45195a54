"""Routes of the reports API under /api/v1/: catalogue, data values, reports and analytics."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import views

router = SimpleRouter()
router.register("data-elements", views.DataElementViewSet, basename="data-element")
router.register("indicators", views.IndicatorViewSet, basename="indicator")
router.register("targets", views.TargetViewSet, basename="target")
router.register("report-forms", views.ReportFormViewSet, basename="report-form")
router.register("reports", views.ReportViewSet, basename="report")

urlpatterns = [
    path("data-values/", views.DataValuesView.as_view(), name="api-data-values"),
    path("analytics/", views.AnalyticsView.as_view(), name="api-analytics"),
    path("analytics/table/", views.AnalyticsTableView.as_view(), name="api-analytics-table"),
    *router.urls,
]
