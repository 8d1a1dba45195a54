from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "danvan.reports"
    label = "reports"
    verbose_name = "Indicators and periodic reports"

    def ready(self):
        from danvan.audit.services import register

        from . import signals  # noqa: F401  (registry sources follow the organisation registry)
        from .models import DataElement, Indicator, ReportForm, Target

        register(DataElement, unit=lambda element: None)
        register(Indicator, unit=lambda indicator: None)
        register(Target, unit=lambda target: None)
        register(ReportForm, unit=lambda form: None)
