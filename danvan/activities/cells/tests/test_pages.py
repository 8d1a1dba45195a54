"""The pages and the API of the thematic cell meetings: scope, filters, coverage, export, work home, overview."""

import datetime
import io

import openpyxl
import pytest

from danvan.activities import registers
from danvan.activities.cells import worklist
from danvan.activities.cells.models import Meeting
from danvan.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _meeting(unit, day=datetime.date(2026, 3, 12), topic="Dân vận khéo", attendees=10):
    return Meeting.objects.create(unit=unit, held_on=day, topic=topic, attendees=attendees)


def test_the_list_shows_only_the_meetings_in_scope_and_filters_by_unit_and_dates(cells, personas, login):
    _meeting(cells.stp_cb1, topic="CHUYEN-DE-STP-1")
    _meeting(cells.stp_cb2, datetime.date(2026, 7, 1), topic="CHUYEN-DE-STP-2")
    _meeting(cells.syt_cb1, topic="CHUYEN-DE-SYT")
    viewer = login(personas["viewer"])

    body = viewer.get("/activities/cells/").content.decode()
    assert "CHUYEN-DE-STP-1" in body and "CHUYEN-DE-STP-2" in body and "CHUYEN-DE-SYT" not in body

    only = viewer.get("/activities/cells/", {"unit": "STP-CB2"}).context["meetings"]
    assert [m.topic for m in only] == ["CHUYEN-DE-STP-2"]
    dated = viewer.get("/activities/cells/", {"from": "2026-01-01", "to": "30/06/2026"}).context["meetings"]
    assert [m.topic for m in dated] == ["CHUYEN-DE-STP-1"]
    assert list(viewer.get("/activities/cells/", {"year": "2025"}).context["meetings"]) == []
    # Another unit's subtree is not offered: an error, never its meetings.
    refused = viewer.get("/activities/cells/", {"unit": "SYT"})
    assert refused.status_code == 200 and "CHUYEN-DE-SYT" not in refused.content.decode()
    assert refused.context["form"].errors["unit"]


def test_the_list_shows_a_page_of_meetings_at_a_time_the_most_recent_first(
    cells, personas, login, monkeypatch
):
    from danvan.activities.cells import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for day in (1, 2, 3):
        _meeting(cells.stp_cb1, datetime.date(2026, 3, day), topic=f"BUOI-{day}")
    viewer = login(personas["viewer"])
    first = viewer.get("/activities/cells/", {"unit": "STP-CB1"})
    assert [m.topic for m in first.context["meetings"]] == ["BUOI-3", "BUOI-2"]
    assert "unit=STP-CB1&amp;page=2" in first.content.decode()
    second = viewer.get("/activities/cells/", {"unit": "STP-CB1", "page": "2"})
    assert [m.topic for m in second.context["meetings"]] == ["BUOI-1"]
    assert "page=1" in second.content.decode() and "page=3" not in second.content.decode()
    # A page past the end, or not a number, is the first.
    for page in ("9", "x"):
        shown = viewer.get("/activities/cells/", {"unit": "STP-CB1", "page": page}).context["meetings"]
        assert [m.topic for m in shown] == ["BUOI-3", "BUOI-2"]


def test_the_export_holds_the_filtered_meetings_and_is_audited(cells, personas, login):
    _meeting(cells.stp_cb1, topic="Chuyên đề 1")
    _meeting(cells.syt_cb1, topic="Chuyên đề SYT")

    response = login(personas["viewer"]).get("/activities/cells/export.xlsx", {"unit": "STP"})

    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:4] == ("Chi bộ", "Ngày tổ chức", "Chuyên đề", "Số người dự")
    assert [row[2] for row in rows[1:]] == ["Chuyên đề 1"]
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT, model="cells.meeting").count() == 1


def test_recording_a_meeting_on_the_page_refuses_a_grassroots_unit_and_saves_a_cell(cells, personas, login):
    client = login(personas["mobilisation_officer"])
    data = {"unit": "STP", "held_on": "12/03/2026", "topic": "Dân vận khéo", "attendees": "9"}

    refused = client.post("/activities/cells/new/", data)
    assert refused.status_code == 200 and not Meeting.objects.exists()
    assert "không phải là chi bộ" in refused.content.decode()

    saved = client.post("/activities/cells/new/", {**data, "unit": "STP-CB1"})
    assert saved.status_code == 302
    assert Meeting.objects.get().unit == cells.stp_cb1


def test_a_meeting_of_another_unit_answers_404_and_a_viewer_may_not_change_one(cells, personas, login):
    own, other = _meeting(cells.stp_cb1), _meeting(cells.syt_cb1)
    officer = login(personas["mobilisation_officer"])

    assert officer.get(f"/activities/cells/{other.pk}/").status_code == 404
    assert officer.post(f"/activities/cells/{other.pk}/delete/").status_code == 404
    assert login(personas["viewer"]).post(f"/activities/cells/{own.pk}/delete/").status_code == 403
    assert officer.post(f"/activities/cells/{own.pk}/delete/").status_code == 302
    assert list(Meeting.objects.all()) == [other]


