"""The dashboard page, its XLSX export and the catalogue pages, through the web as users see them."""

import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from danvan.accounts.actors import System
from danvan.reports import views_dashboard
from danvan.reports.models import Target

SYSTEM = System("tests")

pytestmark = pytest.mark.django_db

URL = "/reports/dashboard/"


@pytest.fixture
def figures(tree, approved):
    """STP meets its mass-gathering target (50/50), SYT does not (30/40)."""
    approved(tree.stp, "2026S1", {"STAFF_ELIGIBLE": 50, "STAFF_IN_MASS_ORGS": 50})
    approved(tree.syt, "2026S1", {"STAFF_ELIGIBLE": 40, "STAFF_IN_MASS_ORGS": 30})


def _svg(html: str, chart_id: str) -> str:
    return re.search(rf'<svg [^>]*id="{chart_id}".*?</svg>', html, re.DOTALL).group(0)


def _row(html: str, marker: str) -> str:
    match = re.search(rf"<tr[^>]*{marker}[^>]*>(.*?)</tr>", html, re.DOTALL)
    assert match, marker
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1)))


def test_the_attainment_table_shows_stp_meeting_its_target(login, personas, figures):
    html = login(personas["viewer"]).get(URL, {"unit": "STP", "period": "2026S1"}).content.decode()
    row = _row(html, 'data-indicator="MASS_GATHERING_RATE"')
    assert "50/50" in row and "100 %" in row and "≥ 100 %" in row and "Đạt" in row and "Chưa đạt" not in row
    assert "1/1 đơn vị đạt" in row


def test_the_attainment_table_shows_syt_short_of_its_target(login, personas, figures):
    html = login(personas["outsider"]).get(URL, {"unit": "SYT", "period": "2026S1"}).content.decode()
    row = _row(html, 'data-indicator="MASS_GATHERING_RATE"')
    assert "30/40" in row and "75 %" in row and "Chưa đạt" in row
    assert "0/1 đơn vị đạt" in row


def test_the_root_counts_two_units_with_a_target_and_one_meeting_it(login, personas, figures):
    html = login(personas["admin"]).get(URL, {"period": "2026S1"}).content.decode()  # admin's top unit: DUK
    assert "Đảng ủy Khối các cơ quan tỉnh" in html
    row = _row(html, 'data-indicator="MASS_GATHERING_RATE"')
    assert "80/90" in row and "88,9 %" in row and "1/2 đơn vị đạt" in row
    # Each child links down to its own dashboard, coloured by attainment.
    assert 'class="row-met" data-unit="STP"' in html and 'class="row-not-met" data-unit="SYT"' in html
    assert "?unit=STP&amp;period=2026S1&amp;indicator=MASS_GATHERING_RATE" in html


def test_the_bar_chart_has_one_bar_per_child_and_loads_nothing_from_outside(login, personas, figures):
    html = login(personas["admin"]).get(URL, {"unit": "DUK", "period": "2026S1"}).content.decode()
    svgs = re.findall(r"<svg.*?</svg>", html, re.DOTALL)
    assert len(svgs) == 3  # the bar chart (beside, and for phones above, the bars) and the trend
    bar = _svg(html, "chart-units")
    assert _svg(html, "chart-units-narrow").count('<rect class="bar"') == 2
    assert len(re.findall(r'<rect class="bar"', bar)) == 2  # STP and SYT
    assert "100 % ✓" in bar and "75 % ✗" in bar
    # Highest first: STP (100 %) above SYT (75 %), in the chart as in the table below it.
    assert bar.index("Đảng ủy Sở Tư pháp") < bar.index("Đảng ủy Sở Y tế")
    assert html.index('data-unit="STP"') < html.index('data-unit="SYT"')
    for svg in svgs:
        assert "<script" not in svg
        assert not re.search(r"(?:href|src)\s*=\s*[\"']https?://", svg)
        assert not re.search(r"@import|xml-stylesheet", svg)
        addresses = set(re.findall(r"https?://[^\"'\s<>]+", svg))
        assert addresses <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}


def test_the_trend_shows_the_earlier_periods_that_hold_figures(login, personas, figures, tree, approved):
    from danvan.reports import services

    approved(tree.stp, "2025S2", {"STAFF_ELIGIBLE": 40, "STAFF_IN_MASS_ORGS": 30})
    services.period_get(code="2024S1", by=SYSTEM)
    services.period_get(code="2022S1", by=SYSTEM)  # too long ago for a trend of six periods
    html = login(personas["viewer"]).get(URL, {"unit": "STP", "period": "2026S1"}).content.decode()
    trend = re.search(r'<table class="trend">(.*?)</table>', html, re.DOTALL).group(1)
    assert re.findall(r"period=(\d{4}S\d)", trend) == ["2024S1", "2025S2", "2026S1"]
    assert "75 %" in trend and "100 %" in trend
    # Opening the dashboard prepared no period of its own accord.
    from danvan.reports.models import Period

    assert not Period.objects.filter(code__in=["2023S2", "2024S2", "2025S1"]).exists()


