"""Small filters of the action programme pages."""

from django import template

register = template.Library()


@register.filter
def absolute(value):
    """|n|: "-12" days left is shown as "12 days overdue"."""
    try:
        return abs(int(value))
    except (TypeError, ValueError):
        return value
