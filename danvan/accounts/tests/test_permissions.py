"""The two permission helpers every view and endpoint uses: `obtain` (404 unseen, 403 seen but not
allowed) and the DRF class `HoldsPerm`."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework.test import APIRequestFactory

from danvan.accounts import policy
from danvan.accounts.models import Role
from danvan.accounts.permissions import AtRoot, HoldsPerm, itself, obtain, require_somewhere
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
        obtain(_units(reporter), user=reporter, do=Perm.UNIT_EDIT, unit=itself, code="STP")
    assert obtain(_units(head), user=head, do=Perm.UNIT_EDIT, unit=itself, code="STP") == tree.stp


def test_a_value_holding_nul_answers_404_without_asking_the_database(
    tree, personas, django_assert_num_queries
):
    admin = personas["admin"]
    units = _units(admin)  # the admin's roles are read here, once
    with django_assert_num_queries(0), pytest.raises(Http404):
        obtain(units, user=admin, code="STP\x00")


def test_a_visibility_the_queryset_cannot_state_is_asked_of_the_record(tree, personas):
    head = personas[Role.UNIT_HEAD]  # at STP: sees STP, approves only below it
    strictly_below = lambda unit: policy.can_above(head, Perm.REPORT_APPROVE, unit)  # noqa: E731
    assert obtain(Unit.objects.all(), user=head, see=strictly_below, code="STP-CB1") == tree.stp_cb1
    for code in ("STP", "SYT-CB1"):  # seen from nowhere above: like a unit that does not exist
        with pytest.raises(Http404):
            obtain(Unit.objects.all(), user=head, see=strictly_below, code=code)
    with pytest.raises(PermissionDenied):  # seen, but not to act on
        obtain(
            Unit.objects.all(),
            user=head,
            see=strictly_below,
            do=Perm.ROLE_MANAGE,
            unit=itself,
            code="STP-CB1",
        )


class _View:
    required_perm = Perm.CASE_VIEW
    action_perms = {
        "create": Perm.CASE_HANDLE,
        "list": (Perm.CASE_VIEW, Perm.DEADLINE_MANAGE),
        "destroy": AtRoot(Perm.CASE_HANDLE),
        "retrieve": None,
    }
    action = None


class _Open:
    """A view that names no permission: signed in is enough."""

    action = "list"


def _allowed(user, action=None, view_class=_View) -> bool:
    request = APIRequestFactory().get("/")
    request.user = user
    view = view_class()
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
    assert not _allowed(AnonymousUser(), "list", _Open)


def test_the_drf_class_wants_a_root_permission_over_the_whole_tree(personas):
    assert not _allowed(personas[Role.CASE_HANDLER], "destroy")  # handles cases at STP only
    assert _allowed(personas["admin"], "destroy")  # bloc administrator at the root


def test_the_drf_class_lets_any_signed_in_user_in_where_nothing_is_named(personas):
    assert _allowed(personas["nobody"], "retrieve")  # this action needs nothing more
    assert _allowed(personas["nobody"], "list", _Open)


def test_a_page_wants_the_permission_somewhere_like_the_drf_class(personas):
    require_somewhere(personas[Role.CASE_HANDLER], Perm.CASE_HANDLE)
    require_somewhere(personas[Role.REPORTER], (Perm.CASE_VIEW, Perm.REPORT_ENTER))  # any of them
    require_somewhere(personas["admin"], AtRoot(Perm.CATALOGUE_MANAGE))
    for user, perms in (
        (personas[Role.REPORTER], Perm.CASE_VIEW),
        (personas[Role.UNIT_HEAD], AtRoot(Perm.REPORT_VIEW)),  # at STP, not over the whole tree
        (personas["nobody"], Perm.UNIT_VIEW),
    ):
        with pytest.raises(PermissionDenied):
            require_somewhere(user, perms)
