"""The ranking page: units ranked on chosen indicators and on a composite, ties and missing figures
shown honestly, the user's scope respected, and the same figures in the Excel download."""

import io
import re
from decimal import Decimal
from fractions import Fraction
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook

from conftest import make_unit
from danvan.reports import ranking
from danvan.reports.models import Comparator

pytestmark = pytest.mark.django_db

URL = "/reports/ranking/"
MASS, ACTIVE = "MASS_GATHERING_RATE", "MEMBER_ACTIVE_RATE"


@pytest.fixture
def units(tree):
    """Two more committees under the bloc: SCT (a lower figure) and SGD (no report at all)."""
    sct = make_unit(
        tree.catalogue, "SCT", "Đảng ủy Sở Công Thương", "grassroots", tree.root, ["admin_agency"]
    )
    sgd = make_unit(tree.catalogue, "SGD", "Đảng ủy Sở Giáo dục", "grassroots", tree.root, ["admin_agency"])
    return SimpleNamespace(sct=sct, sgd=sgd)


@pytest.fixture
def figures(tree, units, approved):
    """STP and SYT both gather 100 % (a tie), SCT 75 %; members active: STP 60 %, SYT 90 %, SCT 80 %."""
    approved(
        tree.stp,
        "2026S1",
        {"STAFF_ELIGIBLE": 50, "STAFF_IN_MASS_ORGS": 50, "MEMBERS_TOTAL": 100, "MEMBERS_ACTIVE": 60},
    )
    approved(
        tree.syt,
        "2026S1",
        {"STAFF_ELIGIBLE": 40, "STAFF_IN_MASS_ORGS": 40, "MEMBERS_TOTAL": 10, "MEMBERS_ACTIVE": 9},
    )
    approved(
        units.sct,
        "2026S1",
        {"STAFF_ELIGIBLE": 40, "STAFF_IN_MASS_ORGS": 30, "MEMBERS_TOTAL": 10, "MEMBERS_ACTIVE": 8},
    )


def _ranks(html: str) -> list[tuple[str, str]]:
    """(unit code, rank cell) for each row of the ranking table, in order."""
    body = re.search(r'<table class="ranking">(.*?)</table>', html, re.DOTALL).group(1)
    return [
        (code, re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", rank)).strip())
        for code, rank in re.findall(
            r'data-unit="([^"]+)">\s*<td class="num rank">(.*?)</td>', body, re.DOTALL
        )
    ]


def _row(html: str, code: str) -> str:
    match = re.search(rf'<tr[^>]*data-unit="{code}">(.*?)</tr>', html, re.DOTALL)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1)))


# ---------------------------------------------------------------- the rules, without the database


def test_equal_figures_share_a_rank_and_the_next_rank_is_skipped():
    keys = [Fraction(90), Fraction(100), None, Fraction(90), Fraction(50)]
    assert ranking.competition_ranks(keys) == [(2, True), (1, False), (None, False), (2, True), (4, False)]
    assert ranking.competition_ranks(keys, lower_better=True) == [
        (2, True), (4, False), (None, False), (2, True), (1, False),
    ]  # fmt: skip


def test_an_indicator_whose_targets_are_maxima_ranks_lower_figures_first():
    indicator = SimpleNamespace(id=1)
    at_most = SimpleNamespace(indicator_id=1, comparator=Comparator.LTE)
    at_least = SimpleNamespace(indicator_id=1, comparator=Comparator.GTE)
    assert ranking.lower_is_better(indicator, [at_most])
    assert not ranking.lower_is_better(indicator, [at_most, at_least])
    assert not ranking.lower_is_better(indicator, [])  # no target: higher is better


def test_the_score_is_attainment_against_the_target_capped_at_100():
    at_least_80 = SimpleNamespace(value=Decimal(80), comparator=Comparator.GTE)
    at_most_10 = SimpleNamespace(value=Decimal(10), comparator=Comparator.LTE)
    score = ranking.score
    assert score(Fraction(60), at_least_80, rate=True, best=None, lower_better=False) == 75
    assert score(Fraction(95), at_least_80, rate=True, best=None, lower_better=False) == 100  # no bonus
    assert score(Fraction(20), at_most_10, rate=True, best=None, lower_better=True) == 50
    assert (
        score(Fraction(40), None, rate=True, best=Fraction(90), lower_better=False) == 40
    )  # a rate is its score
    assert (
        score(Fraction(30), None, rate=False, best=Fraction(120), lower_better=False) == 25
    )  # against the best


# ---------------------------------------------------------------- the page


def test_units_are_ranked_with_ties_and_those_without_figures_come_last(login, personas, figures):
    html = (
        login(personas["admin"])
        .get(URL, {"unit": "DUK", "period": "2026S1", "indicator": MASS})
        .content.decode()
    )
    # STP and SYT both 100 %: rank 1 together, SCT is third (not second), SGD has no report.
    assert _ranks(html) == [("STP", "1 đồng hạng"), ("SYT", "1 đồng hạng"), ("SCT", "3"), ("SGD", "—")]
    assert "chưa có số liệu" in _row(html, "SGD") and "0 %" not in _row(html, "SGD")
    assert "75 % ✗" in _row(html, "SCT") and "100 % ✓" in _row(html, "STP")
    assert "6 tháng đầu năm 2026" in html  # the period in words
    assert "Cách tính xếp hạng" in html and "đồng hạng" in html


