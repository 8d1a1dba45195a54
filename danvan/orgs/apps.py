from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "danvan.orgs"
    label = "orgs"
    verbose_name = "Organisations"

    def ready(self):
        from danvan.audit.services import register

        from .models import MobilisationLead, Unit, UnitGroup, UnitType

        register(Unit, unit=lambda unit: unit)
        register(MobilisationLead, unit=lambda lead: lead.unit)
        register(UnitGroup, unit=lambda group: None)
        register(UnitType, unit=lambda unit_type: None)
