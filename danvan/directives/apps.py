from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectivesConfig(AppConfig):
    name = "danvan.directives"
    label = "directives"
    verbose_name = "Directives, dissemination and action programmes"

    def ready(self):
        from danvan.audit.descriptions import describe
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
        describe(Document, name=_("Document"))
        describe(DocumentAttachment, name=_("Attachment"))
        describe(DocumentRelation, name=_("Link between documents"))
        describe(Delivery, name=_("Document sent to a unit"))
        describe(StudySession, name=_("Study session"))
        dissemination.register_sources()
        # Documents in the one search (danvan.search), found where they may be opened.
        from . import indexing

        indexing.register()
        # Overdue study of documents: the third of the daily reminders (reminders.kinds).
        from danvan.reminders import kinds as reminder_kinds

        reminder_kinds.register(dissemination.REMINDER_KIND, order=30)
        # Documents to acknowledge or study on the work home (core.worklist).
        from . import worklist

        worklist.register()

        from danvan.accounts import policy
        from danvan.core import navigation

        def reads_documents(user) -> bool:
            return policy.has_any(user, policy.Perm.DOCUMENT_VIEW)

        # Both items live in the `directives` namespace: the study pages are theirs, the rest the register's.
        study_pages = {"to_study", "delivery", "acknowledge", "session_add"}

        def on_study_page(match) -> bool:
            return match.namespace == "directives" and match.url_name in study_pages

        def on_register_page(match) -> bool:
            return match.namespace == "directives" and match.url_name not in study_pages

        navigation.register(
            label=_("Documents"),
            url_name="directives:list",
            key="directives",
            order=600,
            visible=reads_documents,
            current=on_register_page,
            group="documents",
        )
        navigation.register(
            label=_("Documents to study"),
            url_name="directives:to_study",
            key="directives",
            order=610,
            visible=reads_documents,
            current=on_study_page,
            group="documents",
        )
