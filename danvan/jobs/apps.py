from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "danvan.jobs"
    label = "jobs"
    verbose_name = "Background jobs"
