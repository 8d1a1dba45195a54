"""Starting background jobs and ending the dead ones (the work itself is the kinds', see kinds.py)."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import get_language

from danvan.accounts import policy
from danvan.accounts.actors import Actor, recorded_user

from . import kinds, runner, tasks
from .models import Job
from .selectors import at_path


def job_start(*, kind: str, params: dict[str, Any], by: Actor, unit_path: str = "") -> Job:
    """Queue a job of `kind` for `by` (who must hold the kind's right at `unit_path`, or somewhere
    when the job is about the whole tree: the kind's run narrows the work to what they may do)."""
    declared = kinds.kind_get(kind)
    if declared is None:
        raise ValueError(f"unknown job kind {kind!r}")
    allowed = (
        policy.can(by, declared.perm, at_path(unit_path)) if unit_path else policy.has_any(by, declared.perm)
    )
    if not allowed:
        raise PermissionDenied
    job = Job.objects.create(
        kind=kind,
        params=params,
        unit_path=unit_path,
        language=get_language() or "",
        created_by=recorded_user(by),
        sent_at=timezone.now(),
    )
    # Eager on the embedded default: done when this returns. With Redis out of reach the job stays
    # waiting, and the schedule's `send-unsent-jobs` sends it once Redis is back.
    runner.send(job.pk, tasks.run_job)
    job.refresh_from_db()
    return job


def jobs_fail_stale(*, by: Actor) -> int:
    """Mark failed the jobs whose worker died or that no worker took, and remove the files of jobs
    finished more than JOBS_KEEP_DAYS ago (the installation's check: its operators and the system
    only). The number marked failed."""
    if not getattr(by, "is_superuser", False):
        raise PermissionDenied
    runner.forget_files()
    return runner.fail_stale()
