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
        self._describe()

        # Reports due soon or overdue: the first of the daily reminders (reminders.kinds).
        from danvan.reminders import kinds as reminder_kinds

        from .reminders import REMINDER_KIND

        reminder_kinds.register(REMINDER_KIND, order=10)

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

    def _describe(self):
        """How the audit log names the reports' records and actions."""
        from django.utils.text import capfirst, format_lazy

        from danvan.audit.descriptions import describe

        from . import workflow
        from .models import DataElement, DataValue, Indicator, Report, ReportForm, Target

        steps = {
            f"report.{step.name}": capfirst(format_lazy(_("{verb} the report"), verb=step.verb))
            for step in workflow.STEPS
        }
        steps["report.corrected"] = _("Corrected an approved report")
        describe(Report, name=_("Report"), actions=steps)
        describe(DataValue, name=_("Reported value"), actions={"values.imported": _("Imported values")})
        describe(DataElement, name=_("Data element"))
        describe(Indicator, name=_("Indicator"))
        describe(Target, name=_("Target"))
        describe(ReportForm, name=_("Report form"))
