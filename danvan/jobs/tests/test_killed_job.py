"""An import job whose worker is killed mid-way (SIGKILL, inside the import's transaction) ends failed
with a Vietnamese message once the stale check runs, and nothing of the file was imported."""

import os
import selectors
import signal
import sqlite3
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.db import connection

from danvan.jobs.models import Job
from danvan.orgs.exchange.jobs import IMPORT_KIND
from danvan.orgs.models import Unit, UnitImport
from danvan.orgs.tests.test_exchange_views import HEADER, pending_job

ROOT = Path(__file__).resolve().parents[3]
UNITS = 30
KILL_AFTER = 10  # units inserted by the import (in its transaction) when the worker is killed


@contextmanager
def shared_database(tmp_path):
    """The environment of a worker process that sees this test's database. SQLite's test database is in
    memory: it is copied to a file for the worker, and the file copied back when the worker is gone.
    PostgreSQL's test database is shared as it is."""
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    env["DATA_DIR"] = str(tmp_path)  # the worker's MEDIA_ROOT is this test's (tmp_path / "media")
    env["PYTHONPATH"] = str(ROOT)
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        path = tmp_path / "worker.sqlite3"
        with sqlite3.connect(path) as target:
            connection.connection.backup(target)
        env["DATABASE_URL"] = f"sqlite:///{path}"
        yield env
        connection.close()
        connection.ensure_connection()
        with sqlite3.connect(path) as source:
            source.backup(connection.connection)
    else:
        user = quote(db["USER"] or "") + (":" + quote(db["PASSWORD"]) if db["PASSWORD"] else "")
        env["DATABASE_URL"] = (
            f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        )
        yield env


@pytest.mark.django_db(transaction=True)
def test_an_import_killed_midway_ends_failed_and_nothing_of_it_remains(personas, tmp_path, settings):
    admin = personas["admin"]
    rows = "".join(f"STP-K{n:02d},Chi bộ K{n:02d},STP,cell,,2024-01-01,,\n" for n in range(UNITS))
    unit_import = pending_job(admin, HEADER + "\n" + rows)
    job = Job.objects.create(
        kind=IMPORT_KIND, params={"import_id": unit_import.pk}, created_by=admin, language="vi"
    )
    units_before = set(Unit.objects.values_list("code", flat=True))

    with shared_database(tmp_path) as env:
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "danvan.jobs.tests.killable",
                str(job.pk),
                Unit._meta.db_table,
                str(KILL_AFTER),
            ],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        try:
            # A guard against a hung worker. `selectors` (epoll), not select(): a long test process may hold
            # file descriptors above 1024, which select() cannot watch.
            with selectors.DefaultSelector() as watch:
                watch.register(worker.stdout, selectors.EVENT_READ)
                ready = watch.select(300)
            said = worker.stdout.readline().strip() if ready else b""
            assert said == b"midway", worker.stderr.read().decode() if worker.poll() is not None else said
        finally:
            os.kill(worker.pid, signal.SIGKILL)
            worker.wait()
        assert worker.returncode == -signal.SIGKILL

    job.refresh_from_db()
    assert job.state == Job.State.RUNNING and job.started_at is not None  # it had started, then died
    assert set(Unit.objects.values_list("code", flat=True)) == units_before  # the 10 inserts were rolled back
    assert UnitImport.objects.get(pk=unit_import.pk).status == UnitImport.Status.PENDING

    settings.JOBS_STALE_SECONDS = 0  # its heartbeat is already older than that
    call_command("fail-stale-jobs")

    job.refresh_from_db()
    assert job.state == Job.State.FAILED and job.finished_at is not None
    assert job.message == (
        "Công việc đã dừng trước khi xong (máy chủ có thể đã khởi động lại). Vui lòng chạy lại."
    )
    unit_import.refresh_from_db()
    assert unit_import.status == UnitImport.Status.FAILED
    assert unit_import.errors[0]["message"] == job.message
    assert not Unit.objects.filter(code__startswith="STP-K").exists()
