"""The dialogues register in the permission matrix."""

import datetime

from danvan.accounts.policy import Perm
from danvan.core.testing.matrix import EXPORT, Made

DAY = datetime.date(2026, 3, 2)


def _dialogue(unit):
    from danvan.activities.dialogues.models import Dialogue

    return Dialogue.objects.create(
        unit=unit, held_on=DAY, leader_name=f"Lãnh đạo MATRIX-DIALOGUE-{unit.code}", participants=10
    )


def dialogue(world, unit):
    made = _dialogue(unit)
    return Made({"pk": made.pk}, marker=made.leader_name)


def issue(world, unit):
    from danvan.activities.dialogues.models import Issue

    made = Issue.objects.create(dialogue=_dialogue(unit), content=f"MATRIX-ISSUE-{unit.code}")
    return Made({"pk": made.pk}, marker=made.content)


def register(matrix):
    view, record = Perm.ACTIVITY_VIEW, Perm.ACTIVITY_RECORD
    matrix.listing("dialogues:home", perm=view, make=dialogue)
    matrix.listing("dialogues:export", perm=view, writes=EXPORT)  # a workbook: no marker to read
    matrix.listing("dialogues:coverage", perm=view)
    matrix.read("dialogues:create", perm=record)
    matrix.read("dialogues:detail", perm=view, make=dialogue)
    matrix.read("dialogues:edit", perm=record, make=dialogue, see=view)
    matrix.write_only("dialogues:delete", perm=record, make=dialogue, note="POST: delete the dialogue")
    matrix.write_only("dialogues:issue_add", perm=record, make=dialogue, note="POST: add an issue")
    matrix.read("dialogues:issue_edit", perm=record, make=issue, see=view)
    matrix.write_only("dialogues:issue_delete", perm=record, make=issue, note="POST: delete the issue")

    matrix.listing("dialogue-list", perm=view, make=dialogue)
    matrix.read("dialogue-detail", perm=view, make=dialogue)
    matrix.write_only("dialogue-issues", perm=record, make=dialogue, note="POST: add an issue")
    matrix.read("dialogue-issue-detail", perm=view, make=issue)
