"""The catalogue from the seeds, with the exact codes, and which target applies to a unit."""

import datetime
from decimal import Decimal

import pytest

from danvan.accounts.actors import System
from danvan.reports import selectors, services
from danvan.reports.models import DataElement, Indicator, Target

SYSTEM = System("tests")

pytestmark = pytest.mark.django_db

ELEMENTS = {
    "STAFF_ELIGIBLE", "STAFF_IN_MASS_ORGS", "MEMBERS_TOTAL", "MEMBERS_ACTIVE", "MASS_ORGS_TOTAL",
    "MASS_ORGS_STRONG", "MEDIATION_CASES", "MEDIATION_SUCCESSFUL", "TRAINING_CLASSES",
    "TRAINING_PARTICIPANTS", "DIALOGUES_HELD", "SUGGESTION_BOXES",
}  # fmt: skip


def _targets(code):
    return {
        (t.unit_group.code if t.unit_group else None, t.comparator, t.value)
        for t in Target.objects.filter(indicator__code=code).select_related("unit_group")
    }


def test_the_seeded_catalogue_has_the_exact_codes_formulas_and_targets(indicators, catalogue):
    assert set(DataElement.objects.values_list("code", flat=True)) >= ELEMENTS
    assert {"admin_agency", "public_service_unit", "vocational_school", "enterprise"} <= set(catalogue.groups)
    formulas = {
        i.code: ([e.code for e in i.elements("n")], [e.code for e in i.elements("d")], i.factor)
        for i in Indicator.objects.prefetch_related("terms__element")
    }
    assert formulas["MASS_GATHERING_RATE"] == (["STAFF_IN_MASS_ORGS"], ["STAFF_ELIGIBLE"], 100)
    assert formulas["MEMBER_ACTIVE_RATE"] == (["MEMBERS_ACTIVE"], ["MEMBERS_TOTAL"], 100)
    assert formulas["MASS_ORG_STRONG_RATE"] == (["MASS_ORGS_STRONG"], ["MASS_ORGS_TOTAL"], 100)
    assert formulas["MEDIATION_SUCCESS_RATE"] == (["MEDIATION_SUCCESSFUL"], ["MEDIATION_CASES"], 100)
    assert formulas["MOBILISATION_LEAD_RATE"][1] == ["GRASSROOTS_ORGS"]
    assert formulas["COORDINATION_REGULATION_RATE"][1] == ["GRASSROOTS_ORGS"]
    assert DataElement.objects.get(code="GRASSROOTS_WITH_LEAD").source == "orgs.grassroots_with_lead"
    # The activity registers count these; nobody types them any more (issue 14).
    counted = dict(
        DataElement.objects.filter(source__regex=r"^(mediation|training|dialogues|cells)\.").values_list(
            "code", "source"
        )
    )
    assert counted == {
        "MEDIATION_CASES": "mediation.cases_received",
        "MEDIATION_SUCCESSFUL": "mediation.cases_successful",
        "TRAINING_CLASSES": "training.classes",
        "TRAINING_PARTICIPANTS": "training.participants",
        "DIALOGUES_HELD": "dialogues.held",
        "CELLS_TOTAL": "cells.cells",
        "CELLS_WITH_THEMATIC_MEETING": "cells.with_thematic_meeting",
    }
    assert formulas["CELL_MEETING_RATE"] == (["CELLS_WITH_THEMATIC_MEETING"], ["CELLS_TOTAL"], 100)
    assert _targets("CELL_MEETING_RATE") == {(None, "gte", 100)}
    assert _targets("MASS_GATHERING_RATE") == {
        ("admin_agency", "gte", 100),
        ("public_service_unit", "gte", 100),
        ("vocational_school", "gte", 70),
    }
    assert _targets("MEMBER_ACTIVE_RATE") == {(None, "gte", 80)}
    assert _targets("MASS_ORG_STRONG_RATE") == {(None, "gte", 80)}
    assert _targets("MEDIATION_SUCCESS_RATE") == set()
    assert _targets("MOBILISATION_LEAD_RATE") == {(None, "gte", 100)}
    assert _targets("COORDINATION_REGULATION_RATE") == {(None, "gte", 100)}


def test_a_period_target_wins_and_among_several_groups_the_strictest(tree, indicators, approved, catalogue):
    from danvan.orgs.services import unit_change
    from danvan.reports import rollup

    rate = indicators.indicators["MASS_GATHERING_RATE"]
    # SYT is also a vocational school from 2025: ≥ 70 and ≥ 100 apply, the strictest wins.
    unit_change(
        unit=tree.syt,
        effective_on=datetime.date(2025, 1, 1),
        groups=[catalogue.groups["public_service_unit"], catalogue.groups["vocational_school"]],
        by=SYSTEM,
    )
    approved(tree.syt, "2026S1", {"STAFF_ELIGIBLE": 40, "STAFF_IN_MASS_ORGS": 30})
    period = services.period_get(code="2026S1", by=SYSTEM)
    figures = selectors.figures(unit=tree.syt, period=period, indicator=rate)
    assert (figures.target.value, figures.met) == (100, False)
    # A target for 2026S1 only, for every unit: it beats the standing ones in that period alone.
    Target.objects.create(indicator=rate, period_code="2026S1", comparator="gte", value=Decimal("75"))
    rollup.refresh_targets(period)
    figures = selectors.figures(unit=tree.syt, period=period, indicator=rate)
    assert (figures.target.value, figures.met, figures.met_units) == (75, True, 1)
    assert rollup.target_for(rate, {"public_service_unit"}, "2026S2").value == 100


def test_emulation_figures_are_counted_from_their_records_and_feed_the_shares(indicators, catalogue):
    """Issue 15: every figure emulation and evaluation registers has its catalogue element (nobody types
    it), and the share of units in each level and the quiz figures are indicators over them."""
    from danvan.reports.derived import SOURCES

    emulation = {
        key
        for key in SOURCES
        if key.split(".")[0] in {"exemplars", "commendations", "evaluations", "quizzes"}
    }
    carried = dict(DataElement.objects.filter(source__in=emulation).values_list("source", "code"))
    assert set(carried) == emulation and len(emulation) == 15
    assert carried["exemplars.recognised"] == "EXEMPLARS_RECOGNISED"
    assert carried["commendations.individuals"] == "COMMENDED_INDIVIDUALS"
    formulas = {
        i.code: ([e.code for e in i.elements("n")], [e.code for e in i.elements("d")], i.factor)
        for i in Indicator.objects.prefetch_related("terms__element")
    }
    for level in ("OUTSTANDING", "GOOD", "PASSED", "FAILED"):
        assert formulas[f"EVAL_{level}_RATE"] == ([f"EVAL_{level}"], ["EVAL_CLASSIFIED"], 100)
    assert formulas["QUIZ_PARTICIPATION_RATE"] == (["QUIZ_TAKERS"], ["QUIZ_PEOPLE"], 100)
    assert formulas["QUIZ_AVERAGE_SCORE"] == (["QUIZ_ANSWERS_RIGHT"], ["QUIZ_QUESTIONS_ANSWERED"], 100)
