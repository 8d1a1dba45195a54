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


@register.filter
def second_factor_pending(user, session) -> bool:
    """Is signed-in `user` held at the second step of signing in (the code, or enrolling)? Then every
    link of the menu leads back there, so the page shows none (nor the counts of work to do)."""
    from danvan.accounts import second_factor

    if not getattr(user, "is_authenticated", False):
        return False
    return second_factor.step_needed(user, session if hasattr(session, "get") else None) is not None
