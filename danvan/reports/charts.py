"""Charts of the dashboards and the ranking page, drawn on the server as plain SVG.

Every chart is one self-contained `<svg>`: no script, no style sheet, nothing fetched from
anywhere, and an accessible name (`role="img"`, `aria-labelledby` its `<title>` and `<desc>`); the
page prints the same figures in a table beside it. Attainment is shown twice, by colour (green:
met, red: not met, grey: no target) and by a cue that survives black-and-white printing and colour
blindness: a hatched bar and "✗" where the target is not met, a solid bar and "✓" where it is.
Units or periods without a figure say "chưa có số liệu" and are never drawn as zero.

The server has no font metrics, so text widths are estimated: labels are wrapped onto lines and cut
with "…" beyond them, the full text kept in a `<title>` that browsers show on hover. Values sit in a
column (a row under the trend) of their own, so they never run into bars, labels or target lines.
Labels use the Vietnamese number conventions (73,5 %).
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.utils.html import escape
from django.utils.translation import gettext as _

from danvan.core.templatetags.vn import number, percent

MET_COLOUR = "#1e7d32"
NOT_MET_COLOUR = "#c62828"
NO_TARGET_COLOUR = "#7d8794"
TARGET_COLOUR = "#1f2933"  # dark, so the target line stays visible in black and white
GRID_COLOUR = "#e1e5ea"
TEXT_COLOUR = "#1f2933"
MUTED_COLOUR = "#52606d"
FONT = 12
CHAR_WIDTH = 0.6 * FONT  # a generous estimate of a character's width in the sans-serif fonts we name
FONTS = '"Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", Arial, sans-serif'
WIDTH = 760

MET_MARK, NOT_MET_MARK = "✓", "✗"


def format_value(value, indicator) -> str:
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


def mark(met: bool | None) -> str:
    """The second cue of attainment, beside the colour: ✓ met, ✗ not met, nothing without a target."""
    return {True: MET_MARK, False: NOT_MET_MARK}.get(met, "")


def no_data_text() -> str:
    return _("no figures yet")


# ---------------------------------------------------------------- what a chart is given


@dataclass
class Bar:
    """One unit of the horizontal bar chart."""

    label: str
    value: Fraction | None  # None: the unit has no figure (listed last, no bar)
    met: bool | None
    value_text: str
    target_text: str = ""  # the unit's own target ("≥ 100 %"), said in the bar's tooltip


@dataclass
class Column:
    """One period of the trend."""

    label: str  # the period in words
    value: Fraction | None
    met: bool | None
    value_text: str
    target: Fraction | Decimal | None = None
    target_text: str = ""


@dataclass
class TargetLine:
    value: Fraction | Decimal
    text: str  # "Chỉ tiêu ≥ 100 %"


def sort_bars(bars: Sequence[Bar]) -> list[Bar]:
    """Highest value first; those without a figure last, in the order they came (the caller's)."""
    with_value = [bar for bar in bars if bar.value is not None]
    without = [bar for bar in bars if bar.value is None]
    return sorted(with_value, key=lambda bar: bar.value, reverse=True) + without  # type: ignore[arg-type, return-value]


# ---------------------------------------------------------------- text helpers


def wrap(text: str, width: float, lines: int = 2, size: float = FONT) -> list[str]:
    """`text` in at most `lines` lines of about `width` pixels, cut with "…" when it does not fit."""
    limit = max(4, int(width / (0.6 * size)))
    result: list[str] = []
    words = text.split()
    current = ""
    for index, word in enumerate(words):
        candidate = f"{current} {word}".strip()
        if len(candidate) <= limit:
            current = candidate
            continue
        if current:
            result.append(current)
        current = word
        if len(result) == lines:
            current = ""
            result[-1] = _cut(" ".join([result[-1], *words[index:]]), limit)
            break
    if current:
        result.append(current)
    if len(result) > lines:
        result = [*result[: lines - 1], _cut(" ".join(result[lines - 1 :]), limit)]
    return [_cut(line, limit) for line in result] or [""]


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _text(x: float, y: float, lines: Sequence[str], *, anchor="start", size=FONT, extra="") -> str:
    """A <text> of one or more lines (tspans), the first line's baseline at `y`."""
    if len(lines) == 1:
        return (
            f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}"{extra}>'
            f"{escape(lines[0])}</text>"
        )
    spans = "".join(
        f'<tspan x="{x:.1f}" dy="{0 if i == 0 else size + 2}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}"{extra}>{spans}</text>'


def _nice_top(top: float) -> tuple[float, float]:
    """The scale's end and its step: 100 and 20 for rates up to 100, round numbers otherwise."""
    top = max(top, 1.0)
    magnitude = 10 ** math.floor(math.log10(top))
    for multiple in (1, 2, 2.5, 5, 10):
        step = multiple * magnitude / 5
        if step * 5 >= top:
            return step * 5, step
    return 10 * magnitude, 2 * magnitude  # pragma: no cover - the loop always returns


def _svg(
    chart_id: str, height: float, title: str, description: str, body: list[str], width: int = WIDTH
) -> str:
    hatch = (
        f'<pattern id="{chart_id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse"'
        f' patternTransform="rotate(45)"><rect width="6" height="6" fill="{NOT_MET_COLOUR}"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="#ffffff" stroke-width="2.5"/></pattern>'
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height:.0f}" role="img"'
        f' aria-labelledby="{chart_id}-title {chart_id}-desc" class="chart-svg" id="{chart_id}"'
        f" font-family='{FONTS}' fill=\"{TEXT_COLOUR}\">"
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>'
        f"<defs>{hatch}</defs>" + "".join(body) + "</svg>"
    )


