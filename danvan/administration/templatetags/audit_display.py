"""Template filters of the audit browser: `record_type` names a model label in words."""

from django import template

from danvan.audit import selectors

register = template.Library()


@register.filter
def record_type(label: str) -> str:
    """`{{ event.model|record_type }}`: "orgs.unit" -> "Đơn vị"."""
    return selectors.record_type(label)
