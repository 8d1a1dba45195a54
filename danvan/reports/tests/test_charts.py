"""The dashboard charts: self-contained SVG that people can read — sorted bars, the target marked, a
legend, a second cue beside colour, units without figures never drawn as zero, an accessible name."""

import re
from decimal import Decimal
from fractions import Fraction
from types import SimpleNamespace

import pytest
from django.utils import translation

from danvan.reports import charts

RATE = SimpleNamespace(name="Tỷ lệ <tập hợp> & đoàn kết", unit_label="%", decimals=1)
LONG = "Đảng ủy Trường Cao đẳng Kỹ thuật Công nghiệp và Kinh tế Kỹ thuật tỉnh Đồng Nai"


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


def _external_references(svg: str) -> list[str]:
    """Every http(s) address except the SVG namespaces."""
    namespaces = {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}
    return [url for url in re.findall(r"https?://[^\"'\s<>)]+", svg) if url not in namespaces]


def _bar(label, value, met):
    value = Fraction(value) if value is not None else None
    return charts.Bar(label, value, met, charts.format_value(value, RATE), "≥ 80 %")


def _bar_chart(bars=None, targets=(Decimal(80),)):
    bars = bars or [_bar("Chi bộ 1", 50, False), _bar("Chi bộ 2", None, None), _bar("Chi bộ 3", 90, True)]
    return charts.bar_chart(
        charts.sort_bars(bars),
        chart_id="c1",
        title="Biểu đồ",
        description="Mô tả",
        targets=[charts.TargetLine(t, f"Chỉ tiêu ≥ {t} %") for t in targets],
    )


def _rows(svg: str) -> list[str]:
    return re.findall(r'<g class="row ([a-z-]+)">', svg)


def _trend(count: int, *, gap: int | None = None) -> str:
    columns = [
        charts.Column(
            f"6 tháng {'đầu' if i % 2 == 0 else 'cuối'} năm {2024 + i // 2}",
            None if i == gap else Fraction(60 + 10 * i),
            None if i == gap else 60 + 10 * i >= 80,
            "—" if i == gap else f"{60 + 10 * i} %",
            Decimal(80),
            "≥ 80 %",
        )
        for i in range(count)
    ]
    return charts.column_chart(columns, chart_id="t1", title="Xu hướng", description="Mô tả")


def test_values_are_written_the_vietnamese_way():
    assert charts.format_value(Fraction(147, 2), RATE) == "73,5 %"
    assert charts.format_value(Fraction(100), RATE) == "100 %"
    assert charts.format_value(None, RATE) == "—"
    count = SimpleNamespace(unit_label="", decimals=0)
    assert charts.format_value(Decimal(1673), count) == "1.673"


def test_bars_go_from_the_highest_value_down_and_units_without_figures_come_last_undrawn():
    svg = _bar_chart()
    assert _rows(svg) == ["met", "not-met", "no-data"]  # 90 %, 50 %, then the unit without a figure
    assert svg.index("Chi bộ 3") < svg.index("Chi bộ 1") < svg.index("Chi bộ 2")
    assert len(re.findall(r'<rect class="bar"', svg)) == 2  # never a zero-length bar for "no figures"
    no_data = re.search(r'<g class="row no-data">.*?</g>', svg).group(0)
    assert "chưa có số liệu" in no_data and "<rect" not in no_data and "0 %" not in no_data


def test_met_and_not_met_differ_by_more_than_colour():
    svg = _bar_chart()
    met = re.search(r'<g class="row met">.*?</g>', svg).group(0)
    not_met = re.search(r'<g class="row not-met">.*?</g>', svg).group(0)
    assert f'fill="{charts.MET_COLOUR}"' in met and "90 % ✓" in met
    assert 'fill="url(#c1-hatch)"' in not_met and "50 % ✗" in not_met  # hatched: readable in black and white
    assert '<pattern id="c1-hatch"' in svg


def test_the_target_is_a_labelled_line_and_the_legend_explains_every_mark():
    svg = _bar_chart()
    target = re.search(r'<g class="target">.*?</g>', svg).group(0)
    assert "stroke-dasharray" in target and "Chỉ tiêu ≥ 80 %" in target
    legend = re.search(r'<g class="legend">.*?</g>', svg).group(0)
    assert "✓ Đạt chỉ tiêu" in legend and "✗ Chưa đạt chỉ tiêu" in legend and "Chỉ tiêu" in legend


