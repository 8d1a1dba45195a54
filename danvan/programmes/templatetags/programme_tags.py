"""Small filters of the action programme pages."""

from django import template

from danvan.programmes.models import STATUS_BADGES, State

register = template.Library()


@register.filter
def absolute(value):
    """|n|: "-12" days left is shown as "12 days overdue"."""
    try:
        return abs(int(value))
    except (TypeError, ValueError):
        return value


@register.inclusion_tag("programmes/_status.html")
def status_badge(status: str) -> dict:
    """The badge of an occurrence's status (`models.STATUS_BADGES`); none yet reads as not started."""
    style, label = STATUS_BADGES.get(status, STATUS_BADGES[State.NOT_STARTED])
    return {"style": style, "label": label}