def _fill(chart_id: str, met: bool | None) -> str:
    return f"url(#{chart_id}-hatch)" if met is False else colour(met)


def _swatch(chart_id: str, x: float, y: float, met: bool | None) -> str:
    return (
        f'<rect x="{x:.1f}" y="{y - 10:.1f}" width="14" height="12" fill="{_fill(chart_id, met)}"'
        f' stroke="{colour(met)}"/>'
    )


def _legend(
    chart_id: str, y: float, *, targets: bool, no_target: bool, width: int = WIDTH
) -> tuple[list[str], float]:
    """The legend, laid out left to right and onto further lines when it does not fit; its height."""
    items: list[tuple[str, str]] = [
        ("met", f"{MET_MARK} " + _("Target met")),
        ("not-met", f"{NOT_MET_MARK} " + _("Target not met")),
    ]
    if no_target:
        items.append(("none", _("No target")))
    if targets:
        items.append(("target", _("Target")))
    body, x, line = [], 8.0, 0
    for kind, text in items:
        item = 22 + len(text) * CHAR_WIDTH + 18
        if x + item > width and x > 8:
            x, line = 8.0, line + 1
        top = y + line * 20
        if kind == "target":
            body.append(
                f'<line x1="{x:.1f}" y1="{top - 4:.1f}" x2="{x + 16:.1f}" y2="{top - 4:.1f}"'
                f' stroke="{TARGET_COLOUR}" stroke-width="2" stroke-dasharray="5,3"/>'
            )
        else:
            body.append(_swatch(chart_id, x, top, {"met": True, "not-met": False}.get(kind)))
        body.append(_text(x + 22, top, [text]))
        x += item
    return ['<g class="legend">', *body, "</g>"], (line + 1) * 20


# ---------------------------------------------------------------- per-unit horizontal bars


@dataclass(frozen=True)
class Layout:
    """Where the parts of a bar chart go: names left of the bars (wide) or above them (narrow)."""

    width: int
    label_right: float | None  # names end here, right-aligned; None: each name on its own line above its bar
    plot_left: float
    plot_right: float
    value_left: float  # the values' own column
    row: float


