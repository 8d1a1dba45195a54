"""Background jobs: a job runs to its end with progress, its file goes to its owner only, errors and
dead workers end it failed with a message, and reading its page changes nothing."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from danvan.accounts.actors import System
from danvan.accounts.policy import Perm
from danvan.jobs import kinds, runner, services
from danvan.jobs.models import Job

pytestmark = pytest.mark.django_db


def counting(rows: int, seen: list):
    """A kind's run that writes `rows` rows, reporting progress, and notes what the job row said midway."""

    def run(job, progress):
        progress(0, rows)
        for done in range(1, rows + 1):
            progress(done)
            if done == 1000:
                seen.append(Job.objects.values_list("state", "done", "total").get(pk=job.pk))
        return kinds.Outcome("ma,ten\r\nSTP,Sở Tư pháp\r\n".encode(), "ket-qua.csv", "text/csv", "Đã xong.")

    return run


def kind(run, name="test.count"):
    return kinds.Kind(name=name, label="Việc thử", run=run, perm=Perm.UNIT_EXPORT)


def test_a_job_runs_to_done_reporting_its_progress_on_the_way(personas, settings):
    settings.JOBS_PROGRESS_SECONDS = 0  # every 500 rows, however fast
    seen: list = []
    with kinds.only(kind(counting(1200, seen))):
        job = services.job_start(kind="test.count", params={}, by=personas["viewer"])
    assert seen == [(Job.State.RUNNING, 1000, 1200)]  # written while it ran, not only at the end
    assert (job.state, job.done, job.total, job.message) == (Job.State.DONE, 1200, 1200, "Đã xong.")
    assert job.started_at and job.finished_at and job.heartbeat_at
    assert job.created_by == personas["viewer"] and job.file_name == "ket-qua.csv"


