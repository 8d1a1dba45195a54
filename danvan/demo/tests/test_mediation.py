"""The demo loader of mediation on the test tree: the seed's figures, valid teams, idempotent."""

import pytest

from danvan.activities.mediation.models import Case, Team
from danvan.activities.mediation.rules import team_rule

pytestmark = pytest.mark.django_db


def test_the_demo_register_holds_the_seeds_figures_and_valid_teams(tree):
    from danvan.demo import mediation

    written = mediation.load()
    half = Case.objects.filter(received_on__range=mediation.HALVES["2025S2"])
    assert half.count() == 2276 and half.filter(result="successful").count() == 1673
    assert half.values("unit").distinct().count() >= 2  # spread over the grassroots organisations
    later = Case.objects.filter(received_on__range=mediation.HALVES["2026S1"])
    assert later.filter(result="ongoing").exists() and later.count() < 100
    assert written == Case.objects.count()
    teams = Team.objects.filter(unit=tree.stp)
    assert teams.exists()
    for team in Team.objects.all():
        assert team_rule(list(team.mediators.values_list("sex", flat=True))) == ""
    assert mediation.load() == 0  # idempotent
