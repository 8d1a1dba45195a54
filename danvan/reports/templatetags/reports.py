"""Template filters for indicator values: "73,5 %", or "—" where there is no value."""

from decimal import Decimal
from fractions import Fraction

from django import template

from danvan.core.templatetags.vn import number, percent

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
