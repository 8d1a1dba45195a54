"""Issue 17: a job started while the broker (Redis) is out of reach stays waiting — the page answers —
and the schedule's sweep sends it once the broker is back, never a job a worker already took.

The stopped broker is a closed port (nothing listens on 127.0.0.1:1); the running one is the machine's
Redis (CI starts it), the `running_redis` fixture's database. Jobs are published through Celery's own path (apply_async, its
retry policy and the broker's transport options), not run in-process.
"""

import json
from contextlib import contextmanager

import kombu.exceptions
import pytest
import redis
from django.urls import reverse

from danvan.celery import app
from danvan.core.schedule import JOBS
from danvan.jobs import runner, tasks
from danvan.jobs.models import Job
from danvan.orgs.exchange.jobs import EXPORT_KIND

pytestmark = pytest.mark.django_db

STOPPED = "redis://127.0.0.1:1/0"


@contextmanager
def broker_at(url: str, monkeypatch):
    """`run_job.delay` publishes to the broker at `url` (tests otherwise run tasks in-process); the
    ids of the tasks published are listed."""
    published: list[str] = []

    with app.connection_for_write(url) as connection:

        def delay(*args):
            result = tasks.run_job.apply_async(args, connection=connection)
            published.append(result.id)
            return result

        with monkeypatch.context() as patch:
            patch.setattr(tasks.run_job, "delay", delay)
            app.conf.task_always_eager = False
            try:
                yield published
            finally:
                app.conf.task_always_eager = True  # as every test has it (conftest)


def start_export(login, personas, settings):
    settings.JOBS_BACKGROUND_ROWS = 2  # the viewer's subtree (STP) has three units: a job
    client = login(personas["viewer"])
    return client, client.post(reverse("orgs:export"), {"format": "csv", "as_of": ""})


def test_a_job_started_with_the_broker_stopped_waits_and_its_page_says_so(
    personas, login, settings, monkeypatch
):
    with broker_at(STOPPED, monkeypatch) as published:
        client, response = start_export(login, personas, settings)
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert (job.kind, job.state, job.sent_at) == (EXPORT_KIND, Job.State.WAITING, None)
    assert published == []
    page = client.get(response["Location"])
    assert page.status_code == 200 and "Đang chờ" in page.content.decode()


def test_the_sweep_sends_a_waiting_job_to_the_broker_once_it_is_back(
    personas, login, settings, monkeypatch, running_redis
):
    with broker_at(STOPPED, monkeypatch):
        start_export(login, personas, settings)
        assert tasks.send_unsent() == 0  # still away: the job stays owed
    job = Job.objects.get()
    assert (job.state, job.sent_at) == (Job.State.WAITING, None)
    raw = redis.Redis.from_url(running_redis)
    with broker_at(running_redis, monkeypatch) as published:
        try:
            assert tasks.send_unsent() == 1
            assert tasks.send_unsent() == 0  # sent once
            assert len(published) == 1
            queued = [json.loads(message) for message in raw.lrange("celery", 0, -1)]
            ours = [m for m in queued if m["headers"]["id"] == published[0]]
            assert len(ours) == 1
            assert ours[0]["headers"]["task"] == "danvan.jobs.tasks.run_job"
            assert ours[0]["headers"]["argsrepr"] == f"({job.pk},)"
        finally:
            for message in raw.lrange("celery", 0, -1):
                if published and json.loads(message)["headers"]["id"] in published:
                    raw.lrem("celery", 0, message)
    job.refresh_from_db()
    assert job.state == Job.State.WAITING and job.sent_at is not None


def test_the_sweep_never_sends_a_job_a_worker_took_or_the_broker_already_has(personas):
    viewer = personas["viewer"]
    owed = Job.objects.create(kind=EXPORT_KIND, created_by=viewer)
    taken = Job.objects.create(kind=EXPORT_KIND, created_by=viewer, state=Job.State.RUNNING)
    sent = Job.objects.create(kind=EXPORT_KIND, created_by=viewer, sent_at=owed.created_at)

    class Away:
        @staticmethod
        def delay(job_id):
            raise kombu.exceptions.OperationalError(
                "Error 111 connecting to 127.0.0.1:1. Connection refused."
            )

    class Back:
        sent: list[int] = []

        @staticmethod
        def delay(job_id):
            Back.sent.append(job_id)

    assert runner.send_unsent(Away) == 0
    assert Job.objects.get(pk=owed.pk).sent_at is None  # still owed
    assert runner.send_unsent(Back) == 1 and runner.send_unsent(Back) == 0
    assert Back.sent == [owed.pk]
    assert Job.objects.get(pk=taken.pk).state == Job.State.RUNNING and sent.pk not in Back.sent


def test_the_sweep_is_on_the_schedule_every_minute():
    (entry,) = [job for job in JOBS if job.task == "danvan.jobs.tasks.send_unsent"]
    assert entry.every == 60
