"""Overdue and due-soon lists: which clocks, the working-day window, the page, its scope and its export."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from danvan.accounts.actors import System
from danvan.audit.models import AuditEvent
from danvan.voice.cases import selectors
from danvan.voice.cases import services as cases
from danvan.voice.cases.models import Clock

from .lists_support import PERSON, receive

SYSTEM = System("tests")

D = datetime.date
DAY = datetime.timedelta(days=1)
URL = reverse("voice:overdue")


def _due(case, day):
    """Put the case's running accept clock at `day` (the deadline engine is tested elsewhere)."""
    Clock.objects.filter(case=case, stopped_on__isnull=True).update(due_on=day)
    return case


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def board(tree, rules, today):
    """Cases in every situation, received ten days ago."""
    start = today - 10 * DAY
    limit = selectors.soon_limit(today)
    made = {
        "late": _due(receive(tree.stp, day=start, subject="Quá hạn ở STP"), today - 3 * DAY),
        "today": _due(receive(tree.stp_cb1, day=start, subject="Đến hạn hôm nay"), today),
        "edge": _due(receive(tree.stp, day=start, subject="Hạn ở mép cửa sổ"), limit),
        "later": _due(receive(tree.stp, day=start, subject="Còn lâu mới đến hạn"), limit + DAY),
        "syt": _due(receive(tree.syt, day=start, subject="Quá hạn ở SYT"), today - 1 * DAY),
    }
    paused = receive(tree.stp, day=start, subject="Chờ người gửi bổ sung")
    cases.case_pause(by=SYSTEM, case=paused, day=today - 2 * DAY, reason="Chờ bổ sung tài liệu")
    made["paused"] = _due(paused, today - 1 * DAY)
    done = receive(tree.stp, day=start, subject="Đã thụ lý đúng hạn")
    cases.case_accept(by=SYSTEM, case=done, day=today - 9 * DAY)
    Clock.objects.filter(case=done, stopped_on__isnull=False).update(
        due_on=today - 5 * DAY
    )  # stopped: not listed
    made["done"] = done
    return made


def _listed(qs):
    return {clock.case.subject for clock in qs}


def test_soon_counts_working_days_on_the_voice_calendar(db):
    assert selectors.soon_limit(D(2026, 3, 6)) == D(2026, 3, 11)  # Friday: Monday, Tuesday, Wednesday
    assert selectors.soon_limit(D(2026, 2, 13)) == D(2026, 2, 25)  # Tết 14–22/02/2026 is not counted
    # Giỗ Tổ Hùng Vương falls on Sunday 26/04/2026 and is taken on Monday 27/04.
    assert selectors.soon_limit(D(2026, 4, 24), 2) == D(2026, 4, 29)


def test_running_clocks_overdue_or_due_soon_are_listed_paused_and_stopped_ones_not(board, today):
    found = selectors.due_clocks(today=today)
    assert _listed(found) == {"Quá hạn ở STP", "Đến hạn hôm nay", "Hạn ở mép cửa sổ", "Quá hạn ở SYT"}
    status = {clock.case.subject: selectors.status_of(clock, today) for clock in found}
    assert status["Quá hạn ở STP"] == status["Quá hạn ở SYT"] == selectors.OVERDUE
    assert status["Đến hạn hôm nay"] == status["Hạn ở mép cửa sổ"] == selectors.SOON
    assert found[0].case.subject == "Quá hạn ở STP"  # the most urgent first


def _rows(html):
    return {
        subject
        for subject in ("Quá hạn ở STP", "Đến hạn hôm nay", "Hạn ở mép cửa sổ", "Quá hạn ở SYT")
        if subject in html
    }


def test_the_page_shows_the_users_subtree_with_filters(board, personas, login):
    client = login(personas["case_handler"])
    html = client.get(URL).content.decode()
    assert _rows(html) == {"Quá hạn ở STP", "Đến hạn hôm nay", "Hạn ở mép cửa sổ"}
    assert "Quá hạn: 1" in html and "Sắp đến hạn: 2" in html
    assert "quá hạn 3 ngày" in html and "đến hạn hôm nay" in html
    only_stp = client.get(URL, {"unit": "STP", "below": "0"}).content.decode()
    assert _rows(only_stp) == {"Quá hạn ở STP", "Hạn ở mép cửa sổ"}
    assert _rows(client.get(URL, {"unit": "STP-CB1"}).content.decode()) == {"Đến hạn hôm nay"}
    assert _rows(client.get(URL, {"status": "overdue"}).content.decode()) == {"Quá hạn ở STP"}
    assert _rows(client.get(URL, {"q": board["edge"].reference}).content.decode()) == {"Hạn ở mép cửa sổ"}
    # The bloc administrator sees the whole tree.
    assert len(_rows(login(personas["admin"]).get(URL).content.decode())) == 4


def test_a_user_of_syt_sees_none_of_stps_cases_and_a_viewer_nothing(board, personas, login):
    outsider = login(personas["outsider"])
    assert _rows(outsider.get(URL).content.decode()) == {"Quá hạn ở SYT"}
    refused = outsider.get(URL, {"unit": "STP"}).content.decode()
    assert "Không tìm thấy đơn vị nào khớp với “STP”" in refused and not _rows(refused)
    book = load_workbook(io.BytesIO(outsider.get(URL, {"format": "xlsx"}).getvalue()))
    assert [row[1] for row in book.worksheets[0].iter_rows(min_row=3, values_only=True)] == ["Quá hạn ở SYT"]
    for persona in ("viewer", "reporter", "nobody"):
        assert login(personas[persona]).get(URL).status_code == 403, persona
        assert login(personas[persona]).get(URL, {"format": "xlsx"}).status_code == 403, persona


def test_the_export_is_recorded_and_carries_no_identity(board, personas, login, today):
    response = login(personas["unit_head"]).get(URL, {"unit": "STP", "status": "overdue", "format": "xlsx"})
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.getvalue())).worksheets[0]
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert rows == [
        (
            board["late"].reference,
            "Quá hạn ở STP",
            "Khiếu nại lần đầu",
            "Đảng ủy Sở Tư pháp",
            None,  # nobody handles it yet
            "Thụ lý",
            (today - 3 * DAY).strftime("%d/%m/%Y"),
            "Quá hạn",
            3,
            "Nhận đơn",
        )
    ]
    text = " ".join(str(cell) for row in sheet.iter_rows(values_only=True) for cell in row)
    assert all(value not in text for value in PERSON.values())
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert (event.model, event.unit_code, event.changes["rows"]) == ("voice.clock", "STP", 1)


def test_one_page_costs_the_same_queries_whatever_the_number_of_rows(tree, rules, personas, login, today):
    client = login(personas["admin"])
    client.get(URL)  # sessions, the calendar and the user's roles are loaded once

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured)

    for unit in (tree.stp, tree.syt):
        _due(receive(unit, day=today - 10 * DAY), today - DAY)
    few = queries()
    for unit in (tree.stp, tree.stp_cb1, tree.stp_cb2, tree.syt, tree.syt_cb1) * 3:
        _due(receive(unit, day=today - 10 * DAY), today)
    assert queries() == few
