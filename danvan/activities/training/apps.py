from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    """Training classes on mobilisation work (lớp tập huấn, bồi dưỡng công tác dân vận): the register,
    its report figures (classes held, participants), its import and its part of the overview."""

    name = "danvan.activities.training"
    label = "training"
    verbose_name = "Training"

    def ready(self):
        from danvan.activities.registers import menu_link
        from danvan.audit.descriptions import describe
        from danvan.audit.services import register as audit

        from . import importing, sources
        from .models import Participant, TrainingClass

        audit(model=TrainingClass, unit=lambda item: item.unit)
        audit(model=Participant, unit=lambda item: item.training_class.unit)
        describe(TrainingClass, name=_("Training class"))
        describe(Participant, name=_("Participant of a training class"))

        sources.register()
        importing.register()

        menu_link(label=_("Training classes"), url_name="training:list", key="training", order=430)

        from . import indexing

        indexing.SEARCHED.register()  # the one search (danvan.search)
