from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in. What they may do comes from their role assignments, never from here."""

    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    def get_full_name(self):
        return self.full_name or super().get_full_name()

    def __str__(self):
        return self.get_full_name() or self.username


class Role(models.TextChoices):
    BLOC_ADMIN = "bloc_admin", _("Bloc administrator")
    MOBILISATION_OFFICER = "mobilisation_officer", _("Mobilisation officer")
    UNIT_HEAD = "unit_head", _("Unit head")
    REPORTER = "reporter", _("Reporter")
    CASE_HANDLER = "case_handler", _("Case handler")
    VIEWER = "viewer", _("Viewer")


class RoleAssignment(models.Model):
    """A role held at a unit; it covers the unit's whole subtree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments"
    )
    unit = models.ForeignKey("orgs.Unit", on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user_id", "role"]
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"], name="accounts_role_unique")]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.unit.code}"
