"""A large bulk values file is imported by a background job; a small one at once, as before."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from danvan.jobs.models import Job
from danvan.reports.models import DataValue

pytestmark = pytest.mark.django_db

HEADER = "unit_code,period,element_code,value\n"


def _upload(client, text):
    upload = SimpleUploadedFile("so-lieu.csv", text.encode("utf-8"))
    return client.post(reverse("reports:import_values"), {"file": upload})


def test_a_large_values_file_is_imported_by_a_job(tree, indicators, personas, login, settings):
    settings.JOBS_BACKGROUND_ROWS = 1
    client = login(personas["admin"])
    response = _upload(client, HEADER + "STP,2026S1,MEMBERS_TOTAL,120\nSYT,2026S1,MEMBERS_TOTAL,80\n")
    job = Job.objects.get()
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert (job.state, job.done, job.message) == (Job.State.DONE, 2, "Số giá trị đã nhập: 2.")
    assert DataValue.objects.filter(source="imported").count() == 2
    assert not default_storage.exists(job.params["path"])  # the upload is not kept once imported


def test_a_refused_large_file_fails_its_job_with_the_rows_in_error(
    tree, indicators, personas, login, settings
):
    settings.JOBS_BACKGROUND_ROWS = 1
    client = login(personas["admin"])
    _upload(client, HEADER + "STP,2026S1,MEMBERS_TOTAL,120\nXXX,2026S1,MEMBERS_TOTAL,80\n")
    job = Job.objects.get()
    assert job.state == Job.State.FAILED
    assert job.message.startswith("1 lỗi — không có gì được lưu.\nDòng 3:")
    assert not DataValue.objects.filter(source="imported").exists()
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "Dòng 3:" in page and "<br>" in page


def test_a_small_values_file_is_imported_at_once(tree, indicators, personas, login, settings):
    settings.JOBS_BACKGROUND_ROWS = 2
    response = _upload(login(personas["admin"]), HEADER + "STP,2026S1,MEMBERS_TOTAL,120\n")
    assert response.status_code == 200 and 'id="import-done"' in response.content.decode()
    assert not Job.objects.exists()
