"""Background work of the “Dân vận khéo” models (Celery; eager on the embedded default).

Celery beat runs `send_exemplar_reminders` every morning at 07:40 (danvan/core/schedule.py,
"send-exemplar-reminders"): models waiting for review past the days allowed, nomination deadlines near.
"""

import datetime

from danvan.core.background import task


@task(soft_time_limit=30 * 60)
def send_exemplar_reminders(today: str | None = None) -> int:
    """Daily: remind reviewers and units (once a day); `today` (ISO date) is the day the run stands for.
    Returns how many reminder e-mails were sent."""
    from danvan.reminders.tasks import run

    return run("exemplars", datetime.date.fromisoformat(today) if today else None)
