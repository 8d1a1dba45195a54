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

        # Reports to enter, returned, waiting for approval: the work home (core.worklist).
        from . import worklist

        worklist.register()
        # A large bulk values file is imported in the background (danvan.jobs).
        from danvan.jobs import kinds as job_kinds

        from .exchange import IMPORT_JOB

        job_kinds.register(IMPORT_JOB)

        from danvan.accounts import policy
        from danvan.core import navigation

        def reads_reports(user) -> bool:
            return policy.has_any(user, policy.Perm.REPORT_VIEW)

        summary_pages = ("dashboard", "catalogue", "target_add", "target_edit", "target_delete")

        def on_summary_page(match) -> bool:
            return match.namespace == "reports" and match.url_name == "dashboard"

        def on_catalogue_page(match) -> bool:
            return match.namespace == "reports" and match.url_name in summary_pages[1:]

        navigation.register(
            label=_("Enter and approve reports"),
            url_name="reports:home",
            key="reports",
            order=200,
            visible=lambda user: reads_reports(user) or policy.has_any(user, policy.Perm.REPORT_ENTER),
            current=lambda match: (
                match.namespace == "reports"
                and match.url_name not in summary_pages
                and match.url_name != "ranking"
            ),
            group="reports",
        )
        navigation.register(
            label=_("Dashboard"),
            url_name="reports:dashboard",
            key="reports",
            order=210,
            visible=reads_reports,
            current=on_summary_page,
            group="reports",
        )
        navigation.register(
            label=_("Ranking of units"),
            url_name="reports:ranking",
            key="reports",
            order=220,
            visible=reads_reports,
            current=lambda match: match.namespace == "reports" and match.url_name == "ranking",
            group="reports",
        )
        navigation.register(
            label=_("Indicator catalogue"),
            url_name="reports:catalogue",
            key="reports",
            order=290,
            visible=reads_reports,
            current=on_catalogue_page,
            group="reports",
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
