"""Pages: permissions (SYT cannot see STP's programme), my tasks, progress, timeline, reports; reminders."""

import datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from danvan.accounts.actors import System
from danvan.programmes import services, specs
from danvan.programmes.models import (
    DueRule,
    Occurrence,
    Programme,
    ProgressUpdate,
    RelativeBase,
    State,
    Task,
)
from danvan.programmes.tasks import send_programme_reminders
from danvan.reminders.models import Sent
from danvan.reminders.services import send

from .helpers import register_document

SYSTEM = System("tests")

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def programme(tree):
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


def test_create_from_a_document_through_the_page(tree, personas, login):
    document = register_document(tree.stp)
    client = login(personas["mobilisation_officer"])
    page = client.get(reverse("programmes:home"))
    assert page.status_code == 200 and f'value="{document.pk}"' in page.content.decode()
    response = client.post(reverse("programmes:create"), {"document": document.pk})
    programme = Programme.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "programmes:detail", args=[programme.pk]
    )
    assert programme.unit == tree.stp and programme.tasks.count() == 24  # 19 assignments, 5 targets
    # the review: every assignment's lead must be chosen (no body of seed 004 is a unit of STP's tree)
    page = client.get(response["Location"]).content.decode()
    assert "19 nhiệm vụ cần chọn đơn vị chủ trì" in page  # the message after creation
    assert 'data-without-lead="19"' in page and "19 nhiệm vụ chưa có đơn vị chủ trì" in page
    assert page.count("data-lead-missing") == 19
    assert "Văn bản ghi: Ban Tuyên giáo Đảng ủy khối" in page
    task = programme.tasks.get(order=2)
    edit = client.get(reverse("programmes:task_edit", args=[programme.pk, task.pk])).content.decode()
    assert 'id="lead-missing"' in edit and "Ban Tuyên giáo Đảng ủy khối" in edit
    # the edit form offers the unit picker, scoped to the programme unit's tree
    assert 'data-unit-picker="/orgs/units/pick/?perm=document.manage&amp;within=STP"' in edit
    # once chosen (the picker posts the unit's code), the task leaves the review
    client.post(
        reverse("programmes:task_edit", args=[programme.pk, task.pk]),
        {
            "text": task.text,
            "lead": "chi bo 1",
            "lead__pick": "STP-CB1",
            "lead__label": "chi bo 1",
            "rule": "ongoing",
        },
    )
    task.refresh_from_db()
    assert (task.lead, task.rule) == (tree.stp_cb1, DueRule.ONGOING)
    page = client.get(response["Location"]).content.decode()
    assert 'data-without-lead="18"' in page and "Thường xuyên, không có hạn" in page
    # a viewer sees the document but may not create programmes
    assert (
        login(personas["viewer"]).post(reverse("programmes:create"), {"document": document.pk}).status_code
        == 403
    )
    # SYT's officer does not even see the document
    assert (
        login(personas["outsider"]).post(reverse("programmes:create"), {"document": document.pk}).status_code
        == 404
    )
    assert Programme.objects.count() == 1


def test_a_user_of_syt_cannot_see_stps_programme(programme, personas, login):
    occurrence = Occurrence.objects.filter(task__programme=programme).first()
    outsider = login(personas["outsider"])
    for url in (
        reverse("programmes:detail", args=[programme.pk]),
        reverse("programmes:timeline", args=[programme.pk]),
        reverse("programmes:occurrence", args=[occurrence.pk]),
    ):
        assert outsider.get(url).status_code == 404
    home = outsider.get(reverse("programmes:home")).content.decode()
    assert "Chương trình thử STP" not in home and "Chi bộ 1 tổ chức quán triệt" not in home
    assert login(personas["viewer"]).get(reverse("programmes:detail", args=[programme.pk])).status_code == 200
    assert (
        login(personas["viewer"]).get(reverse("programmes:task_add", args=[programme.pk])).status_code == 403
    )


