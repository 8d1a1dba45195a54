"""People's Inspection Boards in the one search: found by the unit, the decision and its text, with
ACTIVITY_VIEW at the board's unit (registers.Searched)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.activities.registers import Found, Searched
from danvan.core.dates import day_text

from .models import Board


def _found(board: Board) -> Found:
    return Found(
        title=_("People's Inspection Board, term %(start)s – %(end)s")
        % {"start": day_text(board.starts_on), "end": day_text(board.ends_on)},
        url=reverse("boards:board", args=[board.pk]),
        unit=board.unit,
        context=(board.unit.name, board.decision_number, day_text(board.decision_on)),
        text=(board.decision_text,),
    )


SEARCHED = Searched(
    kind="board",
    label=gettext_lazy("People's Inspection Board"),
    rows=lambda: Board.objects.select_related("unit"),
    found=_found,
    order=42,
)
