"""Template filters for Vietnamese number conventions: 1.673 and 73,5 %."""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def number(value, decimals=0):
    """A number with the active language's separators: 1673 -> "1.673" in Vietnamese."""
    if value is None or value == "":
        return ""
    try:
        return number_format(Decimal(str(value)), int(decimals), use_l10n=True, force_grouping=True)
    except (InvalidOperation, ValueError):
        return value


@register.filter
def percent(value, decimals=1):
    """A percentage already scaled to 0–100: 73.5 -> "73,5 %" (the trailing ",0" is dropped)."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value)).quantize(Decimal(1).scaleb(-int(decimals)))
    except (InvalidOperation, ValueError):
        return value
    places = int(decimals) if amount != amount.to_integral_value() else 0
    return f"{number_format(amount, places, use_l10n=True, force_grouping=True)} %"