LABEL_RIGHT = 236
WIDE = Layout(width=WIDTH, label_right=LABEL_RIGHT, plot_left=246, plot_right=590, value_left=602, row=38)
NARROW = Layout(width=380, label_right=None, plot_left=8, plot_right=290, value_left=298, row=64)  # phones
BAR = 20


def bar_chart(
    bars: Sequence[Bar],
    *,
    chart_id: str,
    title: str,
    description: str,
    targets: Sequence[TargetLine] = (),
    scale_from: Sequence[Bar] = (),
    layout: Layout = WIDE,
) -> str:
    """Horizontal bars in the order given (see `sort_bars`), a dashed line per distinct target, a legend.
    `scale_from`: the bars whose values set the scale, when this chart is one part of a longer one;
    `layout`: `WIDE`, or `NARROW` for a phone (names above the bars)."""
    ly = layout
    values = [float(bar.value) for bar in (*bars, *scale_from) if bar.value is not None]
    top, step = _nice_top(max([*values, *(float(t.value) for t in targets), 0.0]))
    scale = (ly.plot_right - ly.plot_left) / top
    header = 10 + 18 * len(targets)
    plot_top = header + 6
    plot_bottom = plot_top + ly.row * len(bars)
    body: list[str] = []
    ticks = [step * i for i in range(round(top / step) + 1)]
    for tick in ticks:  # grid and the axis below the bars
        x = ly.plot_left + tick * scale
        body.append(
            f'<line x1="{x:.1f}" y1="{plot_top}" x2="{x:.1f}" y2="{plot_bottom}" stroke="{GRID_COLOUR}"/>'
        )
        label = _tick_text(tick, [*(b.value_text for b in bars), *(t.text for t in targets)])
        body.append(
            _text(
                max(x, ly.plot_left + 10),
                plot_bottom + 16,
                [label],
                anchor="middle",
                size=11,
                extra=f' fill="{MUTED_COLOUR}"',
            )
        )
    for index, bar in enumerate(bars):
        body.append(_bar_row(bar, chart_id, plot_top + index * ly.row, scale, ly))
    shift = {"end": 4.0, "start": -4.0, "middle": 0.0}  # the label starts or ends just past its line
    for index, target in enumerate(targets):
        x = ly.plot_left + float(target.value) * scale
        anchor = "end" if x > ly.plot_right - 60 else ("start" if x < ly.plot_left + 60 else "middle")
        dashes = f' stroke="{TARGET_COLOUR}" stroke-width="2" stroke-dasharray="6,4"'
        if ly.label_right is None:  # narrow: names run across the plot, so the target marks each bar only
            spans = [
                (plot_top + i * ly.row + ly.row - BAR - 10, plot_top + (i + 1) * ly.row - 2)
                for i, drawn in enumerate(bars)
                if drawn.value is not None
            ]
            lines = [(26.0 + 18 * index, 30.0 + 18 * index), *spans]
        else:
            lines = [(26.0 + 18 * index, float(plot_bottom))]
        body.append(
            '<g class="target">'
            + "".join(
                f'<line x1="{x:.1f}" y1="{y1:.1f}" x2="{x:.1f}" y2="{y2:.1f}"{dashes}/>' for y1, y2 in lines
            )
            + _text(
                shift[anchor] + x, 22 + 18 * index, [target.text], anchor=anchor, extra=' font-weight="600"'
            )
            + "</g>"
        )
    legend, legend_height = _legend(
        chart_id,
        plot_bottom + 44,
        targets=bool(targets),
        no_target=any(bar.met is None and bar.value is not None for bar in bars),
        width=ly.width,
    )
    height = plot_bottom + 44 + legend_height
    return _svg(chart_id, height, title, description, body + legend, width=ly.width)


PRINT_ROWS = 22  # bars per part of a chart on paper: a part fits an A4 page


