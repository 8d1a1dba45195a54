"""The one list of scheduled jobs: Celery beat's schedule (danvan/celery.py) and `danvan run-daily`
(installations without beat) are both made from it. Times are Việt Nam's (CELERY_TIMEZONE).

A job names its Celery task by its dotted name (the ground floor imports no app); a test checks that
every task exists, has time limits and is run by `run-daily`.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Job:
    name: str  # the beat entry's name
    task: str  # the Celery task's dotted name
    label: object  # what `run-daily` says it did (translated)
    at: tuple[int, int] | None = None  # daily at (hour, minute) …
    every: int | None = None  # … or every so many seconds
    kwargs: dict = field(default_factory=dict)


# In the order `run-daily` runs them: the tree first (who may see what), then stale jobs and periods,
# then the reminders (which read the periods), then the clean-up.
JOBS: tuple[Job, ...] = (
    Job(
        "refresh-unit-mirror",
        "danvan.orgs.tasks.refresh_unit_mirror",
        _("Changes of the tree taken effect"),
        every=6 * 60 * 60,
    ),
    Job(
        "fail-stale-jobs",
        "danvan.jobs.tasks.fail_stale",
        _("Stopped background jobs marked failed"),
        every=5 * 60,
    ),
    Job(
        "send-unsent-jobs",  # started while the broker (Redis) was out of reach
        "danvan.jobs.tasks.send_unsent",
        _("Background jobs sent to a worker"),
        every=60,
    ),
    Job("prepare-periods", "danvan.reports.tasks.prepare_periods", _("Report periods prepared"), at=(1, 30)),
    Job(
        "send-report-reminders",
        "danvan.reports.tasks.send_report_reminders",
        _("Report reminders sent"),
        at=(7, 0),
    ),
    Job(
        "send-case-reminders", "danvan.voice.tasks.send_case_reminders", _("Case reminders sent"), at=(7, 10)
    ),
    Job(
        "send-study-reminders",
        "danvan.directives.tasks.send_study_reminders",
        _("Study reminders sent"),
        at=(7, 20),
    ),
    Job(
        "send-programme-reminders",
        "danvan.programmes.tasks.send_programme_reminders",
        _("Programme occurrences extended, reminders sent"),
        at=(7, 30),
    ),
    Job(
        "send-exemplar-reminders",
        "danvan.emulation.exemplars.tasks.send_exemplar_reminders",
        _("“Dân vận khéo” reminders sent"),
        at=(7, 40),
    ),
    Job(
        "send-quiz-reminders",  # quizzes closing within 3 days, not yet taken
        "danvan.reminders.tasks.send_reminders",
        _("Quiz reminders sent"),
        at=(7, 50),
        kwargs={"kind": "quiz"},
    ),
    Job(
        "send-evaluation-reminders",  # self-assessments and reviews due
        "danvan.reminders.tasks.send_reminders",
        _("Evaluation reminders sent"),
        at=(7, 55),
        kwargs={"kind": "evaluation"},
    ),
    Job(
        "remove-abandoned-imports",
        "danvan.directives.tasks.remove_abandoned_imports",
        _("Abandoned uploaded documents deleted"),
        at=(3, 40),
    ),
)


def beat_schedule() -> dict[str, dict]:
    """Celery beat's schedule, made from JOBS."""
    from celery.schedules import crontab

    entries: dict[str, dict] = {}
    for job in JOBS:
        when = crontab(hour=job.at[0], minute=job.at[1]) if job.at is not None else job.every
        entry: dict = {"task": job.task, "schedule": when}
        if job.kwargs:
            entry["kwargs"] = dict(job.kwargs)
        entries[job.name] = entry
    return entries
