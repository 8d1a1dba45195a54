"""Template filters for indicator values ("73,5 %", or "—" where there is no value) and periods in words."""

from decimal import Decimal
from fractions import Fraction

from django import template

from danvan.core.templatetags.vn import number, percent
from danvan.reports import periods

register = template.Library()


@register.filter
def indicator_value(value: Fraction | None, indicator) -> str:
    """An indicator value in the indicator's unit: 73,5 % for a rate, 1.673 otherwise."""
    if value is None:
        return "—"
    decimal = Decimal(value.numerator) / Decimal(value.denominator)
    if indicator.unit_label == "%":
        return percent(decimal, indicator.decimals)
    shown = number(decimal, indicator.decimals)
    return f"{shown} {indicator.unit_label}".strip()


@register.filter
def target_text(target) -> str:
    """ "≥ 80 %" for a target."""
    if target is None:
        return "—"
    value = (
        percent(target.value, target.indicator.decimals)
        if target.indicator.unit_label == "%"
        else number(target.value)
    )
    return f"{target.get_comparator_display()} {value}"


@register.filter
def period_words(period) -> str:
    """A period (a `Period` or its code) in words: "6 tháng đầu năm 2026", "Quý III/2026"."""
    return periods.period_words(period)


@register.filter
def period_dated(period) -> str:
    """A period in words with its dates: "6 tháng đầu năm 2026 (01/01/2026 – 30/06/2026)"."""
    return periods.period_words(period, dated=True)
