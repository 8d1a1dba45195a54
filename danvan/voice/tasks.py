"""Background work of the voice module (Celery; eager on the embedded default)."""

from danvan.core.background import task


@task(soft_time_limit=30 * 60)
def send_case_reminders() -> int:
    """Daily: remind handlers of their cases due soon and overdue, and unit heads of their overdue cases."""
    from danvan.reminders.tasks import run

    return run("case")
