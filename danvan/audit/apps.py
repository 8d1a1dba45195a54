from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "danvan.audit"
    label = "audit"
    verbose_name = "Audit"

    def ready(self):
        from . import signals  # noqa: F401  (login, logout and failed-login receivers)
