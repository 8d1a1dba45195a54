from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "danvan.orgs"
    label = "orgs"
    verbose_name = "Organisations"

    def ready(self):
        from danvan.audit.descriptions import describe
        from danvan.audit.services import register

        from .models import MobilisationLead, RestructuringEvent, Unit, UnitGroup, UnitImport, UnitType

        register(model=Unit, unit=lambda unit: unit)
        register(model=MobilisationLead, unit=lambda lead: lead.unit)
        register(model=UnitGroup, unit=lambda group: None)
        register(model=UnitType, unit=lambda unit_type: None)
        # How the audit log names them; a unit's restructuring events carry the kind of change.
        describe(Unit, name=_("Unit"), choices={"kind": RestructuringEvent.Kind.choices})
        describe(UnitType, name=_("Unit type"))
        describe(UnitGroup, name=_("Unit group"))
        describe(MobilisationLead, name=_("Mobilisation lead"))
        describe(UnitImport, name=_("Unit import"))

        from . import indexing

        indexing.register()

        from .exchange import jobs

        jobs.register()  # large imports and exports run as background jobs (danvan.jobs)

        from danvan.core import navigation

        navigation.register(
            label=_("Organisations"), url_name="orgs:tree", key="orgs", order=100, group="organisation"
        )
