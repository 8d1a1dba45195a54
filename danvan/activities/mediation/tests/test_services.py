"""The rules of grassroots mediation, in the services: the team (khoản 1 Điều 12), the register's lines."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from danvan.activities.mediation import services
from danvan.activities.mediation.models import Case, Mediator, Team

from .helpers import SYSTEM, D, make_team, people, spec

pytestmark = pytest.mark.django_db


def _messages(error: ValidationError) -> str:
    return " ".join(error.messages)


def test_a_team_is_created_with_its_first_mediators(tree):
    team = make_team(tree.stp)
    assert team.mediators.count() == 3
    assert team.mediators.get(leader=True).name == "Nguyễn Thị Lan"


@pytest.mark.parametrize(
    "sexes, count, women",
    [(("male", "male", "male"), 3, 0), (("female", "male"), 2, 1), ((), 0, 0)],
)
def test_a_team_without_a_woman_or_with_fewer_than_three_mediators_is_refused(tree, sexes, count, women):
    with pytest.raises(ValidationError) as error:
        make_team(tree.stp, sexes=sexes)
    text = _messages(error.value)
    assert "Tổ hòa giải phải có ít nhất ba hòa giải viên, trong đó có hòa giải viên nữ" in text
    assert f"tổ sẽ chỉ có {count} hòa giải viên, trong đó {women} nữ" in text
    assert not Team.objects.exists() and not Mediator.objects.exists()


def test_removing_a_mediator_that_would_break_the_rule_is_refused(tree):
    team = make_team(tree.stp, sexes=("female", "male", "male", "male"))
    woman = team.mediators.get(sex="female")
    with pytest.raises(ValidationError) as error:
        services.mediator_remove(mediator=woman, by=SYSTEM)
    assert "Không thể đưa Nguyễn Thị Lan ra khỏi tổ." in _messages(error.value)
    man = team.mediators.filter(sex="male").first()
    services.mediator_remove(mediator=man, by=SYSTEM)  # four → three, a woman still: allowed
    assert team.mediators.count() == 3
    with pytest.raises(ValidationError):
        services.mediator_remove(mediator=team.mediators.filter(sex="male").first(), by=SYSTEM)
    # Changing the only woman's sex breaks the rule too.
    with pytest.raises(ValidationError):
        services.mediator_update(mediator=woman, spec=people("male")[0], by=SYSTEM)
    assert team.mediators.count() == 3


def test_a_new_leader_takes_over(tree):
    team = make_team(tree.stp)
    added = services.mediator_add(team=team, spec=people("female", "male", "male", "female")[3], by=SYSTEM)
    assert not added.leader
    leader = people("male")[0]
    leader.name = "Đỗ Văn Tú"
    services.mediator_add(team=team, spec=leader, by=SYSTEM)
    assert list(team.mediators.filter(leader=True).values_list("name", flat=True)) == ["Đỗ Văn Tú"]


def test_a_team_outside_the_scope_is_refused(tree, personas):
    with pytest.raises(PermissionDenied):
        make_team(tree.syt, by=personas["mobilisation_officer"])
    assert make_team(tree.stp_cb1, by=personas["mobilisation_officer"]).unit == tree.stp_cb1


def test_a_case_is_recorded(tree, personas):
    case = services.case_record(spec=spec(tree.stp_cb1), by=personas["mobilisation_officer"])
    assert case.mediators == "Nguyễn Thị Lan; Trần Văn Hùng"
    assert case.outcome == "Hai bên thống nhất mở lối đi rộng 2 m."


def test_a_case_takes_the_mediators_of_its_team(tree):
    team = make_team(tree.stp)
    case = services.case_record(spec=spec(tree.stp, team=team, mediators=[]), by=SYSTEM)
    assert case.mediators.count(";") == 2


def test_a_case_in_the_future_is_refused(tree):
    from django.utils import timezone

    tomorrow = timezone.localdate() + __import__("datetime").timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        services.case_record(spec=spec(tree.stp, received_on=tomorrow, concluded_on=tomorrow), by=SYSTEM)
    assert set(error.value.message_dict) == {"received_on", "concluded_on"}
    assert not Case.objects.exists()


def test_a_conclusion_before_the_reception_is_refused(tree):
    with pytest.raises(ValidationError) as error:
        services.case_record(spec=spec(tree.stp, concluded_on=D(2025, 8, 1)), by=SYSTEM)
    assert "không thể trước ngày nhận vụ việc (01/09/2025)" in error.value.message_dict["concluded_on"][0]


def test_concluded_and_ongoing_cases_and_their_dates(tree):
    with pytest.raises(ValidationError) as error:
        services.case_record(spec=spec(tree.stp, concluded_on=None), by=SYSTEM)
    assert "concluded_on" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.case_record(spec=spec(tree.stp, result="ongoing", agreement=""), by=SYSTEM)
    assert "concluded_on" in error.value.message_dict  # an ongoing case has no conclusion date
    ongoing = services.case_record(
        spec=spec(tree.stp, result="ongoing", agreement="", concluded_on=None), by=SYSTEM
    )
    assert ongoing.concluded_on is None
    with pytest.raises(ValidationError) as error:
        services.case_record(spec=spec(tree.stp, result="unsuccessful"), by=SYSTEM)
    assert "agreement" in error.value.message_dict  # the agreement goes with a successful mediation
    failed = services.case_record(
        spec=spec(
            tree.stp, result="unsuccessful", agreement="", demands="Ông A đòi bồi thường 5 triệu đồng."
        ),
        by=SYSTEM,
    )
    assert failed.outcome.startswith("Ông A")


def test_a_case_outside_the_scope_is_refused(tree, personas):
    officer = personas["mobilisation_officer"]
    with pytest.raises(PermissionDenied):
        services.case_record(spec=spec(tree.syt), by=officer)
    case = services.case_record(spec=spec(tree.stp), by=officer)
    with pytest.raises(PermissionDenied):
        services.case_update(case=case, spec=spec(tree.syt), by=officer)  # moved out of reach
    with pytest.raises(PermissionDenied):
        services.case_record(spec=spec(tree.stp), by=personas["viewer"])
    other = services.case_record(spec=spec(tree.syt), by=SYSTEM)
    with pytest.raises(PermissionDenied):
        services.case_delete(case=other, by=officer)


def test_a_team_of_another_unit_is_refused(tree):
    team = make_team(tree.syt)
    with pytest.raises(ValidationError) as error:
        services.case_record(spec=spec(tree.stp, team=team), by=SYSTEM)
    assert "team" in error.value.message_dict
