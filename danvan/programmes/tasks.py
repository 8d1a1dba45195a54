"""Background work of the action programmes (Celery; eager on the embedded default).

Celery beat runs `send_programme_reminders` every morning at 07:30 (danvan/celery.py,
"send-programme-reminders"): it first extends the recurring tasks' occurrences to the horizon (the end
of next year, so on 1 January a new year's deadlines appear), then e-mails the overdue ones.
"""

import datetime

from celery import shared_task


@shared_task
def send_programme_reminders(today: str | None = None) -> int:
    """Daily: extend recurring tasks' occurrences to the horizon, then remind of overdue tasks (once a day).

    `today` (ISO date) is the day the run stands for; the local date when not given.
    Returns how many reminder e-mails were sent.
    """
    from danvan.audit.context import Actor, acting_as

    from .reminders import send_overdue_reminders
    from .services import horizon, occurrences_extend
    from .services import today as local_today

    day = datetime.date.fromisoformat(today) if today else local_today()
    with acting_as(Actor(id=None, label="programme reminders", source="task")):
        occurrences_extend(until=horizon(day))
        return send_overdue_reminders(today=day)
