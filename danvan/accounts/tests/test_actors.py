"""The installation's own actor: every permission, no user on the records, never a protected identity."""

import pytest

from danvan.accounts import policy
from danvan.accounts.actors import System, recorded_user
from danvan.accounts.models import Role
from danvan.accounts.policy import Perm

pytestmark = pytest.mark.django_db


def test_the_system_holds_every_permission_everywhere(tree):
    system = System("danvan import-units")
    assert all(policy.can(system, perm, tree.syt_cb1) for perm in Perm)
    assert policy.can(system, Perm.ROLE_MANAGE, None)
    assert policy.scope_paths(system, Perm.UNIT_VIEW) is None


def test_the_system_is_never_the_user_a_record_names(personas):
    assert recorded_user(System("demo")) is None
    assert recorded_user(personas[Role.REPORTER]) == personas[Role.REPORTER]


def test_the_system_never_sees_a_protected_identity(tree):
    class Case:
        identity_protected = True
        unit = tree.stp

    assert not policy.can_see_identity(System("danvan rotate-identity-key"), Case())
