from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "danvan.reports"
    label = "reports"
    verbose_name = "Indicators and periodic reports"

    def ready(self):
        from danvan.audit.services import register

        # The organisation registry's sources, and its signals that keep them current.
        from . import signals, sources  # noqa: F401

        sources.register_sources()
        from .models import DataElement, Indicator, ReportForm, Target

        register(model=DataElement, unit=lambda element: None)
        register(model=Indicator, unit=lambda indicator: None)
        register(model=Target, unit=lambda target: None)
        register(model=ReportForm, unit=lambda form: None)

        # Reports due soon or overdue: the first of the daily reminders (reminders.kinds).
        from danvan.reminders import kinds as reminder_kinds

        from .reminders import REMINDER_KIND

        reminder_kinds.register(REMINDER_KIND, order=10)

        # A large bulk values file is imported in the background (danvan.jobs).
        from danvan.jobs import kinds as job_kinds

        from .exchange import IMPORT_JOB

        job_kinds.register(IMPORT_JOB)

        from danvan.accounts import policy
        from danvan.core import navigation

        navigation.register(
            label=_("Reports and indicators"),
            url_name="reports:home",
            key="reports",
            order=200,
            visible=lambda user: (
                policy.has_any(user, policy.Perm.REPORT_VIEW)
                or policy.has_any(user, policy.Perm.REPORT_ENTER)
            ),
        )
