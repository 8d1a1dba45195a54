from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

CASE_PAGES = ("case", "box", "overdue", "stats", "flag")  # URL names of the case pages, not the deadlines'


def _on_case_page(match) -> bool:
    return match.namespace == "voice" and (match.url_name or "").startswith(CASE_PAGES)


class VoiceConfig(AppConfig):
    name = "danvan.voice"
    label = "voice"
    verbose_name = "Citizen and staff voice"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from danvan.audit.services import register

        from . import calendar
        from .models import CalendarDay, DeadlineRule

        # Rules and the calendar belong to the whole installation, not to one unit.
        register(DeadlineRule, unit=lambda rule: None)
        register(CalendarDay, unit=lambda entry: None)
        from .models import BoxOpening

        register(BoxOpening, unit=lambda opening: opening.unit)
        # Who sent a case: the log sees that it changed, never its values (ciphertext, fingerprints).
        from .models import Identity

        register(Identity, unit=lambda person: person.case.unit, exclude=("ciphertext", "fingerprints"))
        post_save.connect(calendar.changed, sender=CalendarDay, dispatch_uid="voice-calendar-saved")
        post_delete.connect(calendar.changed, sender=CalendarDay, dispatch_uid="voice-calendar-deleted")

        # Figures and patterns follow the cases (stats.py, patterns.py).
        from . import patterns, stats
        from .models import CaseEvent, Identity

        stats.register_sources()
        post_save.connect(stats.case_event_saved, sender=CaseEvent, dispatch_uid="voice-stats-event")
        post_save.connect(patterns.case_event_saved, sender=CaseEvent, dispatch_uid="voice-patterns-event")
        post_save.connect(patterns.identity_saved, sender=Identity, dispatch_uid="voice-patterns-identity")

        # Cases overdue or due soon: the second of the daily reminders (reminders.kinds).
        from danvan.reminders import kinds as reminder_kinds
        from danvan.voice.lists import REMINDER_KIND

        reminder_kinds.register(REMINDER_KIND, order=20)
        self._register_menu()

    def _register_menu(self):
        from danvan.accounts import policy
        from danvan.core import navigation

        navigation.register(
            label=_("Cases"),
            url_name="voice:case_list",
            key="voice-cases",
            order=300,
            visible=lambda user: policy.has_any(user, policy.Perm.CASE_VIEW),
            current=_on_case_page,
        )
        navigation.register(
            label=_("Statutory deadlines"),
            url_name="voice:rules",
            key="voice",
            order=400,
            # The rules belong to the whole installation.
            visible=lambda user: policy.can(user, policy.Perm.DEADLINE_MANAGE, None),
            current=lambda match: match.namespace == "voice" and not _on_case_page(match),
        )
