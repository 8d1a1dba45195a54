"""Daily reminder e-mails: handlers, unassigned cases, unit heads; no identity; once a day."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from conftest import make_user
from danvan.accounts.actors import System
from danvan.accounts.models import Role, User
from danvan.audit.models import AuditEvent
from danvan.reminders.services import send
from danvan.voice import tasks
from danvan.voice.cases import services as cases
from danvan.voice.cases.models import Clock

from .lists_support import PERSON, receive

SYSTEM = System("tests")

DAY = datetime.timedelta(days=1)


def _due(case, day):
    Clock.objects.filter(case=case, stopped_on__isnull=True).update(due_on=day)
    return case


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def staff(tree, personas):
    """E-mail addresses for the STP handler and head; a second handler at STP, a head at SYT and at DUK."""
    for persona in ("case_handler", "unit_head"):
        User.objects.filter(pk=personas[persona].pk).update(email=f"{persona}@stp.example")
        personas[persona].refresh_from_db()
    return {
        "handler": personas["case_handler"],
        "head": personas["unit_head"],
        "handler2": make_user("handler2_stp", unit=tree.stp, role=Role.CASE_HANDLER, email="h2@stp.example"),
        "head_syt": make_user("head_syt", unit=tree.syt, role=Role.UNIT_HEAD, email="head@syt.example"),
        "head_duk": make_user("head_duk", unit=tree.root, role=Role.UNIT_HEAD, email="head@duk.example"),
        "no_mail": make_user("handler_nomail", unit=tree.stp, role=Role.CASE_HANDLER),
    }


@pytest.fixture
def due(tree, rules, staff, today):
    start = today - 10 * DAY
    late = _due(receive(tree.stp, day=start, subject="Khiếu nại về bồi thường đất"), today - 2 * DAY)
    cases.case_assign(by=SYSTEM, case=late, handler=staff["handler"])
    soon = _due(receive(tree.stp, day=start, subject="Kiến nghị sửa đường"), today + DAY)
    cases.case_assign(by=SYSTEM, case=soon, handler=staff["handler"])
    unassigned = _due(receive(tree.stp, day=start, subject="Đơn chưa phân công"), today)
    syt = _due(receive(tree.syt, day=start, subject="Quá hạn ở Sở Y tế"), today - 4 * DAY)
    later = _due(receive(tree.stp, day=start, subject="Còn lâu"), today + 30 * DAY)
    cases.case_assign(by=SYSTEM, case=later, handler=staff["handler"])
    return {"late": late, "soon": soon, "unassigned": unassigned, "syt": syt}


def _mail_to(address):
    (message,) = [m for m in mail.outbox if m.to == [address]]
    return message


def test_each_person_gets_one_email_with_what_concerns_them(due, staff, today):
    assert send(kind="case", today=today, by=SYSTEM) == 4
    handler = _mail_to("case_handler@stp.example")
    assert handler.subject == "DânVận: hồ sơ đơn thư quá hạn hoặc sắp đến hạn (3)"
    body = handler.body
    assert "Hồ sơ đồng chí đang xử lý đã quá hạn:" in body
    assert f"{due['late'].reference} — Khiếu nại về bồi thường đất" in body
    assert f"hạn {(today - 2 * DAY):%d/%m/%Y} (đã quá hạn 2 ngày)" in body
    assert f"/voice/cases/{due['late'].pk}/" in body
    assert "Kiến nghị sửa đường" in body and "Đơn chưa phân công" in body  # the unit's unassigned case too
    assert "Còn lâu" not in body and "Quá hạn ở Sở Y tế" not in body
    second = _mail_to("h2@stp.example").body  # another handler of STP: only the unassigned case
    assert "Đơn chưa phân công" in second and "Khiếu nại về bồi thường đất" not in second
    head = _mail_to("unit_head@stp.example")  # the head of STP: its overdue case only
    assert "Hồ sơ quá hạn của đơn vị do đồng chí phụ trách:" in head.body
    assert "Khiếu nại về bồi thường đất" in head.body and "Kiến nghị sửa đường" not in head.body
    syt = _mail_to("head@syt.example").body
    assert "Quá hạn ở Sở Y tế" in syt and "Khiếu nại về bồi thường đất" not in syt
    assert not [m for m in mail.outbox if m.to == ["head@duk.example"]]  # heads of the case's own unit only


def test_no_email_carries_who_sent_the_case(due, staff, today):
    send(kind="case", today=today, by=SYSTEM)
    for message in mail.outbox:
        for value in PERSON.values():
            assert value not in message.body and value not in message.subject


def test_a_second_run_the_same_day_sends_nothing_new(due, staff, tree, today):
    assert send(kind="case", today=today, by=SYSTEM) == 4
    sent = len(mail.outbox)
    assert send(kind="case", today=today, by=SYSTEM) == 0 and len(mail.outbox) == sent
    # A case falling due later that day is the only thing the next run sends.
    _due(receive(tree.stp, day=today - DAY, subject="Mới đến hạn"), today)
    assert send(kind="case", today=today, by=SYSTEM) == 2  # the two handlers of STP: an unassigned case
    assert all("Mới đến hạn" in m.body and "Kiến nghị sửa đường" not in m.body for m in mail.outbox[sent:])
    events = AuditEvent.objects.filter(action="case.reminder")
    assert events.count() == 6
    assert all(PERSON["name"] not in str(event.changes) for event in events)
    # The next day, reminders start again.
    assert send(kind="case", today=today + DAY, by=SYSTEM) >= 4


def test_paused_and_finished_cases_are_not_reminded(due, staff, today):
    cases.case_pause(by=SYSTEM, case=due["late"], day=today, reason="Chờ bổ sung tài liệu")
    _due(due["late"], today - 2 * DAY)
    cases.case_withdraw(by=SYSTEM, case=due["soon"], day=today, reason="Rút đơn")
    send(kind="case", today=today, by=SYSTEM)
    handler = _mail_to("case_handler@stp.example").body
    assert "Khiếu nại về bồi thường đất" not in handler and "Kiến nghị sửa đường" not in handler
    assert not [m for m in mail.outbox if m.to == ["unit_head@stp.example"]]


def test_the_beat_task_runs_eagerly_and_is_scheduled(due, staff):
    from danvan.celery import EXTRA_BEAT_SCHEDULE, app

    assert tasks.send_case_reminders.delay().get() == 4
    assert len(mail.outbox) == 4
    assert AuditEvent.objects.filter(action="case.reminder", source="task").count() == 4
    entry = EXTRA_BEAT_SCHEDULE["send-case-reminders"]
    assert entry["task"] == "danvan.voice.tasks.send_case_reminders"
    assert entry["task"] in app.tasks


def test_the_command_sends_them_for_installations_without_beat(due, staff):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("send-case-reminders", stdout=out)
    assert out.getvalue().strip() == "Đã gửi 4 thư nhắc hạn." and len(mail.outbox) == 4
    call_command("send-case-reminders", stdout=out)
    assert len(mail.outbox) == 4  # once a day


def test_run_daily_runs_every_scheduled_job_and_a_second_run_sends_and_creates_nothing(
    due, staff, settings, tmp_path
):
    """Issue 17: `danvan run-daily` (no beat) — every job of the schedule, safe to run twice."""
    settings.DATA_DIR = tmp_path  # its lock file: not shared with another test process
    from io import StringIO

    from django.core.management import call_command

    from danvan.core.schedule import JOBS
    from danvan.reminders.models import Sent
    from danvan.reports.models import Period

    first = StringIO()
    call_command("run-daily", stdout=first)
    sent, periods, events, items = (
        len(mail.outbox),
        Period.objects.count(),
        AuditEvent.objects.count(),
        Sent.objects.count(),
    )
    assert sent == 4 and items > 0  # the case reminders of the fixture
    assert periods > 0  # prepared by the nightly job
    lines = first.getvalue().splitlines()
    assert [line.rpartition(":")[0] for line in lines] == [str(job.label) for job in JOBS]
    assert "Thư nhắc hạn giải quyết vụ việc đã gửi: 4" in lines

    second = StringIO()
    call_command("run-daily", stdout=second)
    assert (len(mail.outbox), Period.objects.count(), Sent.objects.count()) == (sent, periods, items)
    assert AuditEvent.objects.count() == events
    assert "Thư nhắc hạn giải quyết vụ việc đã gửi: 0" in second.getvalue()
