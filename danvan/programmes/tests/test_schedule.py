"""The daily beat task: its schedule, the occurrences of recurring tasks as time passes, and the reminders
it sends (to whom, about what, once a day)."""

import datetime
from collections import Counter

import pytest
from django.core import mail
from django.urls import reverse

from conftest import make_user
from danvan.accounts.actors import System
from danvan.accounts.models import Role, User
from danvan.programmes import schedule, services, specs
from danvan.programmes.models import DueRule, Occurrence, Programme, State
from danvan.programmes.tasks import send_programme_reminders
from danvan.reminders.models import Sent

from .helpers import register_document

SYSTEM = System("tests")

D = datetime.date


def test_beat_sends_the_programme_reminders_every_morning_at_7_30():
    from danvan.celery import EXTRA_BEAT_SCHEDULE, app

    entry = EXTRA_BEAT_SCHEDULE["send-programme-reminders"]
    assert (
        entry["task"] == send_programme_reminders.name == "danvan.programmes.tasks.send_programme_reminders"
    )
    assert entry["task"] in app.tasks  # registered under the name beat sends
    schedule = entry["schedule"]
    assert (schedule.hour, schedule.minute) == ({7}, {30})
    assert schedule.day_of_week == set(range(7)) and schedule.day_of_month == set(range(1, 32))
    assert schedule.month_of_year == set(range(1, 13))  # every day of the year
    assert app.conf.beat_schedule["send-programme-reminders"] == entry  # in the schedule beat reads
    assert app.conf.timezone == "Asia/Ho_Chi_Minh"  # 07:30 in Việt Nam


def _dates(task):
    return list(Occurrence.objects.filter(task=task).values_list("due_on", flat=True))


@pytest.mark.django_db
def test_the_daily_task_extends_recurring_tasks_as_years_pass(tree):
    programme = Programme.objects.create(unit=tree.stp, title="Chương trình", starts_on=D(2026, 1, 1))
    annual = services.task_save(
        programme=programme,
        spec=specs.TaskSpec(text="Báo cáo năm", rule=DueRule.ANNUAL, day=15, month=12),
        by=SYSTEM,
    )
    semiannual = services.task_save(
        programme=programme,
        spec=specs.TaskSpec(text="Sơ kết", rule=DueRule.SEMIANNUAL, day=30, month=6),
        by=SYSTEM,
    )
    fixed = services.task_save(
        programme=programme,
        spec=specs.TaskSpec(text="Hội nghị", rule=DueRule.FIXED, due_on=D(2026, 5, 1)),
        by=SYSTEM,
    )
    last = schedule.horizon().year  # the end of next year
    assert _dates(annual) == [D(year, 12, 15) for year in range(2026, last + 1)]
    done = annual.occurrences.first()
    services.progress_report(
        occurrence=done, state=State.DONE, text="Đã báo cáo", on=D(2026, 12, 10), by=SYSTEM
    )
    # the run of 2 January of the horizon's year: the year after it gets its deadlines
    assert send_programme_reminders.delay(today=D(last, 1, 2).isoformat()).get() == 0  # nobody has an address
    assert _dates(annual) == [D(year, 12, 15) for year in range(2026, last + 2)]
    assert _dates(semiannual)[-2:] == [D(last + 1, 6, 30), D(last + 1, 12, 30)]
    assert len(_dates(semiannual)) == 2 * (last + 2 - 2026)
    assert _dates(fixed) == [D(2026, 5, 1)]  # a one-off task gets nothing more
    done.refresh_from_db()
    assert done.state == State.DONE  # what was reported is kept
    count = Occurrence.objects.count()
    send_programme_reminders.delay(today=D(last, 1, 3).isoformat()).get()
    assert Occurrence.objects.count() == count  # the next day: nothing twice


def _task(programme, text, due, lead=None):
    return services.task_save(
        programme=programme,
        spec=specs.TaskSpec(text=text, lead=lead, rule=DueRule.FIXED, due_on=due),
        by=SYSTEM,
    )