def test_my_tasks_by_deadline_progress_and_timeline(tree, personas, login):
    today = timezone.localdate()
    days = datetime.timedelta
    programme = Programme.objects.create(
        unit=tree.stp, title="Chương trình tuần này", starts_on=today - days(60)
    )

    def task(text, due, lead=None):
        spec = specs.TaskSpec(text=text, lead=lead, rule=DueRule.FIXED, due_on=due)
        return services.task_save(programme=programme, spec=spec, by=SYSTEM).occurrences.get()

    on_time = task("Chi bộ 1 nộp kế hoạch", today + days(10), tree.stp_cb1)
    late = task("Chi bộ 2 tổ chức hội nghị", today - days(10), tree.stp_cb2)
    task("Đảng ủy tổng hợp báo cáo", today - days(3))
    task("Sơ kết sáu tháng", today + days(40))  # not due yet: outside done / total
    officer = login(personas["mobilisation_officer"])
    home = officer.get(reverse("programmes:home")).content.decode()
    # the overdue first (most overdue first), then by deadline; days late or left on each
    order = [home.index(text) for text in ("tổ chức hội nghị", "tổng hợp báo cáo", "nộp kế hoạch", "Sơ kết")]
    assert order == sorted(order)
    assert 'data-overdue="2"' in home and "quá hạn 10 ngày" in home and "quá hạn 3 ngày" in home
    assert "còn 10 ngày" in home
    assert reverse("programmes:detail", args=[programme.pk]) in home  # the programme is one click away
    for occurrence in (on_time, late):  # both reported done today through the page
        response = officer.post(
            reverse("programmes:occurrence", args=[occurrence.pk]),
            {"state": State.DONE, "text": "Đã hoàn thành"},
        )
        assert response.status_code == 302
    detail = officer.get(reverse("programmes:detail", args=[programme.pk])).content.decode()
    # due so far: the late one, the overdue one, and the one done early: 2 of 3 done, 1 on time, 1 late
    assert (
        'data-done="2" data-total="3" data-on-time="1" data-late="1" data-overdue="1" data-upcoming="1"'
        in detail
    )
    assert "Đã hoàn thành 2/3 (66,7 %)" in detail and "1 đúng hạn (50 %), 1 trễ hạn" in detail
    assert 'data-task-done="1/1"' in detail and 'data-task-done="0/1"' in detail
    home = officer.get(reverse("programmes:home")).content.decode()
    assert "nộp kế hoạch" not in home and "tổ chức hội nghị" not in home  # done: off the list
    # the list of programmes gives each one's figures too
    assert (
        f'data-programme="{programme.pk}" data-done="2" data-total="3" data-on-time="1" data-overdue="1"'
        in home
    )
    timeline = officer.get(reverse("programmes:timeline", args=[programme.pk])).content.decode()
    months = [f"Tháng {day.month}/{day.year}" for day in (today - days(10), today + days(40))]
    assert months[0] in timeline and months[1] in timeline
    assert timeline.index(months[0]) < timeline.index(months[1])
    assert timeline.index('id="now"') < timeline.index(months[1])  # the page opens on what comes next


def test_the_fixture_programme_on_the_unit_heads_pages(programme, personas, login):
    client = login(personas["unit_head"])
    home = client.get(reverse("programmes:home")).content.decode()
    assert home.index("Chi bộ 1 tổ chức quán triệt") < home.index("Báo cáo kết quả hằng năm")
    assert 'data-status="overdue"' in home  # 01/03/2025 has passed
    detail = client.get(reverse("programmes:detail", args=[programme.pk])).content.decode()
    assert "Vào ngày 01/03/2025" in detail and "Hằng năm vào ngày 15/12" in detail  # the rules in words
    timeline = client.get(reverse("programmes:timeline", args=[programme.pk])).content.decode()
    assert "Tháng 3/2025" in timeline and "Tháng 12/2025" in timeline
    assert timeline.index("Tháng 3/2025") < timeline.index("Tháng 12/2025")


