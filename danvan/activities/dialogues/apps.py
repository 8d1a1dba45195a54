from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DialoguesConfig(AppConfig):
    name = "danvan.activities.dialogues"
    label = "dialogues"
    verbose_name = "Dialogues"

    def ready(self):
        from danvan.activities.registers import Register, menu_link, register
        from danvan.audit.descriptions import describe
        from danvan.audit.services import register as audit

        from . import indexing, selectors, services, sources, worklist
        from .models import Dialogue, Issue

        audit(model=Dialogue, unit=lambda dialogue: dialogue.unit)
        audit(model=Issue, unit=lambda issue: issue.dialogue.unit)
        describe(Dialogue, name=_("Dialogue"))
        describe(Issue, name=_("Issue raised in a dialogue"))

        sources.register()
        indexing.SEARCHED.register()  # the one search (danvan.search)
        worklist.register()
        register(
            Register(
                key="dialogue",
                label=_("Dialogues"),
                url_name="dialogues:home",
                order=10,
                columns=("unit_code", "held_on", "leader", "participants", "issues"),
                import_rows=services.import_rows,
                overview=selectors.overview,
                example=(("STP", "15/03/2026", "Nguyễn Văn A", 45, "Chế độ trực; Phòng làm việc"),),
            )
        )
        # the activities group: overview 420, then its registers (422 … 434)
        menu_link(label=_("Dialogues"), url_name="dialogues:home", key="dialogues", order=422)
