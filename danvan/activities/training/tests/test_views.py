"""The training pages and API: scope, filters, record/change/delete, the XLSX export, refusals in Vietnamese."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from danvan.activities.training import services
from danvan.activities.training.models import TrainingClass
from danvan.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def classes(tree, personas, spec):
    admin = personas["admin"]
    return {
        "stp": services.class_save(spec=spec(tree.stp, title="Lớp STP", participants=85), by=admin),
        "cb1": services.class_save(
            spec=spec(tree.stp_cb1, title="Lớp Chi bộ 1", held_on=D(2025, 10, 9), participants=42), by=admin
        ),
        "old": services.class_save(
            spec=spec(tree.stp, title="Lớp năm 2024", held_on=D(2024, 5, 2), participants=30), by=admin
        ),
        "syt": services.class_save(spec=spec(tree.syt, title="Lớp Sở Y tế", participants=58), by=admin),
    }


def _titles(response):
    return [item.title for item in response.context["page"]]


def test_the_list_shows_only_the_classes_in_scope(classes, personas, login):
    response = login(personas["viewer"]).get(reverse("training:list"))
    assert _titles(response) == ["Lớp Chi bộ 1", "Lớp STP", "Lớp năm 2024"]
    assert "Lớp Sở Y tế" not in response.content.decode()
    assert response.context["totals"].participants == 157
    assert login(personas["case_handler"]).get(reverse("training:list")).status_code == 403


def test_the_list_filters_by_unit_year_and_dates(classes, personas, login):
    client = login(personas["admin"])
    url = reverse("training:list")
    assert _titles(client.get(url, {"unit": "STP"})) == ["Lớp Chi bộ 1", "Lớp STP", "Lớp năm 2024"]
    assert _titles(client.get(url, {"unit": "STP", "below": "0"})) == ["Lớp STP", "Lớp năm 2024"]
    assert _titles(client.get(url, {"year": "2024"})) == ["Lớp năm 2024"]
    assert _titles(client.get(url, {"from": "2025-10-01", "to": "2025-12-31"})) == ["Lớp Chi bộ 1"]
    assert _titles(client.get(url, {"from": "01/09/2025", "to": "30/09/2025"})) == ["Lớp Sở Y tế", "Lớp STP"]
    response = client.get(url, {"from": "2025-12-31", "to": "2025-01-01"})
    assert _titles(response) == [] and "trước" in response.content.decode()
    # A unit out of the user's scope is refused like an unknown one: nothing listed.
    response = login(personas["viewer"]).get(url, {"unit": "SYT"})
    assert _titles(response) == [] and "Lớp Sở Y tế" not in response.content.decode()


def test_an_officer_records_a_class_with_its_list_on_the_page(tree, personas, login):
    client = login(personas["mobilisation_officer"])
    data = {
        "unit": "STP-CB1",
        "title": "Tập huấn dân chủ ở cơ sở",
        "held_on": "09/10/2025",
        "ended_on": "",
        "participants": "3",
        "attendees": "Nguyễn Văn An; Chuyên viên; Văn phòng\nTrần Thị Bình\n\nLê Văn Cường; ; Phòng Tư pháp",
    }
    response = client.post(reverse("training:create"), data)
    saved = TrainingClass.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("training:detail", args=[saved.pk])
    assert [(p.name, p.position, p.unit_name) for p in saved.attendees.all()] == [
        ("Nguyễn Văn An", "Chuyên viên", "Văn phòng"),
        ("Trần Thị Bình", "", ""),
        ("Lê Văn Cường", "", "Phòng Tư pháp"),
    ]
    page = client.get(reverse("training:detail", args=[saved.pk])).content.decode()
    assert "Trần Thị Bình" in page and "09/10/2025" in page
    # The edit form shows the list as typed, and keeps it when saved again.
    edit = client.get(reverse("training:edit", args=[saved.pk]))
    assert edit.context["form"].initial["attendees"].splitlines()[2] == "Lê Văn Cường; ; Phòng Tư pháp"


def test_the_page_refuses_a_list_longer_than_the_count_a_future_day_and_another_unit(tree, personas, login):
    client = login(personas["mobilisation_officer"])
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    base = {"unit": "STP", "title": "Lớp", "held_on": "09/10/2025", "participants": "1"}
    response = client.post(reverse("training:create"), {**base, "attendees": "A\nB"})
    assert (
        response.status_code == 200
        and "phải ít nhất bằng số người trong danh sách" in response.content.decode()
    )
    response = client.post(reverse("training:create"), {**base, "held_on": tomorrow})
    assert "trong tương lai" in response.content.decode()
    response = client.post(reverse("training:create"), {**base, "unit": "SYT"})
    assert response.status_code == 200 and response.context["form"].errors["unit"]
    assert not TrainingClass.objects.exists()


def test_edit_and_delete_need_the_right_at_the_unit(classes, personas, login):
    item = classes["stp"]
    viewer, officer, outsider = (
        login(personas[name]) for name in ("viewer", "mobilisation_officer", "outsider")
    )
    assert viewer.get(reverse("training:edit", args=[item.pk])).status_code == 403
    assert outsider.get(reverse("training:detail", args=[item.pk])).status_code == 404
    assert outsider.post(reverse("training:delete", args=[item.pk])).status_code == 404
    response = officer.post(
        reverse("training:edit", args=[item.pk]),
        {"unit": "STP", "title": "Lớp STP (sửa)", "held_on": "15/09/2025", "participants": "90"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.title, item.participants) == ("Lớp STP (sửa)", 90)
    assert officer.get(reverse("training:delete", args=[item.pk])).status_code == 200
    assert TrainingClass.objects.filter(pk=item.pk).exists()  # a GET deletes nothing
    assert officer.post(reverse("training:delete", args=[item.pk])).status_code == 302
    assert not TrainingClass.objects.filter(pk=item.pk).exists()


def test_the_xlsx_export_holds_the_filtered_classes_and_is_audited(classes, personas, login):
    from openpyxl import load_workbook

    response = login(personas["viewer"]).get(reverse("training:xlsx"), {"year": "2025"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    titles = [row[2] for row in rows[1:]]
    assert titles == ["Lớp Chi bộ 1", "Lớp STP"]
    assert AuditEvent.objects.filter(action="export", model="training.trainingclass").count() == 1


# ---------------------------------------------------------------- API


def test_the_api_lists_in_scope_and_filters(classes, personas, login):
    client = login(personas["viewer"])
    body = client.get(reverse("training-class-list")).json()
    assert [row["title"] for row in body["results"]] == ["Lớp Chi bộ 1", "Lớp STP", "Lớp năm 2024"]
    body = client.get(reverse("training-class-list"), {"unit": "STP", "below": "false", "year": 2025}).json()
    assert [row["title"] for row in body["results"]] == ["Lớp STP"]
    assert client.get(reverse("training-class-list"), {"unit": "NOPE"}).json()["results"] == []
    assert client.get(reverse("training-class-detail", args=[classes["syt"].pk])).status_code == 404
    assert login(personas["case_handler"]).get(reverse("training-class-list")).status_code == 403


def test_the_api_records_changes_and_deletes_through_the_services(tree, personas, login):
    client = login(personas["mobilisation_officer"])
    payload = {
        "unit": "STP",
        "title": "Tập huấn qua API",
        "held_on": "2025-09-15",
        "participants": 2,
        "attendees": [{"name": "Nguyễn Văn An", "position": "Chuyên viên"}, {"name": "Trần Thị Bình"}],
    }
    response = client.post(reverse("training-class-list"), payload, content_type="application/json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert [a["name"] for a in response.json()["attendees"]] == ["Nguyễn Văn An", "Trần Thị Bình"]
    response = client.patch(
        reverse("training-class-detail", args=[pk]), {"participants": 1}, content_type="application/json"
    )
    assert (
        response.status_code == 400 and "ít nhất bằng số người trong danh sách" in response.content.decode()
    )
    response = client.patch(
        reverse("training-class-detail", args=[pk]), {"participants": 50}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["participants"] == 50
    assert len(response.json()["attendees"]) == 2
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client.post(
        reverse("training-class-list"), {**payload, "held_on": tomorrow}, content_type="application/json"
    )
    assert response.status_code == 400 and "trong tương lai" in response.content.decode()
    response = client.post(
        reverse("training-class-list"), {**payload, "unit": "SYT"}, content_type="application/json"
    )
    assert response.status_code == 400
    viewer = login(personas["viewer"])
    assert (
        viewer.post(reverse("training-class-list"), payload, content_type="application/json").status_code
        == 403
    )
    assert viewer.delete(reverse("training-class-detail", args=[pk])).status_code == 403
    assert client.delete(reverse("training-class-detail", args=[pk])).status_code == 204
    assert TrainingClass.objects.count() == 0
