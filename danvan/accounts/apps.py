from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "danvan.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from danvan.audit.services import register

        from .models import User

        register(User, unit=lambda user: None, exclude=["password", "last_login"])
