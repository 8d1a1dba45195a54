"""The emulation ranking on the reports dashboard (`reports.panels`, `evaluations.dashboard`): the units
below the dashboard's unit for its year or half-year, ties sharing a rank, scoped by the policy, in a
fixed number of queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import make_unit
from danvan.emulation.evaluations import dashboard
from danvan.reports import panels
from danvan.reports import services as report_services

from .helpers import SYSTEM, final, scorecard, submitted

pytestmark = pytest.mark.django_db

URL = "/reports/dashboard/"


@pytest.fixture
def prepared(catalogue):
    """prepared(code) -> the reports period, prepared as the nightly job does (a page never prepares one)."""
    from django.apps import apps

    from danvan.reports import catalogue as seeds
    from danvan.reports.models import ReportingCalendar

    ReportingCalendar.objects.get_or_create(id=1)
    seeds.ensure(apps)
    return lambda code: report_services.period_get(code=code, by=SYSTEM)


@pytest.fixture
def cells(tree):
    """Four cells under STP: Chi bộ 1 and Chi bộ 3 tie on 93 points, Chi bộ 2 has 80, Chi bộ 4 waits."""
    third = make_unit(tree.catalogue, "STP-CB3", "Chi bộ 3", "cell", tree.stp)
    fourth = make_unit(tree.catalogue, "STP-CB4", "Chi bộ 4", "cell", tree.stp)
    card = scorecard()
    final(tree.stp_cb1, (38, 28, 27), card=card)  # 93
    final(tree.stp_cb2, (35, 25, 20), card=card)  # 80
    final(third, (38, 28, 27), card=card)  # 93
    submitted(fourth, card=card)  # not classified yet
    final(tree.syt_cb1, (40, 30, 30), card=card)  # another bloc's cell: never under STP
    return card


def _panel(html: str) -> str:
    match = re.search(
        r'<section class="dashboard-panel" data-panel="evaluations_ranking">(.*?)</section>', html, re.S
    )
    return match.group(1) if match else ""


def _ranks(panel: str) -> list[tuple[str, str]]:
    rows = re.findall(r'<tr data-unit="([^"]+)"><td class="num">(\d+)</td>', panel)
    return [(rank, code) for code, rank in rows]


def test_the_dashboard_ranks_the_units_below_with_ties_sharing_a_rank(login, personas, tree, prepared, cells):
    prepared("2025")
    html = login(personas["viewer"]).get(URL, {"unit": "STP", "period": "2025"}).content.decode()
    panel = _panel(html)
    assert "Xếp hạng thi đua các đơn vị trực thuộc, năm 2025" in panel
    assert _ranks(panel) == [("1", "STP-CB1"), ("1", "STP-CB3"), ("3", "STP-CB2")]
    assert "Hoàn thành xuất sắc nhiệm vụ" in panel and "Hoàn thành tốt nhiệm vụ" in panel
    assert "<th>Xếp loại</th>" in panel  # an evaluation's classification, not a petition's
    assert "SYT-CB1" not in panel and "STP-CB4" not in panel  # unclassified: on the full ranking only
    assert "1 đơn vị chưa được xếp loại" in panel
    assert "/emulation/evaluations/ranking/?unit=STP&amp;period=2025" in panel
    assert "/emulation/evaluations/ranking.xlsx?unit=STP&amp;period=2025" in panel
    assert "Xem toàn bộ xếp hạng" in panel
    # The panel comes after the dashboard's own tables.
    assert html.index('data-panel="evaluations_ranking"') > html.index("<h2>Mức đầy đủ báo cáo</h2>")


def test_only_the_top_ranks_show_and_units_tied_at_the_cut_stay(
    login, personas, tree, prepared, cells, monkeypatch
):
    prepared("2025")
    monkeypatch.setattr(dashboard, "TOP", 1)
    html = login(personas["viewer"]).get(URL, {"unit": "STP", "period": "2025"}).content.decode()
    assert _ranks(_panel(html)) == [("1", "STP-CB1"), ("1", "STP-CB3")]


def test_a_half_year_dashboard_ranks_the_half_year_evaluations(login, personas, tree, prepared):
    card = scorecard()
    final(tree.stp_cb1, (30, 20, 20), period="2025", card=card)  # the year's evaluation: not on the half-year
    final(tree.stp_cb2, (35, 25, 20), period="2025S1", card=card)
    prepared("2025S1")
    prepared("2025")
    client = login(personas["viewer"])
    half = _panel(client.get(URL, {"unit": "STP", "period": "2025S1"}).content.decode())
    assert "6 tháng đầu năm 2025" in half
    assert _ranks(half) == [("1", "STP-CB2")]
    assert "ranking/?unit=STP&amp;period=2025S1" in half
    year = _panel(client.get(URL, {"unit": "STP", "period": "2025"}).content.decode())
    assert _ranks(year) == [("1", "STP-CB1")]
    assert dashboard.evaluation_code(report_services.period_get(code="2025Q3", by=SYSTEM)) == "2025"
    assert dashboard.evaluation_code(report_services.period_get(code="2025S2", by=SYSTEM)) == "2025S2"


def test_an_explaining_line_when_no_unit_below_is_classified(login, personas, tree, prepared):
    prepared("2025")
    panel = _panel(login(personas["viewer"]).get(URL, {"unit": "STP", "period": "2025"}).content.decode())
    assert "Chưa có đơn vị nào được xếp loại năm 2025." in panel
    assert _ranks(panel) == [] and "ranking.xlsx" not in panel


def test_another_blocs_user_never_sees_the_ranking_of_units_not_theirs(
    login, personas, tree, prepared, cells
):
    prepared("2025")
    client = login(personas["outsider"])  # mobilisation officer at SYT
    assert client.get(URL, {"unit": "STP", "period": "2025"}).status_code == 404
    panel = _panel(client.get(URL, {"unit": "SYT", "period": "2025"}).content.decode())
    assert _ranks(panel) == [("1", "SYT-CB1")]
    assert "STP-CB" not in panel and "Chi bộ 3" not in panel


def test_no_panel_without_the_right_to_see_emulation(personas, tree, prepared, cells):
    period = prepared("2025")
    # A case handler holds no EMULATION_VIEW at STP; the panel (and its empty line) stays away.
    assert dashboard.collect(personas["case_handler"], tree.stp, period) is None
    assert [p.key for p in panels.collected(personas["case_handler"], tree.stp, period)] == []
    assert [p.key for p in panels.collected(personas["viewer"], tree.stp, period)] == ["evaluations_ranking"]


def test_the_panel_costs_the_same_few_queries_with_more_units_below(personas, tree, prepared, cells):
    period = prepared("2025")
    viewer = personas["viewer"]

    def count() -> tuple[int, int]:
        panels.collected(viewer, tree.stp, period)  # the user's roles, read once per request anyway
        with CaptureQueriesContext(connection) as queries:
            shown = panels.collected(viewer, tree.stp, period)
        assert all(q["sql"].lstrip().upper().startswith("SELECT") for q in queries.captured_queries)
        return len(queries), len(shown[0].context["rows"])

    few, rows_few = count()
    for index in range(5, 11):
        unit = make_unit(tree.catalogue, f"STP-CB{index}", f"Chi bộ {index}", "cell", tree.stp)
        final(unit, (30, 20, 20 + index), card=cells)
    many, rows_many = count()
    assert (rows_few, rows_many) == (3, 9)
    # The unit's place in the tree, its children, their evaluations: 3, whatever the number of children.
    assert few == many <= 4, (few, many)


def test_the_ranking_shows_even_before_the_reports_period_is_prepared(login, personas, tree, prepared, cells):
    from danvan.reports.models import Period

    prepared("2025S1")  # the catalogue; 2025 itself stays unprepared
    html = login(personas["viewer"]).get(URL, {"unit": "STP", "period": "2025"}).content.decode()
    assert not Period.objects.filter(code="2025").exists()  # opening a dashboard prepares nothing
    assert _ranks(_panel(html)) == [("1", "STP-CB1"), ("1", "STP-CB3"), ("3", "STP-CB2")]
