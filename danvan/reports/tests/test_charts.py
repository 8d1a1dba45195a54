"""The dashboard charts: self-contained SVG with Vietnamese labels and a colour per attainment."""

import re
from decimal import Decimal
from fractions import Fraction
from types import SimpleNamespace

import pytest
from django.utils import translation

from danvan.reports import charts

RATE = SimpleNamespace(name="Tỷ lệ <tập hợp> & đoàn kết", unit_label="%", decimals=1)


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


def _external_references(svg: str) -> list[str]:
    """Every http(s) address except the SVG namespaces."""
    namespaces = {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}
    return [url for url in re.findall(r"https?://[^\"'\s<>)]+", svg) if url not in namespaces]


def _bar_chart(points=None, targets=(Decimal(80),)):
    points = points or [
        charts.Point("STP", Fraction(147, 2), False),
        charts.Point("SYT", Fraction(90), True),
        charts.Point("STP-CB1", None, None),
    ]
    return charts.bar_chart(points, RATE, title="Biểu đồ", targets=list(targets))


def test_values_are_written_the_vietnamese_way():
    assert charts.format_value(Fraction(147, 2), RATE) == "73,5 %"
    assert charts.format_value(Fraction(100), RATE) == "100 %"
    assert charts.format_value(None, RATE) == "—"
    count = SimpleNamespace(unit_label="", decimals=0)
    assert charts.format_value(Decimal(1673), count) == "1.673"


def test_a_bar_chart_has_one_bar_per_unit_with_a_figure_coloured_by_attainment():
    svg = _bar_chart()
    assert len(re.findall(r"<rect[^>]*class=\"rect reactive", svg)) == 2  # the unit without a figure has none
    fills = re.findall(r'<g class="bar" style="fill: (#[0-9a-f]{6})', svg)
    assert fills == [charts.NOT_MET_COLOUR, charts.MET_COLOUR]
    assert "73,5 %" in svg and "90 %" in svg and "80 %" in svg  # values and the target guide


def test_the_svg_loads_no_script_and_no_style_sheet_from_anywhere():
    for svg in (
        _bar_chart(),
        charts.line_chart(
            [charts.Point("2025S2", Fraction(50), False), charts.Point("2026S1", Fraction(90), True)],
            RATE,
            title="Xu hướng",
            target_values=[Decimal(80), Decimal(80)],
            target_title="Chỉ tiêu",
        ),
    ):
        assert svg.startswith("<svg")  # no XML declaration: it sits inside the page
        assert "<script" not in svg and "xml-stylesheet" not in svg and "@import" not in svg
        assert not re.search(r"(?:href|src)\s*=\s*[\"']?https?://", svg)
        assert _external_references(svg) == []


def test_names_are_escaped_inside_the_svg():
    svg = _bar_chart([charts.Point("<b>STP</b>", Fraction(50), None)], targets=())
    assert "<b>" not in svg and "&lt;b&gt;" in svg


def test_the_trend_shows_the_target_as_a_second_line():
    svg = charts.line_chart(
        [charts.Point("2025S2", Fraction(50), False), charts.Point("2026S1", None, None)],
        RATE,
        title="Xu hướng",
        target_values=[Decimal(80), None],
        target_title="Chỉ tiêu",
    )
    assert "Chỉ tiêu" in svg and "50 %" in svg and charts.NOT_MET_COLOUR in svg
