"""The deadline rules and the working-day calendar belong to the whole installation: every write asks
the policy that `by` holds DEADLINE_MANAGE at a root, in the service itself.

A bloc administrator below the root, or a case handler, gets PermissionDenied and nothing is written;
an administrator at the root and the system are allowed.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from conftest import make_user
from danvan.accounts.actors import System
from danvan.accounts.models import Role
from danvan.voice.deadlines import services
from danvan.voice.deadlines.models import CalendarDay, DeadlineRule

SYSTEM = System("tests")
D = datetime.date

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["administrator below the root", "case handler"])
def outsider(request, tree, personas):
    if request.param == "case handler":
        return personas["case_handler"]
    return make_user("admin_stp", unit=tree.stp, role=Role.BLOC_ADMIN)


def written() -> tuple:
    return (
        list(DeadlineRule.objects.order_by("pk").values()),
        list(CalendarDay.objects.order_by("pk").values()),
    )


def new_rule() -> DeadlineRule:
    return DeadlineRule(
        code="TC-RESOLVE-2027",
        procedure="denunciation",
        step="resolve",
        counted_from="accepted",
        days=20,
        day_unit="working",
        effective_from=D(2027, 1, 1),
        citation="Quy định thử nghiệm",
    )


def calls(rules, entry):
    return {
        "rule_close": lambda by: services.rule_close(
            rule=rules["TC-RESOLVE"], effective_to=D(2026, 12, 31), by=by
        ),
        "rule_save": lambda by: services.rule_save(rule=rules["KN1-ACCEPT"], by=by),
        "calendar_day_add": lambda by: services.calendar_day_add(
            day=D(2026, 9, 3), kind=CalendarDay.Kind.DAY_OFF, reason="Nghỉ bù Quốc khánh", by=by
        ),
        "calendar_day_remove": lambda by: services.calendar_day_remove(entry=entry, by=by),
    }


@pytest.fixture
def entry(rules):
    return services.calendar_day_add(
        day=D(2026, 4, 25), kind=CalendarDay.Kind.WORKING_DAY, reason="Làm bù", by=SYSTEM
    )


@pytest.mark.parametrize("service", ["rule_close", "rule_save", "calendar_day_add", "calendar_day_remove"])
def test_a_write_by_someone_who_does_not_manage_the_deadlines_is_refused_and_writes_nothing(
    rules, entry, outsider, service
):
    before = written()
    with pytest.raises(PermissionDenied):
        calls(rules, entry)[service](outsider)
    assert written() == before


def test_a_new_rule_by_someone_who_does_not_manage_the_deadlines_is_refused(rules, outsider):
    with pytest.raises(PermissionDenied):
        services.rule_save(rule=new_rule(), by=outsider)
    assert not DeadlineRule.objects.filter(code="TC-RESOLVE-2027").exists()


@pytest.mark.parametrize("who", ["system", "administrator at the root"])
def test_the_system_and_the_administrator_at_the_root_may_change_the_deadlines(rules, entry, personas, who):
    by = SYSTEM if who == "system" else personas["admin"]
    services.rule_close(rule=rules["TC-RESOLVE"], effective_to=D(2026, 12, 31), by=by)
    services.rule_save(rule=new_rule(), by=by)
    added = services.calendar_day_add(
        day=D(2026, 9, 3), kind=CalendarDay.Kind.DAY_OFF, reason="Nghỉ bù Quốc khánh", by=by
    )
    services.calendar_day_remove(entry=entry, by=by)
    assert DeadlineRule.objects.get(code="TC-RESOLVE").effective_to == D(2026, 12, 31)
    assert DeadlineRule.objects.filter(code="TC-RESOLVE-2027").exists()
    assert list(CalendarDay.objects.all()) == [added]
    assert added.created_by == (None if who == "system" else personas["admin"])
