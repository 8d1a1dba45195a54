from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkplaceConfig(AppConfig):
    name = "danvan.activities.workplace"
    label = "workplace"
    verbose_name = "Workplace democracy"

    def ready(self):
        from danvan.activities.registers import menu_link
        from danvan.audit.descriptions import describe
        from danvan.audit.services import register

        from .models import Conference, Disclosure

        register(model=Conference, unit=lambda conference: conference.unit)
        register(model=Disclosure, unit=lambda disclosure: disclosure.unit)
        describe(Conference, name=_("Staff conference"))
        describe(Disclosure, name=_("Disclosure to staff"))

        from . import overview, worklist

        overview.register()
        worklist.register()

        menu_link(
            label=_("Staff conferences and disclosures"),
            url_name="workplace:home",
            key="workplace",
            order=424,
        )

        from . import indexing

        indexing.SEARCHED.register()  # the one search (danvan.search)
