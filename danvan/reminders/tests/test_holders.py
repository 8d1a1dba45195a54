"""Who receives it: `accounts.selectors.holders`, by roles or by a permission, at exactly the units asked."""

import pytest

from conftest import make_user
from danvan.accounts.models import Role, RoleAssignment
from danvan.accounts.policy import Perm
from danvan.accounts.selectors import holders

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(tree):
    return {
        "handler": make_user("handler", unit=tree.stp, role=Role.CASE_HANDLER, email="h@stp.vn"),
        "head": make_user("head", unit=tree.stp, role=Role.UNIT_HEAD, email="head@stp.vn"),
        "reporter": make_user("reporter", unit=tree.stp, role=Role.REPORTER, email="r@stp.vn"),
        "no_mail": make_user("no_mail", unit=tree.stp, role=Role.CASE_HANDLER),
        "gone": make_user("gone", unit=tree.stp, role=Role.CASE_HANDLER, email="g@stp.vn", is_active=False),
        "cell": make_user("cell", unit=tree.stp_cb1, role=Role.CASE_HANDLER, email="h@cb1.vn"),
        "bloc": make_user("bloc", unit=tree.root, role=Role.BLOC_ADMIN, email="admin@duk.vn"),
        "syt": make_user("syt", unit=tree.syt, role=Role.MOBILISATION_OFFICER, email="o@syt.vn"),
    }


def _names(found) -> dict:
    return {unit_id: [user.username for user in users] for unit_id, users in found.items()}


def test_by_roles_the_active_users_with_an_address_at_exactly_those_units(tree, staff):
    found = holders(unit_ids=[tree.stp.pk, tree.syt.pk], roles=[Role.CASE_HANDLER, Role.UNIT_HEAD])
    # not the one without an address, the inactive one, the cell below, nor the bloc above
    assert _names(found) == {tree.stp.pk: ["handler", "head"]}


def test_by_permission_the_roles_that_grant_it(tree, staff):
    found = holders(unit_ids=[tree.root.pk, tree.stp.pk, tree.syt.pk], perm=Perm.REPORT_APPROVE)
    assert _names(found) == {tree.root.pk: ["bloc"], tree.stp.pk: ["head"], tree.syt.pk: ["syt"]}
    assert _names(holders(unit_ids=[tree.stp.pk], perm=Perm.CASE_HANDLE)) == {tree.stp.pk: ["handler"]}


def test_roles_and_a_permission_together_add_up(tree, staff):
    found = holders(unit_ids=[tree.stp.pk], roles=[Role.REPORTER], perm=Perm.CASE_HANDLE)
    assert _names(found) == {tree.stp.pk: ["handler", "reporter"]}


def test_a_person_with_two_roles_at_a_unit_is_listed_once(tree, staff):
    RoleAssignment.objects.create(user=staff["head"], unit=tree.stp, role=Role.MOBILISATION_OFFICER)
    assert _names(holders(unit_ids=[tree.stp.pk], perm=Perm.DOCUMENT_MANAGE)) == {tree.stp.pk: ["head"]}


def test_no_units_asks_nothing_and_no_criterion_is_a_mistake(tree, staff, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert holders(unit_ids=[], roles=[Role.UNIT_HEAD]) == {}
    with pytest.raises(ValueError):
        holders(unit_ids=[tree.stp.pk])
