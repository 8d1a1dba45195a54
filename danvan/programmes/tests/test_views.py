"""Pages: permissions (SYT cannot see STP's programme), my tasks, progress, timeline, reports; reminders."""

import datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from danvan.programmes import reminders, services
from danvan.programmes.models import DueRule, Occurrence, Programme, ProgressUpdate, ReminderSent, State, Task
from danvan.programmes.tasks import send_programme_reminders

from .helpers import register_document

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def programme(tree):
    programme = Programme.objects.create(unit=tree.stp, title="Chương trình thử STP", starts_on=D(2025, 1, 1))
    services.task_save(
        programme=programme,
        spec=services.TaskSpec(
            text="Chi bộ 1 tổ chức quán triệt", lead=tree.stp_cb1, rule=DueRule.FIXED, due_on=D(2025, 3, 1)
        ),
    )
    services.task_save(
        programme=programme,
        spec=services.TaskSpec(text="Báo cáo kết quả hằng năm", rule=DueRule.ANNUAL, day=15, month=12),
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
    assert programme.unit == tree.stp and programme.tasks.count() >= 10
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


def test_my_tasks_by_deadline_progress_and_timeline(programme, personas, login):
    client = login(personas["unit_head"])
    home = client.get(reverse("programmes:home")).content.decode()
    assert home.index("Chi bộ 1 tổ chức quán triệt") < home.index("Báo cáo kết quả hằng năm")
    assert 'data-status="overdue"' in home  # 01/03/2025 has passed
    detail = client.get(reverse("programmes:detail", args=[programme.pk])).content.decode()
    assert 'data-done="0"' in detail
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
        login(personas["outsider"]).get(reverse("programmes:evidence", args=[update.pk])).status_code == 404
    )
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
    page = client.post(url, {"text": "Báo cáo", "rule": DueRule.NONE, "lead": str(tree.syt.pk)})
    assert page.status_code == 200  # SYT is not even offered
    assert Task.objects.filter(programme=programme).count() == 2
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
    sent = reminders.send_overdue_reminders(today=day)
    recipients = sorted(address for message in mail.outbox for address in message.to)
    # those holding DOCUMENT_MANAGE within STP's tree; not the viewer, not SYT, not the bloc admin above
    assert recipients == [
        "bloc_admin_stp@example.vn",
        "mobilisation_officer_stp@example.vn",
        "unit_head_stp@example.vn",
    ]
    assert sent == 3
    assert "Chi bộ 1 tổ chức quán triệt" in mail.outbox[0].body and "quá hạn" in mail.outbox[0].subject
    assert reminders.send_overdue_reminders(today=day) == 0  # not twice the same day
    assert send_programme_reminders.delay().get() >= 0
    assert ReminderSent.objects.filter(sent_on=day).count() == 3
    assert reminders.send_overdue_reminders(today=day + datetime.timedelta(days=1)) == 3
