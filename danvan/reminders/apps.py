from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "danvan.reminders"
    label = "reminders"
    verbose_name = "Reminders"
