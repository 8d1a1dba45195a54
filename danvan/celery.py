"""Celery application. Redis is the broker when REDIS_URL is set; otherwise tasks run eagerly in-process.

Beat's schedule comes from the one list of scheduled jobs, danvan/core/schedule.py (which `danvan
run-daily` runs too, for installations without beat); times in CELERY_TIMEZONE, Asia/Ho_Chi_Minh.
Tasks are declared with danvan.core.background.task (time limits, retries).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.settings")

app = Celery("danvan")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

from danvan.core import schedule  # noqa: E402 - after the settings module is named

BEAT_SCHEDULE = schedule.beat_schedule()
EXTRA_BEAT_SCHEDULE = BEAT_SCHEDULE  # the name earlier tests and notes use


@app.on_after_configure.connect
def _add_beat_entries(sender, **kwargs):
    sender.conf.beat_schedule = dict(BEAT_SCHEDULE)
