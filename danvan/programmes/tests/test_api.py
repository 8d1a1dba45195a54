"""The action programmes API: scope, permissions, bad input (400 in Vietnamese, nothing saved), a programme
from a document with its tasks pre-filled, tasks and their due rules, my tasks and progress."""

import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from conftest import make_user
from danvan.accounts.actors import System
from danvan.accounts.models import Role
from danvan.programmes import schedule, services, specs
from danvan.programmes.models import DueRule, Occurrence, Programme, ProgressUpdate, State, Task

from .helpers import register_document

SYSTEM = System("tests")

pytestmark = pytest.mark.django_db

PROGRAMMES = "/api/v1/programmes/"
TASKS = "/api/v1/tasks/"
OCCURRENCES = "/api/v1/occurrences/"
D = datetime.date
TODAY = timezone.localdate


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def _stored(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


@pytest.fixture
def programme(tree):
    """STP's programme since 01/01/2025: Chi bộ 1 leads a task due 01/03/2025 (overdue), and a yearly report."""
    programme = Programme.objects.create(unit=tree.stp, title="Chương trình thử STP", starts_on=D(2025, 1, 1))
    services.task_save(
        programme=programme,
        spec=specs.TaskSpec(
            text="Chi bộ 1 tổ chức quán triệt", lead=tree.stp_cb1, rule=DueRule.FIXED, due_on=D(2025, 3, 1)
        ),
        by=SYSTEM,
    )
    services.task_save(
        programme=programme,
        spec=specs.TaskSpec(text="Báo cáo kết quả hằng năm", rule=DueRule.ANNUAL, day=15, month=12),
        by=SYSTEM,
    )
    return programme


@pytest.fixture
def cb1_head(tree):
    return make_user("head_cb1", unit=tree.stp_cb1, role=Role.UNIT_HEAD)


def _counts() -> tuple[int, int, int, int]:
    return (
        Programme.objects.count(),
        Task.objects.count(),
        Occurrence.objects.count(),
        ProgressUpdate.objects.count(),
    )


# --- the happy path ------------------------------------------------------------------------------------


def test_a_programme_from_a_document_is_pre_filled_and_progress_makes_it_done(tree, personas, api):
    document = register_document(tree.stp)  # seed 004: công văn 84-CV/ĐU and Chương trình 60-CTr/ĐUK
    officer = api(personas["mobilisation_officer"])
    response = officer.post(PROGRAMMES, {"document": document.pk}, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    programme = Programme.objects.get()
    assert (data["id"], data["unit"], data["document"], data["document_number_symbol"]) == (
        programme.pk,
        "STP",
        document.pk,
        "84-CV/ĐU",
    )
    assert data["starts_on"] == TODAY().isoformat() and data["may_manage"] is True
    assert data["title"].endswith("84-CV/ĐU — Triển khai thực hiện Chương trình hành động của Đảng ủy Khối")
    tasks = data["tasks"]
    assert len(tasks) == programme.tasks.count() >= 10
    targets = [task for task in tasks if task["kind"] == "target"]
    assert any(
        task["text"].startswith("Đảm bảo 100% các tổ chức cơ sở đảng") and task["percent"] == 100
        for task in targets
    )
    # item 5 of "Tổ chức thực hiện" reports "định kỳ": yearly on 15/12, the closing sentence's day
    annual = next(
        task for task in tasks if task["text"].startswith("Giao Ban Tuyên giáo Đảng ủy khối chủ trì")
    )
    assert (annual["rule"], annual["day"], annual["month"]) == ("annual", 15, 12)
    assert [o["due_on"][5:] for o in annual["occurrences"]] == ["12-15"] * len(annual["occurrences"])
    giao = next(
        task for task in tasks if task["text"].startswith("Giao Ban Tuyên giáo Đảng ủy khối phối hợp")
    )
    assert giao["lead"] is None and giao["lead_text"] == "Ban Tuyên giáo Đảng ủy khối"
    assert data["progress"]["done"] == 0

    # The officer's own task, due in a week: it shows in "my tasks" and is reported done.
    due = TODAY() + datetime.timedelta(days=7)
    created = officer.post(
        f"{PROGRAMMES}{programme.pk}/tasks/",
        {
            "text": "Chi bộ 1 tổ chức hội nghị quán triệt",
            "lead": "STP-CB1",
            "coordinating": ["STP-CB2"],
            "rule": "fixed",
            "due_on": due.strftime("%d/%m/%Y"),
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    task = created.json()
    assert (task["lead"], task["coordinating"], task["due_on"]) == ("STP-CB1", ["STP-CB2"], due.isoformat())
    occurrence_id = task["occurrences"][0]["id"]
    mine = officer.get(OCCURRENCES).json()["results"]
    assert occurrence_id in [row["id"] for row in mine]
    dates = [row["due_on"] for row in mine if row["due_on"]]
    assert dates == sorted(dates)  # by deadline
    report = officer.post(
        f"{OCCURRENCES}{occurrence_id}/progress/",
        {
            "state": "done",
            "text": "Đã tổ chức hội nghị, 25/25 đảng viên dự.",
            "links": ["https://stp.dongnai.gov.vn/tin/1"],
        },
        format="json",
    )
    assert report.status_code == 201, report.content
    assert report.json()["state"] == "done" and report.json()["status"] == "done"
    assert report.json()["updates"][0]["links"] == ["https://stp.dongnai.gov.vn/tin/1"]
    assert Occurrence.objects.get(pk=occurrence_id).done_on == TODAY()
    progress = officer.get(f"{PROGRAMMES}{programme.pk}/").json()["progress"]
    assert (progress["done"], progress["on_time"]) == (1, 1)
    assert occurrence_id not in _ids(officer.get(OCCURRENCES))  # done: no longer open
    assert occurrence_id in _ids(officer.get(OCCURRENCES, {"state": "done"}))
    listed = officer.get(PROGRAMMES).json()["results"]
    assert [(row["id"], row["progress"]["done"]) for row in listed] == [(programme.pk, 1)]


def test_progress_with_an_evidence_file_by_the_lead_unit(programme, tree, api, cb1_head, login):
    occurrence = Occurrence.objects.get(task__lead=tree.stp_cb1)
    cell = api(cb1_head)  # Chi bộ 1 leads the task: sees and reports it, not the programme
    assert _ids(cell.get(OCCURRENCES)) == [occurrence.pk]
    assert cell.get(f"{PROGRAMMES}{programme.pk}/").status_code == 404
    assert _ids(cell.get(PROGRAMMES)) == []
    evidence = SimpleUploadedFile("bien-ban.txt", "Biên bản hội nghị quán triệt".encode())
    response = cell.post(
        f"{OCCURRENCES}{occurrence.pk}/progress/",
        {
            "state": "in_progress",
            "text": "Đang tổ chức",
            "links": ["https://a.vn/1", "https://a.vn/2"],
            "file": evidence,
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    update = response.json()["updates"][0]
    assert update["links"] == ["https://a.vn/1", "https://a.vn/2"] and update["by"] == cb1_head.pk
    assert (update["file"]["name"], update["file"]["content_type"]) == ("bien-ban.txt", "text/plain")
    download = login(cb1_head).get(update["file"]["url"])
    assert (
        download.status_code == 200
        and b"".join(download.streaming_content) == "Biên bản hội nghị quán triệt".encode()
    )
    assert Occurrence.objects.get(pk=occurrence.pk).state == State.IN_PROGRESS
    # The lead unit may report, not change the task (it sees it: 403).
    task = occurrence.task
    assert cell.get(f"{TASKS}{task.pk}/").status_code == 200
    assert cell.patch(f"{TASKS}{task.pk}/", {"text": "Đổi"}, format="json").status_code == 403


# --- scope and permissions -----------------------------------------------------------------------------


def test_another_units_programmes_and_tasks_are_404_and_empty(programme, tree, personas, api, settings):
    occurrence = Occurrence.objects.filter(task__programme=programme).first()
    task = occurrence.task
    outsider = api(personas["outsider"])  # SYT
    assert _ids(outsider.get(PROGRAMMES)) == [] and _ids(outsider.get(OCCURRENCES)) == []
    assert outsider.get(f"{PROGRAMMES}{programme.pk}/").status_code == 404
    assert (
        outsider.post(f"{PROGRAMMES}{programme.pk}/tasks/", {"text": "x"}, format="json").status_code == 404
    )
    assert outsider.get(f"{TASKS}{task.pk}/").status_code == 404
    assert outsider.patch(f"{TASKS}{task.pk}/", {"text": "Đổi"}, format="json").status_code == 404
    assert outsider.get(f"{OCCURRENCES}{occurrence.pk}/").status_code == 404
    body = {"state": "done", "text": "Xong"}
    assert outsider.post(f"{OCCURRENCES}{occurrence.pk}/progress/", body, format="json").status_code == 404
    document = register_document(tree.stp, number_symbol="90-CV/ĐU")
    refused = outsider.post(PROGRAMMES, {"document": document.pk}, format="json")
    unknown = outsider.post(PROGRAMMES, {"document": 999999}, format="json")
    assert refused.status_code == unknown.status_code == 400
    assert refused.json() == {"document": [f"Không có văn bản nào có mã số {document.pk}."]}
    assert unknown.json() == {"document": ["Không có văn bản nào có mã số 999999."]}
    assert _counts() == (1, 2, Occurrence.objects.count(), 0) and not _stored(settings)
    assert Task.objects.get(pk=task.pk).text == task.text
    for role in ("case_handler", "nobody"):
        client = api(personas[role])
        for path in (PROGRAMMES, OCCURRENCES, f"{TASKS}{task.pk}/"):
            assert client.get(path).status_code == 403, (role, path)


def test_a_viewer_reads_but_may_not_write(programme, tree, personas, api):
    occurrence = Occurrence.objects.filter(task__programme=programme).first()
    before = _counts()
    viewer = api(personas["viewer"])
    detail = viewer.get(f"{PROGRAMMES}{programme.pk}/")
    assert detail.status_code == 200 and detail.json()["may_manage"] is False
    assert viewer.get(f"{OCCURRENCES}{occurrence.pk}/").json()["may_report"] is False
    document = register_document(tree.stp, number_symbol="91-CV/ĐU")
    assert viewer.post(PROGRAMMES, {"document": document.pk}, format="json").status_code == 403
    assert (
        viewer.post(f"{PROGRAMMES}{programme.pk}/tasks/", {"text": "Thêm"}, format="json").status_code == 403
    )
    assert viewer.patch(f"{TASKS}{occurrence.task_id}/", {"text": "Đổi"}, format="json").status_code == 403
    response = viewer.post(
        f"{OCCURRENCES}{occurrence.pk}/progress/", {"state": "done", "text": "Xong"}, format="json"
    )
    assert response.status_code == 403
    assert _counts() == before and Occurrence.objects.get(pk=occurrence.pk).state == State.NOT_STARTED
    # A programme for a unit the user sees but may not manage: 403; one outside the scope: unknown.
    officer = api(personas["mobilisation_officer"])
    assert officer.post(PROGRAMMES, {"document": document.pk, "unit": "SYT"}, format="json").json() == {
        "unit": ["Không có đơn vị nào có mã “SYT”."]
    }
    assert (
        api(personas["reporter"]).post(PROGRAMMES, {"document": document.pk}, format="json").status_code
        == 403
    )
    assert _counts() == before


# --- bad input -----------------------------------------------------------------------------------------


def test_a_lead_outside_the_tree_is_refused_and_nothing_saved(programme, personas, api):
    before = _counts()
    url = f"{PROGRAMMES}{programme.pk}/tasks/"
    admin = api(personas["admin"])  # sees SYT, which is not in STP's tree: the service's message
    response = admin.post(url, {"text": "Tổ chức hội nghị", "lead": "SYT"}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "lead": [
            "Đơn vị chủ trì “Đảng ủy Sở Y tế” không thuộc Đảng ủy Sở Tư pháp: hãy chọn một đơn vị trong hệ thống "
            "của đơn vị này."
        ]
    }
    coordinating = admin.post(
        url, {"text": "Phối hợp", "coordinating": ["STP-CB1", "SYT-CB1"]}, format="json"
    )
    assert coordinating.json() == {
        "coordinating": ["Các đơn vị phối hợp sau không thuộc Đảng ủy Sở Tư pháp: Chi bộ Văn phòng."]
    }
    head = api(personas["unit_head"])  # does not see SYT at all: the same answer as an unknown code
    assert head.post(url, {"text": "Tổ chức hội nghị", "lead": "SYT"}, format="json").json() == {
        "lead": ["Không có đơn vị nào có mã “SYT”."]
    }
    assert head.post(url, {"text": "Tổ chức hội nghị", "lead": "KHONG-CO"}, format="json").json() == {
        "lead": ["Không có đơn vị nào có mã “KHONG-CO”."]
    }
    task = programme.tasks.get(lead__code="STP-CB1")
    moved = head.patch(f"{TASKS}{task.pk}/", {"lead": "SYT"}, format="json")
    assert moved.status_code == 400
    assert admin.patch(f"{TASKS}{task.pk}/", {"lead": "SYT"}, format="json").status_code == 400
    assert _counts() == before and Task.objects.get(pk=task.pk).lead.code == "STP-CB1"


@pytest.mark.parametrize(
    ("rule", "day", "month", "shown"),
    [("annual", 29, 2, "29/02"), ("semiannual", 31, 4, "31/04"), ("semiannual", 31, 10, "31/04")],
)
def test_an_impossible_day_is_refused_and_nothing_saved(programme, personas, api, rule, day, month, shown):
    before = _counts()
    head = api(personas["unit_head"])
    body = {"text": "Báo cáo định kỳ", "rule": rule, "day": day, "month": month}
    response = head.post(f"{PROGRAMMES}{programme.pk}/tasks/", body, format="json")
    assert response.status_code == 400
    assert response.json() == {"day": [f"{shown} không phải là ngày có trong mọi năm: hãy chọn ngày khác."]}
    annual = programme.tasks.get(rule=DueRule.ANNUAL)
    changed = head.patch(f"{TASKS}{annual.pk}/", {"rule": rule, "day": day, "month": month}, format="json")
    assert changed.status_code == 400 and changed.json() == response.json()
    assert _counts() == before
    annual.refresh_from_db()
    assert (annual.rule, annual.day, annual.month) == (DueRule.ANNUAL, 15, 12)
    out_of_range = head.post(f"{PROGRAMMES}{programme.pk}/tasks/", {**body, "day": 32}, format="json")
    assert out_of_range.status_code == 400 and list(out_of_range.json()) == ["day"]
    assert _counts() == before


def test_tasks_are_created_and_changed_with_every_due_rule(programme, personas, api):
    head = api(personas["unit_head"])
    url = f"{PROGRAMMES}{programme.pk}/tasks/"
    semiannual = head.post(
        url, {"text": "Sơ kết, tổng kết", "rule": "semiannual", "day": 15, "month": 6}, format="json"
    )
    assert semiannual.status_code == 201, semiannual.content
    dates = [o["due_on"] for o in semiannual.json()["occurrences"]]
    assert dates[:2] == ["2025-06-15", "2025-12-15"] and len(dates) == 2 * (
        schedule.horizon().year - 2025 + 1
    )
    relative = head.post(
        url,
        {
            "text": "Báo cáo sau hội nghị",
            "rule": "relative",
            "relative_to": "01/02/2025",
            "relative_days": 30,
        },
        format="json",
    )
    assert relative.status_code == 201 and [o["due_on"] for o in relative.json()["occurrences"]] == [
        "2025-03-03"
    ]
    task_id = relative.json()["id"]
    # PATCH keeps what is left out; the occurrences follow the new rule.
    changed = head.patch(f"{TASKS}{task_id}/", {"rule": "fixed", "due_on": "2025-09-30"}, format="json")
    assert changed.status_code == 200, changed.content
    assert changed.json()["text"] == "Báo cáo sau hội nghị"
    assert [o["due_on"] for o in changed.json()["occurrences"]] == ["2025-09-30"]
    # A task of another programme cannot be counted from.
    other = Programme.objects.create(unit=programme.unit, title="Khác", starts_on=D(2025, 1, 1))
    foreign = services.task_save(
        programme=other, spec=specs.TaskSpec(text="x", rule=DueRule.FIXED, due_on=D(2025, 5, 1)), by=SYSTEM
    )
    before = _counts()
    refused = head.post(
        url,
        {"text": "Sau nhiệm vụ khác", "rule": "relative", "relative_task": foreign.pk, "relative_days": 5},
        format="json",
    )
    assert refused.status_code == 400 and list(refused.json()) == ["relative_task"]
    empty = head.post(url, {"text": " ", "rule": "fixed"}, format="json")
    assert empty.status_code == 400 and set(empty.json()) == {"text", "due_on"}
    assert empty.json()["text"] == ["Hãy ghi nội dung nhiệm vụ."]
    assert _counts() == before


def test_wrong_evidence_and_links_are_refused_and_nothing_saved(programme, tree, personas, api, settings):
    occurrence = Occurrence.objects.get(task__lead=tree.stp_cb1)
    url = f"{OCCURRENCES}{occurrence.pk}/progress/"
    head = api(personas["unit_head"])
    before = _counts()
    wrong = head.post(
        url,
        {
            "state": "done",
            "text": "Xong",
            "file": SimpleUploadedFile("chay.exe", b"MZ\x90\x00" + b"\x00" * 100),
        },
        format="multipart",
    )
    assert wrong.status_code == 400 and "không thuộc loại được chấp nhận" in wrong.json()["file"][0]
    settings.DIRECTIVES_MAX_FILE_MB = 1
    big = SimpleUploadedFile("bien-ban.txt", b"x" * (1024 * 1024 + 1))
    too_big = head.post(url, {"state": "done", "text": "Xong", "file": big}, format="multipart")
    assert too_big.status_code == 400
    assert too_big.json() == {"file": ["Tệp “bien-ban.txt” lớn hơn 1 MB: hãy gửi tệp nhỏ hơn."]}
    link = head.post(url, {"state": "done", "text": "Xong", "links": ["javascript:alert(1)"]}, format="json")
    assert link.json() == {
        "links": ["“javascript:alert(1)” không phải là địa chỉ web (http:// hoặc https://)."]
    }
    empty = head.post(url, {}, format="json")
    assert empty.json() == {"text": ["Hãy mô tả tiến độ thực hiện."], "state": ["Hãy chọn trạng thái."]}
    assert _counts() == before and not _stored(settings)
    assert Occurrence.objects.get(pk=occurrence.pk).state == State.NOT_STARTED


# --- my tasks -------------------------------------------------------------------------------------------


def test_my_tasks_by_deadline_with_state_and_overdue_filters(programme, tree, personas, api):
    head = api(personas["unit_head"])
    late = Occurrence.objects.get(task__lead=tree.stp_cb1)  # due 01/03/2025, not done
    rows = head.get(OCCURRENCES).json()["results"]
    assert rows[0]["id"] == late.pk and rows[0]["status"] == "overdue" and rows[0]["overdue"] is True
    dates = [row["due_on"] for row in rows]
    assert dates == sorted(dates)
    assert _ids(head.get(OCCURRENCES, {"overdue": "true"}))[0] == late.pk
    assert late.pk not in _ids(head.get(OCCURRENCES, {"overdue": "false"}))
    services.progress_report(occurrence=late, state=State.IN_PROGRESS, text="Đang làm", by=SYSTEM)
    assert _ids(head.get(OCCURRENCES, {"state": "in_progress"})) == [late.pk]
    assert _ids(head.get(OCCURRENCES, {"lead": "STP-CB1"})) == [late.pk]
    assert _ids(head.get(OCCURRENCES, {"lead": "SYT"})) == []
    assert _ids(head.get(OCCURRENCES, {"due_until": "31/12/2025"}))[:2] == [
        late.pk,
        Occurrence.objects.get(task__rule=DueRule.ANNUAL, due_on=D(2025, 12, 15)).pk,
    ]
    assert head.get(OCCURRENCES, {"state": "khac"}).status_code == 400
    assert head.get(OCCURRENCES, {"due_until": "31/02/2025"}).json() == {
        "due_until": ["Nhập ngày hợp lệ, ví dụ 31/12/2024 hoặc 2024-12-31."]
    }
    listed = head.get(PROGRAMMES, {"unit": "STP"}).json()["results"]
    assert [row["id"] for row in listed] == [programme.pk] and listed[0]["progress"]["overdue"] >= 1
    assert _ids(head.get(PROGRAMMES, {"unit": "STP-CB1"})) == []


def test_the_schema_describes_the_programmes_api(login, personas):
    paths = login(personas["nobody"]).get("/api/schema/", {"format": "json"}).json()["paths"]
    assert set(paths["/api/v1/programmes/"]) == {"get", "post"}
    assert set(paths["/api/v1/programmes/{id}/"]) == {"get"}
    assert set(paths["/api/v1/programmes/{id}/tasks/"]) == {"post"}
    assert set(paths["/api/v1/tasks/{id}/"]) == {"get", "put", "patch"}
    assert set(paths["/api/v1/occurrences/"]) == {"get"}
    assert set(paths["/api/v1/occurrences/{id}/"]) == {"get"}
    progress = paths["/api/v1/occurrences/{id}/progress/"]
    assert set(progress) == {"post"}
    assert {"application/json", "multipart/form-data"} <= set(progress["post"]["requestBody"]["content"])
    filters = {p["name"] for p in paths["/api/v1/occurrences/"]["get"]["parameters"]}
    assert {"state", "overdue", "programme", "lead", "due_until", "limit"} <= filters


def test_far_dates_and_bad_numbers_are_refused_in_vietnamese(programme, personas, api):
    before = _counts()
    head = api(personas["unit_head"])
    url = f"{PROGRAMMES}{programme.pk}/tasks/"
    far = head.post(url, {"text": "x", "rule": "fixed", "due_on": "31/12/9999"}, format="json")
    assert far.status_code == 400 and "quá xa ngày bắt đầu" in far.json()["due_on"][0]
    overflow = head.post(
        url,
        {"text": "x", "rule": "relative", "relative_to": "30/12/9999", "relative_days": 3000},
        format="json",
    )
    assert overflow.status_code == 400 and "quá xa ngày bắt đầu" in overflow.json()["relative_to"][0]
    for percent, message in (
        ("abc", "Hãy nhập một số hợp lệ."),
        ("1.234", "Chỉ được có tối đa 2 chữ số sau"),
    ):
        response = head.post(url, {"text": "x", "rule": "none", "percent": percent}, format="json")
        assert response.status_code == 400 and response.json()["percent"][0].startswith(message)
    assert _counts() == before
