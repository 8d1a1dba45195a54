from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.settings import CONSTANTS


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


class ApiToken(models.Model):
    """A key a program presents to the API (`Authorization: Token <secret>`), in django-rest-knox's shape
    (its `AbstractAuthToken` fields, settings.KNOX_TOKEN_MODEL): only a hash of the secret is stored
    (`digest`, SHA-512) with its first characters (`token_key`) to find it; the secret itself is shown
    once, when the token is made. Unlike knox's, a token is named by an id (never its hash), has a name,
    always ends (`expiry`), notes when it was last used, and is revoked rather than deleted (the row stays
    for its owner's list and the audit log)."""

    digest = models.CharField(max_length=CONSTANTS.DIGEST_LENGTH, unique=True)
    token_key = models.CharField(
        max_length=CONSTANTS.MAXIMUM_TOKEN_PREFIX_LENGTH + CONSTANTS.TOKEN_KEY_LENGTH, db_index=True
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    created = models.DateTimeField(auto_now_add=True)
    expiry = models.DateTimeField(_("expires"))
    last_used = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self):
        return f"{self.name} · {self.user}"

    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def is_expired(self, now=None) -> bool:
        return self.expiry <= (now or timezone.now())

    def is_usable(self, now=None) -> bool:
        return not self.is_revoked() and not self.is_expired(now)
