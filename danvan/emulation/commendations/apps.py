from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommendationsConfig(AppConfig):
    """Commendations (khen thưởng) of collectives and individuals: the list per year and unit, its XLSX
    export and import, the figures "commendations.collectives" and "commendations.individuals", a card
    on the emulation overview."""

    name = "danvan.emulation.commendations"
    label = "commendations"
    verbose_name = "Commendations"

    def ready(self):
        from danvan.audit.descriptions import describe
        from danvan.audit.services import register

        from .models import Commendation

        register(
            model=Commendation,
            unit=lambda item: item.unit,
            exclude=("decision_file", "decision_file_sha256"),
        )
        describe(Commendation, name=_("Commendation"))

        from . import sources

        sources.register()

        from danvan.emulation import cards

        from . import selectors

        cards.register(
            cards.Card(
                key="commendations",
                label=_("Commendations"),
                url_name="commendations:list",
                order=20,
                figures=selectors.card,
            )
        )

        from danvan.emulation import earned

        earned.register(
            earned.Provider(
                key="commendations", listed=selectors.earned_by, add_url=selectors.record_linked_url
            )
        )

        from danvan.accounts import policy
        from danvan.core import navigation

        navigation.register(
            label=_("Commendations"),
            url_name="commendations:list",
            key="commendations",
            order=456,
            visible=lambda user: policy.has_any(user, policy.Perm.EMULATION_VIEW),
            group="emulation",
        )
