"""Words where a reader would otherwise see codes: periods (`periods.period_words` and the
`period_words`/`period_dated` filters) and indicator formulas."""

import datetime

import pytest
from django.template import Context, Template

from danvan.reports.models import Period, PeriodType
from danvan.reports.periods import period_words

CALENDAR = (15, 12)


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("2026", "Năm 2026"),
        ("2026S1", "6 tháng đầu năm 2026"),
        ("2026S2", "6 tháng cuối năm 2026"),
        ("2026Q3", "Quý III/2026"),
        ("202609", "Tháng 9/2026"),
        ("2026RY", "Năm báo cáo 2026 (15/12/2025 – 14/12/2026)"),
        ("2026RS2", "6 tháng cuối năm báo cáo 2026 (15/06/2026 – 14/12/2026)"),
    ],
)
def test_a_period_code_reads_as_words(code, words):
    assert period_words(code, CALENDAR) == words


def test_a_period_row_says_its_own_dates_without_a_query(db, django_assert_num_queries):
    period = Period(
        code="2025RY",
        period_type=PeriodType.REPORTING_YEAR,
        start=datetime.date(2025, 4, 1),
        end=datetime.date(2026, 3, 31),
    )
    with django_assert_num_queries(0):
        assert period_words(period) == "Năm báo cáo 2025 (01/04/2025 – 31/03/2026)"


def test_dated_adds_the_dates_and_text_that_is_no_code_stays():
    assert period_words("2026S1", dated=True) == "6 tháng đầu năm 2026 (01/01/2026 – 30/06/2026)"
    assert period_words("kỳ lạ") == "kỳ lạ"


def test_the_template_filters(db):
    template = Template("{% load reports %}{{ code|period_words }} · {{ code|period_dated }}")
    assert template.render(Context({"code": "2026Q1"})) == "Quý I/2026 · Quý I/2026 (01/01/2026 – 31/03/2026)"


def test_the_catalogue_gives_each_formula_in_words_above_its_codes(login, personas, indicators):
    from django.urls import reverse

    html = login(personas["viewer"]).get(reverse("reports:catalogue")).content.decode()
    row = html[html.index('data-indicator="MASS_GATHERING_RATE"') :].split("</tr>")[0]
    assert (
        "Cán bộ, công chức, viên chức, người lao động đã tham gia đoàn thể ÷ "
        "Cán bộ, công chức, viên chức, người lao động đủ điều kiện tham gia đoàn thể × 100"
    ) in row
    assert "STAFF_IN_MASS_ORGS / STAFF_ELIGIBLE × 100" in row  # the administrator's codes stay, below
