"""The overview of every register (/activities/) and the import page (/activities/import/)."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from danvan.accounts.models import Role
from danvan.activities import views
from danvan.jobs.models import Job

from . import fakes
from .fakes import FAKE, PLAIN, only, saved_rows

pytestmark = pytest.mark.django_db

HEADER = "unit_code,held_on,topic\n"


@pytest.fixture
def fake_registers():
    with only(FAKE, PLAIN):
        yield


def _upload(client, text, kind="fake_meeting", name="so.csv"):
    upload = SimpleUploadedFile(name, text.encode("utf-8"))
    return client.post(reverse("activities:import"), {"kind": kind, "file": upload})


# --- the overview --------------------------------------------------------------------------------


def test_the_overview_asks_each_register_for_the_requesting_users_figures(fake_registers, personas, login):
    viewer = personas[Role.VIEWER]
    page = login(viewer).get(reverse("activities:home"), {"year": "2025"}).content.decode()
    assert fakes.calls == [(viewer, 2025)]  # each register narrows its figures to this user's scope
    assert "Sổ họp thử" in page and "Số buổi" in page and f"{viewer.username}·2025" in page
    assert f'href="{reverse("activities:home")}"' in page  # the register's label links to its list
    assert "Sổ không nhập được" in page and "Sổ này chưa có ghi nhận nào trong năm." in page
    # A viewer may not import: no link to the import page.
    assert reverse("activities:import") not in page


def test_the_overview_defaults_to_this_year_and_ignores_a_year_it_does_not_offer(
    fake_registers, personas, login
):
    officer = personas[Role.MOBILISATION_OFFICER]
    client = login(officer)
    this_year = timezone.localdate().year
    for asked in ({}, {"year": "abc"}, {"year": "1990"}):
        fakes.calls.clear()
        response = client.get(reverse("activities:home"), asked)
        assert response.status_code == 200 and fakes.calls == [(officer, this_year)]
    assert reverse("activities:import") in response.content.decode()  # an officer may import


def test_the_overview_explains_when_no_register_is_installed(personas, login):
    with only():
        page = login(personas[Role.VIEWER]).get(reverse("activities:home")).content.decode()
    assert 'id="activities-empty"' in page and "Chưa có sổ hoạt động nào" in page


def test_the_overview_needs_the_right_to_see_activities(fake_registers, personas, login):
    assert login(personas[Role.CASE_HANDLER]).get(reverse("activities:home")).status_code == 403
    assert login(personas["nobody"]).get(reverse("activities:home")).status_code == 403
    assert fakes.calls == []


# --- the import page -----------------------------------------------------------------------------


def test_the_import_page_offers_each_importable_register_in_words_with_its_columns(
    fake_registers, personas, login
):
    page = login(personas[Role.REPORTER]).get(reverse("activities:import")).content.decode()
    assert '<option value="fake_meeting">Sổ họp thử</option>' in page
    assert "plain" not in page  # a register with no columns cannot be imported
    assert "<code>unit_code,held_on,topic</code>" in page and "attendees" in page
    assert reverse("activities:import_sample", args=["fake_meeting"]) in page


def test_only_those_who_record_activities_may_import(fake_registers, personas, login, tree):
    for who in (Role.VIEWER, Role.CASE_HANDLER, "nobody"):
        client = login(personas[who])
        assert client.get(reverse("activities:import")).status_code == 403
        assert _upload(client, HEADER + "STP,15/03/2025,Một\n").status_code == 403
        assert client.get(reverse("activities:import_sample", args=["fake_meeting"])).status_code == 403
    assert saved_rows() == []


def test_a_good_file_is_imported_and_said_so(fake_registers, personas, login):
    response = _upload(login(personas[Role.MOBILISATION_OFFICER]), HEADER + "STP-CB1,15/03/2025,Một\n")
    assert response.status_code == 200
    assert "Đã nhập 1 dòng vào Sổ họp thử." in response.content.decode()
    assert saved_rows() == ["fake:STP-CB1:2025-03-15:Một"]


def test_one_bad_row_shows_its_line_and_saves_nothing(fake_registers, personas, login):
    text = HEADER + "STP,15/03/2025,Một\nSYT,15/03/2025,Hai\n"  # SYT: outside the officer's scope
    response = _upload(login(personas[Role.MOBILISATION_OFFICER]), text)
    assert response.status_code == 400
    page = response.content.decode()
    assert "1 lỗi — không có gì được lưu" in page
    assert "Dòng 3: Đơn vị SYT không tồn tại hoặc nằm ngoài phạm vi của bạn." in page
    assert saved_rows() == []


def test_many_errors_are_capped_with_how_many_more(fake_registers, personas, login, monkeypatch):
    monkeypatch.setattr(views, "ERRORS_SHOWN", 2)
    text = HEADER + "".join(f"XYZ,15/03/2025,Dòng {n}\n" for n in range(5))
    page = _upload(login(personas[Role.MOBILISATION_OFFICER]), text).content.decode()
    assert "5 lỗi — không có gì được lưu" in page
    assert "Dòng 2:" in page and "Dòng 3:" in page and "Dòng 4:" not in page
    assert "và 3 lỗi khác" in page


def test_a_wrong_header_or_an_unknown_kind_is_refused(fake_registers, personas, login):
    client = login(personas[Role.MOBILISATION_OFFICER])
    page = _upload(client, "unit_code,date,topic\nSTP,15/03/2025,Một\n").content.decode()
    assert "Thiếu cột này ở dòng tiêu đề." in page and "held_on" in page
    response = _upload(client, HEADER + "STP,15/03/2025,Một\n", kind="plain")
    assert response.status_code == 400 and "Sổ họp thử" in response.content.decode()
    assert saved_rows() == []


def test_a_large_file_is_imported_by_a_background_job(fake_registers, personas, login, settings):
    settings.JOBS_BACKGROUND_ROWS = 1
    client = login(personas[Role.MOBILISATION_OFFICER])
    response = _upload(client, HEADER + "STP,15/03/2025,Một\nSTP-CB2,16/03/2025,Hai\n")
    job = Job.objects.get()
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert (job.state, job.done, job.message) == (Job.State.DONE, 2, "Đã nhập 2 dòng vào Sổ họp thử.")
    assert len(saved_rows()) == 2


def test_a_refused_large_file_fails_its_job_and_saves_nothing(fake_registers, personas, login, settings):
    settings.JOBS_BACKGROUND_ROWS = 1
    client = login(personas[Role.MOBILISATION_OFFICER])
    _upload(client, HEADER + "STP,15/03/2025,Một\nSYT,16/03/2025,Hai\n")
    job = Job.objects.get()
    assert job.state == Job.State.FAILED
    assert job.message.startswith("1 lỗi — không có gì được lưu.\nDòng 3:")
    assert saved_rows() == []


def test_the_sample_file_holds_the_columns_and_the_example_rows(fake_registers, personas, login):
    client = login(personas[Role.REPORTER])
    response = client.get(reverse("activities:import_sample", args=["fake_meeting"]))
    assert response.status_code == 200
    assert "mau-nhap-fake-meeting.xlsx" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = [list(row) for row in book.active.iter_rows(values_only=True)]
    assert rows == [
        ["unit_code", "held_on", "topic", "attendees"],
        ["STP", "15/03/2025", "Dân vận khéo", 25],
        ["STP-CB1", "2025-04-02", "Quy chế dân chủ", None],
    ]
    assert client.get(reverse("activities:import_sample", args=["plain"])).status_code == 404
