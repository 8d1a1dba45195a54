"""User and role administration, the audit-log browser and their API in the permission matrix."""

from danvan.accounts.models import Role, RoleAssignment, User
from danvan.accounts.policy import Perm
from danvan.core.testing.matrix import EXPORT, Made


def member(world, unit):
    """A user holding a role in `unit` only: managed by the administrators of that unit's subtree."""
    name = f"matrix_member_{unit.code.lower()}"
    user = User.objects.create_user(username=name, password="mat-khau-thu-nghiem-1")
    RoleAssignment.objects.create(user=user, unit=unit, role=Role.VIEWER)
    return Made({"pk": user.pk}, marker=name)


def assignment(world, unit):
    made = member(world, unit)
    return Made({"pk": RoleAssignment.objects.get(user_id=made.kwargs["pk"]).pk}, marker=made.marker)


def event(world, unit):
    from danvan.audit.models import AuditEvent

    marker = f"matrix-event-{unit.code}"
    record = AuditEvent.objects.create(
        action="update",
        unit_id=unit.pk,
        unit_code=unit.code,
        unit_path=unit.path,
        model="orgs.unit",
        object_id=str(unit.pk),
        object_repr=marker,
    )
    return Made({"pk": record.pk}, marker=marker)


def register(matrix):
    manage = Perm.ROLE_MANAGE
    gate = frozenset({403})  # the pages ask for the right somewhere before looking anything up
    matrix.listing("administration:user_list", perm=manage, make=member, lacking=gate)
    matrix.listing("administration:user_create", perm=manage, lacking=gate)
    matrix.read("administration:user_detail", perm=manage, make=member, lacking=gate)
    matrix.write_only("administration:user_set_active", perm=manage, make=member, note="POST: lock or unlock")
    matrix.write_only("administration:role_revoke", perm=manage, make=assignment, note="POST: revoke a role")

    audit = Perm.AUDIT_VIEW
    matrix.listing("audit:list", perm=audit, make=event, lacking=gate)
    matrix.read("audit:detail", perm=audit, make=event, lacking=gate)
    matrix.listing("audit:export_csv", perm=audit, make=event, writes=EXPORT, lacking=gate)
    matrix.listing("audit:export_xlsx", perm=audit, writes=EXPORT, lacking=gate)

    matrix.read("api-me", perm=None)
    matrix.listing("user-list", perm=manage, make=member)
    matrix.listing("role-assignment-list", perm=None)
    matrix.write_only("role-assignment-detail", perm=manage, make=assignment, note="DELETE: revoke a role")
    matrix.listing("audit-event-list", perm=audit, make=event)
    matrix.read("audit-event-detail", perm=audit, make=event)