def test_the_chart_has_an_accessible_name_and_description():
    svg = _bar_chart()
    assert re.match(r'<svg [^>]*role="img"[^>]*aria-labelledby="c1-title c1-desc"', svg)
    assert '<title id="c1-title">Biểu đồ</title>' in svg and '<desc id="c1-desc">Mô tả</desc>' in svg
    assert 'viewBox="0 0 760 ' in svg  # scales with its box


def test_long_unit_names_are_wrapped_onto_two_lines_and_cut_with_the_full_name_kept():
    svg = _bar_chart([_bar(LONG, 70, False)])
    row = re.search(r'<g class="row not-met">.*?</g>', svg).group(0)
    lines = re.findall(r"<tspan[^>]*>([^<]*)</tspan>", row)
    assert len(lines) == 2 and lines[1].endswith("…")
    assert all(len(line) <= int((charts.LABEL_RIGHT - 8) / charts.CHAR_WIDTH) for line in lines)
    assert f"<title>{LONG}: 70 %" in row  # the whole name on hover


def test_wrapping_keeps_whole_words_and_cuts_only_what_does_not_fit():
    assert charts.wrap("6 tháng đầu năm 2026", 100) == ["6 tháng đầu", "năm 2026"]
    assert charts.wrap("Chi bộ 1", 200) == ["Chi bộ 1"]
    assert charts.wrap("a " * 60, 50, lines=2)[-1].endswith("…")


def test_the_trend_draws_a_column_per_period_with_its_name_in_words_and_its_target():
    svg = _trend(6, gap=2)
    assert len(re.findall(r'<g class="column ', svg)) == 6
    assert len(re.findall(r'<rect class="bar"', svg)) == 5  # the period without figures has no column
    assert "chưa có" in re.search(r'<g class="column no-data">.*?</g>', svg).group(0)
    assert "6 tháng đầu" in svg and "năm 2024" in svg  # wrapped onto two lines within its slot
    assert len(re.findall(r'<line class="target"', svg)) == 6 and "Chỉ tiêu ≥ 80 %" in svg
    assert re.match(r'<svg [^>]*role="img"[^>]*aria-labelledby="t1-title t1-desc"', svg)


def test_the_svg_loads_no_script_and_no_style_sheet_from_anywhere():
    for svg in (_bar_chart(), _trend(4)):
        assert svg.startswith("<svg")  # no XML declaration: it sits inside the page
        assert "<script" not in svg and "xml-stylesheet" not in svg and "@import" not in svg
        assert not re.search(r"(?:href|src)\s*=\s*[\"']?https?://", svg)
        assert _external_references(svg) == []


def test_names_are_escaped_inside_the_svg():
    svg = _bar_chart([_bar("<b>STP</b>", 50, None)], targets=())
    assert "<b>" not in svg and "&lt;b&gt;" in svg


def test_on_a_phone_names_go_above_their_bars_and_the_target_marks_each_bar():
    bars = charts.sort_bars([_bar(LONG, 70, False), _bar("Chi bộ 2", 90, True), _bar("Chi bộ 3", None, None)])
    targets = [charts.TargetLine(Decimal(80), "Chỉ tiêu ≥ 80 %")]
    svg = charts.bar_chart(
        bars, chart_id="n", title="T", description="D", targets=targets, layout=charts.NARROW
    )
    assert 'viewBox="0 0 380 ' in svg
    row = re.search(r'<g class="row not-met">.*?</g>', svg).group(0)
    name = re.search(r'<text x="([0-9.]+)" y="([0-9.]+)" text-anchor="start"[^>]*><tspan', row)
    bar = re.search(r'<rect class="bar" x="([0-9.]+)" y="([0-9.]+)"', row)
    assert float(name[1]) == float(bar[1]) and float(name[2]) < float(bar[2])  # above, aligned on the left
    target = re.search(r'<g class="target">.*?</g>', svg).group(0)
    assert target.count("<line") == 1 + 2  # under its label, then across each of the two bars drawn
