"""Background work of the voice module (Celery; eager on the embedded default)."""

from celery import shared_task


@shared_task
def send_case_reminders() -> int:
    """Daily: remind handlers of their cases due soon and overdue, and unit heads of their overdue cases."""
    from danvan.reminders.tasks import run

    return run("case")
