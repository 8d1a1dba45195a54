from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "danvan.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        from django.core.signals import request_finished
        from django.db.backends.signals import connection_created

        from . import checks, navigation, worklist  # noqa: F401 (checks registers the system checks)

        # Every write to the database renews what the work home and the menu keep (`worklist`).
        connection_created.connect(worklist.watch_writes, dispatch_uid="danvan.worklist.watch_writes")
        request_finished.connect(worklist.flush_pending, dispatch_uid="danvan.worklist.flush_pending")

        # The menu's groups, in the order of an official's day; apps put their items in them.
        navigation.register_group(key="reports", label=_("Reports"), order=200)
        navigation.register_group(key="voice", label=_("Opinions – Reception"), order=300)
        navigation.register_group(key="documents", label=_("Documents – Programmes"), order=600)
        navigation.register_group(key="organisation", label=_("Organisation"), order=750)
        navigation.register_group(key="administration", label=_("Administration"), order=800)

        navigation.register(label=_("To do"), url_name="core:home", key="core", order=10)
        # The API's description is in the menu of administrators only (administration/apps.py).
