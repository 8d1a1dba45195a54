"""Template filters of the audit browser: `record_type` names a model label in words, `action_label`
and `sentence` say what was done."""

from django import template

from danvan.administration import audit_display

register = template.Library()


@register.filter
def record_type(label: str) -> str:
    """`{{ event.model|record_type }}`: "orgs.unit" -> "Đơn vị"."""
    return audit_display.record_type(label)


@register.filter
def action_label(event) -> str:
    """`{{ event|action_label }}`: "Duyệt báo cáo", "Tạo mới"."""
    return audit_display.action_label(event)


@register.filter
def sentence(event) -> str:
    """`{{ event|sentence }}`: "Duyệt báo cáo Đảng ủy Sở Tư pháp – 6 tháng đầu năm 2026"."""
    return audit_display.sentence(event)
