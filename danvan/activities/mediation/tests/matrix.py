"""Grassroots mediation in the permission matrix: the register, its cases, the teams (pages and API)."""

import datetime

from danvan.accounts.policy import Perm
from danvan.core.testing.matrix import EXPORT, Made

DAY = datetime.date(2025, 9, 15)


def _team(unit):
    from danvan.activities.mediation.models import Mediator, Team

    team = Team.objects.create(unit=unit, name=f"MATRIX-TEAM-{unit.code}", place="Tổ dân phố 1")
    for name, sex in (("Nguyễn Thị Lan", "female"), ("Trần Văn Hùng", "male"), ("Lê Văn Nam", "male")):
        Mediator.objects.create(team=team, name=name, sex=sex)
    return team


def _case(unit):
    from danvan.activities.mediation.models import Case

    return Case.objects.create(
        unit=unit,
        received_on=DAY,
        mediators="Nguyễn Thị Lan",
        parties=f"MATRIX-CASE-{unit.code}",
        content="Tranh chấp ranh giới đất",
        result="successful",
        concluded_on=DAY,
    )


def case(world, unit):
    made = _case(unit)
    return Made({"pk": made.pk}, marker=made.parties)


def case_listed(world, unit):
    made = _case(unit)
    return Made({}, marker=made.parties)


def team(world, unit):
    made = _team(unit)
    return Made({"pk": made.pk}, marker=made.name)


def team_listed(world, unit):
    made = _team(unit)
    return Made({}, marker=made.name)


def mediator(world, unit):
    made = _team(unit)
    return Made({"pk": made.pk, "mediator_pk": made.mediators.first().pk}, marker=made.name)


def register(matrix):
    view, record = Perm.ACTIVITY_VIEW, Perm.ACTIVITY_RECORD
    matrix.listing("mediation:cases", perm=view, make=case_listed)
    matrix.listing("mediation:cases_print", perm=view, make=case_listed, writes=EXPORT)
    matrix.read("mediation:cases_xlsx", perm=view, writes=EXPORT)
    matrix.read("mediation:case_create", perm=record)
    matrix.read("mediation:case", perm=view, make=case)
    matrix.read("mediation:case_edit", perm=record, make=case, see=view)
    matrix.read("mediation:case_delete", perm=record, make=case, see=view)
    matrix.listing("mediation:teams", perm=view, make=team_listed)
    matrix.read("mediation:team_create", perm=record)
    matrix.read("mediation:team", perm=view, make=team)
    matrix.write_only("mediation:mediator_add", perm=record, make=team, note="POST: add a mediator")
    matrix.write_only("mediation:mediator_remove", perm=record, make=team, note="POST: remove a mediator")

    matrix.listing("mediation-team-list", perm=view, make=team_listed)
    matrix.read("mediation-team-detail", perm=view, make=team)
    matrix.write_only("mediation-team-mediators", perm=record, make=team, note="POST: add a mediator")
    matrix.write_only(
        "mediation-team-remove-mediator", perm=record, make=mediator, note="DELETE: remove a mediator"
    )
    matrix.listing("mediation-case-list", perm=view, make=case_listed)
    matrix.read("mediation-case-detail", perm=view, make=case)
