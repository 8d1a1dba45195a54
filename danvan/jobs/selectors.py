"""Which jobs a person may follow, and a job's state as the pages and the status endpoint show it."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from danvan.accounts import policy
from danvan.core.paths import path_upper_bound

from . import kinds, runner
from .models import Job


@dataclass
class _Place:
    path: str


def at_path(path: str) -> _Place:
    """A place in the tree the policy can be asked about, from a path alone."""
    return _Place(path)


def visible_jobs(user) -> QuerySet[Job]:
    """The jobs `user` may follow: their own, of kinds whose right they still hold somewhere, and jobs
    of shared kinds (imports) about a unit where they hold the kind's right."""
    if not (user is not None and user.is_authenticated and user.is_active):
        return Job.objects.none()
    condition = Q(pk__in=[])
    for kind in kinds.kinds():
        if not policy.has_any(user, kind.perm):
            continue
        condition |= Q(kind=kind.name, created_by=user)
        if kind.shared:
            condition |= Q(kind=kind.name) & _over(user, kind)
    return Job.objects.filter(condition)


def _over(user, kind: kinds.Kind) -> Q:
    paths = policy.scope_paths(user, kind.perm)
    if paths is None:
        return Q()
    where = Q(pk__in=[])
    if policy.can(user, kind.perm, None):
        where |= Q(unit_path="")
    for path in paths:
        where |= Q(unit_path__gte=path, unit_path__lt=path_upper_bound(path))
    return where


def job_for(*, kind: str, key: str, value: Any) -> Job | None:
    """The latest job of `kind` started with params[key] == value (a module finding its record's job)."""
    return Job.objects.filter(kind=kind, **{f"params__{key}": value}).order_by("-id").first()


def job_label(job: Job) -> str:
    kind = kinds.kind_get(job.kind)
    return str(kind.label) if kind is not None else _("Background work")


def job_status(job: Job) -> dict[str, Any]:
    """What the job page shows and its script polls: state in words, counts, whether it may have stopped."""
    stopped = runner.looks_stopped(job)
    return {
        "state": job.state,
        "state_label": _("It may have stopped") if stopped else job.get_state_display(),
        "stopped": stopped,
        "finished": job.finished,
        "done": job.done,
        "total": job.total,
        "percent": round(100 * job.done / job.total) if job.total else None,
        "message": job.message,
        "has_file": bool(job.file),
    }
