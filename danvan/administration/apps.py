from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdministrationConfig(AppConfig):
    """Users and roles management and the audit-log browser: the administrators' pages and API.

    They sit above the organisation registry (they look units up by code), so that `accounts` and
    `audit` below it need not know units."""

    name = "danvan.administration"
    label = "administration"
    verbose_name = "Administration"

    def ready(self):
        from danvan.accounts import policy
        from danvan.core import navigation
        from danvan.jobs import kinds

        from .audit_views import EXPORT_JOB

        kinds.register(EXPORT_JOB)  # large audit-log exports run in the background

        navigation.register(
            label=_("Users and roles"),
            url_name="administration:user_list",
            key="administration",
            order=800,
            visible=lambda user: policy.has_any(user, policy.Perm.ROLE_MANAGE),
            group="administration",
        )
        navigation.register(
            label=_("Audit log"),
            url_name="audit:list",
            key="audit",
            order=900,
            visible=lambda user: policy.has_any(user, policy.Perm.AUDIT_VIEW),
            group="administration",
        )
        navigation.register(
            label=_("API"),
            url_name="api-docs",
            key="api",
            order=1000,
            # The API's description is for the administrators who connect other systems.
            visible=policy.is_administrator,
            group="administration",
        )
