"""Running a job and keeping its row true: sending it, the claim, progress, heartbeat, the end, and dead jobs.

Not a services module: nobody calls these for a person. The task (`tasks.run_job`) runs a job for
its owner, whose rights the kind's own code applies; `fail_stale` is the installation's check.

Progress is written with one UPDATE every `PROGRESS_ROWS` rows, at most once per
`JOBS_PROGRESS_SECONDS`. Work that holds a transaction open
(an import applies a whole file in one) cannot show its writes before it commits, so a heartbeat
thread, on its own database connection, writes `heartbeat_at` and the latest count every
`JOBS_HEARTBEAT_SECONDS`: a live job never looks dead, a dead one stops beating.

A job is handed to the broker when it is started (`send`). When the broker (Redis) is out of reach, the
publish gives up within seconds (settings: CELERY_TASK_PUBLISH_RETRY_POLICY, the broker's socket
timeouts) and the job stays waiting, owed a send (`sent_at` none); `send_unsent`, every minute (the
schedule, danvan/core/schedule.py), hands such jobs over once the broker is back.
"""

import contextlib
import datetime
import logging
import threading
import time
from typing import IO

import kombu.exceptions
from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from danvan.audit.context import acting_as, actor_for_user
from danvan.core import replica, uploads

from . import kinds
from .models import Job

logger = logging.getLogger(__name__)
PROGRESS_ROWS = 500  # a progress report writes at most once per this many rows


def progress_seconds() -> float:
    """At most one progress write per this many seconds (each write is a commit)."""
    return float(getattr(settings, "JOBS_PROGRESS_SECONDS", 1))


def heartbeat_seconds() -> float:
    return float(getattr(settings, "JOBS_HEARTBEAT_SECONDS", 60))


def stale_after() -> datetime.timedelta:
    """A running job whose heartbeat is older than this has lost its worker."""
    return datetime.timedelta(seconds=int(getattr(settings, "JOBS_STALE_SECONDS", 10 * 60)))


def waiting_after() -> datetime.timedelta:
    """A job still waiting this long after it was created has no worker to take it."""
    return datetime.timedelta(seconds=int(getattr(settings, "JOBS_WAITING_SECONDS", 30 * 60)))


def looks_stopped(job: Job, now: datetime.datetime | None = None) -> bool:
    """Has this unfinished job stopped (a worker that died, or none at all)? Shown, never written."""
    now = now or timezone.now()
    if job.state == Job.State.RUNNING:
        return (job.heartbeat_at or job.started_at or job.created_at) < now - stale_after()
    if job.state == Job.State.WAITING:
        return job.created_at < now - waiting_after()
    return False


def send(job_id: int, task) -> bool:
    """Hand a waiting job to the broker (`task.delay`, run at once on the embedded default). When the
    broker is out of reach the job stays waiting, owed a send. Whether it was handed over."""
    try:
        task.delay(job_id)
    except kombu.exceptions.OperationalError as error:
        logger.warning(
            "Job %s not sent, the broker is out of reach (%s): it will be sent later", job_id, error
        )
        Job.objects.filter(pk=job_id, state=Job.State.WAITING).update(sent_at=None)
        return False
    return True


def send_unsent(task, now: datetime.datetime | None = None) -> int:
    """Send the waiting jobs the broker never got. Each is claimed first (waiting and unsent → sent now),
    so a job a worker took or another sweep sent is not sent again. Stops at the first failure (the
    broker is still away: the next sweep tries again). The number sent."""
    now = now or timezone.now()
    owed = Job.objects.filter(state=Job.State.WAITING, sent_at__isnull=True).order_by("created_at", "pk")
    sent = 0
    for job_id in owed.values_list("pk", flat=True):
        if not owed.filter(pk=job_id).update(sent_at=now):
            continue
        if not send(job_id, task):
            break
        sent += 1
    return sent


class Reporter:
    """The `progress(done, total)` a kind's run is given: cheap, writes every PROGRESS_ROWS rows at most
    once a second (and when the total is set or reached)."""

    def __init__(self, job: Job):
        self.job_id = job.pk
        self.done, self.total = 0, job.total
        self._written, self._written_at = 0, time.monotonic()
        self._lock = threading.Lock()
        self._depth = len(connection.atomic_blocks)  # transactions open around the run, not by it

    def _may_write_here(self) -> bool:
        """May progress be written on the run's own connection? Not inside a transaction the run opened,
        on PostgreSQL: the row would stay locked (and the count unseen) until it commits, and the
        heartbeat would wait behind it; the heartbeat writes the count instead. SQLite serialises
        writers anyway."""
        return len(connection.atomic_blocks) <= self._depth or connection.vendor == "sqlite"

    def __call__(self, done: int, total: int | None = None) -> None:
        with self._lock:
            changed_total = total is not None and total != self.total
            self.done = done
            if total is not None:
                self.total = total
        due = changed_total or (total is not None and done >= total)
        if not due and done - self._written >= PROGRESS_ROWS:
            due = time.monotonic() - self._written_at >= progress_seconds()
        if due and self._may_write_here():
            self.write()

    def write(self) -> None:
        with self._lock:
            done, total = self.done, self.total
        self._written, self._written_at = done, time.monotonic()
        Job.objects.filter(pk=self.job_id, state=Job.State.RUNNING).update(
            done=done, total=total, heartbeat_at=timezone.now()
        )


