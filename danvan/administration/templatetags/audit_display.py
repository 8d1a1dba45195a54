"""Template filters of the audit browser: `record_type` names a model label in words."""

from django import template

from danvan.administration import audit_display

register = template.Library()


@register.filter
def record_type(label: str) -> str:
    """`{{ event.model|record_type }}`: "orgs.unit" -> "Đơn vị"."""
    return audit_display.record_type(label)
