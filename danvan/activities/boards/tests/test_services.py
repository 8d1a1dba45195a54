"""The rules of Điều 60 (Luật Thực hiện dân chủ ở cơ sở 2022) and of the register, each refused in
Vietnamese, nothing half-saved."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from danvan.activities.boards import selectors, services
from danvan.activities.boards.models import Board, Member, Recommendation, RecommendationState, term_end
from danvan.audit.models import AuditEvent

from .helpers import SYSTEM, make_board, specs, start, today

pytestmark = pytest.mark.django_db


def _create(unit, *, members=None, by=SYSTEM, **changes):
    values = dict(
        unit=unit,
        starts_on=start(),
        ends_on=term_end(start()),
        staff_count=25,
        members=specs(3) if members is None else members,
        by=by,
    )
    values.update(changes)
    return services.board_create(**values)


def _messages(error: ValidationError) -> str:
    return " ".join(text for texts in error.message_dict.values() for text in texts)


def test_a_board_of_three_members_is_recorded_and_audited(tree):
    board = _create(tree.stp, decision_number="12/QĐ-CĐ", decision_on=start())
    assert board.members.count() == 3
    assert selectors.state_of(board, today()) == selectors.IN_TERM
    assert AuditEvent.objects.filter(model="boards.board", object_id=str(board.pk)).exists()


@pytest.mark.parametrize("count", [0, 2, 10])
def test_fewer_than_three_or_more_than_nine_members_is_refused(tree, count):
    with pytest.raises(ValidationError) as raised:
        _create(tree.stp, members=specs(count))
    assert "từ 3 đến 9 thành viên" in _messages(raised.value)
    assert not Board.objects.exists() and not Member.objects.exists()


@pytest.mark.parametrize("office", ["head", "deputy_head", "chief_accountant"])
def test_the_head_a_deputy_or_the_chief_accountant_cannot_be_a_member(tree, office):
    with pytest.raises(ValidationError) as raised:
        _create(tree.stp, members=specs(3, office=office))
    assert "Điều 60, khoản 2" in _messages(raised.value)
    assert "members.0.office" in raised.value.message_dict
    assert not Board.objects.exists()


def test_no_board_at_an_agency_of_seven_staff_or_fewer(tree):
    with pytest.raises(ValidationError) as raised:
        _create(tree.stp, staff_count=7)
    assert "nhiều hơn 7" in raised.value.message_dict["staff_count"][0]
    assert _create(tree.stp, staff_count=8).staff_count == 8


def test_overlapping_terms_of_the_same_agency_are_refused(tree):
    first = make_board(tree.stp)
    with pytest.raises(ValidationError) as raised:
        _create(tree.stp, starts_on=first.ends_on, ends_on=term_end(first.ends_on))
    assert "chồng lấn" in raised.value.message_dict["starts_on"][0]
    following = first.ends_on + datetime.timedelta(days=1)
    assert _create(tree.stp, starts_on=following, ends_on=term_end(following))
    assert make_board(tree.syt)  # another agency's term may be the same


def test_a_term_longer_than_two_years_is_refused_a_shorter_one_is_shown(tree):
    with pytest.raises(ValidationError) as raised:
        _create(tree.stp, ends_on=term_end(start()) + datetime.timedelta(days=1))
    assert "02 năm" in raised.value.message_dict["ends_on"][0]
    board = _create(tree.stp, ends_on=start() + datetime.timedelta(days=365))
    assert selectors.short_term(board)
    assert not selectors.short_term(make_board(tree.syt))


def test_a_unit_out_of_scope_is_refused_and_a_cell_is_no_agency(tree, personas):
    with pytest.raises(PermissionDenied):
        _create(tree.syt, by=personas["mobilisation_officer"])
    with pytest.raises(PermissionDenied):
        _create(tree.stp, by=personas["viewer"])
    with pytest.raises(ValidationError) as raised:
        _create(tree.stp_cb1, by=personas["mobilisation_officer"])
    assert "không phải là cơ quan" in raised.value.message_dict["unit"][0]
    assert _create(tree.stp, by=personas["mobilisation_officer"])


def test_two_chairs_are_refused(tree):
    members = specs(3)
    members[1] = services.MemberSpec(full_name="Người thứ hai", role="chair")
    with pytest.raises(ValidationError) as raised:
        _create(tree.stp, members=members)
    assert "members" in raised.value.message_dict


def test_a_tenth_member_and_removing_one_of_the_last_three_are_refused(tree):
    board = make_board(tree.stp, members=9)
    with pytest.raises(ValidationError):
        services.member_add(board=board, spec=services.MemberSpec(full_name="Người thứ mười"), by=SYSTEM)
    small = make_board(tree.syt)
    with pytest.raises(ValidationError):
        services.member_remove(member=small.members.first(), by=SYSTEM)
    assert small.members.count() == 3
    with pytest.raises(ValidationError) as raised:
        services.member_add(
            board=small, spec=services.MemberSpec(full_name="Kế toán", office="chief_accountant"), by=SYSTEM
        )
    assert "office" in raised.value.message_dict
    services.member_add(board=small, spec=services.MemberSpec(full_name="Người thứ tư"), by=SYSTEM)
    services.member_remove(member=small.members.get(full_name="Người thứ tư"), by=SYSTEM)


def test_a_supervision_in_the_future_or_outside_the_term_is_refused(tree):
    board = make_board(tree.stp)
    with pytest.raises(ValidationError) as raised:
        services.activity_record(
            board=board, held_on=today() + datetime.timedelta(days=1), subject="Tài chính", by=SYSTEM
        )
    assert "tương lai" in raised.value.message_dict["held_on"][0]
    with pytest.raises(ValidationError) as raised:
        services.activity_record(
            board=board, held_on=start() - datetime.timedelta(days=1), subject="Tài chính", by=SYSTEM
        )
    assert "nhiệm kỳ" in raised.value.message_dict["held_on"][0]
    activity = services.activity_record(board=board, held_on=today(), subject="Tài chính", by=SYSTEM)
    assert activity.pk


def test_a_recommendation_is_answered_then_closed_and_its_dates_are_checked(tree):
    board = make_board(tree.stp)
    with pytest.raises(ValidationError) as raised:
        services.recommendation_record(
            board=board,
            content="Công khai",
            sent_on=today(),
            due_on=today() - datetime.timedelta(days=1),
            by=SYSTEM,
        )
    assert "due_on" in raised.value.message_dict
    with pytest.raises(ValidationError):
        services.recommendation_record(
            board=board,
            content="Công khai",
            sent_on=today() + datetime.timedelta(days=1),
            due_on=today() + datetime.timedelta(days=9),
            by=SYSTEM,
        )
    sent = today() - datetime.timedelta(days=20)
    item = services.recommendation_record(
        board=board, content="Công khai", sent_on=sent, due_on=today() - datetime.timedelta(days=5), by=SYSTEM
    )
    assert item.overdue(today())
    with pytest.raises(ValidationError) as raised:
        services.recommendation_answer(
            recommendation=item, answer="Đã làm", answered_on=today() + datetime.timedelta(days=1), by=SYSTEM
        )
    assert "tương lai" in raised.value.message_dict["answered_on"][0]
    with pytest.raises(ValidationError):
        services.recommendation_answer(
            recommendation=item, answer="Đã làm", answered_on=sent - datetime.timedelta(days=1), by=SYSTEM
        )
    item = services.recommendation_answer(
        recommendation=item, answer="Đã làm", answered_on=today(), by=SYSTEM
    )
    assert item.state == RecommendationState.ANSWERED and not item.overdue(today())
    item = services.recommendation_close(recommendation=item, by=SYSTEM)
    assert Recommendation.objects.get().state == RecommendationState.CLOSED
    with pytest.raises(ValidationError):
        services.recommendation_answer(recommendation=item, answer="Lại", answered_on=today(), by=SYSTEM)


def test_changing_the_term_keeps_the_supervisions_inside_it(tree):
    board = make_board(tree.stp)
    services.activity_record(board=board, held_on=start(), subject="Tài chính", by=SYSTEM)
    later = start() + datetime.timedelta(days=10)
    with pytest.raises(ValidationError) as raised:
        services.board_update(
            board=board, starts_on=later, ends_on=term_end(later), staff_count=25, by=SYSTEM
        )
    assert "starts_on" in raised.value.message_dict
    board = services.board_update(
        board=board, starts_on=start(), ends_on=term_end(start()), staff_count=30, by=SYSTEM
    )
    assert board.staff_count == 30


def test_missing_lists_agencies_without_a_board_in_term(tree, personas):
    officer = personas["admin"]
    assert {row.unit.code for row in selectors.missing(officer, today())} == {"STP", "SYT"}
    make_board(tree.stp)
    old = today() - datetime.timedelta(days=1000)
    make_board(tree.syt, starts_on=old, staff_count=12)
    rows = selectors.missing(officer, today())
    assert [(row.unit.code, row.last.staff_count) for row in rows] == [("SYT", 12)]
    assert selectors.missing(personas["mobilisation_officer"], today()) == []  # STP's scope only


def test_a_two_year_term_ends_the_day_before_the_same_date_two_years_on():
    assert term_end(datetime.date(2025, 3, 1)) == datetime.date(2027, 2, 28)
    assert term_end(datetime.date(2024, 2, 29)) == datetime.date(2026, 2, 28)
