from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "danvan.audit"
    label = "audit"
    verbose_name = "Audit"

    def ready(self):
        from . import signals  # noqa: F401  (login, logout and failed-login receivers)
        from .descriptions import describe
        from .models import AuditEvent

        describe(AuditEvent, name=_("Audit log"))  # the log's own exports are logged
