from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "danvan.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from danvan.audit.descriptions import describe, name_action
        from danvan.audit.services import register

        from . import second_factor, services
        from .models import ApiToken, RoleAssignment, User

        register(model=User, unit=lambda user: None, exclude=["password", "last_login"])
        describe(RoleAssignment, name=_("Role assignment"))  # grants and revokes are logged by hand
        # API tokens are logged by their services (never their hash, nor each use)
        describe(ApiToken, name=_("API token"), actions={services.TOKEN_REVOKE: _("Revoked an API token")})
        name_action(services.OTP_ENROL, _("Set up two-step sign-in"))
        name_action(services.OTP_FAILED, _("Gave a wrong two-step sign-in code"))
        user_logged_in.connect(second_factor.remember_at_login, dispatch_uid="accounts-second-factor")
