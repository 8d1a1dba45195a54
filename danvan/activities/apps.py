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
        from danvan.jobs import kinds as job_kinds

        from .importing import IMPORT_JOB
        from .registers import MENU_GROUP, menu_link

        navigation.register_group(key=MENU_GROUP, label=_("Activities"), order=400)
        # the group's first link: its registers follow (422 … 434)
        menu_link(label=_("Activities overview"), url_name="activities:home", key="activities", order=420)
        # A large file of an existing register is imported in the background (danvan.jobs).
        job_kinds.register(IMPORT_JOB)
