"""`danvan send-reminders [--kind NAME] [--date YYYY-MM-DD]` and the Celery task: every kind, or one."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from conftest import make_user
from danvan.audit.models import AuditEvent
from danvan.reminders.models import Sent
from danvan.reminders.tasks import send_reminders

from .support import Note

pytestmark = pytest.mark.django_db


@pytest.fixture
def an(plan):
    user = make_user("an", email="an@example.vn")
    plan.append((user, "first", Note("1", "Họp chi bộ")))
    return user


def _run(*args) -> str:
    out = StringIO()
    call_command("send-reminders", *args, stdout=out)
    return out.getvalue()


def test_the_command_runs_one_kind_for_the_date_given(an):
    assert _run("--kind", "note", "--date", "2026-07-15") == "Notes: đã gửi 1 thư nhắc hạn.\n"

    assert mail.outbox[0].body.startswith("15/07/2026")
    assert Sent.objects.get(recipient=an).day == datetime.date(2026, 7, 15)
    event = AuditEvent.objects.get(action="note.reminder")
    assert (event.actor_label, event.source) == ("send-reminders", "command")
    assert _run("--kind", "note", "--date", "2026-07-15") == "Notes: đã gửi 0 thư nhắc hạn.\n"  # once a day


def test_the_command_runs_every_kind_for_today_by_default(an):
    assert _run() == "Notes: đã gửi 1 thư nhắc hạn.\nMemos: đã gửi 0 thư nhắc hạn.\n"
    assert Sent.objects.get(recipient=an).day == timezone.localdate()


def test_the_command_refuses_an_unknown_kind_and_a_malformed_date_in_vietnamese(an):
    with pytest.raises(CommandError, match="Không có loại nhắc hạn report; các loại nhắc hạn: note, memo"):
        _run("--kind", "report")
    with pytest.raises(CommandError, match="Hãy viết ngày theo dạng YYYY-MM-DD"):
        _run("--date", "15/07/2026")
    assert mail.outbox == [] and not Sent.objects.exists()


def test_the_task_runs_every_kind_or_one_and_names_itself_in_the_audit_log(an):
    assert send_reminders.delay(today="2026-07-15").get() == {"note": 1, "memo": 0}
    event = AuditEvent.objects.get(action="note.reminder")
    assert (event.actor_label, event.source) == ("note reminders", "task")
    assert send_reminders.delay(kind="note", today="2026-07-16").get() == {"note": 1}
    assert len(mail.outbox) == 2
