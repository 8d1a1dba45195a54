"""Points as a reader writes them: 7,5 and 92 (not 7,50 and 92,00)."""

from decimal import Decimal, InvalidOperation

from django import template

from danvan.core.templatetags.vn import number

register = template.Library()


@register.filter
def points(value):
    if value is None or value == "":
        return "—"
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return value
    return number(
        amount,
        0
        if amount == amount.to_integral_value()
        else (1 if amount * 10 == (amount * 10).to_integral_value() else 2),
    )
