"""Background work of the action programmes (Celery; eager on the embedded default).

Celery beat runs `send_programme_reminders` every morning at 07:30 (danvan/core/schedule.py,
"send-programme-reminders"): it first extends the recurring tasks' occurrences to the horizon (the end
of next year, so on 1 January a new year's deadlines appear), then e-mails the overdue ones.
"""

import datetime

from danvan.core.background import task


@task(soft_time_limit=30 * 60)
def send_programme_reminders(today: str | None = None) -> int:
    """Daily: extend recurring tasks' occurrences to the horizon, then remind of overdue tasks (once a day).

    `today` (ISO date) is the day the run stands for; the local date when not given.
    Returns how many reminder e-mails were sent.
    """
    from danvan.reminders.tasks import run

    return run("programme", datetime.date.fromisoformat(today) if today else None)
