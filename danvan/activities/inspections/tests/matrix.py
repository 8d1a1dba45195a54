"""Inspection and supervision in the permission matrix.

A record "of a unit" is a programme whose inspecting unit is that unit, inspecting a unit below it
(for the root: a child other than the STP subtree, so that STP's roles are neither inspector nor
inspected and must get 404)."""

import datetime

from danvan.accounts.policy import Perm
from danvan.core.testing.matrix import EXPORT, Made

DAY = datetime.date(2026, 3, 2)


def _remedy(world, unit):
    from danvan.activities.inspections.models import Inspection, Remedy, Target
    from danvan.orgs.models import Unit

    below = (
        Unit.objects.filter(path__startswith=unit.path)
        .exclude(pk=unit.pk)
        .exclude(path__startswith=world.own.path if unit.pk != world.own.pk else "-")
        .order_by("path")
        .first()
    )
    inspection = Inspection.objects.create(
        unit=unit,
        kind="inspection",
        title=f"MATRIX-INSPECTION-{unit.code}",
        year=DAY.year,
        starts_on=DAY,
        ends_on=DAY,
    )
    target = Target.objects.create(
        inspection=inspection, unit=below, conducted_on=DAY, conclusion=f"MATRIX-FINDINGS-{unit.code}"
    )
    return Remedy.objects.create(target=target, content=f"MATRIX-REMEDY-{unit.code}", due_on=DAY)


def inspection(world, unit):
    made = _remedy(world, unit).target.inspection
    return Made({"pk": made.pk}, marker=made.title)


def target(world, unit):
    made = _remedy(world, unit).target
    return Made({"pk": made.pk}, marker=made.conclusion)


def remedy(world, unit):
    made = _remedy(world, unit)
    return Made({"pk": made.pk}, marker=made.content)


def register(matrix):
    view, record = Perm.ACTIVITY_VIEW, Perm.ACTIVITY_RECORD
    matrix.listing("inspections:home", perm=view, make=inspection)
    matrix.read("inspections:create", perm=record)
    matrix.read("inspections:detail", perm=view, make=inspection)
    matrix.read("inspections:edit", perm=record, make=inspection)
    matrix.read("inspections:target", perm=view, make=target)
    matrix.write_only("inspections:remedy_add", perm=record, make=target, note="POST: add a remedy")
    matrix.listing("inspections:remedies", perm=view, make=remedy)
    matrix.read("inspections:remedies_xlsx", perm=view, writes=EXPORT)
    matrix.read("inspections:remedy", perm=view, make=remedy)

    matrix.listing("inspection-list", perm=view, make=inspection)
    matrix.read("inspection-detail", perm=view, make=inspection)
    matrix.read("inspection-target-detail", perm=view, make=target)
    matrix.write_only("inspection-target-findings", perm=record, make=target, note="POST: record findings")
    matrix.listing("inspection-remedy-list", perm=view, make=remedy)
    matrix.read("inspection-remedy-detail", perm=view, make=remedy)
    matrix.write_only("inspection-remedy-follow-up", perm=record, make=remedy, note="POST: the follow-up")
