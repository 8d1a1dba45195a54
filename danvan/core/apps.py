from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "danvan.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        from . import navigation

        navigation.register(label=_("API"), url_name="api-docs", key="api", order=1000)
