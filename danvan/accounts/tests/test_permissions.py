"""The two permission helpers every view and endpoint uses: `obtain` (404 unseen, 403 seen but not
allowed) and the DRF class `HoldsPerm`."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework.test import APIRequestFactory

from danvan.accounts import policy
from danvan.accounts.models import Role
from danvan.accounts.permissions import HoldsPerm, obtain
from danvan.accounts.policy import Perm
from danvan.orgs.models import Unit

pytestmark = pytest.mark.django_db


def _units(user):
    return policy.scope(user, Perm.UNIT_VIEW, Unit.objects.all(), field="path")


def test_a_record_outside_the_scope_answers_404_like_one_that_does_not_exist(tree, personas):
    reporter = personas[Role.REPORTER]  # at STP
    assert obtain(_units(reporter), user=reporter, pk=tree.stp_cb1.pk) == tree.stp_cb1
    for pk in (tree.syt.pk, 10**9, "abc", "1" * 30, -1):
        with pytest.raises(Http404):
            obtain(_units(reporter), user=reporter, pk=pk)


def test_a_record_seen_without_the_right_to_act_answers_403(tree, personas):
    reporter, head = personas[Role.REPORTER], personas[Role.UNIT_HEAD]
    with pytest.raises(PermissionDenied):
        obtain(_units(reporter), user=reporter, do=Perm.UNIT_EDIT, unit=lambda unit: unit, code="STP")
    assert obtain(_units(head), user=head, do=Perm.UNIT_EDIT, unit=lambda unit: unit, code="STP") == tree.stp


class _View:
    required_perm = Perm.CASE_VIEW
    action_perms = {"create": Perm.CASE_HANDLE, "list": (Perm.CASE_VIEW, Perm.DEADLINE_MANAGE)}
    action = None


def _allowed(user, action=None) -> bool:
    request = APIRequestFactory().get("/")
    request.user = user
    view = _View()
    view.action = action
    return HoldsPerm().has_permission(request, view)


def test_the_drf_class_wants_the_views_permission_somewhere(personas):
    assert _allowed(personas[Role.CASE_HANDLER])
    assert not _allowed(personas[Role.REPORTER])  # holds no case right anywhere
    assert not _allowed(personas["nobody"])


def test_the_drf_class_takes_an_actions_own_permission_and_any_of_a_tuple(personas):
    assert not _allowed(personas[Role.UNIT_HEAD], "create")  # sees cases, does not handle them
    assert _allowed(personas[Role.CASE_HANDLER], "create")
    assert _allowed(personas["admin"], "list")


def test_the_drf_class_refuses_anonymous_users():
    from django.contrib.auth.models import AnonymousUser

    assert not _allowed(AnonymousUser())
