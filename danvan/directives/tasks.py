"""Background work of the directives module (Celery; eager on the embedded default)."""

from danvan.core.background import task


@task()
def send_study_reminders() -> int:
    """Daily: remind the units whose study of a document is overdue (once a day per delivery and person)."""
    from danvan.reminders.tasks import run

    return run("study")


@task()
def remove_abandoned_imports() -> int:
    """Daily: delete uploaded files whose import was never saved (older than the review allows)."""
    from .views import remove_abandoned_imports as remove

    return remove()
