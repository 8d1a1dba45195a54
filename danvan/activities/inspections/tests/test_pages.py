"""Pages: scope (inspector / inspected / another unit), forms, the remedies list and its export."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from danvan.activities.inspections import services
from danvan.activities.inspections.models import Inspection, Remedy, RemedyState
from danvan.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_the_list_shows_programmes_to_the_inspector_and_the_inspected_only(people, planned, login):
    title = planned["inspection"].title
    for who in ("inspector", "inspected", "viewer"):
        assert title in login(people[who]).get("/activities/inspections/").content.decode(), who
    assert title not in login(people["other"]).get("/activities/inspections/").content.decode()
    pk = planned["inspection"].pk
    assert login(people["other"]).get(f"/activities/inspections/{pk}/").status_code == 404
    assert (
        login(people["other"]).get(f"/activities/inspections/remedies/{planned['late'].pk}/").status_code
        == 404
    )


def test_an_inspected_unit_sees_its_own_results_not_another_inspected_units(
    tree, people, planned, login, today
):
    inspector = people["inspector"]
    inspection = planned["inspection"]
    services.inspection_update(
        inspection=inspection,
        kind=inspection.kind,
        title=inspection.title,
        reference=inspection.reference,
        year=inspection.year,
        starts_on=inspection.starts_on,
        ends_on=inspection.ends_on,
        state="in_progress",
        units=[tree.stp, tree.syt],
        by=inspector,
    )
    syt = inspection.targets.get(unit=tree.syt)
    services.findings_record(
        target=syt, conducted_on=today, strengths="", shortcomings="", conclusion="KẾT-LUẬN-SYT", by=inspector
    )
    stp_page = login(people["inspected"]).get(f"/activities/inspections/{inspection.pk}/").content.decode()
    assert "Cơ bản hoàn thành" in stp_page and "KẾT-LUẬN-SYT" not in stp_page
    syt_page = login(people["other"]).get(f"/activities/inspections/{inspection.pk}/").content.decode()
    assert "KẾT-LUẬN-SYT" in syt_page and "Cơ bản hoàn thành" not in syt_page
    assert (
        login(people["other"]).get(f"/activities/inspections/units/{planned['target'].pk}/").status_code
        == 404
    )
    assert (
        "KẾT-LUẬN-SYT" in login(inspector).get(f"/activities/inspections/{inspection.pk}/").content.decode()
    )


def test_the_inspector_creates_a_programme_through_the_page(tree, people, login, today):
    response = login(people["inspector"]).post(
        "/activities/inspections/new/",
        {
            "unit": "DUK",
            "kind": "supervision",
            "title": "Giám sát dân chủ ở cơ sở",
            "reference": "Kế hoạch 20-KH/ĐUK",
            "year": today.year,
            "starts_on": f"01/01/{today.year}",
            "ends_on": f"31/12/{today.year}",
            "units": ["STP", "SYT"],
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    made = Inspection.objects.get(title="Giám sát dân chủ ở cơ sở")
    assert sorted(t.unit.code for t in made.targets.all()) == ["STP", "SYT"]


def test_the_inspected_unit_cannot_record_findings_nor_add_remedies(people, planned, login, today):
    client = login(people["inspected"])
    target = planned["target"]
    page = client.get(f"/activities/inspections/units/{target.pk}/")
    assert page.status_code == 200 and "Lưu kết quả kiểm tra" not in page.content.decode()
    findings = {"conducted_on": today.strftime("%d/%m/%Y"), "conclusion": "Sửa"}
    assert client.post(f"/activities/inspections/units/{target.pk}/", findings).status_code == 403
    remedy = {"content": "Thêm", "due_on": today.strftime("%d/%m/%Y")}
    assert client.post(f"/activities/inspections/units/{target.pk}/remedies/new/", remedy).status_code == 403
    assert Remedy.objects.count() == 3


def test_the_inspector_adds_a_remedy_and_a_bad_deadline_is_explained(people, planned, login, today):
    client = login(people["inspector"])
    target = planned["target"]
    early = (target.conducted_on - datetime.timedelta(days=2)).strftime("%d/%m/%Y")
    refused = client.post(
        f"/activities/inspections/units/{target.pk}/remedies/new/", {"content": "X", "due_on": early}
    )
    assert refused.status_code == 400 and "trước ngày tiến hành kiểm tra" in refused.content.decode()
    due = (today + datetime.timedelta(days=10)).strftime("%d/%m/%Y")
    added = client.post(
        f"/activities/inspections/units/{target.pk}/remedies/new/", {"content": "Y", "due_on": due}
    )
    assert added.status_code == 302 and Remedy.objects.filter(content="Y").exists()


def test_the_follow_up_page_for_the_responsible_unit(people, planned, login, today):
    remedy = planned["late"]
    url = f"/activities/inspections/remedies/{remedy.pk}/"
    future = (today + datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    client = login(people["inspected"])
    refused = client.post(url, {"state": "remedied", "remedied_on": future, "result": "Xong"})
    assert refused.status_code == 400 and "trong tương lai" in refused.content.decode()
    assert (
        client.post(
            url, {"state": "remedied", "remedied_on": today.strftime("%d/%m/%Y"), "result": "Xong"}
        ).status_code
        == 302
    )
    remedy.refresh_from_db()
    assert remedy.state == RemedyState.REMEDIED
    assert login(people["viewer"]).post(url, {"state": "remedied"}).status_code == 403


def test_the_remedies_list_filters_by_state_and_unit_and_shows_overdue_in_words(tree, people, planned, login):
    client = login(people["inspector"])
    overdue = client.get("/activities/inspections/remedies/?state=overdue").content.decode()
    assert "Công khai kết quả kiểm tra" in overdue and "Tổ chức sinh hoạt chuyên đề" not in overdue
    assert "Quá hạn khắc phục" in overdue
    elsewhere = client.get("/activities/inspections/remedies/?unit=SYT").content.decode()
    assert "Công khai kết quả kiểm tra" not in elsewhere
    assert (
        "Công khai kết quả kiểm tra"
        not in login(people["other"]).get("/activities/inspections/remedies/").content.decode()
    )


def test_the_remedies_export_is_a_workbook_in_words_and_is_audited(people, planned, login):
    response = login(people["inspected"]).get("/activities/inspections/remedies/xlsx/?state=open")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][0] == "Chương trình" and len(rows) == 4
    assert {row[6] for row in rows[1:]} == {"Quá hạn khắc phục", "Chưa khắc phục"}
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT, model="inspections.remedy").exists()


def test_a_get_changes_nothing(people, planned, login):
    client = login(people["inspector"])
    before = (Inspection.objects.count(), Remedy.objects.count(), AuditEvent.objects.count())
    for url in (
        "/activities/inspections/",
        f"/activities/inspections/{planned['inspection'].pk}/",
        f"/activities/inspections/units/{planned['target'].pk}/",
        "/activities/inspections/remedies/",
    ):
        assert client.get(url).status_code == 200
    assert (Inspection.objects.count(), Remedy.objects.count(), AuditEvent.objects.count()) == before
