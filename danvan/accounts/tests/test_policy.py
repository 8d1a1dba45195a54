import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from danvan.accounts import policy
from danvan.accounts.actors import System
from danvan.accounts.policy import Perm
from danvan.orgs import services
from danvan.orgs.models import Unit
from danvan.orgs.tasks import refresh_unit_mirror

SYSTEM = System("tests")

pytestmark = pytest.mark.django_db


def test_a_move_recorded_ahead_of_time_changes_scopes_only_from_its_date(tree, personas):
    future = datetime.date.today() + datetime.timedelta(days=90)
    services.unit_move(unit=tree.stp_cb2, new_parent=tree.syt, effective_on=future, by=SYSTEM)
    cell = Unit.objects.get(code="STP-CB2")
    assert policy.can(personas["viewer"], Perm.UNIT_VIEW, cell)  # still STP's today
    assert not policy.can(personas["outsider"], Perm.UNIT_VIEW, cell)

    # The day it takes effect, the daily refresh carries it over.
    assert services.unit_mirror_refresh(day=future, by=SYSTEM) == 1
    cell.refresh_from_db()
    assert cell.path.startswith(tree.syt.path)
    policy.forget(personas["outsider"])
    assert policy.can(personas["outsider"], Perm.UNIT_VIEW, cell)


def _writes(queries) -> list[str]:
    return [
        q["sql"] for q in queries if q["sql"].lstrip().split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}
    ]


@pytest.fixture
def move_due_today(tree, monkeypatch):
    """STP-CB2 moved under SYT on a later day, recorded ahead of time; then that day comes."""
    day = datetime.date.today() + datetime.timedelta(days=90)
    services.unit_move(unit=tree.stp_cb2, new_parent=tree.syt, effective_on=day, by=SYSTEM)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)
    return Unit.objects.get(code="STP-CB2")


def test_a_policy_read_writes_nothing_even_when_a_recorded_move_falls_due(move_due_today, tree, personas):
    with CaptureQueriesContext(connection) as queries:
        assert not policy.can(personas["outsider"], Perm.UNIT_VIEW, move_due_today)
        assert policy.scope(personas["viewer"], Perm.UNIT_VIEW, Unit.objects.all(), field="path").exists()
    assert queries.captured_queries and not _writes(queries.captured_queries)
    move_due_today.refresh_from_db()
    assert move_due_today.path.startswith(tree.stp.path)  # the job has not run yet


@pytest.mark.parametrize("run", ["beat job", "command"])
def test_the_job_or_the_command_brings_a_recorded_move_into_effect(run, move_due_today, tree, personas):
    if run == "beat job":
        assert refresh_unit_mirror.delay().get() == 1
    else:
        out = io.StringIO()
        call_command("refresh-units", stdout=out)
        assert out.getvalue().strip() == "Đã cập nhật 1 đơn vị."
    move_due_today.refresh_from_db()
    assert move_due_today.path.startswith(tree.syt.path)
    assert policy.can(personas["outsider"], Perm.UNIT_VIEW, move_due_today)
    assert not policy.can(personas["viewer"], Perm.UNIT_VIEW, move_due_today)


def test_a_grant_covers_the_subtree_and_nothing_else(tree, personas):
    viewer = personas["viewer"]
    assert policy.can(viewer, Perm.UNIT_VIEW, tree.stp_cb1)
    assert not policy.can(viewer, Perm.UNIT_VIEW, tree.root)
    assert not policy.can(viewer, Perm.UNIT_RESTRUCTURE, tree.stp)
    assert policy.scope_paths(personas["admin"], Perm.AUDIT_VIEW) == [tree.root.path]
    assert not policy.can(personas["nobody"], Perm.UNIT_VIEW, tree.stp)


def test_a_users_scopes_are_read_once_per_request_and_a_role_change_is_seen(tree, personas):
    """`scope_paths` is kept on the user object: many checks cost no query; `forget` (which the role
    services call) or the next request's fresh user object sees a role granted or revoked."""
    from danvan.accounts.models import RoleAssignment, User

    user = User.objects.get(pk=personas["outsider"].pk)  # a request's own user object
    assert not policy.can(user, Perm.REPORT_VIEW, tree.stp)
    with CaptureQueriesContext(connection) as queries:
        for _ in range(20):
            policy.can(user, Perm.REPORT_VIEW, tree.stp)
            policy.scope_paths(user, Perm.CASE_VIEW)
    assert len(queries) == 0
    grant = RoleAssignment.objects.create(user=user, unit=tree.stp, role="viewer")
    assert policy.can(User.objects.get(pk=user.pk), Perm.REPORT_VIEW, tree.stp)  # the next request
    policy.forget(user)  # the same request, after the role services changed roles
    assert policy.can(user, Perm.REPORT_VIEW, tree.stp)
    grant.delete()
    policy.forget(user)
    assert not policy.can(user, Perm.REPORT_VIEW, tree.stp)
    assert not policy.can(User.objects.get(pk=user.pk), Perm.REPORT_VIEW, tree.stp)


def test_a_role_granted_through_the_pages_is_seen_on_the_next_request(tree, personas, login):
    from danvan.accounts.models import RoleAssignment

    client = login(personas["outsider"])
    assert client.get("/reports/dashboard/", {"unit": "STP"}).status_code == 404
    RoleAssignment.objects.create(user=personas["outsider"], unit=tree.stp, role="viewer")
    assert client.get("/reports/dashboard/", {"unit": "STP"}).status_code == 200