def test_completeness_counts_the_reports_of_the_period_type(login, personas, figures):
    html = login(personas["admin"]).get(URL, {"unit": "DUK", "period": "2026S1"}).content.decode()
    table = re.sub(
        r"<[^>]+>", " ", re.search(r'<table class="completeness">(.*?)</table>', html, re.DOTALL).group(1)
    )
    assert "Báo cáo công tác dân vận 6 tháng" in table
    # Expected, submitted, on time, late (both came after the deadline of 15/07/2026 or not), missing.
    counts = re.search(
        r"Báo cáo công tác dân vận 6 tháng\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+100 %", table
    )
    assert counts and (counts[1], counts[2], int(counts[3]) + int(counts[4]), counts[5]) == ("2", "2", 2, "0")
    assert "?unit=DUK" in html


def test_a_unit_outside_the_scope_does_not_exist(login, personas, figures):
    outsider = login(personas["outsider"])
    assert outsider.get(URL, {"unit": "STP", "period": "2026S1"}).status_code == 404
    assert outsider.get(URL, {"unit": "STP", "period": "2026S1", "format": "xlsx"}).status_code == 404
    assert outsider.get(URL, {"unit": "DUK", "period": "2026S1"}).status_code == 404
    assert login(personas["nobody"]).get(URL).status_code == 404


def test_without_a_period_the_last_ended_half_year_is_shown(login, personas, tree, indicators):
    expected = views_dashboard.default_period_code(datetime.date.today())
    html = login(personas["viewer"]).get(URL).content.decode()
    assert f'<option value="{expected}" selected>' in html and 'name="unit__pick" value="STP"' in html
    assert views_dashboard.default_period_code(datetime.date(2026, 7, 1)) == "2026S1"
    assert views_dashboard.default_period_code(datetime.date(2026, 6, 30)) == "2025S2"


def test_a_wrong_period_code_is_explained_in_vietnamese(login, personas, tree, indicators):
    html = login(personas["viewer"]).get(URL, {"period": "2026X9"}).content.decode()
    assert "“2026X9” không phải là mã kỳ báo cáo" in html
    assert 'value="2026X9" selected' not in html  # the last ended half-year is shown instead


def test_the_xlsx_export_holds_the_numbers_of_every_table(login, personas, figures):
    response = login(personas["admin"]).get(URL, {"unit": "DUK", "period": "2026S1", "format": "xlsx"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.getvalue()))
    assert len(book.sheetnames) == 3
    attainment, children, trend = (book[name] for name in book.sheetnames)
    assert "DUK" in attainment["A1"].value and "6 tháng đầu năm 2026" in attainment["A1"].value
    rows = {row[0]: row for row in attainment.iter_rows(min_row=3, values_only=True)}
    numerator, denominator, value, _c, target, met, target_units, met_units = rows["MASS_GATHERING_RATE"][2:]
    assert (numerator, denominator, target_units, met_units) == (80, 90, 2, 1)
    assert value == pytest.approx(88.8889, abs=1e-3) and target is None and met is None
    assert attainment.cell(row=3, column=5).number_format == '0.0" %"'
    by_unit = {row[0]: row for row in children.iter_rows(min_row=3, values_only=True)}
    assert by_unit["STP"][2:8] == (50, 50, 100, "≥", 100, "Đạt")
    assert by_unit["SYT"][2:8] == (30, 40, 75, "≥", 100, "Chưa đạt")
    assert [row[0] for row in trend.iter_rows(min_row=3, values_only=True)][-1] == "6 tháng đầu năm 2026"


def test_one_table_can_be_exported_alone(login, personas, figures):
    response = login(personas["viewer"]).get(
        URL, {"unit": "STP", "period": "2026S1", "format": "xlsx", "table": "children"}
    )
    book = load_workbook(io.BytesIO(response.getvalue()))
    assert len(book.sheetnames) == 1
    codes = [row[0] for row in book.active.iter_rows(min_row=3, values_only=True)]
    assert codes == ["STP-CB1", "STP-CB2"]


def test_the_dashboard_costs_the_same_number_of_queries_whatever_the_number_of_children(
    login, personas, tree, figures, catalogue
):
    """The children's figures are read for all of them at once (`selectors.figures_many`): the page
    used to read two queries per child unit."""
    from conftest import make_unit

    client = login(personas["admin"])
    client.get(URL, {"unit": "STP", "period": "2026S1"})  # periods of the trend are prepared once

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, {"unit": "STP", "period": "2026S1"}).status_code == 200
        return len(queries)

    two = count()
    for index in range(3, 7):
        make_unit(catalogue, f"STP-CB{index}", f"Chi bộ {index}", "cell", tree.stp)
    from danvan.reports import rollup
    from danvan.reports.models import Period

    rollup.build_period_units(Period.objects.get(code="2026S1"))
    client.get(URL, {"unit": "STP", "period": "2026S1"})  # the menu's counts, renewed by the writes
    assert count() == two


