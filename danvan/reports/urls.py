"""Web pages of the reports module; each views module declares its own routes."""

from . import views_dashboard, views_entry, views_periods, views_ranking, views_template

app_name = "reports"
urlpatterns = [
    *views_entry.urlpatterns,  # my reports, the data entry grid, workflow, completeness
    *views_dashboard.urlpatterns,  # dashboards, charts, catalogue pages, table exports
    *views_ranking.urlpatterns,  # units ranked on indicators and a composite; its export
    *views_template.urlpatterns,  # XLSX templates per form, unit and period; uploads
    *views_periods.urlpatterns,  # preparing a period now (the nightly job does it ahead)
]