@pytest.mark.django_db
def test_the_reminder_sends_each_manager_their_overdue_tasks_once_a_day(tree, personas):
    cell_officer = make_user("officer_cb1", unit=tree.stp_cb1, role=Role.MOBILISATION_OFFICER)
    for user in [*personas.values(), cell_officer]:
        User.objects.filter(pk=user.pk).update(email=f"{user.username}@example.vn")
    stp = Programme.objects.create(unit=tree.stp, title="Chương trình STP", starts_on=D(2026, 1, 1))
    late_cell = _task(stp, "Chi bộ 1 tổ chức quán triệt", D(2026, 3, 1), tree.stp_cb1)
    done_late = _task(stp, "Chi bộ 2 tổ chức hội nghị", D(2026, 3, 2), tree.stp_cb2)
    services.progress_report(
        occurrence=done_late.occurrences.get(), state=State.DONE, text="Xong", on=D(2026, 3, 5), by=SYSTEM
    )
    in_progress = _task(stp, "Đảng ủy tổng hợp báo cáo", D(2026, 3, 3))
    services.progress_report(
        occurrence=in_progress.occurrences.get(),
        state=State.IN_PROGRESS,
        text="Đang làm",
        on=D(2026, 3, 2),
        by=SYSTEM,
    )
    _task(stp, "Chi bộ 1 nộp kế hoạch", D(2026, 3, 10), tree.stp_cb1)  # due today: not overdue yet
    _task(stp, "Chi bộ 1 sơ kết", D(2026, 4, 1), tree.stp_cb1)
    syt = Programme.objects.create(unit=tree.syt, title="Chương trình SYT", starts_on=D(2026, 1, 1))
    _task(syt, "Sở Y tế tổ chức học tập", D(2026, 2, 1))

    assert send_programme_reminders.delay(today="2026-03-10").get() == 5
    by_address = {message.to[0]: message for message in mail.outbox}
    # managers within the programme unit's tree; not the viewer, reporter, case handler, nor the bloc above
    assert sorted(by_address) == [
        "bloc_admin_stp@example.vn",
        "mobilisation_officer_stp@example.vn",
        "officer_cb1@example.vn",
        "officer_syt@example.vn",
        "unit_head_stp@example.vn",
    ]
    home = reverse("programmes:home")
    for address in (
        "bloc_admin_stp@example.vn",
        "mobilisation_officer_stp@example.vn",
        "unit_head_stp@example.vn",
    ):
        message = by_address[address]
        assert message.subject.endswith("quá hạn (2)")
        assert "01/03/2026 · Chi bộ 1 · Chi bộ 1 tổ chức quán triệt" in message.body
        assert "03/03/2026 · Đảng ủy Sở Tư pháp · Đảng ủy tổng hợp báo cáo" in message.body
        assert message.body.index("01/03/2026") < message.body.index("03/03/2026")  # by deadline
        for absent in ("Chi bộ 2 tổ chức hội nghị", "nộp kế hoạch", "sơ kết", "Sở Y tế"):
            assert absent not in message.body
        assert home in message.body and "Kính gửi đồng chí" in message.body
    cell = by_address["officer_cb1@example.vn"]
    assert cell.subject.endswith("(1)") and "Chi bộ 1 tổ chức quán triệt" in cell.body
    assert "Đảng ủy tổng hợp báo cáo" not in cell.body  # not the cell's task
    outsider = by_address["officer_syt@example.vn"]
    assert "Sở Y tế tổ chức học tập" in outsider.body and "Chi bộ" not in outsider.body
    sent = Sent.objects.filter(kind="programme", day=D(2026, 3, 10))
    assert dict(Counter(sent.values_list("recipient__username", flat=True))) == {
        "bloc_admin_stp": 2,
        "mobilisation_officer_stp": 2,
        "unit_head_stp": 2,
        "officer_cb1": 1,
        "officer_syt": 1,
    }
    # once a day: a second run sends nothing; the next day they are reminded again
    assert send_programme_reminders.delay(today="2026-03-10").get() == 0
    assert len(mail.outbox) == 5
    services.progress_report(
        occurrence=late_cell.occurrences.get(), state=State.DONE, text="Đã xong", on=D(2026, 3, 10), by=SYSTEM
    )
    mail.outbox.clear()
    assert send_programme_reminders.delay(today="2026-03-11").get() == 5
    cell = next(message for message in mail.outbox if message.to == ["officer_cb1@example.vn"])
    # the done task is gone from it; 10/03 has become overdue
    assert "quán triệt" not in cell.body and "10/03/2026 · Chi bộ 1 · Chi bộ 1 nộp kế hoạch" in cell.body


@pytest.mark.django_db
def test_a_programme_created_today_from_seed_004_sends_no_reminder(tree, personas):
    for user in personas.values():
        User.objects.filter(pk=user.pk).update(email=f"{user.username}@example.vn")
    programme = services.programme_create(document=register_document(tree.stp), by=SYSTEM)
    assert programme.tasks.count() >= 10
    assert send_programme_reminders.delay().get() == 0
    assert mail.outbox == []
