"""Việc cần làm: each user's own work across modules, by urgency, with the counts in the menu."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import make_user
from danvan.accounts.actors import System
from danvan.core import worklist

pytestmark = pytest.mark.django_db
HOME = reverse("core:home")


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)  # at the test's time, not the collection's


# The sources these tests set work for; the activity registers' sources are tested in their own apps
# (an agency of the test tree has, for instance, last year's staff conference still to hold).
MODULES = (
    "reports-enter",
    "reports-returned",
    "reports-approve",
    "cases",
    "documents",
    "programmes",
    "reception",
    "quizzes",
)


@pytest.fixture(autouse=True)
def _fresh_counts():
    cache.clear()
    with worklist.only(*MODULES):
        yield


@pytest.fixture
def forms(catalogue):
    from django.apps import apps

    from danvan.reports import catalogue as seeds
    from danvan.reports.models import ReportForm, ReportingCalendar

    ReportingCalendar.objects.get_or_create(id=1)
    seeds.ensure(apps)
    return ReportForm.objects.get(code="BC-DV-6T")


def report(form, unit, status):
    from danvan.reports import services
    from danvan.reports.models import Report

    period = services.period_get(code="2026S1", by=System("tests"))
    return Report.objects.create(
        form=form, unit=unit, period=period, status=status, submitted_at=timezone.now()
    )


def case_due(unit, due_on, subject):
    from danvan.voice.cases.models import Case, Channel, Clock, Kind
    from danvan.voice.deadlines import seed
    from danvan.voice.deadlines.models import DeadlineRule

    seed.ensure(DeadlineRule)
    case = Case.objects.create(
        reference=f"Q-{subject[:8]}", unit=unit, kind=Kind.PETITION, channel=Channel.DESK,
        subject=subject, content="Nội dung", received_on=days(-10),
    )  # fmt: skip
    rule = DeadlineRule.objects.order_by("pk").first()
    Clock.objects.create(
        case=case, unit=unit, step="accept", rule=rule, started_on=days(-10), days=10, due_on=due_on
    )
    return case


def delivery(unit, study_due, subject, by):
    from danvan.directives.models import Delivery, Document

    document = Document.objects.create(
        unit=unit.parent if hasattr(unit, "parent") and unit.parent else unit, direction="in", doc_type="CV",
        number_symbol=f"{subject[:5]}-CV", symbol_key=f"{subject[:5]}-cv", issuer="Đảng ủy",
        issued_on=days(-5), year=days(0).year, subject=subject, created_by=by,
    )  # fmt: skip
    return Delivery.objects.create(document=document, unit=unit, sent_on=days(-5), study_due=study_due)


def task_due(unit, due_on, text, by):
    from danvan.programmes.models import Occurrence, Programme, Task

    programme = Programme.objects.create(unit=unit, title="Chương trình", starts_on=days(-30), created_by=by)
    task = Task.objects.create(programme=programme, text=text, lead=unit)
    return Occurrence.objects.create(task=task, due_on=due_on)


def reception_day(unit, date, leader, by):
    from danvan.reception.models import ReceptionDay

    return ReceptionDay.objects.create(
        unit=unit, date=date, leader_name=leader, leader_position="Giám đốc", place="Trụ sở", created_by=by
    )


def lines(client) -> list[str]:
    response = client.get(HOME)
    assert response.status_code == 200
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", line)).strip()
        for line in re.findall(r'<li class="work-[a-z]+">(.*?)</li>', response.content.decode(), re.S)
    ]


def shows(client, text: str) -> bool:
    return any(text in line for line in lines(client))


@pytest.fixture
def syt_handler(tree):
    from danvan.accounts.models import Role

    return make_user("handler_syt", unit=tree.syt, role=Role.CASE_HANDLER)


def test_a_returned_report_is_shown_to_its_reporter_and_not_to_another_unit(forms, tree, personas, login):
    report(forms, tree.stp, "returned")
    mine = lines(login(personas["reporter"]))
    assert len(mine) == 1
    assert "Báo cáo bị trả lại" in mine[0] and "Đảng ủy Sở Tư pháp" in mine[0]
    assert "6 tháng đầu năm 2026" in mine[0] and "2026S1" not in mine[0]
    # SYT's officer has SYT's own report to enter, nothing of STP's.
    assert not shows(login(personas["outsider"]), "Sở Tư pháp")


def test_a_submitted_report_waits_for_the_approval_of_the_level_above_only(forms, tree, personas, login):
    report(forms, tree.stp_cb1, "submitted")
    report(forms, tree.stp, "submitted")  # STP's own report is approved above STP
    head = lines(login(personas["unit_head"]))
    assert [line for line in head if "Báo cáo chờ duyệt" in line] == [
        line for line in head if "Chi bộ 1" in line
    ]
    assert len([line for line in head if "Báo cáo chờ duyệt" in line]) == 1
    assert not shows(login(personas["outsider"]), "Báo cáo chờ duyệt")


def test_a_report_waiting_for_the_heads_sign_off_says_so_on_the_heads_home(forms, tree, personas, login):
    forms.requires_head_signoff = True
    forms.save()
    report(forms, tree.stp, "submitted")  # STP's own report: its head signs it off before it goes up
    head = lines(login(personas["unit_head"]))
    assert len(head) == 1 and "Báo cáo chờ thủ trưởng ký duyệt" in head[0] and "Đảng ủy Sở Tư pháp" in head[0]
    assert not shows(login(personas["admin"]), "Báo cáo chờ thủ trưởng ký duyệt")


def test_a_case_near_its_deadline_is_shown_to_the_handlers_of_its_unit(tree, personas, login, syt_handler):
    case_due(tree.stp_cb1, days(1), "Kiến nghị về đường dân sinh")
    line = lines(login(personas["case_handler"]))
    assert len(line) == 1 and "Kiến nghị về đường dân sinh" in line[0] and "còn 1 ngày" in line[0]
    assert not lines(login(syt_handler))
    assert not lines(login(personas["viewer"]))


def test_a_document_to_study_is_shown_to_the_managers_of_the_recipient(tree, personas, login):
    delivery(tree.stp_cb1, days(3), "Chỉ thị về công tác dân vận", personas["admin"])
    line = lines(login(personas["unit_head"]))
    assert len(line) == 1 and "Chỉ thị về công tác dân vận" in line[0]
    assert "Văn bản cần xác nhận đã nhận" in line[0] and "còn 3 ngày" in line[0]
    assert not shows(login(personas["outsider"]), "Chỉ thị về công tác dân vận")


def test_a_programme_task_overdue_is_shown_to_its_unit(tree, personas, login):
    task_due(tree.stp, days(-1), "Tổ chức hội nghị tuyên truyền", personas["admin"])
    line = lines(login(personas["unit_head"]))
    assert len(line) == 1 and "Tổ chức hội nghị tuyên truyền" in line[0] and "quá hạn 1 ngày" in line[0]
    assert not shows(login(personas["outsider"]), "Tổ chức hội nghị tuyên truyền")


def test_a_reception_day_not_logged_is_shown_to_the_register_keepers(tree, personas, login, syt_handler):
    reception_day(tree.stp, days(0), "Nguyễn Văn A", personas["admin"])
    line = lines(login(personas["case_handler"]))
    assert any("Ngày tiếp công dân của Nguyễn Văn A" in item and "đến hạn hôm nay" in item for item in line)
    assert not lines(login(syt_handler))


def test_an_open_quiz_not_taken_is_shown_to_the_people_of_its_unit(tree, personas, login):
    from danvan.emulation.quizzes.tests import factories

    factories.question(tree.stp)
    quiz = factories.quiz(tree.stp, title="Thi tìm hiểu công tác dân vận", days=(-1, 2))
    line = lines(login(personas["case_handler"]))
    assert len(line) == 1 and "Thi tìm hiểu công tác dân vận" in line[0] and "còn 2 ngày" in line[0]
    assert not shows(login(personas["outsider"]), "Thi tìm hiểu công tác dân vận")
    factories.attempt(quiz, personas["case_handler"], questions=[])
    assert not shows(login(personas["case_handler"]), "Thi tìm hiểu công tác dân vận")


def test_work_is_sorted_by_urgency_whatever_its_module(forms, tree, personas, login):
    by = personas["admin"]
    task_due(tree.stp, days(5), "Nhiệm vụ sau", by)
    delivery(tree.stp_cb1, days(-3), "Văn bản quá hạn", by)
    task_due(tree.stp, days(-10), "Nhiệm vụ quá hạn lâu", by)
    delivery(tree.stp_cb2, days(0), "Văn bản hôm nay", by)
    shown = lines(login(personas["unit_head"]))
    order = ["Nhiệm vụ quá hạn lâu", "Văn bản quá hạn", "Văn bản hôm nay", "Nhiệm vụ sau"]
    assert [next(title for title in order if title in line) for line in shown] == order
    assert "quá hạn 10 ngày" in shown[0] and "còn 5 ngày" in shown[-1]
    assert f"Hạn {days(-10):%d/%m/%Y}" in shown[0]


def test_each_source_is_capped_and_says_how_many_more(tree, personas, login):
    for i in range(worklist.LIMIT + 4):
        task_due(tree.stp, days(-i), f"Nhiệm vụ {i}", personas["admin"])
    client = login(personas["unit_head"])
    assert len(lines(client)) == worklist.LIMIT
    page = client.get(HOME).content.decode()
    assert "và 4 việc khác" in page and reverse("programmes:home") in page


def test_the_empty_home_says_what_will_appear_there(personas, login):
    page = login(personas["viewer"]).get(HOME).content.decode()
    assert "Hôm nay chưa có việc nào chờ bạn" in page
    assert "hồ sơ sắp hết hạn giải quyết" in page


def test_the_home_can_show_one_kind_of_work(tree, personas, login):
    task_due(tree.stp, days(-1), "Nhiệm vụ A", personas["admin"])
    delivery(tree.stp_cb1, days(2), "Văn bản B", personas["admin"])
    client = login(personas["unit_head"])
    response = client.get(HOME, {"kind": "programmes"})
    text = response.content.decode()
    assert "Nhiệm vụ A" in text and "Văn bản B" not in text


def test_reading_the_home_writes_nothing(forms, tree, personas, login):
    report(forms, tree.stp, "returned")
    task_due(tree.stp, days(-1), "Nhiệm vụ A", personas["admin"])
    client = login(personas["unit_head"])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(HOME).status_code == 200
    writes = [q["sql"] for q in queries if q["sql"].split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}]
    assert writes == []


def test_the_menu_counts_the_work_of_each_item_once_until_something_is_written(
    tree, personas, login, monkeypatch
):
    task_due(tree.stp, days(-1), "Nhiệm vụ A", personas["admin"])
    task_due(tree.stp, days(2), "Nhiệm vụ B", personas["admin"])
    client = login(personas["unit_head"])
    page = client.get(reverse("orgs:tree")).content.decode()
    programmes = re.search(r'href="/programmes/"[^>]*>[^<]*<span class="navcount">(.*?)</span></span>', page)
    assert programmes and '<span aria-hidden="true">2</span>' in programmes.group(1)
    assert "(2 việc cần làm)" in programmes.group(1)
    home = re.search(rf'href="{HOME}"[^>]*>[^<]*<span class="navcount"><span aria-hidden="true">(\d+)', page)
    assert home and home.group(1) == "2"
    # The next page reads the counts kept for the user: no query of the sources.
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("orgs:tree"))
    assert not [q for q in queries if "programmes_occurrence" in q["sql"]]

    # After a write the counts may be a minute late; then the next page counts the task added.
    task_due(tree.stp, days(3), "Nhiệm vụ C", personas["admin"])
    kept_at = worklist._now()
    monkeypatch.setattr(worklist, "_now", lambda: kept_at + worklist.COUNTS_SECONDS - 5)
    assert _home_count(client.get(reverse("orgs:tree")).content.decode()) == "2"
    monkeypatch.setattr(worklist, "_now", lambda: kept_at + worklist.COUNTS_SECONDS + 1)
    assert _home_count(client.get(reverse("orgs:tree")).content.decode()) == "3"
    # Without a write, they are kept past the minute: no query of the sources.
    monkeypatch.setattr(worklist, "_now", lambda: kept_at + 5 * worklist.COUNTS_SECONDS)
    with CaptureQueriesContext(connection) as queries:
        assert _home_count(client.get(reverse("orgs:tree")).content.decode()) == "3"
    assert not [q for q in queries if "programmes_occurrence" in q["sql"]]


def _home_count(page: str) -> str:
    home = re.search(rf'href="{HOME}"[^>]*>[^<]*<span class="navcount"><span aria-hidden="true">(\d+)', page)
    return home.group(1) if home else ""


def _source_queries(queries) -> list[str]:
    return [q["sql"] for q in queries if "programmes_occurrence" in q["sql"]]


def test_the_home_reads_its_sources_once_until_something_is_written(tree, personas, login):
    task_due(tree.stp, days(-1), "Nhiệm vụ A", personas["admin"])
    client = login(personas["unit_head"])
    assert "Nhiệm vụ A" in client.get(HOME).content.decode()
    with CaptureQueriesContext(connection) as queries:
        assert "Nhiệm vụ A" in client.get(HOME).content.decode()
    assert _source_queries(queries) == []  # kept for the user
    done = task_due(tree.stp, days(1), "Nhiệm vụ B", personas["admin"])
    page = client.get(HOME).content.decode()
    assert "Nhiệm vụ A" in page and "Nhiệm vụ B" in page
    done.delete()
    assert "Nhiệm vụ B" not in client.get(HOME).content.decode()
    # Another user's kept lines are their own.
    assert "Nhiệm vụ A" not in login(personas["outsider"]).get(HOME).content.decode()


def test_a_session_or_cache_write_keeps_what_is_kept_and_any_other_write_renews_it(tree, personas):
    from django.contrib.sessions.backends.db import SessionStore

    worklist.counts(personas["unit_head"], days(0))
    token = cache.get(worklist.VERSION_KEY)
    session = SessionStore()
    session["x"] = 1
    session.save()
    assert cache.get(worklist.VERSION_KEY) == token
    task_due(tree.stp, days(1), "Nhiệm vụ", personas["admin"])
    assert cache.get(worklist.VERSION_KEY) != token


def test_with_the_cache_in_the_database_a_write_renews_it_when_its_transaction_commits(
    tree, personas, database_cache, django_capture_on_commit_callbacks
):
    from django.db import transaction

    def programmes() -> int:
        return next(
            p.total for p in worklist.sections(personas["unit_head"], days(0)) if p.source.key == "programmes"
        )

    assert programmes() == 0
    token = cache.get(worklist.VERSION_KEY)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        task_due(tree.stp, days(1), "Nhiệm vụ", personas["admin"])
        assert cache.get(worklist.VERSION_KEY) == token  # not before the commit
    assert cache.get(worklist.VERSION_KEY) != token
    assert programmes() == 1  # the home page's lines are read again at once


def test_counts_kept_by_an_older_release_are_read_again(tree, personas):
    """A value of another shape under the key (kept by the release before) is not an error."""
    task_due(tree.stp, days(1), "Nhiệm vụ", personas["admin"])
    key = worklist._counts_key(personas["unit_head"], days(0))
    for old in (("token", {"core:home": 9}), {"core:home": 9}):
        cache.set(key, old)
        assert worklist.counts(personas["unit_head"], days(0))["programmes:home"] == 1


@pytest.mark.parametrize(
    ("sql", "writes"),
    [
        ('INSERT INTO "programmes_occurrence" ("a") VALUES (%s)', True),
        ("WITH t AS (SELECT 1) INSERT INTO reports_unitindicator (a) SELECT * FROM t", True),
        ("UPDATE reports_report SET status = %s", True),
        ('DELETE FROM "voice_case" WHERE id = %s', True),
        ('UPDATE "danvan_cache" SET "value" = %s', False),
        ('INSERT INTO "danvan_cache" ("k") VALUES (%s) ON CONFLICT ("k") DO UPDATE SET "v" = %s', False),
        ('DELETE FROM "django_session" WHERE "session_key" = %s', False),
        ('SELECT "a" FROM "reports_report" WHERE "id" = %s FOR UPDATE OF "reports_report"', False),
        ('SELECT "last_update" FROM "voice_case"', False),
    ],
)
def test_the_watcher_tells_a_write_of_work_from_a_read_or_a_quiet_table(sql, writes):
    assert worklist._writes_work(sql) is writes


def test_with_the_cache_in_the_database_a_write_outside_a_transaction_renews_it_after_the_request(
    database_cache,
):
    """On SQLite the statement may still be open when the watcher sees it: the token is renewed when
    the request ends (`request_finished`), not in the middle of the statement."""
    from django.core.signals import request_finished

    worklist.changed()
    token = cache.get(worklist.VERSION_KEY)
    setattr(connection, worklist._PENDING, True)  # as the watcher marks it outside a transaction
    # Called when a request ends (sending the signal here would close the test's connection too).
    assert any(key[0] == "danvan.worklist.flush_pending" for key, _receiver, *_ in request_finished.receivers)
    worklist.flush_pending()
    assert cache.get(worklist.VERSION_KEY) != token
    assert getattr(connection, worklist._PENDING) is False
