from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "danvan.programmes"
    label = "programmes"
    verbose_name = "Action programmes"

    def ready(self):
        from danvan.audit.services import register

        from .models import Programme, ProgressUpdate, Task

        register(Programme, unit=lambda programme: programme.unit)
        register(Task, unit=lambda task: task.programme.unit)
        register(ProgressUpdate, unit=lambda update: update.occurrence.task.programme.unit)
