"""A large audit-log export runs as a background job; a small one stays a direct download."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from danvan.accounts.models import Role
from danvan.administration.tests.test_views_events import log  # noqa: F401 - the fixture
from danvan.audit.models import AuditEvent
from danvan.jobs.models import Job

pytestmark = pytest.mark.django_db
Action = AuditEvent.Action


def test_a_large_export_is_offered_by_get_and_runs_as_a_job_on_post(personas, login, log, settings):  # noqa: F811
    settings.JOBS_BACKGROUND_ROWS = 1
    client = login(personas[Role.BLOC_ADMIN])
    url = reverse("audit:export_xlsx") + "?action=" + Action.UPDATE
    page = client.get(url)
    assert page.status_code == 200 and "Chuẩn bị tệp" in page.content.decode()
    assert not Job.objects.exists() and not AuditEvent.objects.filter(action=Action.EXPORT).exists()

    response = client.post(url)
    job = Job.objects.get()
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert (job.state, job.done, job.total) == (Job.State.DONE, 2, 2)
    download = client.get(reverse("jobs:download", args=[job.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert sorted(row[5] for row in sheet.iter_rows(min_row=2, values_only=True)) == ["ev-stp", "ev-stp-cb1"]
    export = AuditEvent.objects.get(action=Action.EXPORT)
    assert export.changes["rows"] == 2 and export.actor_id == personas[Role.BLOC_ADMIN].pk
    assert login(personas["outsider"]).get(reverse("jobs:detail", args=[job.pk])).status_code == 404


def test_a_small_export_stays_a_direct_download(personas, login, log, settings):  # noqa: F811
    settings.JOBS_BACKGROUND_ROWS = 2
    response = login(personas[Role.BLOC_ADMIN]).get(reverse("audit:export_csv"), {"action": Action.UPDATE})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert not Job.objects.exists()
