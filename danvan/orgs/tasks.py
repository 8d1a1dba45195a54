"""Background work of the organisation registry (Celery; run eagerly in-process on the embedded default)."""

import logging

from celery import shared_task
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from danvan.accounts import policy
from danvan.accounts.actors import System
from danvan.audit.context import acting_as, actor_for_user

from . import services
from .exchange import jobs
from .models import UnitImport

logger = logging.getLogger(__name__)


@shared_task
def import_units(job_id: int) -> str:
    """Run a pending unit import (see exchange/jobs.py); the uploader's permissions decide where units may go."""
    job = UnitImport.objects.select_related("created_by").filter(pk=job_id).first()
    if job is None or job.status != UnitImport.Status.PENDING:
        return "skipped"
    user = job.created_by

    def permitted(unit) -> bool:
        return policy.can(user, policy.Perm.UNIT_IMPORT, unit)

    try:
        with acting_as(actor_for_user(user, source="import")):
            # An uploader since deleted may place units nowhere (`permitted`): the file is refused.
            by = user if user is not None else System("unit import")
            job = jobs.import_job_run(job=job, permitted=permitted, by=by)
    except Exception:
        # The import ran in one transaction, so nothing was saved; the job must not stay "waiting".
        logger.exception("Unit import %s failed", job_id)
        with override(job.summary.get("language")):
            message = _("The import stopped on an unexpected error; nothing was saved.")
        UnitImport.objects.filter(pk=job_id).update(
            status=UnitImport.Status.FAILED,
            errors=[{"row": None, "column": None, "message": message}],
            finished_at=timezone.now(),
        )
        return UnitImport.Status.FAILED
    return job.status


@shared_task
def refresh_unit_mirror() -> int:
    """Every six hours (beat): changes recorded ahead of their effective date take effect (paths, names,
    scopes). Without beat, `danvan refresh-units` does the same from cron."""
    return services.unit_mirror_refresh(by=System("refresh unit mirror"))
