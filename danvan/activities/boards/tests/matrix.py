"""The People's Inspection Board register in the permission matrix."""

import datetime

from danvan.accounts.policy import Perm
from danvan.core.testing.matrix import EXPORT, Made

START = datetime.date(2025, 3, 1)


def _board(unit):
    from danvan.activities.boards.models import Activity, Board, Member, Recommendation

    board = Board.objects.create(
        unit=unit,
        starts_on=START,
        ends_on=datetime.date(2027, 2, 28),
        staff_count=40,
        decision_number=f"MATRIX-BOARD-{unit.code}",
        decision_text=f"MATRIX-BOARD-{unit.code}",
    )
    for name, role in (("Nguyễn Văn A", "chair"), ("Trần Thị B", "deputy"), ("Lê Văn C", "member")):
        Member.objects.create(board=board, full_name=f"{name} {unit.code}", role=role)
    activity = Activity.objects.create(board=board, held_on=START, subject=f"MATRIX-ACTIVITY-{unit.code}")
    Recommendation.objects.create(
        board=board,
        activity=activity,
        content=f"MATRIX-RECOMMENDATION-{unit.code}",
        sent_on=START,
        due_on=datetime.date(2025, 4, 1),
    )
    return board


def board(world, unit):
    made = _board(unit)
    return Made({"pk": made.pk}, marker=made.decision_number)


def board_form(world, unit):
    return {"pk": _board(unit).pk}


def member_form(world, unit):
    return {"pk": _board(unit).members.first().pk}


def recommendation_form(world, unit):
    return {"pk": _board(unit).recommendations.first().pk}


def member(world, unit):
    made = _board(unit).members.first()
    return Made({"pk": made.pk}, marker=made.full_name)


def recommendation(world, unit):
    made = _board(unit).recommendations.first()
    return Made({"pk": made.pk}, marker=made.content)


def register(matrix):
    view, record = Perm.ACTIVITY_VIEW, Perm.ACTIVITY_RECORD
    matrix.listing("boards:home", perm=view, make=board)
    matrix.read("boards:xlsx", perm=view, writes=EXPORT)
    matrix.listing("boards:missing", perm=view)
    matrix.read("boards:board_add", perm=record)
    matrix.read("boards:board", perm=view, make=board)
    matrix.read("boards:board_edit", perm=record, make=board_form, see=view)
    matrix.read("boards:member_add", perm=record, make=board_form, see=view)
    matrix.read("boards:activity_add", perm=record, make=board_form, see=view)
    matrix.read("boards:recommendation_add", perm=record, make=board_form, see=view)
    matrix.read("boards:member_edit", perm=record, make=member_form, see=view)
    matrix.write_only("boards:member_remove", perm=record, make=member, note="POST: remove a member")
    matrix.read("boards:recommendation_answer", perm=record, make=recommendation_form, see=view)
    matrix.write_only(
        "boards:recommendation_close", perm=record, make=recommendation, note="POST: close a recommendation"
    )

    matrix.listing("inspection-board-list", perm=view, make=board)
    matrix.read("inspection-board-detail", perm=view, make=board)
    matrix.write_only("inspection-board-members", perm=record, make=board, note="POST: add a member")
    matrix.write_only("inspection-board-activities", perm=record, make=board, note="POST: a supervision")
    matrix.write_only(
        "inspection-board-recommendations", perm=record, make=board, note="POST: a recommendation"
    )
    matrix.read("inspection-board-member-detail", perm=view, make=member)
    matrix.listing("inspection-board-recommendation-list", perm=view, make=recommendation)
    matrix.read("inspection-board-recommendation-detail", perm=view, make=recommendation)
    matrix.write_only(
        "inspection-board-recommendation-answer", perm=record, make=recommendation, note="POST: the answer"
    )
    matrix.write_only(
        "inspection-board-recommendation-close", perm=record, make=recommendation, note="POST: close it"
    )
