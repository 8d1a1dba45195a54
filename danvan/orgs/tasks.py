"""Background work of the organisation registry (Celery; run eagerly in-process on the embedded default)."""

from celery import shared_task

from danvan.accounts import policy
from danvan.audit.context import acting_as, actor_for_user

from . import exchange
from .models import UnitImport


@shared_task
def import_units(job_id: int) -> str:
    """Run a pending unit import (see exchange.py); the uploader's permissions decide where units may go."""
    job = UnitImport.objects.select_related("created_by").filter(pk=job_id).first()
    if job is None or job.status != UnitImport.Status.PENDING:
        return "skipped"
    user = job.created_by

    def permitted(unit) -> bool:
        return policy.can(user, policy.Perm.UNIT_IMPORT, unit)

    with acting_as(actor_for_user(user, source="import")):
        job = exchange.import_job_run(job=job, permitted=permitted)
    return job.status
