"""Large unit exports and unit imports as background jobs (danvan.jobs)."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from danvan.audit.models import AuditEvent
from danvan.jobs.models import Job
from danvan.orgs.exchange.jobs import EXPORT_KIND, IMPORT_KIND
from danvan.orgs.models import UnitImport

pytestmark = pytest.mark.django_db


def test_a_big_export_goes_through_a_job_with_its_file_for_the_owner(personas, login, settings):
    settings.JOBS_BACKGROUND_ROWS = 2  # the viewer's subtree (STP) has three units
    client = login(personas["viewer"])
    response = client.post(reverse("orgs:export"), {"format": "csv", "as_of": ""})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert (job.kind, job.state, job.created_by) == (EXPORT_KIND, Job.State.DONE, personas["viewer"])
    assert (job.done, job.total) == (3, 3)
    page = client.get(response["Location"]).content.decode()
    assert "3/3 dòng" in page and "Đã xuất 3 dòng." in page
    download = client.get(reverse("jobs:download", args=[job.pk]))
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))))
    assert sorted(row[0] for row in rows[1:]) == ["STP", "STP-CB1", "STP-CB2"]
    assert download["Content-Disposition"].startswith('attachment; filename="don-vi.csv"')
    event = AuditEvent.objects.get(action="export")
    assert event.actor_id == personas["viewer"].id and event.changes["rows"] == 3
    assert login(personas["outsider"]).get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_a_big_export_asked_by_get_is_offered_as_a_job_and_starts_nothing(personas, login, settings):
    settings.JOBS_BACKGROUND_ROWS = 2
    page = login(personas["viewer"]).get(reverse("orgs:export"), {"format": "xlsx"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "khoảng 3 dòng" in text and "Chuẩn bị tệp" in text
    assert not Job.objects.exists() and not AuditEvent.objects.filter(action="export").exists()


def test_a_small_export_stays_a_direct_download(personas, login, settings):
    settings.JOBS_BACKGROUND_ROWS = 3
    response = login(personas["viewer"]).post(reverse("orgs:export"), {"format": "csv", "as_of": ""})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert not Job.objects.exists()


def test_an_upload_runs_its_import_as_a_job_the_import_page_links(personas, login):
    client = login(personas["admin"])
    data = "code,name,parent_code,type,groups,valid_from,valid_to,predecessors\nSTP-CB3,Chi bộ 3,STP,cell,,2024-01-01,,\n"
    response = client.post(
        reverse("orgs:import_upload"), {"file": SimpleUploadedFile("don-vi.csv", data.encode())}
    )
    unit_import = UnitImport.objects.get()
    job = Job.objects.get()
    assert (job.kind, job.params, job.state) == (IMPORT_KIND, {"import_id": unit_import.pk}, Job.State.DONE)
    assert job.done == 1 and "thành lập 1 đơn vị" in job.message
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert response["Location"] in page  # "See the details": the import's own page


def test_a_waiting_import_shows_its_jobs_progress(personas, login):
    from danvan.orgs.tests.test_exchange_views import pending_job

    unit_import = pending_job(personas["admin"])
    Job.objects.create(
        kind=IMPORT_KIND, params={"import_id": unit_import.pk}, state=Job.State.RUNNING, done=0, total=None
    )
    page = login(personas["admin"]).get(reverse("orgs:import_detail", args=[unit_import.pk])).content.decode()
    assert "<progress" in page and "Đang chuẩn bị…" in page


def test_the_whole_tree_is_exported_without_a_unit_filter_for_an_administrator_at_the_root(personas):
    from danvan.orgs.exchange.jobs import exportable_units

    assert exportable_units(personas["admin"]) is None
    assert sorted(exportable_units(personas["viewer"]).values_list("code", flat=True)) == [
        "STP",
        "STP-CB1",
        "STP-CB2",
    ]
