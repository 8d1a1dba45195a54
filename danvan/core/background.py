"""How every Celery task of DânVận is declared: `@task(...)` instead of Celery's `@shared_task`.

Each task gets time limits (a soft one raises SoftTimeLimitExceeded inside the task so it can stop
cleanly; the hard one kills the worker's child a minute later), retries with exponential backoff (and
jitter) when the database is out of reach for a moment (OperationalError, InterfaceError: a restart, a
failover, a full connection pool), and `acks_late` where running a task twice does no harm (every
scheduled job is: reminders drop what was already sent that day, periods prepared are left as they
are), so a task still in the queue when its worker stops (a restart, a deployment) is run by another worker;
a task whose worker process was killed mid-way is not re-run (CELERY_TASK_REJECT_ON_WORKER_LOST is False):
the next scheduled run does its work. A task that must not run twice says `acks_late=False`. The broker's
visibility timeout (CELERY_BROKER_TRANSPORT_OPTIONS) is longer than any task's hard limit.
"""

from celery import shared_task
from django.db import InterfaceError, OperationalError

RETRY_ON = (OperationalError, InterfaceError)
SOFT_TIME_LIMIT = 10 * 60  # seconds
GRACE = 60  # seconds between the soft and the hard limit


def task(*, soft_time_limit: int = SOFT_TIME_LIMIT, acks_late: bool = True, max_retries: int = 5):
    return shared_task(
        soft_time_limit=soft_time_limit,
        time_limit=soft_time_limit + GRACE,
        autoretry_for=RETRY_ON,
        retry_backoff=True,  # 1 s, 2 s, 4 s … with jitter
        retry_backoff_max=5 * 60,
        retry_jitter=True,
        max_retries=max_retries,
        acks_late=acks_late,
    )
