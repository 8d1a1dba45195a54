"""Issue 17: one list of scheduled jobs (beat and `danvan run-daily`), tasks with limits and retries."""

import importlib
import io
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import OperationalError

from danvan.celery import app
from danvan.core import locks
from danvan.core.schedule import JOBS, beat_schedule
from danvan.core.testing import processes

RUN_DAILY = importlib.import_module("danvan.core.management.commands.run-daily")


@pytest.fixture(autouse=True)
def _discovered():
    app.loader.import_default_modules()  # what a worker does on start: every app's tasks module


def test_beat_reads_the_one_schedule_and_every_job_names_a_task_with_limits():
    assert app.conf.beat_schedule == beat_schedule()
    assert list(app.conf.beat_schedule) == [job.name for job in JOBS]
    for job in JOBS:
        task = app.tasks[job.task]  # registered under the name beat sends
        assert RUN_DAILY.task_of(job).name == task.name  # and the one run-daily calls
        assert task.soft_time_limit and task.time_limit > task.soft_time_limit, job.task
        assert OperationalError in task.autoretry_for and task.retry_backoff and task.acks_late, job.task


def test_every_task_of_danvan_has_time_limits_and_retries():
    ours = {name: task for name, task in app.tasks.items() if name.startswith("danvan.")}
    assert len(ours) >= 12
    for name, task in ours.items():
        assert task.soft_time_limit and task.time_limit, name
        assert OperationalError in task.autoretry_for, name
    # A job or an import must not run twice: it is not redelivered nor retried.
    assert not app.tasks["danvan.jobs.tasks.run_job"].acks_late
    assert app.tasks["danvan.jobs.tasks.run_job"].max_retries == 0


@pytest.mark.django_db
def test_run_daily_calls_every_task_of_the_schedule(monkeypatch, settings, tmp_path):
    settings.DATA_DIR = tmp_path  # its lock file: not shared with another test process
    called = []
    monkeypatch.setattr(
        RUN_DAILY, "task_of", lambda job: lambda **kwargs: called.append((job.task, kwargs)) or 1
    )
    call_command("run-daily", stdout=io.StringIO())
    assert called == [(job.task, job.kwargs) for job in JOBS]


@pytest.mark.django_db
def test_a_second_run_while_one_is_running_stops_with_a_message(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    busy = pytest.raises(CommandError, match="Một lần chạy các việc định kỳ khác đang diễn ra")
    with locks.exclusive("run-daily"), busy:
        call_command("run-daily")


@pytest.mark.django_db(transaction=True)
def test_the_lock_holds_across_processes(tmp_path):
    env = processes.environment(tmp_path)
    hold = (
        "import sys, django; django.setup()\n"
        "from danvan.core import locks\n"
        "with locks.exclusive('run-daily'):\n"
        "    print('held', flush=True); sys.stdin.readline()\n"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", hold], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout.readline().strip() == "held"
    second = processes.danvan("run-daily", env=env, check=False)
    holder.communicate("\n", timeout=60)
    assert second.returncode != 0
    assert "Một lần chạy các việc định kỳ khác đang diễn ra; lần này dừng lại." in second.stderr
