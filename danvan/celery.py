"""Celery application. Redis is the broker when REDIS_URL is set; otherwise tasks run eagerly in-process."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.settings")

app = Celery("danvan")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Added to the schedule of settings.CELERY_BEAT_SCHEDULE (times in CELERY_TIMEZONE, Asia/Ho_Chi_Minh).
EXTRA_BEAT_SCHEDULE = {
    "fail-stale-jobs": {  # background jobs whose worker died are marked failed, not left "running"
        "task": "danvan.jobs.tasks.fail_stale",
        "schedule": 5 * 60,
    },
    "prepare-periods": {  # before anyone opens a report, and before the reminders
        "task": "danvan.reports.tasks.prepare_periods",
        "schedule": crontab(hour=1, minute=30),
    },
    "send-report-reminders": {
        "task": "danvan.reports.tasks.send_report_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    "send-case-reminders": {
        "task": "danvan.voice.tasks.send_case_reminders",
        "schedule": crontab(hour=7, minute=10),
    },
    "send-study-reminders": {
        "task": "danvan.directives.tasks.send_study_reminders",
        "schedule": crontab(hour=7, minute=20),
    },
    "remove-abandoned-imports": {
        "task": "danvan.directives.tasks.remove_abandoned_imports",
        "schedule": crontab(hour=3, minute=40),
    },
    "send-programme-reminders": {
        "task": "danvan.programmes.tasks.send_programme_reminders",
        "schedule": crontab(hour=7, minute=30),
    },
    "send-exemplar-reminders": {
        "task": "danvan.emulation.exemplars.tasks.send_exemplar_reminders",
        "schedule": crontab(hour=7, minute=40),
    },
    "send-quiz-reminders": {  # quizzes closing within 3 days, not yet taken
        "task": "danvan.reminders.tasks.send_reminders",
        "schedule": crontab(hour=7, minute=50),
        "kwargs": {"kind": "quiz"},
    },
    "send-evaluation-reminders": {  # self-assessments and reviews due
        "task": "danvan.reminders.tasks.send_reminders",
        "schedule": crontab(hour=7, minute=55),
        "kwargs": {"kind": "evaluation"},
    },
}


@app.on_after_configure.connect
def _add_beat_entries(sender, **kwargs):
    schedule = dict(sender.conf.beat_schedule or {})
    for name, entry in EXTRA_BEAT_SCHEDULE.items():
        schedule.setdefault(name, entry)
    sender.conf.beat_schedule = schedule
