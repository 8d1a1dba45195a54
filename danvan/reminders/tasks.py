"""The reminders' Celery task, and the runner the modules' daily tasks call (beat names stay theirs)."""

import datetime

from danvan.accounts.actors import System
from danvan.audit.context import Actor, acting_as
from danvan.core.background import task


def run(name: str, today: datetime.date | None = None) -> int:
    """Send one kind's reminders as a daily task: the audit log names "<kind> reminders" as the actor."""
    from .services import send

    with acting_as(Actor(id=None, label=f"{name} reminders", source="task")):
        return send(kind=name, today=today, by=System(f"{name} reminders"))


@task(soft_time_limit=30 * 60)
def send_reminders(kind: str | None = None, today: str | None = None) -> dict[str, int]:
    """Every reminder kind, or only `kind`, for `today` (ISO date; the local date when not given).

    Returns kind name → e-mails sent.
    """
    from .kinds import kind_get, kinds

    day = datetime.date.fromisoformat(today) if today else None
    chosen = [kind_get(kind)] if kind else kinds()
    return {each.name: run(each.name, day) for each in chosen}