class _Heartbeat(threading.Thread):
    """Beats while the run lasts, on the thread's own connection (outside the run's transaction)."""

    def __init__(self, reporter: Reporter):
        super().__init__(daemon=True, name=f"job-{reporter.job_id}-heartbeat")
        self.reporter, self.stopped = reporter, threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(heartbeat_seconds()):
                try:
                    self.reporter.write()
                except Exception:  # a locked database (SQLite) skips a beat; the next one may pass
                    logger.debug("Job %s: heartbeat skipped", self.reporter.job_id, exc_info=True)
        finally:
            connection.close()


def run(job_id: int) -> str:
    """Run a waiting job to its end; "skipped" if it is not waiting (already taken, or gone)."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, state=Job.State.WAITING).update(
        state=Job.State.RUNNING, started_at=now, heartbeat_at=now
    )
    if not claimed:
        return "skipped"
    job = Job.objects.select_related("created_by").get(pk=job_id)
    with override(job.language or settings.LANGUAGE_CODE):
        kind = kinds.kind_get(job.kind)
        if kind is None:
            return _fail(job, None, _("This kind of work is no longer available."))
        reporter = Reporter(job)
        heartbeat = _Heartbeat(reporter)
        heartbeat.start()
        try:
            with acting_as(actor_for_user(job.created_by, source="job")), _reads(kind):
                outcome = kind.run(job, reporter)
        except kinds.JobFailed as failure:
            return _fail(job, kind, failure.message)
        except Exception:
            logger.exception("Job %s (%s) failed", job_id, job.kind)
            return _fail(job, kind, _("The work stopped on an unexpected error. Please start it again."))
        finally:
            heartbeat.stopped.set()
            # A beat waiting for a lock the caller's transaction holds ends after it; its UPDATE then
            # matches no running job.
            heartbeat.join(timeout=5)
        return _finish(job, reporter, outcome or kinds.Outcome())


def _reads(kind: kinds.Kind):
    """An export's reads may go to the read replica; any other kind reads the primary."""
    return replica.reading() if kind.reads_replica else contextlib.nullcontext()


def _finish(job: Job, reporter: Reporter, outcome: kinds.Outcome) -> str:
    if outcome.done is not None:  # the run's own count: the total was an estimate
        done = total = outcome.done
    else:
        done = reporter.done
        total = max(reporter.total if reporter.total is not None else done, done)
    fields: dict[str, object] = {"done": done, "total": total, "message": outcome.message}
    kept = _keep(job, outcome) if outcome.file is not None else {}
    fields.update(kept)
    now = timezone.now()
    finished = Job.objects.filter(pk=job.pk, state=Job.State.RUNNING).update(
        state=Job.State.DONE, finished_at=now, heartbeat_at=now, **fields
    )
    if not finished:  # marked failed meanwhile (taken for dead): its file must not stay behind
        uploads.discard([kept.get("file")])
        return Job.State.FAILED
    return Job.State.DONE


def _keep(job: Job, outcome: kinds.Outcome) -> dict[str, str]:
    assert outcome.file is not None
    handle = _temporary(outcome.file) if isinstance(outcome.file, bytes) else outcome.file
    try:
        path, sha256, _size = uploads.write_file(job.file, handle, keep_name=outcome.filename)
    finally:
        handle.close()
    return {"file": path, "file_name": outcome.filename, "file_type": outcome.content_type, "sha256": sha256}


def _temporary(content: bytes) -> IO[bytes]:
    from danvan.core import tables

    handle = tables.temporary_file()
    handle.write(content)
    handle.seek(0)
    return handle


def _fail(job: Job, kind: kinds.Kind | None, message: str) -> str:
    now = timezone.now()
    Job.objects.filter(pk=job.pk).exclude(state=Job.State.DONE).update(
        state=Job.State.FAILED, message=message, finished_at=now, heartbeat_at=now
    )
    _tell(kind, job, message)
    return Job.State.FAILED


def _tell(kind: kinds.Kind | None, job: Job, message: str) -> None:
    if kind is not None and kind.on_fail is not None:
        try:
            kind.on_fail(job, message)
        except Exception:
            logger.exception("Job %s: the failure could not be passed on to its module", job.pk)


def fail_stale(now: datetime.datetime | None = None) -> int:
    """Mark failed the jobs whose worker died (running, heartbeat stale) or that no worker took
    (waiting long after creation); their modules are told. The number marked."""
    now = now or timezone.now()
    dead = Q(state=Job.State.RUNNING, heartbeat_at__lt=now - stale_after()) | Q(
        state=Job.State.WAITING, created_at__lt=now - waiting_after()
    )
    marked = 0
    for job in Job.objects.filter(dead).select_related("created_by"):
        with override(job.language or settings.LANGUAGE_CODE):
            message = _(
                "The work stopped before it finished (the server may have restarted). Please start it again."
            )
            # Conditional on what made it look dead: a job that beat meanwhile is left alone.
            still = Job.objects.filter(dead, pk=job.pk).update(
                state=Job.State.FAILED, message=message, finished_at=now
            )
            if still:
                marked += 1
                _tell(kinds.kind_get(job.kind), job, message)
    return marked


def keep_days() -> int:
    return int(getattr(settings, "JOBS_KEEP_DAYS", 7))


def forget_files(now: datetime.datetime | None = None) -> int:
    """Remove the files of jobs finished more than JOBS_KEEP_DAYS ago (the rows stay, without a
    download); the number of files removed."""
    now = now or timezone.now()
    old = Job.objects.filter(finished_at__lt=now - datetime.timedelta(days=keep_days())).exclude(file="")
    files = list(old.values_list("pk", "file"))
    Job.objects.filter(pk__in=[pk for pk, _file in files]).update(file="", sha256="")
    uploads.discard([path for _pk, path in files])
    return len(files)
