from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    """Evaluation scorecards, classification (Quy định 366-QĐ/TW, Điều 11) and rankings of units
    (issue 15, items 3–4): templates as data, the unit's self-assessment, the review by the level above,
    the final classification, rankings across a level; their figures, card, work home and reminders."""

    name = "danvan.emulation.evaluations"
    label = "evaluations"
    verbose_name = "Evaluations"

    def ready(self):
        from danvan.accounts import policy
        from danvan.audit.descriptions import describe
        from danvan.audit.services import register as audited
        from danvan.core import navigation
        from danvan.reminders import kinds as reminder_kinds
        from danvan.reports import panels

        from . import dashboard, overview, reminders, sources, worklist
        from .models import (
            Classification,
            Criterion,
            Evaluation,
            Scorecard,
            Section,
            State,
            Thresholds,
            Transition,
        )

        audited(model=Scorecard, unit=lambda card: None)
        audited(model=Section, unit=lambda section: None)
        audited(model=Criterion, unit=lambda criterion: None)
        audited(model=Thresholds, unit=lambda thresholds: None)
        audited(model=Evaluation, unit=lambda evaluation: evaluation.unit)
        audited(model=Transition, unit=lambda transition: transition.evaluation.unit)
        describe(Scorecard, name=_("Evaluation scorecard"))
        describe(Section, name=_("Section of an evaluation scorecard"))
        describe(Criterion, name=_("Criterion of an evaluation scorecard"))
        describe(Thresholds, name=_("Classification thresholds"))
        describe(
            Evaluation,
            name=_("Evaluation of a unit"),
            choices={
                "state": State.choices,
                "classification": Classification.choices,
                "proposed": Classification.choices,
            },
        )
        describe(
            Transition,
            name=_("Step of an evaluation"),
            choices={"from_state": State.choices, "to_state": State.choices},
        )

        overview.register()
        sources.register()
        panels.register("evaluations_ranking", order=10, collect=dashboard.collect)
        worklist.register()
        reminder_kinds.register(reminders.REMINDER_KIND, order=64)
        navigation.register(
            label=_("Evaluation and classification"),
            url_name="evaluations:home",
            key="evaluations",
            order=458,
            visible=lambda user: policy.has_any(user, policy.Perm.EMULATION_VIEW),
            group="emulation",
        )
        navigation.register(
            label=_("Emulation ranking"),
            url_name="evaluations:ranking",
            key="evaluations_ranking",
            order=460,
            visible=lambda user: policy.has_any(user, policy.Perm.EMULATION_VIEW),
            group="emulation",
        )
