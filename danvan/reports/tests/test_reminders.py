"""Reminders before and after the deadline: who gets them, when, and never twice a day.

BC-DV-6T for 2026S1 is due 15/07/2026 (15 days after 30/06), reminded 5 days ahead.
"""

import datetime

import pytest
from django.core import mail

from danvan.accounts.actors import System
from danvan.accounts.models import Role
from danvan.audit.models import AuditEvent
from danvan.reminders.models import Sent
from danvan.reminders.services import send
from danvan.reports import services

SYSTEM = System("tests")

pytestmark = pytest.mark.django_db

SOON = datetime.date(2026, 7, 12)  # 3 days before the deadline
DAY_AFTER = datetime.date(2026, 7, 16)


@pytest.fixture
def people(indicators, personas):
    for user in personas.values():
        user.email = f"{user.username}@example.vn"
        user.save(update_fields=["email"])
    return personas


def _mail_to(user) -> list:
    return [m for m in mail.outbox if m.to == [user.email]]


def _submit(unit, period_code="2026S1"):
    form = services.ReportForm.objects.get(code="BC-DV-6T")
    report = services.report_open(
        form=form, unit=unit, period=services.period_get(code=period_code, by=SYSTEM), by=SYSTEM
    )
    services.values_save(report=report, values={"MEMBERS_TOTAL": 10, "MEMBERS_ACTIVE": 7}, by=SYSTEM)
    return services.report_submit(report=report, by=SYSTEM)


def test_before_the_deadline_the_units_reporter_gets_one_email_in_vietnamese(people, tree):
    sent = send(kind="report", today=SOON, by=SYSTEM)

    [message] = _mail_to(people[Role.REPORTER])
    assert sent >= 1
    assert "sắp đến hạn" in message.subject
    assert "Đảng ủy Sở Tư pháp" in message.body
    assert "Báo cáo công tác dân vận 6 tháng" in message.body
    assert "15/07/2026" in message.body
    assert "/reports/BC-DV-6T/STP/2026S1/" in message.body
    # The unit head and the mobilisation officer at the unit are reminded too; nobody above yet.
    assert _mail_to(people[Role.UNIT_HEAD]) and _mail_to(people[Role.MOBILISATION_OFFICER])
    assert not _mail_to(people["admin"])


def test_roles_that_do_not_report_and_accounts_without_email_or_inactive_get_nothing(people, tree):
    people[Role.UNIT_HEAD].email = ""
    people[Role.UNIT_HEAD].save(update_fields=["email"])
    people[Role.MOBILISATION_OFFICER].is_active = False
    people[Role.MOBILISATION_OFFICER].save(update_fields=["is_active"])

    send(kind="report", today=SOON, by=SYSTEM)

    for role in (Role.VIEWER, Role.CASE_HANDLER, Role.MOBILISATION_OFFICER):
        assert not _mail_to(people[role])
    assert all(m.to != [""] for m in mail.outbox)
    assert _mail_to(people[Role.REPORTER])


def test_a_unit_that_has_submitted_is_not_reminded(people, tree):
    _submit(tree.stp)

    send(kind="report", today=SOON, by=SYSTEM)

    assert not _mail_to(people[Role.REPORTER])
    assert _mail_to(people["outsider"])  # SYT has not submitted


def test_a_user_of_another_unit_never_gets_that_units_reminder(people, tree):
    send(kind="report", today=DAY_AFTER, by=SYSTEM)

    [outsider_mail] = _mail_to(people["outsider"])
    assert "Đảng ủy Sở Y tế" in outsider_mail.body
    assert "/STP/" not in outsider_mail.body and "Sở Tư pháp" not in outsider_mail.body
    [reporter_mail] = _mail_to(people[Role.REPORTER])
    assert "/SYT/" not in reporter_mail.body and "Sở Y tế" not in reporter_mail.body


def test_after_the_deadline_the_reporter_and_the_approver_of_the_parent_are_reminded(people, tree):
    _submit(tree.syt)  # submitted, but after nothing: only STP is missing

    send(kind="report", today=DAY_AFTER, by=SYSTEM)

    [reporter_mail] = _mail_to(people[Role.REPORTER])
    assert "quá hạn" in reporter_mail.subject
    assert "1 ngày" in reporter_mail.body
    [admin_mail] = _mail_to(people["admin"])
    assert "Đảng ủy Sở Tư pháp (STP)" in admin_mail.body
    assert "/reports/BC-DV-6T/STP/2026S1/" in admin_mail.body
    assert "Sở Y tế" not in admin_mail.body


def test_a_second_run_the_same_day_sends_nothing_and_the_sending_is_audited(people, tree):
    first = send(kind="report", today=DAY_AFTER, by=SYSTEM)
    count = len(mail.outbox)

    assert send(kind="report", today=DAY_AFTER, by=SYSTEM) == 0
    assert len(mail.outbox) == count == first
    reporter = people[Role.REPORTER]
    sent = Sent.objects.filter(kind="report", recipient=reporter, day=DAY_AFTER)
    assert list(sent.values_list("key", flat=True)) == ["own_overdue:BC-DV-6T/STP/2026S1/overdue"]
    event = AuditEvent.objects.filter(action="report.reminder", object_id=str(reporter.pk)).get()
    assert event.changes["day"] == "2026-07-16"
    assert event.changes["items"] == ["own_overdue:BC-DV-6T/STP/2026S1/overdue"]
    assert event.unit_code == "STP"


def test_overdue_reports_are_reminded_the_day_after_then_weekly_for_four_weeks(people, tree):
    reminded = []
    for offset in range(1, 40):
        day = datetime.date(2026, 7, 15) + datetime.timedelta(days=offset)
        if send(kind="report", today=day, by=SYSTEM):
            reminded.append(offset)
    assert reminded == [1, 8, 15, 22, 29]


def test_before_the_deadline_reminders_start_remind_days_before_it(people, tree):
    assert send(kind="report", today=datetime.date(2026, 7, 9), by=SYSTEM) == 0
    assert send(kind="report", today=datetime.date(2026, 7, 10), by=SYSTEM) > 0
    assert send(kind="report", today=datetime.date(2026, 7, 15), by=SYSTEM) > 0  # the deadline itself


def test_the_daily_task_is_scheduled_at_seven_in_the_morning(people):
    from danvan.celery import app
    from danvan.reports.tasks import send_report_reminders

    entry = app.conf.beat_schedule["send-report-reminders"]
    assert entry["task"] == "danvan.reports.tasks.send_report_reminders"
    assert entry["schedule"].hour == {7} and entry["schedule"].minute == {0}
    assert "refresh-unit-mirror" in app.conf.beat_schedule
    assert isinstance(send_report_reminders.delay().get(), int)
