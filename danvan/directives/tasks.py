"""Background work of the directives module (Celery; eager on the embedded default)."""

from celery import shared_task


@shared_task
def send_study_reminders() -> int:
    """Daily: remind the units whose study of a document is overdue (once a day per delivery)."""
    from danvan.audit.context import Actor, acting_as

    from .dissemination import send_reminders

    with acting_as(Actor(id=None, label="study reminders", source="task")):
        return send_reminders()


@shared_task
def remove_abandoned_imports() -> int:
    """Daily: delete uploaded files whose import was never saved (older than the review allows)."""
    from .views import remove_abandoned_imports as remove

    return remove()