def test_the_composite_is_the_average_of_each_indicator_s_attainment(login, personas, figures):
    query = {"unit": "DUK", "period": "2026S1", "indicator": [MASS, ACTIVE]}
    html = login(personas["admin"]).get(URL, query).content.decode()
    # STP: 100 and 60/80 = 75 → 87,5; SYT: 100 and 90 % ≥ 80 → 100; SCT: 75 and 100 → 87,5 (a tie).
    assert _ranks(html) == [("SYT", "1"), ("SCT", "2 đồng hạng"), ("STP", "2 đồng hạng"), ("SGD", "—")]
    assert "87,5" in _row(html, "STP") and "100" in _row(html, "SYT")
    # Each indicator keeps its own rank: members active, STP is last of three.
    assert "60 % ✗ hạng 3" in _row(html, "STP")


def test_every_unit_of_a_type_in_the_subtree_can_be_ranked(login, personas, figures):
    html = (
        login(personas["admin"])
        .get(URL, {"unit": "DUK", "period": "2026S1", "indicator": MASS, "level": "cell"})
        .content.decode()
    )
    assert sorted(code for code, _rank in _ranks(html)) == ["STP-CB1", "STP-CB2", "SYT-CB1"]
    assert "Đảng ủy Sở Tư pháp" in _row(html, "STP-CB1")  # the parent tells look-alike cells apart


def test_another_unit_s_user_sees_none_of_it_and_cannot_export_it(login, personas, figures):
    outsider = login(personas["outsider"])  # an officer of SYT
    for query in (
        {"unit": "DUK"},
        {"unit": "STP"},
        {"unit": "DUK", "format": "xlsx"},
        {"unit": "STP", "format": "xlsx"},
    ):
        assert outsider.get(URL, {"period": "2026S1", **query}).status_code == 404
    own = outsider.get(URL, {"period": "2026S1"}).content.decode()  # their own unit: SYT's cell only
    assert [code for code, _rank in _ranks(own)] == ["SYT-CB1"]
    assert "STP" not in re.sub(r"<header.*?</header>|<nav.*?</nav>", "", own, flags=re.DOTALL)
    assert login(personas["nobody"]).get(URL).status_code == 404


def test_the_excel_download_holds_the_same_ranks_and_typed_figures(login, personas, figures):
    query = {"unit": "DUK", "period": "2026S1", "indicator": [MASS, ACTIVE], "format": "xlsx"}
    response = login(personas["admin"]).get(URL, query)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.getvalue()))
    sheet = book[book.sheetnames[0]]
    assert (
        "Đảng ủy Khối các cơ quan tỉnh" in sheet["A1"].value and "6 tháng đầu năm 2026" in sheet["A1"].value
    )
    rows = {row[2]: row for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert [row[2] for row in sheet.iter_rows(min_row=3, values_only=True)] == ["SYT", "SCT", "STP", "SGD"]
    rank, tied, _code, name, _parent, value, target, score, mass_rank = rows["STP"][:9]
    assert (rank, tied, name, value, target, score, mass_rank) == (
        2,
        "đồng hạng",
        "Đảng ủy Sở Tư pháp",
        100,
        "≥ 100 %",
        100,
        1,
    )
    assert rows["STP"][-2] == 87.5 and rows["SYT"][-2] == 100
    assert rows["SGD"][0] is None and rows["SGD"][-2] is None and rows["SGD"][-1] == "chưa có số liệu"
    assert sheet.cell(row=3, column=6).number_format == '0.0" %"'  # the value typed as a rate
    assert sheet.cell(row=3, column=14).number_format == "#,##0.0"  # the composite as a number
    assert "trung bình" in book[book.sheetnames[1]]["A4"].value  # how it is computed, in words


def test_opening_the_ranking_writes_nothing_and_costs_the_same_with_more_units(
    login, personas, figures, tree
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from danvan.reports import rollup
    from danvan.reports.models import DataValue, Period

    client = login(personas["admin"])
    query = {"unit": "DUK", "period": "2026S1", "indicator": [MASS, ACTIVE]}
    client.get(URL, query)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, query).status_code == 200
        assert not [q for q in queries.captured_queries if re.match(r"\s*(INSERT|UPDATE|DELETE)", q["sql"])]
        return len(queries)

    before, values = count(), DataValue.objects.count()
    for index in range(5):
        make_unit(tree.catalogue, f"SX{index}", f"Đảng ủy Sở {index}", "grassroots", tree.root)
    rollup.build_period_units(Period.objects.get(code="2026S1"))
    assert count() == before and DataValue.objects.count() == values
