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
        post_save.connect(calendar.changed, sender=CalendarDay, dispatch_uid="voice-calendar-saved")
        post_delete.connect(calendar.changed, sender=CalendarDay, dispatch_uid="voice-calendar-deleted")
