import datetime

import pytest

from danvan.accounts import policy
from danvan.accounts.policy import Perm
from danvan.orgs import services
from danvan.orgs.models import Unit

pytestmark = pytest.mark.django_db


def test_a_move_recorded_ahead_of_time_changes_scopes_only_from_its_date(tree, personas):
    future = datetime.date.today() + datetime.timedelta(days=90)
    services.unit_move(unit=tree.stp_cb2, new_parent=tree.syt, effective_on=future)
    cell = Unit.objects.get(code="STP-CB2")
    assert policy.can(personas["viewer"], Perm.UNIT_VIEW, cell)  # still STP's today
    assert not policy.can(personas["outsider"], Perm.UNIT_VIEW, cell)

    # The day it takes effect, the daily refresh carries it over.
    assert services.unit_mirror_refresh(day=future) == 1
    cell.refresh_from_db()
    assert cell.path.startswith(tree.syt.path)
    policy.forget(personas["outsider"])
    assert policy.can(personas["outsider"], Perm.UNIT_VIEW, cell)


def test_scopes_are_refreshed_once_a_day_without_a_worker(tree, personas, monkeypatch):
    calls = []
    monkeypatch.setattr(policy, "unit_mirror_refresh", lambda day: calls.append(day))
    monkeypatch.setattr(policy, "_mirror_day", [None])
    policy.can(personas["viewer"], Perm.UNIT_VIEW, tree.stp)
    policy.forget(personas["viewer"])
    policy.can(personas["viewer"], Perm.UNIT_VIEW, tree.stp)
    assert len(calls) == 1


def test_a_grant_covers_the_subtree_and_nothing_else(tree, personas):
    viewer = personas["viewer"]
    assert policy.can(viewer, Perm.UNIT_VIEW, tree.stp_cb1)
    assert not policy.can(viewer, Perm.UNIT_VIEW, tree.root)
    assert not policy.can(viewer, Perm.UNIT_RESTRUCTURE, tree.stp)
    assert policy.scope_paths(personas["admin"], Perm.AUDIT_VIEW) == [tree.root.path]
    assert not policy.can(personas["nobody"], Perm.UNIT_VIEW, tree.stp)
