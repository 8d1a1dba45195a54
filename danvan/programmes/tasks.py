"""Background work of the action programmes (Celery; eager on the embedded default)."""

from celery import shared_task


@shared_task
def send_programme_reminders() -> int:
    """Daily: extend recurring tasks' occurrences to the horizon, then remind of overdue tasks (once a day)."""
    from danvan.audit.context import Actor, acting_as

    from .reminders import send_overdue_reminders
    from .services import occurrences_extend

    with acting_as(Actor(id=None, label="programme reminders", source="task")):
        occurrences_extend()
        return send_overdue_reminders()
