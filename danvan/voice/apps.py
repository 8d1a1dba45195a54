from django.apps import AppConfig


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
