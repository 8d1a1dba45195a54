from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "danvan.activities.inspections"
    label = "inspections"
    verbose_name = "Inspection and supervision"

    def ready(self):
        from danvan.audit.descriptions import describe
        from danvan.audit.services import register

        from .models import Inspection, Remedy, Target

        register(model=Inspection, unit=lambda inspection: inspection.unit)
        register(model=Target, unit=lambda target: target.unit)
        register(model=Remedy, unit=lambda remedy: remedy.target.unit)
        describe(Inspection, name=_("Inspection or supervision programme"))
        describe(Target, name=_("Inspected unit"))
        describe(Remedy, name=_("Recommendation or remedy"))

        from danvan.activities.registers import Register
        from danvan.activities.registers import register as register_activity

        from . import selectors

        register_activity(
            Register(
                key="inspection",
                label=_("Inspection and supervision"),
                url_name="inspections:home",
                order=80,
                overview=selectors.overview,
            )
        )

        from . import worklist

        worklist.register()

        from danvan.accounts import policy
        from danvan.core import navigation

        navigation.register(
            label=_("Inspection and supervision"),
            url_name="inspections:home",
            key="inspections",
            order=434,
            visible=lambda user: policy.has_any(user, policy.Perm.ACTIVITY_VIEW),
            group="activities",
        )