def test_the_units_below_are_shown_a_page_at_a_time_from_the_highest_value(
    login, personas, figures, monkeypatch
):
    monkeypatch.setattr(views_dashboard, "CHILDREN_PAGE", 1)
    client = login(personas["admin"])
    query = {"unit": "DUK", "period": "2026S1", "indicator": "MASS_GATHERING_RATE"}
    first = client.get(URL, query).content.decode()
    assert 'data-unit="STP"' in first and 'data-unit="SYT"' not in first  # 100 % before 75 %
    assert "Trang 1 / 2" in first and "page=2" in first
    second = client.get(URL, {**query, "page": "2"}).content.decode()
    assert 'data-unit="SYT"' in second and 'data-unit="STP"' not in second
    book = load_workbook(
        io.BytesIO(client.get(URL, {**query, "format": "xlsx", "table": "children"}).getvalue())
    )
    assert [row[0] for row in book.active.iter_rows(min_row=3, values_only=True)] == ["STP", "SYT"]


def test_approving_a_report_changes_the_dashboard_on_the_next_request(login, personas, tree, approved):
    """Nothing of the dashboard is kept between requests: the next request after an approval shows it."""
    approved(tree.stp, "2026S1", {"STAFF_ELIGIBLE": 50, "STAFF_IN_MASS_ORGS": 50})
    client = login(personas["admin"])
    before = client.get(URL, {"period": "2026S1"}).content.decode()
    assert "50/50" in _row(before, 'data-indicator="MASS_GATHERING_RATE"')
    approved(tree.syt, "2026S1", {"STAFF_ELIGIBLE": 40, "STAFF_IN_MASS_ORGS": 30})
    after = client.get(URL, {"period": "2026S1"}).content.decode()
    row = _row(after, 'data-indicator="MASS_GATHERING_RATE"')
    assert "80/90" in row and "1/2 đơn vị đạt" in row


def test_the_catalogue_lists_elements_with_their_source_and_indicators_with_their_formula(
    login, personas, indicators
):
    html = login(personas["viewer"]).get(reverse("reports:catalogue")).content.decode()
    assert "STAFF_IN_MASS_ORGS / STAFF_ELIGIBLE × 100" in _row(html, 'data-indicator="MASS_GATHERING_RATE"')
    assert "Nhập" in _row(html, 'data-element="STAFF_ELIGIBLE"')
    assert "Lấy từ:" in _row(html, 'data-element="GRASSROOTS_ORGS"')
    assert "≥ 70 %" in _row(html, 'data-indicator="MASS_GATHERING_RATE"')
    assert reverse("reports:target_add") not in html  # a viewer may not edit targets


def test_only_catalogue_managers_at_a_root_edit_targets(login, personas, indicators):
    target = Target.objects.first()
    for persona in ("viewer", "outsider", "unit_head"):
        client = login(personas[persona])
        assert client.get(reverse("reports:target_add")).status_code == 403
        assert client.post(reverse("reports:target_delete", args=[target.pk])).status_code == 403
    assert Target.objects.filter(pk=target.pk).exists()


def test_changing_a_target_changes_the_met_counts_at_once(login, personas, figures, indicators, catalogue):
    rate = indicators.indicators["MASS_GATHERING_RATE"]
    target = Target.objects.get(
        indicator=rate, unit_group=catalogue.groups["public_service_unit"], period_code=""
    )
    admin = login(personas["admin"])
    response = admin.post(
        reverse("reports:target_edit", args=[target.pk]),
        {
            "indicator": rate.pk,
            "unit_group": target.unit_group_id,
            "period_code": "",
            "comparator": "gte",
            "value": "70",
        },
    )
    assert response.status_code == 302
    html = admin.get(URL, {"unit": "DUK", "period": "2026S1"}).content.decode()
    assert "2/2 đơn vị đạt" in _row(html, 'data-indicator="MASS_GATHERING_RATE"')
    admin.post(reverse("reports:target_delete", args=[target.pk]))
    html = admin.get(URL, {"unit": "DUK", "period": "2026S1"}).content.decode()
    assert "1/1 đơn vị đạt" in _row(html, 'data-indicator="MASS_GATHERING_RATE"')


