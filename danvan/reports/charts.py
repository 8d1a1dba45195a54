"""Charts of the dashboards, drawn on the server as SVG by pygal.

The SVG is self-contained: no JavaScript (pygal's configuration script is left out), no style
sheet or script fetched from anywhere, no XML declaration (it is embedded in the page). Labels use
the Vietnamese number conventions (73,5 %); a bar or point is green where its unit meets its
target, red where it does not and grey where no target applies.
"""

import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import pygal
from pygal.style import Style

from danvan.core.templatetags.vn import number, percent

from .models import Indicator

MET_COLOUR = "#1e7d32"
NOT_MET_COLOUR = "#c62828"
NO_TARGET_COLOUR = "#7d8794"
TARGET_COLOUR = "#f9a825"

# pygal's configuration script and its comments (which name its web site) are left out.
_STRIPPED = re.compile(r"<script\b[^>]*?(?:/>|>.*?</script>)|<!--.*?-->", re.DOTALL)

_STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1f2933",
    foreground_strong="#1f2933",
    foreground_subtle="#b8c0cc",
    colors=(NO_TARGET_COLOUR, TARGET_COLOUR),
    font_family='"Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", Arial, sans-serif',
    label_font_size=12,
    major_label_font_size=12,
    value_font_size=12,
    legend_font_size=12,
    title_font_size=14,
    guide_stroke_color="#e1e5ea",
    major_guide_stroke_color=TARGET_COLOUR,
    major_guide_stroke_dasharray="6,3",
)


@dataclass
class Point:
    """One bar or one point: its label, value (None: no figure), and whether it meets its target."""

    label: str
    value: Fraction | None
    met: bool | None


def format_value(value, indicator: Indicator) -> str:
    """A value as the dashboards print it: "73,5 %" for a rate, "1.673" otherwise."""
    if value is None:
        return "—"
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    if indicator.unit_label == "%":
        return percent(Decimal(str(value)), indicator.decimals)
    return f"{number(Decimal(str(value)), indicator.decimals)} {indicator.unit_label}".strip()


def colour(met: bool | None) -> str:
    return {True: MET_COLOUR, False: NOT_MET_COLOUR}.get(met, NO_TARGET_COLOUR)


def _config(indicator: Indicator, title: str, **extra) -> dict:
    return {
        "title": title,
        "style": _STYLE,
        "js": [],
        "disable_xml_declaration": True,
        "explicit_size": False,
        "width": 760,
        "height": 380,
        "show_legend": False,
        "print_values": True,
        "value_formatter": lambda v: format_value(v, indicator),
        "formatter": lambda v: format_value(v, indicator),
        "range": (0, None),
        "include_x_axis": True,
        "truncate_label": 24,
        "x_label_rotation": 20,
        **extra,
    }


def _render(chart) -> str:
    return _STRIPPED.sub("", chart.render(is_unicode=True))


def _y_labels(points: list[Point], targets: list[Decimal], indicator: Indicator) -> tuple[list, list]:
    """Axis labels that include each target value, the targets drawn as major (dashed) guides."""
    top = max([float(p.value) for p in points if p.value is not None] + [float(t) for t in targets] + [1.0])
    step = _nice_step(top)
    ticks = [step * i for i in range(int(top / step) + 2)]
    labels = [
        {"label": format_value(t, indicator), "value": t}
        for t in ticks
        if float(t) not in {float(x) for x in targets}
    ]
    labels += [{"label": format_value(t, indicator), "value": float(t)} for t in targets]
    return sorted(labels, key=lambda item: item["value"]), [float(t) for t in targets]


def _nice_step(top: float) -> float:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if top / step <= 8:
            return step
    return 10 ** len(str(int(top)))


def bar_chart(points: list[Point], indicator: Indicator, *, title: str, targets: list[Decimal]) -> str:
    """One bar per point, coloured by whether it meets its target; each distinct target a dashed line."""
    labels, majors = _y_labels(points, targets, indicator)
    chart = pygal.Bar(
        **_config(indicator, title, y_labels=labels, y_labels_major=majors, show_minor_y_labels=True)
    )
    chart.x_labels = [p.label for p in points]
    chart.add(
        indicator.name,
        [
            {
                "value": float(p.value) if p.value is not None else None,
                "color": colour(p.met),
                "label": p.label,
            }
            for p in points
        ],
    )
    return _render(chart)


def line_chart(
    points: list[Point],
    indicator: Indicator,
    *,
    title: str,
    target_values: list[Decimal | None],
    target_title: str,
) -> str:
    """The trend: one point per period (coloured by attainment) and the target of each period."""
    targets = sorted({t for t in target_values if t is not None})
    labels, _majors = _y_labels(points, targets, indicator)
    chart = pygal.Line(
        **_config(indicator, title, y_labels=labels, show_legend=True, legend_at_bottom=True, dots_size=5)
    )
    chart.x_labels = [p.label for p in points]
    chart.add(
        indicator.name,
        [{"value": float(p.value) if p.value is not None else None, "color": colour(p.met)} for p in points],
        stroke_style={"width": 3},
    )
    if targets:
        chart.add(
            target_title,
            [float(t) if t is not None else None for t in target_values],
            stroke_style={"width": 2, "dasharray": "6,3"},
            show_dots=False,
            print_values=False,
        )
    return _render(chart)
