"""Background work of the voice module (Celery; eager on the embedded default)."""

from celery import shared_task


@shared_task
def send_case_reminders() -> int:
    """Daily: remind handlers of their cases due soon and overdue, and unit heads of their overdue cases."""
    from danvan.audit.context import Actor, acting_as

    from .lists import send_reminders

    with acting_as(Actor(id=None, label="case reminders", source="task")):
        return send_reminders()
