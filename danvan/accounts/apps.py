from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "danvan.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from danvan.audit.descriptions import describe
        from danvan.audit.services import register

        from .models import RoleAssignment, User

        register(model=User, unit=lambda user: None, exclude=["password", "last_login"])
        describe(RoleAssignment, name=_("Role assignment"))  # grants and revokes are logged by hand