def test_progress_reported_at_the_lead_unit_with_evidence(tree, programme, personas, login):
    from conftest import make_user
    from danvan.accounts.models import Role

    occurrence = Occurrence.objects.get(task__lead=tree.stp_cb1)
    cell_officer = make_user("officer_cb1", unit=tree.stp_cb1, role=Role.MOBILISATION_OFFICER)
    client = login(cell_officer)
    # the cell sees its task (not the programme page of STP), and reports on it
    assert client.get(reverse("programmes:detail", args=[programme.pk])).status_code == 404
    url = reverse("programmes:occurrence", args=[occurrence.pk])
    response = client.post(
        url,
        {
            "state": State.DONE,
            "text": "Đã quán triệt cho 30 đảng viên",
            "links": "https://danvan.example/voice/cases/7/",
            "file": SimpleUploadedFile("bien-ban.txt", "Biên bản".encode(), "text/plain"),
        },
    )
    assert response.status_code == 302
    update = ProgressUpdate.objects.get()
    assert update.by == cell_officer and update.file_name == "bien-ban.txt"
    occurrence.refresh_from_db()
    assert occurrence.state == State.DONE
    download = client.get(reverse("programmes:evidence", args=[update.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == "Biên bản".encode()
    assert (
        download["Cache-Control"] == "private, no-store" and download["X-Content-Type-Options"] == "nosniff"
    )
    assert (
        login(personas["outsider"]).get(reverse("programmes:evidence", args=[update.pk])).status_code == 404
    )
    update.file.storage.delete(update.file.name)  # lost from the storage: 404, not a server error
    assert client.get(reverse("programmes:evidence", args=[update.pk])).status_code == 404
    # a viewer at STP sees but cannot report
    assert login(personas["viewer"]).post(url, {"state": State.DONE, "text": "x"}).status_code == 403
    # a bad link is refused in Vietnamese, nothing saved
    page = client.post(url, {"state": State.DONE, "text": "Lần hai", "links": "ftp://x"})
    assert "không phải là địa chỉ web" in page.content.decode()
    assert ProgressUpdate.objects.count() == 1


def test_task_form_refuses_31_02_and_a_lead_outside_the_tree(tree, programme, personas, login):
    client = login(personas["admin"])  # bloc admin: sees SYT too, but SYT is not in STP's tree
    url = reverse("programmes:task_add", args=[programme.pk])
    page = client.post(url, {"text": "Báo cáo", "rule": DueRule.ANNUAL, "day_month": "31/02"})
    assert "31/02 không phải là ngày có trong mọi năm" in page.content.decode()
    occurrences = Occurrence.objects.count()
    for data, refusal in (
        ({"text": "Báo cáo", "rule": DueRule.NONE, "lead": "SYT"}, "Đơn vị này không thuộc cây tổ chức"),
        (
            {"text": "Báo cáo", "rule": DueRule.NONE, "lead": "xx", "lead__pick": "SYT", "lead__label": "xx"},
            "Đơn vị này không thuộc cây tổ chức",
        ),
        (
            {"text": "Báo cáo", "rule": DueRule.NONE, "coordinating": ["STP-CB1", "SYT-CB1"]},
            "Các đơn vị sau không thuộc cây tổ chức của đơn vị có chương trình: “Chi bộ Văn phòng”",
        ),
        (
            {"text": "Báo cáo", "rule": DueRule.NONE, "coordinating__lines": "Chi bộ 1\nĐảng ủy Sở Y tế"},
            "Các đơn vị sau không thuộc cây tổ chức của đơn vị có chương trình: “Đảng ủy Sở Y tế”",
        ),
    ):
        page = client.post(url, data)
        assert page.status_code == 200  # SYT is not even offered, and is refused in Vietnamese
        assert refusal in page.content.decode()
    assert Task.objects.filter(programme=programme).count() == 2 and Occurrence.objects.count() == occurrences
    assert not Task.objects.filter(text="Báo cáo").exists()
    response = client.post(
        url, {"text": "Sơ kết", "rule": DueRule.RELATIVE, "relative_to": "10/03/2026", "relative_days": "30"}
    )
    assert response.status_code == 302
    assert Occurrence.objects.filter(task__text="Sơ kết").get().due_on == D(2026, 4, 9)


def test_overdue_reminders_once_a_day(tree, programme, personas):
    from danvan.accounts.models import User

    for user in personas.values():
        User.objects.filter(pk=user.pk).update(email=f"{user.username}@example.vn")
    day = D(2025, 3, 5)
    sent = send(kind="programme", today=day, by=SYSTEM)
    recipients = sorted(address for message in mail.outbox for address in message.to)
    # those holding DOCUMENT_MANAGE within STP's tree; not the viewer, not SYT, not the bloc admin above
    assert recipients == [
        "bloc_admin_stp@example.vn",
        "mobilisation_officer_stp@example.vn",
        "unit_head_stp@example.vn",
    ]
    assert sent == 3
    assert "Chi bộ 1 tổ chức quán triệt" in mail.outbox[0].body and "quá hạn" in mail.outbox[0].subject
    assert send(kind="programme", today=day, by=SYSTEM) == 0  # not twice the same day
    assert send_programme_reminders.delay(today=day.isoformat()).get() == 0  # the beat task neither
    assert len(mail.outbox) == 3
    assert Sent.objects.filter(kind="programme", day=day).values("recipient").distinct().count() == 3
    assert send(kind="programme", today=day + datetime.timedelta(days=1), by=SYSTEM) == 3


def test_create_page_takes_a_start_date_not_before_the_document(tree, personas, login):
    document = register_document(tree.stp)  # 06/06/2014
    client = login(personas["mobilisation_officer"])
    home = client.get(reverse("programmes:home")).content.decode()
    assert 'name="starts_on"' in home
    url = reverse("programmes:create")
    for value, message in (
        ("05/06/2014", "Chương trình không thể bắt đầu trước ngày của văn bản (06/06/2014)."),
        ("31/02/2026", "Hãy nhập ngày theo dạng dd/mm/yyyy"),
    ):
        page = client.post(url, {"document": document.pk, "starts_on": value})
        assert page.status_code == 200 and message in page.content.decode()
        assert f'value="{value}"' in page.content.decode()  # what was typed is kept
    assert not Programme.objects.exists() and not Task.objects.exists()
    response = client.post(url, {"document": document.pk, "starts_on": "01/01/2026", "title": "CTr 2026"})
    programme = Programme.objects.get()
    assert response.status_code == 302 and (programme.starts_on, programme.title) == (
        D(2026, 1, 1),
        "CTr 2026",
    )
    assert not Occurrence.objects.filter(due_on__lt=D(2026, 1, 1)).exists()
    detail = client.get(reverse("programmes:detail", args=[programme.pk])).content.decode()
    assert "từ 01/01/2026" in detail


def test_task_form_relative_to_another_task_or_the_start(tree, programme, personas, login):
    client = login(personas["mobilisation_officer"])
    first = programme.tasks.get(text="Chi bộ 1 tổ chức quán triệt")  # due 01/03/2025
    url = reverse("programmes:task_add", args=[programme.pk])
    page = client.get(url).content.decode()
    assert 'name="relative_base"' in page and f'<option value="{first.pk}">' in page
    response = client.post(
        url,
        {
            "text": "Báo cáo sau quán triệt",
            "rule": DueRule.RELATIVE,
            "relative_base": RelativeBase.TASK,
            "relative_task": str(first.pk),
            "relative_days": "14",
        },
    )
    assert response.status_code == 302
    report = Task.objects.get(text="Báo cáo sau quán triệt")
    assert (report.relative_task, report.relative_to) == (first, None)
    assert list(report.occurrences.values_list("due_on", flat=True)) == [D(2025, 3, 15)]
    # the first task may not now count from the report: a cycle, refused in Vietnamese, nothing changed
    edit = reverse("programmes:task_edit", args=[programme.pk, first.pk])
    page = client.post(
        edit,
        {
            "text": first.text,
            "rule": DueRule.RELATIVE,
            "relative_base": RelativeBase.TASK,
            "relative_task": str(report.pk),
            "relative_days": "3",
        },
    )
    assert page.status_code == 200 and "đã tính hạn từ nhiệm vụ này" in page.content.decode()
    first.refresh_from_db()
    assert (first.rule, first.due_on) == (DueRule.FIXED, D(2025, 3, 1))
    # counted from the programme's start
    response = client.post(
        url,
        {
            "text": "Xây dựng kế hoạch",
            "rule": DueRule.RELATIVE,
            "relative_base": RelativeBase.START,
            "relative_days": "30",
        },
    )
    assert response.status_code == 302
    assert Occurrence.objects.get(task__text="Xây dựng kế hoạch").due_on == D(2025, 1, 31)
    detail = client.get(reverse("programmes:detail", args=[programme.pk])).content.decode()
    assert f"14 ngày sau hạn của nhiệm vụ {first.order}" in detail
    assert "30 ngày sau ngày chương trình bắt đầu (01/01/2025)" in detail


@pytest.mark.parametrize("value", ["abc", "1\x00", "9" * 30, "²"])
def test_a_malformed_document_id_answers_404_not_a_server_error(personas, login, value):
    response = login(personas["unit_head"]).post(reverse("programmes:create"), {"document": value})
    assert response.status_code == 404


def test_a_reporter_records_progress_on_a_task_their_unit_leads(tree, programme, personas, login):
    from conftest import make_user
    from danvan.accounts.models import Role

    occurrence = Occurrence.objects.get(task__lead=tree.stp_cb1)
    reporter = make_user("reporter_cb1", unit=tree.stp_cb1, role=Role.REPORTER)
    client = login(reporter)
    url = reverse("programmes:occurrence", args=[occurrence.pk])
    assert 'name="text"' in client.get(url).content.decode()  # the form is offered
    response = client.post(url, {"state": State.IN_PROGRESS, "text": "Đã tổ chức quán triệt đợt 1"})
    assert response.status_code == 302
    assert ProgressUpdate.objects.get().by == reporter
    occurrence.refresh_from_db()
    assert occurrence.state == State.IN_PROGRESS


def test_a_reporter_may_not_record_progress_on_a_task_their_unit_does_not_lead(tree, programme, personas):
    from django.core.exceptions import PermissionDenied

    from conftest import make_user
    from danvan.accounts.models import Role

    task = services.task_save(
        programme=programme,
        spec=specs.TaskSpec(
            text="Việc của STP không có đơn vị chủ trì", rule=DueRule.ANNUAL, day=15, month=12
        ),
        by=SYSTEM,
    )
    cell_reporter = make_user("reporter_cb1", unit=tree.stp_cb1, role=Role.REPORTER)
    for who, occurrence in (
        (cell_reporter, task.occurrences.first()),
        (personas["reporter"], task.occurrences.first()),
    ):
        with pytest.raises(PermissionDenied):
            services.progress_report(occurrence=occurrence, state=State.DONE, text="Xong", by=who)
    led_by_cb1 = Occurrence.objects.get(task__lead=tree.stp_cb1)
    outsider = make_user("reporter_syt", unit=tree.syt, role=Role.REPORTER)
    with pytest.raises(PermissionDenied):
        services.progress_report(occurrence=led_by_cb1, state=State.DONE, text="Xong", by=outsider)
    assert not ProgressUpdate.objects.exists()
