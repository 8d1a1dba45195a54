from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExemplarsConfig(AppConfig):
    """“Dân vận khéo” models: campaigns, models (nominated, reviewed by the level above, recognised or
    returned), their replications; report sources, the overview card, the work home and reminders."""

    name = "danvan.emulation.exemplars"
    label = "exemplars"
    verbose_name = "“Dân vận khéo” models"

    def ready(self):
        from danvan.audit.descriptions import describe
        from danvan.audit.services import register

        from .models import (
            Campaign,
            CampaignState,
            Evidence,
            Exemplar,
            Field,
            Level,
            Replication,
            Result,
            Score,
            Stage,
            Transition,
        )

        register(model=Campaign, unit=lambda campaign: campaign.unit)
        register(model=Exemplar, unit=lambda exemplar: exemplar.unit)
        register(model=Result, unit=lambda result: result.exemplar.unit)
        register(model=Evidence, unit=lambda evidence: evidence.exemplar.unit)
        register(model=Score, unit=lambda score: score.exemplar.unit)
        register(model=Transition, unit=lambda transition: transition.exemplar.unit)
        register(model=Replication, unit=lambda replication: replication.unit)
        describe(Campaign, name=_("“Dân vận khéo” campaign"), choices={"state": CampaignState.choices})
        describe(
            Exemplar,
            name=_("“Dân vận khéo” model"),
            choices={"field": Field.choices, "stage": Stage.choices, "level": Level.choices},
        )
        describe(Result, name=_("Result of a model"))
        describe(Evidence, name=_("Evidence of a model"))
        describe(Score, name=_("Score of a model"))
        describe(
            Transition,
            name=_("Change of stage of a model"),
            choices={"from_stage": Stage.choices, "to_stage": Stage.choices},
        )
        describe(Replication, name=_("Replication of a model"))

        from . import indexing, reminders, sources, worklist

        sources.register()
        indexing.register()  # the one search (danvan.search)
        worklist.register()

        from danvan.reminders import kinds as reminder_kinds

        reminder_kinds.register(reminders.REMINDER_KIND, order=50)

        from danvan.emulation import cards

        from . import selectors

        cards.register(
            cards.Card(
                key="exemplars",
                label=_("“Dân vận khéo” models"),
                url_name="exemplars:list",
                order=10,
                figures=selectors.card,
            )
        )

        from danvan.accounts import policy
        from danvan.core import navigation

        navigation.register(
            label=_("“Dân vận khéo” models"),
            url_name="exemplars:list",
            key="exemplars",
            order=454,
            current=lambda match: (
                match.namespace == "exemplars" and not match.url_name.startswith("campaign")
            ),
            visible=lambda user: policy.has_any(user, policy.Perm.EMULATION_VIEW),
            group="emulation",
        )
        navigation.register(
            label=_("Emulation campaigns"),
            url_name="exemplars:campaigns",
            key="exemplars",
            order=455,
            current=lambda match: match.namespace == "exemplars" and match.url_name.startswith("campaign"),
            visible=lambda user: policy.has_any(user, policy.Perm.EMULATION_MANAGE),
            group="emulation",
        )
