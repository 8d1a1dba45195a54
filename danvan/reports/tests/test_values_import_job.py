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


def _period_rows() -> dict[str, int]:
    from danvan.reports.models import ElementRollup, IndicatorRollup, Period, PeriodUnit, UnitIndicator

    models = (Period, PeriodUnit, ElementRollup, IndicatorRollup, UnitIndicator, DataValue)
    return {model.__name__: model.objects.count() for model in models}


# Two periods never prepared before, good rows in both, and one bad row at the end.
NEW_PERIODS = (
    HEADER + "STP,2027S2,MEMBERS_TOTAL,120\nSYT,2028S1,MEMBERS_TOTAL,80\nSTP,2027S2,MEMBERS_ACTIVE,abc\n"
)


@pytest.mark.parametrize("rows_in_background", [1, 100], ids=["job", "at once"])
def test_a_refused_file_creates_no_period(tree, indicators, personas, login, settings, rows_in_background):
    from danvan.reports import selectors

    settings.JOBS_BACKGROUND_ROWS = rows_in_background
    before = _period_rows()

    response = _upload(login(personas["admin"]), NEW_PERIODS)

    assert _period_rows() == before
    assert selectors.period_find("2027S2") is None and selectors.period_find("2028S1") is None
    if rows_in_background == 1:
        assert Job.objects.get().state == Job.State.FAILED
    else:
        assert response.status_code == 400 and "Dòng 4:" in response.content.decode()


def test_a_refused_file_given_to_the_command_creates_no_period(tree, indicators, tmp_path):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    path = tmp_path / "so-lieu.csv"
    path.write_text(NEW_PERIODS, encoding="utf-8")
    before = _period_rows()

    with pytest.raises(CommandError, match="không có gì được lưu"):
        call_command("import-values", str(path))

    assert _period_rows() == before
    path.write_text(HEADER + "STP,2027S2,MEMBERS_TOTAL,120\n", encoding="utf-8")
    call_command("import-values", str(path))  # a good file prepares the period it names, as before
    assert (
        DataValue.objects.get(period__code="2027S2", unit=tree.stp, element__code="MEMBERS_TOTAL").value
        == 120
    )