def bar_chart_parts(
    bars: Sequence[Bar], *, chart_id: str, title: str, targets: Sequence[TargetLine] = ()
) -> list[str]:
    """The chart cut into parts that each fit a printed page, on one scale (the print version)."""
    chunks = [bars[start : start + PRINT_ROWS] for start in range(0, len(bars), PRINT_ROWS)]
    return [
        bar_chart(
            chunk,
            chart_id=f"{chart_id}-part{index}",
            title=_("%(title)s (part %(part)s of %(parts)s)")
            % {"title": title, "part": index, "parts": len(chunks)},
            description=_("The same figures as the table below."),
            targets=targets,
            scale_from=bars,
        )
        for index, chunk in enumerate(chunks, start=1)
    ]


def _tick_text(tick: float, texts: Sequence[str]) -> str:
    """The axis label of `tick`, in % when the values or targets shown are rates."""
    rate = any(text.endswith("%") for text in texts)
    text = number(Decimal(str(tick)), 0 if tick == int(tick) else 1)
    return f"{text} %" if rate else text


def _bar_row(bar: Bar, chart_id: str, top: float, scale: float, ly: Layout = WIDE) -> str:
    parts = [f'<g class="row {_row_class(bar)}">', f"<title>{escape(_row_title(bar))}</title>"]
    if ly.label_right is None:  # narrow: the name on up to two lines above the bar
        middle = top + ly.row - 6 - BAR / 2
        parts.append(_text(ly.plot_left, top + FONT + 2, wrap(bar.label, ly.width - 2 * ly.plot_left)))
    else:
        middle = top + ly.row / 2
        label_lines = wrap(bar.label, ly.label_right - 8)
        first = middle + 4 - (len(label_lines) - 1) * (FONT + 2) / 2
        parts.append(_text(ly.label_right, first, label_lines, anchor="end"))
    if bar.value is None:
        parts.append(
            _text(
                ly.plot_left + 6,
                middle + 4,
                [no_data_text()],
                extra=f' font-style="italic" fill="{MUTED_COLOUR}"',
            )
        )
        parts.append(_text(ly.value_left, middle + 4, ["—"], extra=f' fill="{MUTED_COLOUR}"'))
    else:
        width = max(float(bar.value) * scale, 0.0)
        parts.append(
            f'<rect class="bar" x="{ly.plot_left}" y="{middle - BAR / 2:.1f}" width="{width:.1f}" height="{BAR}"'
            f' fill="{_fill(chart_id, bar.met)}" stroke="{colour(bar.met)}"/>'
        )
        value = f"{bar.value_text} {mark(bar.met)}".strip()
        parts.append(_text(ly.value_left, middle + 4, [value], extra=' font-weight="600"'))
    parts.append("</g>")
    return "".join(parts)


def _row_class(bar: Bar) -> str:
    if bar.value is None:
        return "no-data"
    return {True: "met", False: "not-met"}.get(bar.met, "no-target")


def _row_title(bar: Bar) -> str:
    if bar.value is None:
        return f"{bar.label}: {no_data_text()}"
    parts = [f"{bar.label}: {bar.value_text}"]
    if bar.target_text:
        parts.append(_("target %(target)s") % {"target": bar.target_text})
    if bar.met is not None:
        parts.append(_("met") if bar.met else _("not met"))
    return " — ".join(parts)


# ---------------------------------------------------------------- the trend: a column per period

AXIS_LEFT, AXIS_RIGHT = 64, 620  # the target's label has the margin on the right
PLOT_TOP, PLOT_HEIGHT = 16, 220


