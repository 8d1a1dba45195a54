from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    """Module 5: what mobilisation work does. This package holds what the registers share (the
    registry of kinds, the import of existing registers, the overview); each register is a Django
    app of its own below it (danvan/activities/<register>/), registering itself here from its ready()."""

    name = "danvan.activities"
    label = "activities"
    verbose_name = "Activities"

    def ready(self):
        from danvan.core import navigation

        navigation.register_group(key="activities", label=_("Activities"), order=400)
