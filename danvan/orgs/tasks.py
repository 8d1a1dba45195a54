"""Background work of the organisation registry (Celery; run eagerly in-process on the embedded default)."""

from danvan.accounts.actors import System
from danvan.audit.context import acting_as, actor_for_user
from danvan.core.background import task

from . import services
from .exchange import jobs
from .models import UnitImport


@task(soft_time_limit=3 * 60 * 60, acks_late=False, max_retries=0)
def import_units(job_id: int) -> str:
    """Run a pending unit import (see exchange/jobs.py); the uploader's permissions decide where units may go.

    Pages start imports as background jobs (danvan.jobs, kind `jobs.IMPORT_KIND`), which run the same."""
    job = UnitImport.objects.select_related("created_by").filter(pk=job_id).first()
    user = job.created_by if job is not None else None
    with acting_as(actor_for_user(user, source="import")):
        return jobs.import_job_execute(job_id)


@task(soft_time_limit=60 * 60)
def refresh_unit_mirror() -> int:
    """Every six hours (beat): changes recorded ahead of their effective date take effect (paths, names,
    scopes). Without beat, `danvan refresh-units` does the same from cron."""
    return services.unit_mirror_refresh(by=System("refresh unit mirror"))
