"""Background work of the reports module (Celery; eager on the embedded default)."""

from danvan.core.background import task


@task(soft_time_limit=2 * 60 * 60)
def rebuild_periods(period_ids: list[int]) -> int:
    """Rebuild the tree and roll-up of these periods (after a restructuring that reaches them)."""
    from . import rollup
    from .models import Period

    count = 0
    for period in Period.objects.filter(id__in=period_ids):
        rollup.rebuild(period)  # one transaction per period: never a half-built tree
        count += 1
    return count


@task(soft_time_limit=2 * 60 * 60)
def prepare_periods() -> int:
    """Nightly: create and prepare the periods around today (`services.periods_prepare`), so that no
    page or API read ever has to; returns how many were prepared now."""
    from django.utils import timezone

    from danvan.accounts.actors import System

    from . import services

    done = services.periods_prepare(today=timezone.localdate(), by=System("prepare periods"))
    return sum(1 for _period, prepared in done if prepared)


@task(soft_time_limit=30 * 60)
def send_report_reminders() -> int:
    """Daily: remind units of reports due soon or overdue, and the level above of overdue ones."""
    from danvan.reminders.tasks import run

    return run("report")
