"""The services check their own permission (issue 12, item 4): an administrator of another unit is
refused by the service itself and nothing is written; the installation (`System`) is allowed."""

import pytest
from django.core.exceptions import PermissionDenied

from conftest import make_user
from danvan.accounts.actors import System
from danvan.accounts.models import Role, RoleAssignment, User
from danvan.administration import services
from danvan.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

SYSTEM = System("tests")


@pytest.fixture
def foreign(tree):
    """An administrator of every right, at SYT only: STP is not theirs."""
    return make_user("admin_syt", unit=tree.syt, role=Role.BLOC_ADMIN)


@pytest.fixture
def member(tree):
    return make_user("vien_chuc", unit=tree.stp_cb1, role=Role.REPORTER, email="vc@example.vn")


def _state() -> tuple:
    return (
        list(RoleAssignment.objects.order_by("pk").values_list("pk", "user_id", "unit_id", "role")),
        list(User.objects.order_by("pk").values_list("pk", "username", "is_active")),
        AuditEvent.objects.count(),
    )


def _operations(tree, member):
    return {
        "role_grant": lambda by: services.role_grant(user=member, unit=tree.stp, role=Role.VIEWER, by=by),
        "role_revoke": lambda by: services.role_revoke(assignment=member.role_assignments.get(), by=by),
        "user_create": lambda by: services.user_create(
            username="moi", email="moi@example.vn", password=None, unit=tree.stp_cb2, role=Role.VIEWER, by=by
        ),
        "user_create_without_role": lambda by: services.user_create(
            username="moi", email="moi@example.vn", password=None, by=by
        ),
        "user_set_active": lambda by: services.user_set_active(user=member, active=False, by=by),
    }


OPERATIONS = ["role_grant", "role_revoke", "user_create", "user_create_without_role", "user_set_active"]


@pytest.mark.parametrize("name", OPERATIONS)
def test_an_administrator_of_another_unit_is_refused_and_nothing_is_written(tree, foreign, member, name):
    before = _state()
    with pytest.raises(PermissionDenied):
        _operations(tree, member)[name](foreign)
    assert _state() == before


@pytest.mark.parametrize("name", OPERATIONS)
def test_a_user_without_the_role_manager_right_is_refused(tree, personas, member, name):
    before = _state()
    with pytest.raises(PermissionDenied):
        _operations(tree, member)[name](personas[Role.UNIT_HEAD])  # at STP, but manages no roles
    assert _state() == before


@pytest.mark.parametrize("name", OPERATIONS)
def test_the_installation_is_allowed(tree, member, name):
    before = _state()
    _operations(tree, member)[name](SYSTEM)
    assert _state() != before


def test_an_administrator_of_the_unit_is_allowed(tree, personas, member):
    assignment = services.role_grant(
        user=member, unit=tree.stp, role=Role.VIEWER, by=personas[Role.BLOC_ADMIN]
    )
    assert assignment.granted_by == personas[Role.BLOC_ADMIN]
    assert services.role_grant(user=member, unit=tree.stp_cb2, role=Role.VIEWER, by=SYSTEM).granted_by is None
