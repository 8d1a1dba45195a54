"""Background jobs' Celery tasks (run eagerly in-process on the embedded default)."""

from danvan.core.background import task

from . import runner


@task(soft_time_limit=3 * 60 * 60, acks_late=False, max_retries=0)
def run_job(job_id: int) -> str:
    """Run one waiting job (jobs.services.job_start queues it)."""
    return runner.run(job_id)


@task()
def fail_stale() -> int:
    """Every few minutes (beat): jobs whose worker died are marked failed, and files of jobs finished
    more than JOBS_KEEP_DAYS ago are removed. Without beat, cron runs `danvan fail-stale-jobs`."""
    runner.forget_files()
    return runner.fail_stale()


@task()
def send_unsent() -> int:
    """Every minute (beat, or `danvan run-daily`): the waiting jobs the broker never got (it was out of
    reach when they were started) are sent to it."""
    return runner.send_unsent(run_job)