def column_chart(columns: Sequence[Column], *, chart_id: str, title: str, description: str) -> str:
    """A column per period (oldest first), the target of each period a dashed step, values underneath."""
    values = [float(c.value) for c in columns if c.value is not None]
    targets = [float(c.target) for c in columns if c.target is not None]
    top, step = _nice_top(max([*values, *targets, 0.0]))
    scale = PLOT_HEIGHT / top
    bottom = PLOT_TOP + PLOT_HEIGHT
    slot = (AXIS_RIGHT - AXIS_LEFT) / max(len(columns), 1)
    width = min(56.0, slot * 0.6)
    body: list[str] = []
    rate = any(c.value_text.endswith("%") for c in columns)
    for tick in [step * i for i in range(round(top / step) + 1)]:
        y = bottom - tick * scale
        body.append(
            f'<line x1="{AXIS_LEFT}" y1="{y:.1f}" x2="{AXIS_RIGHT}" y2="{y:.1f}" stroke="{GRID_COLOUR}"/>'
        )
        text = number(Decimal(str(tick)), 0 if tick == int(tick) else 1) + (" %" if rate else "")
        body.append(
            _text(AXIS_LEFT - 6, y + 4, [text], anchor="end", size=11, extra=f' fill="{MUTED_COLOUR}"')
        )
    label_lines = max((len(wrap(c.label, slot - 6, 3)) for c in columns), default=1)
    for index, column in enumerate(columns):
        body.append(_column(column, chart_id, AXIS_LEFT + index * slot, slot, width, scale, bottom))
    last_target = next((c for c in reversed(columns) if c.target is not None), None)
    if last_target is not None:
        y = bottom - float(last_target.target) * scale  # type: ignore[arg-type]
        label = wrap(_("Target %(target)s") % {"target": last_target.target_text}, WIDTH - AXIS_RIGHT - 12)
        body.append(_text(AXIS_RIGHT + 8, y + 4, label, extra=' font-weight="600"'))
    legend_top = bottom + 24 + label_lines * (FONT + 2) + 24
    legend, legend_height = _legend(
        chart_id,
        legend_top,
        targets=last_target is not None,
        no_target=any(c.met is None and c.value is not None for c in columns),
    )
    return _svg(chart_id, legend_top + legend_height, title, description, body + legend)


def _column(
    column: Column, chart_id: str, left: float, slot: float, width: float, scale: float, bottom: float
) -> str:
    centre = left + slot / 2
    parts = [f'<g class="column {_column_class(column)}"><title>{escape(_column_title(column))}</title>']
    if column.value is None:
        lines = wrap(no_data_text(), slot - 8, 3, size=11)
        parts.append(
            _text(
                centre,
                bottom - 8 - (len(lines) - 1) * 13,
                lines,
                anchor="middle",
                size=11,
                extra=f' font-style="italic" fill="{MUTED_COLOUR}"',
            )
        )
        parts.append(_text(centre, bottom + 18, ["—"], anchor="middle", extra=f' fill="{MUTED_COLOUR}"'))
    else:
        height = max(float(column.value) * scale, 0.0)
        parts.append(
            f'<rect class="bar" x="{centre - width / 2:.1f}" y="{bottom - height:.1f}" width="{width:.1f}"'
            f' height="{height:.1f}" fill="{_fill(chart_id, column.met)}" stroke="{colour(column.met)}"/>'
        )
        value = f"{column.value_text} {mark(column.met)}".strip()
        parts.append(
            _text(centre, bottom + 18, wrap(value, slot - 4, 1), anchor="middle", extra=' font-weight="600"')
        )
    if column.target is not None:
        y = bottom - float(column.target) * scale
        parts.append(
            f'<line class="target" x1="{left + 2:.1f}" y1="{y:.1f}" x2="{left + slot - 2:.1f}" y2="{y:.1f}"'
            f' stroke="{TARGET_COLOUR}" stroke-width="2" stroke-dasharray="6,4"/>'
        )
    parts.append(_text(centre, bottom + 36, wrap(column.label, slot - 6, 3), anchor="middle"))
    parts.append("</g>")
    return "".join(parts)


def _column_class(column: Column) -> str:
    if column.value is None:
        return "no-data"
    return {True: "met", False: "not-met"}.get(column.met, "no-target")


def _column_title(column: Column) -> str:
    return _row_title(Bar(column.label, column.value, column.met, column.value_text, column.target_text))
