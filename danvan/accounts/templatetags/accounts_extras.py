"""Template filters for the account pages (the lockout page gets a timedelta from django-axes)."""

import datetime
import math

from django import template
from django.utils import timezone

from danvan.core.dates import moment_text

register = template.Library()


@register.filter
def minutes(value: datetime.timedelta) -> int:
    """Whole minutes in a duration, rounded up: a 90-second wait reads as 2 minutes."""
    return math.ceil(value.total_seconds() / 60)


@register.filter
def from_now(value: datetime.timedelta) -> str:
    """The local time `value` from now, as "H:i d/m/Y"."""
    return moment_text(timezone.now() + value)


@register.filter
def administrator(user) -> bool:
    """Is `user` an administrator (who may set up two-step sign-in)? The policy decides."""
    from danvan.accounts import policy

    return policy.is_administrator(user)
