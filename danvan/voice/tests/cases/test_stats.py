"""Statistics by kind, channel and state per child unit; on-time rates; the figures that feed report forms."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from danvan.accounts.actors import System
from danvan.audit.models import AuditEvent
from danvan.reports import periods
from danvan.reports import services as report_services
from danvan.voice.cases import services as cases
from danvan.voice.cases import stats
from danvan.voice.cases.models import Kind

from .lists_support import PERSON, receive, resolve

SYSTEM = System("tests")

D = datetime.date
URL = reverse("voice:stats")
S1 = periods.span("2026S1")


@pytest.fixture
def catalogue_loaded(tree):
    """The reports catalogue (browser tests elsewhere flush the migration's rows, so ensure again)."""
    from django.apps import apps

    from danvan.reports import catalogue
    from danvan.reports.models import DataElement, Indicator, ReportingCalendar

    ReportingCalendar.objects.get_or_create(id=1)
    catalogue.ensure(apps)
    catalogue.ensure_voice_section(apps)
    return {e.code: e for e in DataElement.objects.all()}, {i.code: i for i in Indicator.objects.all()}


@pytest.fixture
def spread(tree, rules):
    """Cases across the tree in the first half of 2026 (and one in July, outside it)."""
    made = {
        "stp_suggestion": receive(tree.stp, kind=Kind.SUGGESTION, anonymous=True, channel="online_box"),
        "stp_complaint": receive(tree.stp, people_count=6),
        "cb1_complaint": receive(tree.stp_cb1, is_over_level=True, channel="post"),
        "cb2_denunciation": receive(tree.stp_cb2, kind=Kind.DENUNCIATION, channel="portal"),
        "syt_suggestion": receive(tree.syt, kind=Kind.SUGGESTION, anonymous=True),
        "stp_july": receive(tree.stp, kind=Kind.SUGGESTION, anonymous=True, day=D(2026, 7, 2)),
    }
    return made


def test_the_breakdown_counts_each_child_subtree_and_the_units_own_cases(tree, spread):
    data = stats.breakdown(tree.root, S1, "kind")
    rows = {row.unit.code: row for row in data.rows}
    assert [row.unit.code for row in data.rows] == ["DUK", "STP", "SYT"] and data.rows[0].own
    assert rows["DUK"].total == 0
    assert rows["STP"].cells == {Kind.SUGGESTION: 1, Kind.COMPLAINT_FIRST: 2, Kind.DENUNCIATION: 1}
    assert (rows["STP"].mass, rows["STP"].over_level) == (1, 1)
    assert rows["SYT"].cells == {Kind.SUGGESTION: 1}
    assert data.totals.total == 5  # the July suggestion lies outside 2026S1
    # One level down: STP's own cases and each cell.
    below = {row.unit.code: row for row in stats.breakdown(tree.stp, S1, "channel").rows}
    assert below["STP"].cells == {"online_box": 1, "desk": 1}
    assert below["STP-CB1"].cells == {"post": 1} and below["STP-CB2"].cells == {"portal": 1}
    assert stats.breakdown(tree.stp, periods.span("202607"), "state").totals.cells == {"received": 1}


def test_on_time_counts_stopped_clocks_and_leaves_cancelled_ones_out(tree, rules):
    on_time = receive(tree.stp)  # accept due 12/03; resolve 30 days after acceptance
    resolve(on_time, accepted=D(2026, 3, 5), decided=D(2026, 3, 20))
    late = receive(tree.stp_cb1)
    resolve(late, accepted=D(2026, 3, 20), decided=D(2026, 5, 20))  # both steps late
    withdrawn = receive(tree.stp)
    cases.case_accept(by=SYSTEM, case=withdrawn, day=D(2026, 3, 5))
    cases.case_withdraw(by=SYSTEM, case=withdrawn, day=D(2026, 3, 9), reason="Người khiếu nại rút đơn")
    transferred = receive(tree.syt)
    cases.case_transfer(
        by=SYSTEM, case=transferred, to_unit=tree.stp_cb2, day=D(2026, 3, 4), reason="Không thuộc thẩm quyền"
    )

    assert stats.on_time(tree.stp, S1, "resolve") == stats.Rate(
        1, 2
    )  # the withdrawn case's clock was cancelled
    assert stats.on_time(tree.stp, S1, "accept") == stats.Rate(2, 3)
    assert stats.on_time(tree.stp, S1, "resolve", subtree=False) == stats.Rate(1, 1)
    assert stats.on_time(tree.root, S1, "accept") == stats.Rate(3, 4)  # SYT decided to transfer in time
    assert stats.on_time(tree.root, S1, "resolve").percent == 50
    rows = {row.unit.code: row for row in stats.breakdown(tree.root, S1).rows}
    assert (rows["STP"].resolve, rows["SYT"].accept) == (stats.Rate(1, 2), stats.Rate(1, 1))
    assert stats.on_time(tree.root, periods.span("2025"), "resolve") == stats.Rate(0, 0)


def _text(html: str, marker: str) -> str:
    match = re.search(rf"<tr[^>]*{marker}[^>]*>(.*?)</tr>", html, re.DOTALL)
    assert match, marker
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def test_the_page_shows_the_table_and_its_excel_export_is_recorded(spread, personas, login):
    client = login(personas["unit_head"])
    html = client.get(URL, {"unit": "STP", "period": "2026S1", "by": "kind"}).content.decode()
    assert "Khiếu nại lần đầu" in html
    assert _text(html, 'data-unit="STP-CB1"').startswith("Chi bộ 1 STP-CB1 1 0 0 0 0 0 1 0 1")
    assert PERSON["name"] not in html

    response = client.get(URL, {"unit": "STP", "period": "2026S1", "format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.getvalue()))
    counts = book.worksheets[0]
    assert counts["A2"].value == "Đơn vị" and counts.cell(row=2, column=8).value == "Tổng cộng"
    total_row = [cell.value for cell in counts[counts.max_row]]
    assert total_row[0] == "Tổng cộng" and total_row[7:] == [4, 1, 1]
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert (event.model, event.unit_code, event.changes["filter"]["period"]) == (
        "voice.case",
        "STP",
        "2026S1",
    )


def test_a_user_of_syt_sees_none_of_stps_figures_and_a_viewer_nothing(spread, personas, login):
    outsider = login(personas["outsider"])
    refused = outsider.get(URL, {"unit": "STP", "period": "2026S1"}).content.decode()
    assert "Không tìm thấy đơn vị nào khớp với “STP”" in refused and 'data-unit="STP-CB1"' not in refused
    own = outsider.get(URL, {"period": "2026S1"}).content.decode()  # defaults to SYT
    assert 'data-unit="SYT"' in own and 'data-unit="STP"' not in own
    export = outsider.get(URL, {"unit": "STP", "period": "2026S1", "format": "xlsx"})
    assert export["Content-Type"].startswith("text/html")
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()
    for persona in ("viewer", "reporter", "nobody"):
        assert login(personas[persona]).get(URL).status_code == 403, persona


def test_a_bad_period_code_gets_a_vietnamese_message(spread, personas, login):
    html = login(personas["unit_head"]).get(URL, {"unit": "STP", "period": "2026X"}).content.decode()
    assert "“2026X” không phải là mã kỳ" in html


# ---------------------------------------------------------------- the reporting module


def _value(unit, code, element):
    from danvan.reports.models import DataValue

    row = DataValue.objects.filter(unit=unit, period__code=code, element__code=element).first()
    return row.value if row else None


def test_report_elements_are_derived_from_the_cases_and_follow_them_live(tree, rules, catalogue_loaded):
    from danvan.reports import selectors, services
    from danvan.reports.models import ElementRollup

    receive(tree.stp_cb1, kind=Kind.SUGGESTION, anonymous=True)
    period = services.period_get(
        code="2026S1", by=SYSTEM
    )  # prepared now: the sources run over the whole tree
    assert _value(tree.stp_cb1, "2026S1", "SUGGESTIONS_RECEIVED") == 1
    assert _value(tree.stp_cb1, "2026S1", "COMPLAINTS_RECEIVED") == 0  # a unit with cases gets zeros
    assert _value(tree.syt, "2026S1", "SUGGESTIONS_RECEIVED") is None  # a unit without any gets nothing

    # Received after the period was prepared: the unit's figures and every ancestor's roll-up follow.
    second = receive(tree.stp_cb1, kind=Kind.SUGGESTION, anonymous=True, day=D(2026, 4, 1))
    complaint = receive(tree.stp_cb2, kind=Kind.COMPLAINT_FIRST)
    assert _value(tree.stp_cb1, "2026S1", "SUGGESTIONS_RECEIVED") == 2
    element = catalogue_loaded[0]["SUGGESTIONS_RECEIVED"]
    assert ElementRollup.objects.get(period=period, unit=tree.root, element=element).value == 2
    assert ElementRollup.objects.get(period=period, unit=tree.stp, element=element).value == 2

    # Answered suggestions follow the decision; resolved complaints feed the on-time rate.
    cases.case_accept(by=SYSTEM, case=second, day=D(2026, 4, 2))
    cases.case_resolve(
        by=SYSTEM, case=second, decision_number="", decision_date=D(2026, 4, 10), summary="Đã trả lời."
    )
    assert _value(tree.stp_cb1, "2026S1", "SUGGESTIONS_ANSWERED") == 1
    resolve(complaint, accepted=D(2026, 3, 5), decided=D(2026, 5, 20))  # late
    rate = catalogue_loaded[1]["ON_TIME_RESOLUTION_RATE"]
    figures = selectors.figures(unit=tree.root, period=period, indicator=rate)
    assert (figures.numerator, figures.denominator, figures.value) == (0, 1, 0)

    # A transfer moves the received count from one unit to the other.
    moved = cases.case_transfer(
        by=SYSTEM, case=receive(tree.stp_cb2), to_unit=tree.syt, day=D(2026, 3, 3), reason="Chuyển"
    )
    assert moved.unit == tree.syt
    assert _value(tree.stp_cb2, "2026S1", "COMPLAINTS_RECEIVED") == 1
    assert _value(tree.syt, "2026S1", "COMPLAINTS_RECEIVED") == 1

    # The live figures equal a full recomputation.
    from danvan.reports import rollup
    from danvan.reports.models import DataValue

    def snapshot():
        return sorted(
            DataValue.objects.filter(period=period, element__source__startswith="voice.").values_list(
                "unit_id", "element__code", "value"
            )
        ), sorted(
            ElementRollup.objects.filter(period=period, reporters__gt=0).values_list(
                "unit_id", "element_id", "value"
            )
        )

    live = snapshot()
    rollup.rebuild(period)
    assert snapshot() == live


def test_a_report_form_is_prefilled_from_the_cases(tree, rules, catalogue_loaded, personas, login):
    receive(tree.stp, kind=Kind.SUGGESTION, anonymous=True)
    receive(tree.stp, kind=Kind.SUGGESTION, anonymous=True, day=D(2026, 5, 4))
    receive(tree.stp, kind=Kind.DENUNCIATION)
    report_services.period_get(code="2026S1", by=SYSTEM)  # as the nightly job does: the grid only reads
    html = login(personas["reporter"]).get("/reports/BC-DV-6T/STP/2026S1/").content.decode()
    assert "V. Tiếp nhận, giải quyết ý kiến, kiến nghị, đơn thư của nhân dân" in html
    assert _text(html, 'data-code="SUGGESTIONS_RECEIVED"').startswith(
        "Ý kiến góp ý của nhân dân đã tiếp nhận — 2"  # by its name, no code
    )
    assert " 1" in _text(html, 'data-code="DENUNCIATIONS_RECEIVED"')
    # Computed from the records: nobody types it.
    assert 'name="v_SUGGESTIONS_RECEIVED"' not in html
