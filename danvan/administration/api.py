"""The accounts API: the signed-in user, the users a role manager looks after, and role assignments.

Role assignments are read within the subtrees where the user holds `Perm.ROLE_MANAGE` (plus their
own), granted and revoked through `administration.services` (which audit every change), and only at
units where the user holds `Perm.ROLE_MANAGE`. A unit the user may not even view is answered like
a code that does not exist (400, "no unit with code"); one they view but do not manage, 403.
"""

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.response import Response

from danvan.accounts import policy
from danvan.accounts.models import Role, RoleAssignment, User
from danvan.accounts.permissions import HoldsPerm, obtain
from danvan.accounts.policy import Perm
from danvan.audit.api import AuditedAPIView, AuditedViewSet
from danvan.core.api import as_id, body, query_params
from danvan.orgs.api.serializers import UnitCodeField
from danvan.orgs.models import Unit
from danvan.orgs.selectors import in_subtree, unit_by_code

from . import services

# --- serializers --------------------------------------------------------------------------------


class UserRefOutput(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    full_name = serializers.CharField()


class RoleOutput(serializers.Serializer):
    id = serializers.IntegerField()
    role = serializers.CharField()
    role_display = serializers.CharField(source="get_role_display")
    unit_code = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")


class RoleAssignmentOutput(RoleOutput):
    user = UserRefOutput()
    granted_by = serializers.CharField(source="granted_by.username", allow_null=True)
    granted_at = serializers.DateTimeField()


class ScopeOutput(serializers.Serializer):
    unit_code = serializers.CharField(allow_null=True, help_text=_("Empty: everywhere."))
    unit_name = serializers.CharField(allow_null=True)
    permissions = serializers.ListField(child=serializers.ChoiceField(choices=[p.value for p in Perm]))


class MeOutput(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    full_name = serializers.CharField()
    email = serializers.EmailField()
    is_superuser = serializers.BooleanField()
    roles = RoleOutput(many=True)
    scopes = ScopeOutput(many=True, help_text=_("What the user may do in each unit's subtree."))


class UserOutput(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    full_name = serializers.CharField()
    email = serializers.EmailField()
    is_active = serializers.BooleanField()
    roles = RoleOutput(many=True, source="managed_roles", help_text=_("Roles within your subtrees."))


class RoleGrantInput(serializers.Serializer):
    user = serializers.CharField(max_length=150, help_text=_("User id or username."))
    unit = UnitCodeField(help_text=_("Code of the unit the role is held at (it covers its subtree)."))
    role = serializers.ChoiceField(
        choices=Role.choices, error_messages={"invalid_choice": _("Unknown role.")}
    )

    def validate_user(self, value: str) -> User:
        user_id = as_id(value)
        user = (User.objects.filter(pk=user_id) if user_id else User.objects.filter(username=value)).first()
        if user is None:
            raise serializers.ValidationError(_("There is no user “%(user)s”.") % {"user": value})
        return user


class RoleAssignmentParams(serializers.Serializer):
    user = serializers.CharField(required=False, max_length=150, help_text=_("User id or username."))
    unit = serializers.CharField(required=False, max_length=64, help_text=_("Unit code: its whole subtree."))
    role = serializers.ChoiceField(required=False, choices=Role.choices)


class UserListParams(serializers.Serializer):
    q = serializers.CharField(
        required=False, max_length=150, help_text=_("Part of the username or full name.")
    )
    unit = serializers.CharField(
        required=False, max_length=64, help_text=_("Users holding a role in its subtree.")
    )


# --- reading ------------------------------------------------------------------------------------


def _managed_assignments(user) -> QuerySet[RoleAssignment]:
    return policy.scope(user, Perm.ROLE_MANAGE, RoleAssignment.objects.all(), field="unit__path")


def _visible_assignments(user) -> QuerySet[RoleAssignment]:
    """Assignments in the subtrees the user manages, and the user's own."""
    managed = _managed_assignments(user).values("pk")
    return RoleAssignment.objects.filter(Q(pk__in=managed) | Q(user=user))


def _visible_units(user, units: QuerySet[Unit]) -> QuerySet[Unit]:
    """The units the user may view: any other unit is answered like a code that does not exist."""
    return policy.scope(user, Perm.UNIT_VIEW, units, field="path")


def _in_unit_subtree(qs: QuerySet, code: str, field: str) -> QuerySet:
    unit = unit_by_code(code)
    return in_subtree(qs, unit.path, field=field) if unit is not None else qs.none()


def _scopes(user) -> list[dict]:
    """The permissions the user holds at each unit where they have a role (superusers: everywhere)."""
    if user.is_superuser:
        return [
            {
                "unit_code": None,
                "unit_name": None,
                "permissions": [p.value for p in Perm if policy.can(user, p, None)],
            }
        ]
    units = Unit.objects.filter(role_assignments__user=user).distinct().order_by("path")
    return [
        {
            "unit_code": unit.code,
            "unit_name": unit.name,
            "permissions": [p.value for p in Perm if policy.can(user, p, unit)],
        }
        for unit in units
    ]


@extend_schema(tags=["accounts"])
class MeView(AuditedAPIView):
    """The signed-in user, their roles and what they may do where."""

    @extend_schema(responses=MeOutput)
    def get(self, request):
        user = request.user
        data = {
            "id": user.pk,
            "username": user.username,
            "full_name": user.full_name,
            "email": user.email,
            "is_superuser": user.is_superuser,
            "roles": user.role_assignments.select_related("unit").order_by("unit__path", "role"),
            "scopes": _scopes(user),
        }
        return Response(MeOutput(data).data)


@extend_schema(tags=["accounts"])
class UserViewSet(mixins.ListModelMixin, AuditedViewSet):
    """Users holding a role in the subtrees you manage; administrators of a whole tree also see
    users who hold no role yet."""

    serializer_class = UserOutput
    permission_classes = [HoldsPerm]
    required_perm = Perm.ROLE_MANAGE

    def get_queryset(self):
        user = self.request.user
        params = query_params(UserListParams, self.request)
        managed = _managed_assignments(user).select_related("unit")
        if params.get("unit"):
            managed = _in_unit_subtree(managed, params["unit"], "unit__path")
        condition = Q(pk__in=managed.values("user_id"))
        if policy.can(user, Perm.ROLE_MANAGE, None) and not params.get("unit"):
            condition |= ~Q(pk__in=RoleAssignment.objects.values("user_id"))
        users = User.objects.filter(condition)
        if params.get("q"):
            users = users.filter(Q(username__icontains=params["q"]) | Q(full_name__icontains=params["q"]))
        return users.order_by("username").prefetch_related(
            Prefetch(
                "role_assignments", queryset=managed.order_by("unit__path", "role"), to_attr="managed_roles"
            )
        )

    @extend_schema(parameters=[UserListParams])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


@extend_schema(tags=["accounts"])
class RoleAssignmentViewSet(mixins.ListModelMixin, AuditedViewSet):
    """Role assignments: read where you manage roles (and your own), granted and revoked there."""

    serializer_class = RoleAssignmentOutput
    lookup_value_regex = r"[0-9]{1,18}"
    permission_classes = [HoldsPerm]
    action_perms = {"create": Perm.ROLE_MANAGE}  # reading your own roles needs none

    def get_queryset(self):
        return (
            _visible_assignments(self.request.user)
            .select_related("user", "unit", "granted_by")
            .order_by("unit__path", "user__username", "role")
        )

    @extend_schema(parameters=[RoleAssignmentParams])
    def list(self, request, *args, **kwargs):
        params = query_params(RoleAssignmentParams, request)
        qs = self.get_queryset()
        if params.get("user"):
            user_id = as_id(params["user"])
            qs = qs.filter(user_id=user_id) if user_id else qs.filter(user__username=params["user"])
        if params.get("unit"):
            qs = _in_unit_subtree(qs, params["unit"], "unit__path")
        if params.get("role"):
            qs = qs.filter(role=params["role"])
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(RoleAssignmentOutput(page, many=True).data)

    @extend_schema(request=RoleGrantInput, responses={201: RoleAssignmentOutput})
    def create(self, request):
        """Grant a role at a unit (it holds for the unit's whole subtree)."""
        data = body(RoleGrantInput, request, narrow=lambda units: _visible_units(request.user, units))
        policy.require(request.user, Perm.ROLE_MANAGE, data["unit"])
        assignment = services.role_grant(
            user=data["user"], unit=data["unit"], role=data["role"], by=request.user
        )
        return Response(RoleAssignmentOutput(assignment).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={204: None})
    def destroy(self, request, pk: str):
        """Revoke a role assignment."""
        assignment = obtain(self.get_queryset(), user=request.user, do=Perm.ROLE_MANAGE, pk=pk)
        services.role_revoke(assignment=assignment, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
