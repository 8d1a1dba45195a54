"""The training register in the permission matrix."""

import datetime

from danvan.accounts.policy import Perm
from danvan.core.testing.matrix import EXPORT, Made

DAY = datetime.date(2026, 3, 2)


def training_class(world, unit):
    from danvan.activities.training.models import TrainingClass

    made = TrainingClass.objects.create(
        unit=unit, title=f"MATRIX-TRAINING-{unit.code}", held_on=DAY, participants=30
    )
    return Made({"pk": made.pk}, marker=made.title)


def register(matrix):
    view, record = Perm.ACTIVITY_VIEW, Perm.ACTIVITY_RECORD
    matrix.listing("training:list", perm=view, make=training_class)
    matrix.listing("training:xlsx", perm=view, writes=EXPORT)
    matrix.read("training:create", perm=record)
    matrix.read("training:detail", perm=view, make=training_class)
    matrix.read("training:edit", perm=record, make=training_class, see=view)
    matrix.read("training:delete", perm=record, make=training_class, see=view)

    matrix.listing("training-class-list", perm=view, make=training_class)
    matrix.read("training-class-detail", perm=view, make=training_class)