def test_the_coverage_lists_the_cells_without_a_meeting_first_with_the_rate(cells, personas, login):
    _meeting(cells.stp_cb1, datetime.date(2026, 2, 1))
    _meeting(cells.stp_cb2, datetime.date(2026, 4, 1))
    _meeting(cells.stp_cb3, datetime.date(2026, 5, 1))
    _meeting(cells.stp_cb4, datetime.date(2025, 5, 1))  # another year

    page = login(personas["viewer"]).get("/activities/cells/coverage/", {"year": "2026"})

    coverage = page.context["coverage"]
    assert coverage.unit == cells.stp  # the user's unit by default
    assert [line.version.unit for line in coverage.missing] == [cells.stp_cb4]
    assert coverage.lines[0].version.unit == cells.stp_cb4
    body = page.content.decode()
    assert "3/4 chi bộ (75 %)" in body
    assert body.count("data-missing") == 1


def test_the_coverage_rate_is_written_the_vietnamese_way(cells, personas, login, catalogue):
    from conftest import make_unit

    for number in range(5, 9):  # 8 cells, 3 of them meeting: 37,5 %
        make_unit(catalogue, f"STP-CB{number}", f"Chi bộ {number}", "cell", cells.stp)
    for cell in (cells.stp_cb1, cells.stp_cb2, cells.stp_cb3):
        _meeting(cell)

    page = login(personas["viewer"]).get("/activities/cells/coverage/", {"year": "2026"})

    assert page.context["coverage"].rate == "3/8 chi bộ (37,5 %)"


def test_the_coverage_of_another_unit_answers_404(cells, personas, login):
    assert login(personas["viewer"]).get("/activities/cells/coverage/", {"unit": "SYT"}).status_code == 404
    admin = login(personas["admin"]).get("/activities/cells/coverage/", {"unit": "SYT", "year": "2026"})
    assert [line.version.unit for line in admin.context["coverage"].lines] == [cells.syt_cb1]


def test_the_api_lists_in_scope_and_refuses_a_cell_out_of_scope(cells, personas, api):
    _meeting(cells.stp_cb1, topic="STP")
    _meeting(cells.syt_cb1, topic="SYT")
    client = api(personas["mobilisation_officer"])

    listed = client.get("/api/v1/activities/cell-meetings/", {"from": "2026-01-01"}).json()
    assert [item["topic"] for item in listed["results"]] == ["STP"]
    body = {"unit": "SYT-CB1", "held_on": "2026-03-12", "topic": "Chuyên đề", "attendees": 5}
    assert client.post("/api/v1/activities/cell-meetings/", body, format="json").status_code == 400
    refused = client.post("/api/v1/activities/cell-meetings/", {**body, "unit": "STP"}, format="json")
    assert refused.status_code == 400 and "không phải là chi bộ" in refused.json()["unit"][0]
    created = client.post("/api/v1/activities/cell-meetings/", {**body, "unit": "STP-CB2"}, format="json")
    assert created.status_code == 201 and created.json()["unit"] == "STP-CB2"
    assert (
        api(personas["viewer"]).post("/api/v1/activities/cell-meetings/", body, format="json").status_code
        == 403
    )
    coverage = client.get("/api/v1/activities/cell-meetings/coverage/", {"year": 2026}).json()
    assert (coverage["cells"], coverage["with_meeting"], coverage["rate"]) == (4, 2, "2/4 chi bộ (50 %)")
    assert [cell["unit"] for cell in coverage["missing"]] == ["STP-CB3", "STP-CB4"]


def test_the_work_home_names_each_grassroots_with_its_cells_missing_from_october(cells, personas):
    _meeting(cells.stp_cb1, datetime.date(2026, 2, 1))
    officer = personas["mobilisation_officer"]

    assert worklist.missing_meetings(officer, datetime.date(2026, 9, 30), 20).total == 0
    found = worklist.missing_meetings(officer, datetime.date(2026, 10, 1), 20)
    assert found.total == 1
    item = found.items[0]
    assert (item.unit, item.due) == ("Đảng ủy Sở Tư pháp", datetime.date(2026, 12, 31))
    assert "3" in item.title and item.url == "/activities/cells/coverage/?unit=STP&year=2026"
    admin = worklist.missing_meetings(personas["admin"], datetime.date(2026, 10, 1), 20)
    assert sorted(i.unit for i in admin.items) == ["Đảng ủy Sở Tư pháp", "Đảng ủy Sở Y tế"]
    assert worklist.missing_meetings(personas["viewer"], datetime.date(2026, 10, 1), 20).total == 0


def test_the_overview_counts_the_cells_in_scope(cells, personas):
    _meeting(cells.stp_cb1, datetime.date(2026, 2, 1))
    _meeting(cells.stp_cb1, datetime.date(2026, 5, 1))
    _meeting(cells.syt_cb1, datetime.date(2026, 5, 1))

    figures = registers.REGISTERS["cell_meeting"].overview(personas["viewer"], 2026)

    assert [figure.value for figure in figures] == ["1/4 chi bộ (25 %)", "2"]
