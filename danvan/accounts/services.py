"""Writes to accounts: users and their role assignments. Every role change is audited."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from danvan.audit.models import AuditEvent
from danvan.audit.services import record
from danvan.orgs.models import Unit

from . import policy
from .models import Role, RoleAssignment, User


@transaction.atomic
def role_grant(*, user: User, unit: Unit, role: str, by: User | None) -> RoleAssignment:
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    if unit.valid_to is not None:
        raise ValidationError({"unit": _("Unit %(code)s is dissolved.") % {"code": unit.code}})
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, unit=unit, role=role, defaults={"granted_by": by}
    )
    if not created:
        raise ValidationError(_("%(user)s already holds this role at %(unit)s.") % {"user": user, "unit": unit.code})
    record(
        action=AuditEvent.Action.ROLE_GRANT,
        instance=assignment,
        unit=unit,
        changes={"user": user.username, "role": [None, role], "unit": unit.code},
    )
    policy.forget(user)
    return assignment


@transaction.atomic
def role_revoke(*, assignment: RoleAssignment, by: User | None) -> None:
    record(
        action=AuditEvent.Action.ROLE_REVOKE,
        instance=assignment,
        unit=assignment.unit,
        changes={"user": assignment.user.username, "role": [assignment.role, None], "unit": assignment.unit.code},
    )
    user = assignment.user
    assignment.delete()
    policy.forget(user)
