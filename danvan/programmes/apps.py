from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "danvan.programmes"
    label = "programmes"
    verbose_name = "Action programmes"

    def ready(self):
        from danvan.audit.descriptions import describe
        from danvan.audit.services import register

        from .models import Occurrence, Programme, ProgressUpdate, Task

        register(model=Programme, unit=lambda programme: programme.unit)
        register(model=Task, unit=lambda task: task.programme.unit)
        register(model=ProgressUpdate, unit=lambda update: update.occurrence.task.programme.unit)
        describe(Programme, name=_("Action programme"))
        describe(Task, name=_("Task"))
        describe(Occurrence, name=_("Deadline of a task"))
        describe(ProgressUpdate, name=_("Progress update"))

        # Overdue programme tasks: the last of the daily reminders (reminders.kinds).
        from danvan.reminders import kinds as reminder_kinds

        from .reminders import REMINDER_KIND

        reminder_kinds.register(REMINDER_KIND, order=40)

        # Programmes and their tasks in the one search (danvan.search).
        from . import indexing

        indexing.register()

        # Tasks due or overdue on the work home (core.worklist).
        from . import worklist

        worklist.register()

        from danvan.accounts import policy
        from danvan.core import navigation

        navigation.register(
            label=_("Action programmes"),
            url_name="programmes:home",
            key="programmes",
            order=700,
            visible=lambda user: policy.has_any(user, policy.Perm.DOCUMENT_VIEW),
            group="documents",
        )
