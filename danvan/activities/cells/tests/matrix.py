"""The thematic cell meetings in the permission matrix."""

import datetime

from danvan.accounts.policy import Perm
from danvan.core.testing.matrix import EXPORT, Made


def _meeting(unit):
    """A cell made under `unit` and a meeting of it this year; the cell's name and the topic are markers."""
    from danvan.accounts.actors import System
    from danvan.activities.cells.models import Meeting
    from danvan.orgs.models import UnitType
    from danvan.orgs.services import NewUnit, unit_create

    cell = unit_create(
        spec=NewUnit(
            code=f"{unit.code}-MXCB",
            name=f"Chi bộ MATRIX-CELL-{unit.code}",
            unit_type=UnitType.objects.get(code="cell"),
            parent=unit,
        ),
        valid_from=datetime.date(2020, 1, 1),
        by=System("matrix"),
    )
    held_on = datetime.date(datetime.date.today().year, 1, 2)
    return cell, Meeting.objects.create(
        unit=cell, held_on=held_on, topic=f"MATRIX-MEETING-{unit.code}", attendees=7
    )


def meeting(world, unit):
    _cell, made = _meeting(unit)
    return Made({"pk": made.pk}, marker=made.topic)


def listed(world, unit):
    _cell, made = _meeting(unit)
    return Made({}, marker=made.topic)


def cell(world, unit):
    made = _meeting(unit)[0]
    return Made({}, marker=made.name)


def register(matrix):
    view, record = Perm.ACTIVITY_VIEW, Perm.ACTIVITY_RECORD
    matrix.listing("cells:list", perm=view, make=listed)
    matrix.read("cells:export", perm=view, writes=EXPORT)
    matrix.read("cells:add", perm=record)
    matrix.listing("cells:coverage", perm=view, make=listed)
    matrix.read("cells:edit", perm=record, make=meeting, see=view)
    matrix.read("cells:delete", perm=record, make=meeting, see=view)
    matrix.listing("cell-meeting-list", perm=view, make=listed)
    matrix.read("cell-meeting-detail", perm=view, make=meeting)
    matrix.listing("cell-meeting-coverage", perm=view, make=cell)