def test_the_file_downloads_for_its_owner_and_is_404_for_another_units_user(personas, login):
    with kinds.only(kind(counting(3, []))):
        job = services.job_start(kind="test.count", params={}, by=personas["viewer"])
        response = login(personas["viewer"]).get(reverse("jobs:download", args=[job.pk]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == "ma,ten\r\nSTP,Sở Tư pháp\r\n".encode()
        assert response["X-Content-Type-Options"] == "nosniff"
        for name in ("jobs:download", "jobs:detail", "jobs:status"):
            assert login(personas["outsider"]).get(reverse(name, args=[job.pk])).status_code == 404
            # the same unit, but not the owner: an export is its owner's
            assert (
                login(personas["mobilisation_officer"]).get(reverse(name, args=[job.pk])).status_code == 404
            )


def test_the_job_page_shows_the_progress_bar_and_the_download(personas, login):
    with kinds.only(kind(counting(5000, []))):
        job = services.job_start(kind="test.count", params={}, by=personas["viewer"])
        Job.objects.filter(pk=job.pk).update(
            state=Job.State.RUNNING, done=1234, total=5000, heartbeat_at=timezone.now()
        )
        page = login(personas["viewer"]).get(reverse("jobs:detail", args=[job.pk])).content.decode()
        assert f'<progress id="job-{job.pk}-bar"' in page and 'max="5000" value="1234"' in page
        assert "1.234/5.000 dòng" in page and "Đang chạy" in page
        assert 'http-equiv="refresh"' in page and "jobs/progress.js" in page
        status = login(personas["viewer"]).get(reverse("jobs:status", args=[job.pk])).json()
        assert (status["done"], status["total"], status["finished"]) == (1234, 5000, False)
        Job.objects.filter(pk=job.pk).update(state=Job.State.DONE, done=5000)
        page = login(personas["viewer"]).get(reverse("jobs:detail", args=[job.pk])).content.decode()
        assert reverse("jobs:download", args=[job.pk]) in page and "http-equiv" not in page
        listing = login(personas["viewer"]).get(reverse("jobs:list")).content.decode()
        assert "Việc thử" in listing and reverse("jobs:download", args=[job.pk]) in listing


def test_an_exception_fails_the_job_with_a_message(personas):
    def broken(job, progress):
        progress(10, 100)
        raise RuntimeError("lỗi lập trình")

    def refused(job, progress):
        raise kinds.JobFailed("Không còn quyền xuất.")

    with kinds.only(kind(broken), kind(refused, name="test.refused")):
        job = services.job_start(kind="test.count", params={}, by=personas["viewer"])
        other = services.job_start(kind="test.refused", params={}, by=personas["viewer"])
    assert job.state == Job.State.FAILED and job.finished_at is not None
    assert job.message == "Công việc dừng lại do một lỗi bất ngờ. Vui lòng chạy lại."
    assert (other.state, other.message) == (Job.State.FAILED, "Không còn quyền xuất.")
    assert not job.file


def test_who_lacks_the_kinds_right_cannot_start_it(personas):
    from django.core.exceptions import PermissionDenied

    with kinds.only(kind(counting(1, []))), pytest.raises(PermissionDenied):
        services.job_start(kind="test.count", params={}, by=personas["reporter"])
    assert not Job.objects.exists()


def _job(user, state, **times):
    job = Job.objects.create(kind="orgs.units_export", state=state, created_by=user)
    Job.objects.filter(pk=job.pk).update(**times)
    return job


def test_a_job_with_a_stale_heartbeat_is_marked_failed_and_a_fresh_one_is_not(personas):
    now = timezone.now()
    user = personas["viewer"]
    dead = _job(user, Job.State.RUNNING, heartbeat_at=now - datetime.timedelta(minutes=11))
    alive = _job(user, Job.State.RUNNING, heartbeat_at=now - datetime.timedelta(minutes=1))
    forgotten = _job(user, Job.State.WAITING, created_at=now - datetime.timedelta(minutes=31))
    queued = _job(user, Job.State.WAITING)
    finished = _job(user, Job.State.DONE, heartbeat_at=now - datetime.timedelta(days=3))
    assert services.jobs_fail_stale(by=System("tests")) == 2
    states = dict(Job.objects.values_list("pk", "state"))
    assert states[dead.pk] == states[forgotten.pk] == Job.State.FAILED
    assert states[alive.pk] == Job.State.RUNNING and states[queued.pk] == Job.State.WAITING
    assert states[finished.pk] == Job.State.DONE
    dead.refresh_from_db()
    assert dead.message.startswith("Công việc đã dừng trước khi xong")


def test_the_command_and_the_task_mark_dead_jobs(personas):
    from danvan.jobs.tasks import fail_stale

    old = timezone.now() - datetime.timedelta(hours=1)
    first = _job(personas["viewer"], Job.State.RUNNING, heartbeat_at=old)
    call_command("fail-stale-jobs")
    second = _job(personas["viewer"], Job.State.RUNNING, heartbeat_at=old)
    assert fail_stale() == 1
    assert set(Job.objects.values_list("state", flat=True)) == {Job.State.FAILED}
    assert first.pk != second.pk


def test_only_operators_may_sweep_dead_jobs(personas):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.jobs_fail_stale(by=personas["admin"])


def test_a_dead_import_job_fails_its_import_too(personas):
    from danvan.orgs.exchange.jobs import IMPORT_KIND
    from danvan.orgs.models import UnitImport

    unit_import = UnitImport.objects.create(original_name="don-vi.csv", created_by=personas["admin"])
    job = Job.objects.create(kind=IMPORT_KIND, params={"import_id": unit_import.pk}, state=Job.State.RUNNING)
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - datetime.timedelta(hours=1))
    assert runner.fail_stale() == 1
    unit_import.refresh_from_db()
    assert unit_import.status == UnitImport.Status.FAILED
    assert unit_import.errors[0]["message"].startswith("Công việc đã dừng trước khi xong")


def test_reading_a_stalled_jobs_page_says_so_and_writes_nothing(personas, login):
    job = _job(
        personas["viewer"], Job.State.RUNNING, heartbeat_at=timezone.now() - datetime.timedelta(hours=1)
    )
    before = list(Job.objects.values())
    client = login(personas["viewer"])
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "Có thể đã dừng" in page
    assert client.get(reverse("jobs:status", args=[job.pk])).json()["stopped"] is True
    client.get(reverse("jobs:list"))
    assert list(Job.objects.values()) == before


def test_files_of_old_jobs_are_removed_and_recent_ones_kept(personas):
    with kinds.only(kind(counting(3, []))):
        old = services.job_start(kind="test.count", params={}, by=personas["viewer"])
        recent = services.job_start(kind="test.count", params={}, by=personas["viewer"])
    Job.objects.filter(pk=old.pk).update(finished_at=timezone.now() - datetime.timedelta(days=8))
    path = old.file.name
    assert old.file.storage.exists(path)
    call_command("fail-stale-jobs")
    old.refresh_from_db()
    recent.refresh_from_db()
    assert not old.file and not recent.file.storage.exists(path) and old.state == Job.State.DONE
    assert recent.file and recent.file.storage.exists(recent.file.name)
