"""Background work of the organisation registry (Celery; run eagerly in-process on the embedded default)."""

from celery import shared_task

from danvan.accounts.actors import System
from danvan.audit.context import acting_as, actor_for_user

from . import services
from .exchange import jobs
from .models import UnitImport


@shared_task
def import_units(job_id: int) -> str:
    """Run a pending unit import (see exchange/jobs.py); the uploader's permissions decide where units may go.

    Pages start imports as background jobs (danvan.jobs, kind `jobs.IMPORT_KIND`), which run the same."""
    job = UnitImport.objects.select_related("created_by").filter(pk=job_id).first()
    user = job.created_by if job is not None else None
    with acting_as(actor_for_user(user, source="import")):
        return jobs.import_job_execute(job_id)


@shared_task
def refresh_unit_mirror() -> int:
    """Every six hours (beat): changes recorded ahead of their effective date take effect (paths, names,
    scopes). Without beat, `danvan refresh-units` does the same from cron."""
    return services.unit_mirror_refresh(by=System("refresh unit mirror"))
