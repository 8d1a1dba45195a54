from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One thing that happened, written once and never changed.

    Actor and unit are stored by value (id plus a readable label) rather than as foreign keys:
    a row must outlive the user or unit it names, and no cascade may ever touch it.
    On PostgreSQL a trigger refuses UPDATE and DELETE on this table (see migration 0002).
    """

    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Changed")
        DELETE = "delete", _("Deleted")
        LOGIN = "login", _("Logged in")
        LOGIN_FAILED = "login_failed", _("Failed login")
        LOGOUT = "logout", _("Logged out")
        ROLE_GRANT = "role_grant", _("Role granted")
        ROLE_REVOKE = "role_revoke", _("Role revoked")
        RESTRUCTURE = "restructure", _("Restructured")
        IMPORT = "import", _("Imported")
        EXPORT = "export", _("Exported")

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField(max_length=20, choices=Action.choices, db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor_label = models.CharField(max_length=150, blank=True)
    unit_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    unit_code = models.CharField(max_length=64, blank=True)
    unit_path = models.CharField(max_length=400, blank=True, db_index=True)
    model = models.CharField(max_length=100, blank=True, db_index=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=300, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    source = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["model", "object_id"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.model} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("AuditEvent rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("AuditEvent rows are append-only")
