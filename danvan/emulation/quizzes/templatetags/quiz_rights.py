"""What the person reading a quiz's pages may do with it, asked of the policy from the template (the
pages' views stay as they are): `{% quiz_rights quiz as rights %}` then `rights.change`, `rights.close`."""

from django import template
from django.utils import timezone

from danvan.accounts import policy
from danvan.accounts.policy import Perm

register = template.Library()


@register.simple_tag(takes_context=True)
def quiz_rights(context, quiz) -> dict[str, bool]:
    """change: the signed-in user holds EMULATION_MANAGE at the quiz's unit; close: and it is not closed."""
    request = context.get("request")
    user = getattr(request, "user", None)
    change = bool(
        user is not None and user.is_authenticated and policy.can(user, Perm.EMULATION_MANAGE, quiz.unit)
    )
    return {"change": change, "close": change and quiz.closes_on >= timezone.localdate()}