def test_a_bad_target_is_refused_with_vietnamese_messages_and_nothing_saved(
    login, personas, indicators, catalogue
):
    rate = indicators.indicators["MASS_GATHERING_RATE"]
    before = Target.objects.count()
    admin = login(personas["admin"])
    response = admin.post(
        reverse("reports:target_add"),
        {
            "indicator": rate.pk,
            "unit_group": catalogue.groups["admin_agency"].pk,
            "period_code": "",
            "comparator": "gte",
            "value": "90",
        },
    )
    assert response.status_code == 200
    assert "đã có chỉ tiêu" in response.content.decode()
    response = admin.post(
        reverse("reports:target_add"),
        {"indicator": rate.pk, "unit_group": "", "period_code": "2026X", "comparator": "gte", "value": "-1"},
    )
    html = response.content.decode()
    assert "không phải là mã kỳ" in html and "lớn hơn hoặc bằng với 0" in html
    assert Target.objects.count() == before


def test_a_target_for_one_period_is_added_with_its_code_normalised(login, personas, figures, indicators):
    rate = indicators.indicators["MEMBER_ACTIVE_RATE"]
    response = login(personas["admin"]).post(
        reverse("reports:target_add"),
        {"indicator": rate.pk, "unit_group": "", "period_code": "2026s1", "comparator": "gte", "value": "50"},
    )
    assert response.status_code == 302
    assert Target.objects.filter(indicator=rate, unit_group=None, period_code="2026S1").exists()


def test_a_unit_typed_by_name_without_javascript_is_shown_or_offered_to_choose(login, personas, figures):
    client = login(personas["admin"])
    html = client.get(URL, {"unit": "dang uy so y te", "period": "2026S1"}).content.decode()
    assert "Bảng điều khiển: Đảng ủy Sở Y tế" in html
    html = client.get(URL, {"unit": "chi bo", "period": "2026S1"}).content.decode()
    assert "Có nhiều đơn vị khớp với “chi bo”" in html
    assert 'type="radio" name="unit__pick" value="STP-CB1"' in html
    picked = {"unit": "chi bo", "unit__pick": "STP-CB1", "unit__label": "chi bo", "period": "2026S1"}
    assert "Bảng điều khiển: Chi bộ 1" in client.get(URL, picked).content.decode()


def test_the_trend_chart_shows_four_periods_in_words_with_a_table_of_the_same_figures(
    login, personas, figures, tree, approved
):
    for code, active in (("2024S2", 20), ("2025S1", 30), ("2025S2", 40)):
        approved(tree.stp, code, {"STAFF_ELIGIBLE": 50, "STAFF_IN_MASS_ORGS": active})
    html = login(personas["viewer"]).get(URL, {"unit": "STP", "period": "2026S1"}).content.decode()
    trend = _svg(html, "chart-trend")
    assert re.search(r'role="img" aria-labelledby="chart-trend-title chart-trend-desc"', trend)
    assert len(re.findall(r'<g class="column ', trend)) >= 4
    assert len(re.findall(r'<rect class="bar"', trend)) == 4  # 40 %, 60 %, 80 %, 100 %
    for words in ("6 tháng cuối", "năm 2024", "6 tháng đầu", "năm 2026"):
        assert words in trend
    assert "100 % ✓" in trend and "40 % ✗" in trend and "Chỉ tiêu ≥ 100 %" in trend
    table = re.search(r'<table class="trend">(.*?)</table>', html, re.DOTALL).group(1)
    assert "6 tháng cuối năm 2024" in table and "6 tháng đầu năm 2026" in table
    assert "2024S2" not in re.sub(r"<[^>]+>", "", table)  # codes only in the links, never in the text


def test_children_without_figures_are_listed_last_and_never_shown_as_zero(login, personas, figures):
    html = login(personas["viewer"]).get(URL, {"unit": "STP", "period": "2026S1"}).content.decode()
    bar = _svg(html, "chart-units")
    assert len(re.findall(r"<rect class=\"bar\"", bar)) == 0 and bar.count('<g class="row no-data">') == 2
    assert 'class="row-no-data" data-unit="STP-CB1"' in html
    assert "0 %" not in _row(html, 'data-unit="STP-CB1"')


def test_the_dashboards_figures_are_read_where_a_replica_may_serve_them(
    login, personas, figures, monkeypatch
):
    """With a read replica configured (core.replica) the figures come from it; the page's other reads
    (who the user is, the unit picker, the menu) stay on the primary."""
    from danvan.core import replica

    seen = []
    original = views_dashboard.dashboard_data

    def recording(*args, **kwargs):
        seen.append(replica.active())
        return original(*args, **kwargs)

    monkeypatch.setattr(views_dashboard, "dashboard_data", recording)
    response = login(personas["admin"]).get(reverse("reports:dashboard"), {"unit": "DUK"})
    assert response.status_code == 200
    assert seen == [True]
    assert replica.active() is False
