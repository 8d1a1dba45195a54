from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectivesConfig(AppConfig):
    name = "danvan.directives"
    label = "directives"
    verbose_name = "Directives, dissemination and action programmes"

    def ready(self):
        from danvan.audit.services import register

        from .models import Document, DocumentAttachment, DocumentRelation

        # The search key is derived from the other fields: the log keeps the fields themselves.
        register(model=Document, unit=lambda document: document.unit, exclude={"search_key"})
        register(model=DocumentAttachment, unit=lambda attachment: attachment.document.unit)
        register(model=DocumentRelation, unit=lambda relation: relation.from_document.unit)

        # Dissemination and study (dissemination.py): the recipient unit owns its receipt and sessions.
        from . import dissemination
        from .models import Delivery, StudySession

        register(model=Delivery, unit=lambda delivery: delivery.unit)
        register(model=StudySession, unit=lambda session: session.delivery.unit)
        dissemination.register_sources()
        # Overdue study of documents: the third of the daily reminders (reminders.kinds).
        from danvan.reminders import kinds as reminder_kinds

        reminder_kinds.register(dissemination.REMINDER_KIND, order=30)

        from danvan.accounts import policy
        from danvan.core import navigation

        def reads_documents(user) -> bool:
            return policy.has_any(user, policy.Perm.DOCUMENT_VIEW)

        navigation.register(
            label=_("Documents"),
            url_name="directives:list",
            key="directives",
            order=600,
            visible=reads_documents,
        )
        navigation.register(
            label=_("Documents to study"),
            url_name="directives:to_study",
            key="directives",
            order=610,
            visible=reads_documents,
        )
