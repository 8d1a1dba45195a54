"""The live roll-up: figures of every ancestor follow approvals in the same transaction."""

import datetime

import pytest

from danvan.accounts.actors import System
from danvan.reports import rollup, selectors, services
from danvan.reports.models import ElementRollup, Period

SYSTEM = System("tests")

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
    assert (stp["value"], stp["target"], stp["met"], stp["target_units"], stp["met_units"]) == (
        100.0,
        100,
        True,
        1,
        1,
    )


def test_a_draft_or_submitted_report_does_not_count(tree, indicators, personas):
    period = services.period_get(code="2026S1", by=SYSTEM)
    report = services.report_open(form=indicators.forms["BC-DV-6T"], unit=tree.stp, period=period, by=SYSTEM)
    services.values_save(
        report=report, values={"STAFF_ELIGIBLE": "50", "STAFF_IN_MASS_ORGS": "40"}, by=SYSTEM
    )
    services.report_submit(report=report, by=SYSTEM)
    figures = _figures(tree.root, "2026S1", indicators.indicators["MASS_GATHERING_RATE"])
    assert (figures["numerator"], figures["denominator"], figures["value"]) == (0, 0, None)


def test_reopening_takes_the_values_back_out(tree, indicators, approved, personas):
    report = approved(tree.stp, "2026S1", {"STAFF_ELIGIBLE": 50, "STAFF_IN_MASS_ORGS": 40})
    services.report_reopen(report=report, by=personas["admin"], reason="Sai số liệu")
    figures = _figures(tree.root, "2026S1", indicators.indicators["MASS_GATHERING_RATE"])
    assert (figures["numerator"], figures["denominator"], figures["target_units"]) == (0, 0, 0)


def test_the_incremental_roll_up_equals_a_full_rebuild(tree, indicators, approved):
    approved(
        tree.stp,
        "2026S1",
        {"STAFF_ELIGIBLE": 50, "STAFF_IN_MASS_ORGS": 50, "MEMBERS_TOTAL": 10, "MEMBERS_ACTIVE": 9},
    )
    approved(
        tree.syt,
        "2026S1",
        {"STAFF_ELIGIBLE": 40, "STAFF_IN_MASS_ORGS": 30, "MEMBERS_TOTAL": 20, "MEMBERS_ACTIVE": 10},
    )
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


def _merge_into_new_bloc(tree, catalogue, day=datetime.date(2025, 7, 1)):
    """The 2025-style restructuring: STP and SYT merge into SNV under a new bloc DUT."""
    from danvan.orgs.services import NewUnit, unit_create, unit_merge

    dut = unit_create(
        spec=NewUnit(code="DUT", name="Đảng ủy UBND tỉnh", unit_type=catalogue.types["bloc"]),
        valid_from=day,
        by=SYSTEM,
    )
    snv = unit_merge(
        units=[tree.stp, tree.syt],
        effective_on=day,
        new=NewUnit(
            code="SNV",
            name="Đảng ủy Sở Nội vụ",
            unit_type=catalogue.types["grassroots"],
            parent=dut,
            groups=[catalogue.groups["admin_agency"]],
        ),
        by=SYSTEM,
    )
    return dut, snv


def test_a_period_before_a_merge_counts_under_the_old_parents(tree, indicators, approved, catalogue):
    rate = indicators.indicators["MASS_GATHERING_RATE"]
    approved(tree.stp, "2024S1", {"STAFF_ELIGIBLE": 50, "STAFF_IN_MASS_ORGS": 50})
    approved(tree.syt, "2024S1", {"STAFF_ELIGIBLE": 40, "STAFF_IN_MASS_ORGS": 30})
    dut, _snv = _merge_into_new_bloc(tree, catalogue)

    old = _figures(tree.root, "2024S1", rate)
    assert (old["numerator"], old["denominator"], old["target_units"], old["met_units"]) == (80, 90, 2, 1)
    assert old["as_of"] == "2024-06-30"
    # Under the period's own tree the new bloc did not exist yet.
    assert _figures(dut, "2024S1", rate)["value"] is None


def test_as_of_a_later_date_each_unit_counts_under_the_unit_that_stands_for_it(
    tree, indicators, approved, catalogue
):
    rate = indicators.indicators["MASS_GATHERING_RATE"]
    approved(tree.stp, "2024S1", {"STAFF_ELIGIBLE": 50, "STAFF_IN_MASS_ORGS": 50})
    approved(tree.syt, "2024S1", {"STAFF_ELIGIBLE": 40, "STAFF_IN_MASS_ORGS": 30})
    dut, snv = _merge_into_new_bloc(tree, catalogue)
    later = datetime.date(2025, 12, 31)

    for unit in (dut, snv):
        figures = _figures(unit, "2024S1", rate, as_of=later)
        assert (figures["numerator"], figures["denominator"]) == (80, 90)
        assert (figures["target_units"], figures["met_units"]) == (2, 1)
        assert figures["as_of"] == "2025-12-31"
    # SNV is an administrative agency: its target (≥ 100) applies to the merged series.
    assert _figures(snv, "2024S1", rate, as_of=later)["met"] is False
    # The old bloc has nothing left under it on that date.
    assert _figures(tree.root, "2024S1", rate, as_of=later)["denominator"] == 0


def test_a_restructuring_recorded_after_approval_rebuilds_the_periods_it_reaches(
    tree, indicators, catalogue, django_capture_on_commit_callbacks
):
    from danvan.orgs.services import unit_move
    from danvan.reports.services import ImportRow, values_import

    rate = indicators.indicators["MASS_GATHERING_RATE"]
    values_import(
        rows=[
            ImportRow(1, "STP-CB1", "2026S1", "STAFF_ELIGIBLE", 10),
            ImportRow(2, "STP-CB1", "2026S1", "STAFF_IN_MASS_ORGS", 7),
        ],
        by=SYSTEM,
    )
    assert _figures(tree.stp, "2026S1", rate)["denominator"] == 10
    with django_capture_on_commit_callbacks(execute=True):
        unit_move(unit=tree.stp_cb1, new_parent=tree.syt, effective_on=datetime.date(2026, 3, 1), by=SYSTEM)
    assert _figures(tree.stp, "2026S1", rate)["denominator"] == 0
    assert _figures(tree.syt, "2026S1", rate)["denominator"] == 10
    assert _figures(tree.root, "2026S1", rate)["denominator"] == 10


def test_registry_indicators_follow_leads_and_regulations_at_once(tree, indicators):
    from danvan.orgs.services import lead_assign, regulation_set

    lead_rate = indicators.indicators["MOBILISATION_LEAD_RATE"]
    regulation_rate = indicators.indicators["COORDINATION_REGULATION_RATE"]
    services.period_get(code="2026S1", by=SYSTEM)
    before = _figures(tree.root, "2026S1", lead_rate)
    # STP and SYT are the grassroots organisations of the tree.
    assert (before["numerator"], before["denominator"], before["target_units"], before["met_units"]) == (
        0,
        2,
        2,
        0,
    )

    lead_assign(unit=tree.stp, full_name="Nguyễn Văn An", assigned_on=datetime.date(2026, 1, 10), by=SYSTEM)
    after = _figures(tree.root, "2026S1", lead_rate)
    assert (after["numerator"], after["value"], after["met_units"]) == (1, 50.0, 1)
    assert _figures(tree.stp, "2026S1", lead_rate)["met"] is True
    # A lead named after the period ended does not count for it.
    lead_assign(unit=tree.syt, full_name="Trần Thị Bình", assigned_on=datetime.date(2026, 7, 2), by=SYSTEM)
    assert _figures(tree.root, "2026S1", lead_rate)["numerator"] == 1

    regulation_set(unit=tree.syt, number="01-QC/ĐU", signed_on=datetime.date(2026, 2, 1), by=SYSTEM)
    regulation = _figures(tree.root, "2026S1", regulation_rate)
    assert (regulation["numerator"], regulation["denominator"], regulation["met_units"]) == (1, 2, 1)


def test_derived_values_cannot_be_typed(tree, indicators):
    from django.core.exceptions import ValidationError

    from danvan.reports.services import ImportRow, values_import

    with pytest.raises(ValidationError) as error:
        values_import(rows=[ImportRow(2, "STP", "2026S1", "GRASSROOTS_ORGS", 5)], by=SYSTEM)
    assert "được tính từ hồ sơ, không thể nhập" in str(error.value)


def _state(period):
    from danvan.reports.models import IndicatorRollup, UnitIndicator

    return (
        sorted(
            (r.unit_id, r.element_id, r.value, r.reporters)
            for r in ElementRollup.objects.filter(period=period)
            if r.reporters
        ),
        sorted(
            (r.unit_id, r.indicator_id, r.target_units, r.met_units)
            for r in IndicatorRollup.objects.filter(period=period)
            if r.target_units
        ),
        sorted(
            (r.unit_id, r.indicator_id, r.numerator, r.denominator, r.complete, r.has_target, r.met)
            for r in UnitIndicator.objects.filter(period=period)
        ),
    )


def test_a_mixed_day_of_changes_leaves_the_same_roll_up_as_a_rebuild(tree, indicators, approved, personas):
    from danvan.orgs.services import lead_assign
    from danvan.reports.services import ImportRow, values_import

    admin = personas["admin"]
    stp = approved(tree.stp, "2026S1", {"STAFF_ELIGIBLE": 50, "STAFF_IN_MASS_ORGS": 50, "MEMBERS_TOTAL": 10})
    syt = approved(tree.syt, "2026S1", {"STAFF_ELIGIBLE": 40, "STAFF_IN_MASS_ORGS": 30})
    services.values_save(report=stp, values={"STAFF_IN_MASS_ORGS": 45, "MEMBERS_ACTIVE": 9}, by=admin)
    services.report_return(report=syt, by=admin, reason="Kiểm tra lại")
    services.values_save(report=syt, values={"STAFF_IN_MASS_ORGS": 40}, by=SYSTEM)
    services.report_approve(report=services.report_submit(report=syt, by=SYSTEM), by=admin)
    services.report_reopen(report=stp, by=admin, reason="Sửa số đoàn viên")
    values_import(
        rows=[
            ImportRow(2, "STP-CB1", "2026S1", "MASS_ORGS_TOTAL", 12, "công đoàn"),
            ImportRow(3, "STP-CB1", "2026S1", "MASS_ORGS_TOTAL", 8, "đoàn thanh niên"),
            ImportRow(4, "STP-CB1", "2026S1", "MASS_ORGS_STRONG", 15),
        ],
        by=SYSTEM,
    )
    lead_assign(unit=tree.syt, full_name="Lê Văn Cường", assigned_on=datetime.date(2026, 2, 1), by=SYSTEM)
    period = Period.objects.get(code="2026S1")
    live = _state(period)
    rollup.rebuild(period)
    assert _state(period) == live
    strong = _figures(tree.root, "2026S1", indicators.indicators["MASS_ORG_STRONG_RATE"])
    assert (strong["numerator"], strong["denominator"], strong["value"]) == (15, 20, 75.0)


def test_a_unit_that_ended_within_the_period_counts_under_its_parent_of_its_last_day(tree, indicators):
    from danvan.orgs.services import unit_dissolve
    from danvan.reports.services import ImportRow, values_import

    values_import(rows=[ImportRow(2, "STP-CB2", "2026S1", "SUGGESTION_BOXES", 3)], by=SYSTEM)
    unit_dissolve(unit=tree.stp_cb2, effective_on=datetime.date(2026, 4, 1), by=SYSTEM)
    period = Period.objects.get(code="2026S1")
    rollup.rebuild(period)
    assert (
        ElementRollup.objects.get(period=period, unit=tree.stp, element__code="SUGGESTION_BOXES").value == 3
    )
    # Not expected to report any more, though: it no longer existed when the period ended.
    from danvan.reports.models import PeriodUnit

    assert PeriodUnit.objects.get(period=period, unit=tree.stp_cb2).ended


def test_removing_a_lead_takes_it_out_of_the_registry_indicator(tree, indicators):
    from danvan.orgs.services import lead_assign

    lead = lead_assign(
        unit=tree.stp, full_name="Nguyễn Văn An", assigned_on=datetime.date(2026, 1, 10), by=SYSTEM
    )
    services.period_get(code="2026S1", by=SYSTEM)
    rate = indicators.indicators["MOBILISATION_LEAD_RATE"]
    assert _figures(tree.root, "2026S1", rate)["numerator"] == 1
    lead.delete()
    assert _figures(tree.root, "2026S1", rate)["numerator"] == 0


def test_a_unit_that_ended_before_its_parent_moved_counts_along_its_own_path(
    tree, indicators, django_capture_on_commit_callbacks
):
    """STP-CB2 ends in March under STP; STP moves under SYT in May. For the half-year, CB2's value
    counts under STP and the bloc, its ancestors on its last day, and not under SYT, which it never
    belonged to; the live roll-up follows the same rule as a rebuild."""
    from danvan.orgs.services import unit_dissolve, unit_move
    from danvan.reports.services import ImportRow, values_import

    values_import(rows=[ImportRow(2, "STP-CB2", "2026S1", "SUGGESTION_BOXES", 3)], by=SYSTEM)
    values_import(rows=[ImportRow(2, "SYT-CB1", "2026S1", "SUGGESTION_BOXES", 5)], by=SYSTEM)
    with django_capture_on_commit_callbacks(execute=True):
        unit_dissolve(unit=tree.stp_cb2, effective_on=datetime.date(2026, 3, 1), by=SYSTEM)
        unit_move(unit=tree.stp, new_parent=tree.syt, effective_on=datetime.date(2026, 5, 1), by=SYSTEM)
    period = Period.objects.get(code="2026S1")

    def boxes(unit):
        row = ElementRollup.objects.filter(period=period, unit=unit, element__code="SUGGESTION_BOXES").first()
        return row.value if row else 0

    assert (boxes(tree.stp), boxes(tree.syt), boxes(tree.root)) == (3, 5, 8)
    # A live change below STP after the move climbs STP's new path: STP, SYT, the bloc.
    values_import(rows=[ImportRow(2, "STP-CB1", "2026S1", "SUGGESTION_BOXES", 4)], by=SYSTEM)
    assert (boxes(tree.stp), boxes(tree.syt), boxes(tree.root)) == (7, 9, 12)
    live = _state(period)
    rollup.rebuild(period)
    assert _state(period) == live


def test_a_periods_first_rebuild_writes_the_same_rows_as_the_live_roll_up(tree, indicators, approved):
    """A period with no roll-up rows yet is written directly (no comparison); another period's rows stay."""
    from danvan.reports.models import IndicatorRollup, UnitIndicator

    values = {"STAFF_ELIGIBLE": 50, "STAFF_IN_MASS_ORGS": 50, "MEMBERS_TOTAL": 10, "MEMBERS_ACTIVE": 7}
    approved(tree.stp, "2026S1", values)
    approved(tree.syt, "2026S1", {**values, "STAFF_IN_MASS_ORGS": 20})
    approved(tree.stp, "2025S2", {**values, "MEMBERS_ACTIVE": 9})
    period, other = Period.objects.get(code="2026S1"), Period.objects.get(code="2025S2")
    live, other_live = _state(period), _state(other)
    assert live[0] and live[1] and live[2]
    for model in (ElementRollup, UnitIndicator, IndicatorRollup):
        model.objects.filter(period=period).delete()

    rollup.rebuild(period)  # empty tables for the period: the direct path
    assert _state(period) == live
    assert _state(other) == other_live
    rollup.rebuild(period)  # rows stored: the comparing path finds nothing to change
    assert _state(period) == live


def test_a_bulk_import_in_several_batches_leaves_the_same_roll_up_as_a_rebuild(
    tree, indicators, approved, monkeypatch
):
    """The import writes a batch of units at a time and moves the roll-up once per batch: replaced
    values, new ones and categories end where a rebuild puts them."""
    from danvan.reports.models import PeriodUnit
    from danvan.reports.services import ImportRow, values_import

    monkeypatch.setattr(services, "IMPORT_BATCH_UNITS", 2)
    approved(tree.stp, "2026S1", {"STAFF_ELIGIBLE": 50, "STAFF_IN_MASS_ORGS": 50, "MEMBERS_TOTAL": 10})
    period = Period.objects.get(code="2026S1")
    codes = list(
        PeriodUnit.objects.filter(period=period).order_by("unit_id").values_list("unit__code", flat=True)
    )
    assert len(codes) > 4  # several batches
    rows, line = [], 1
    for number, code in enumerate(codes):
        for element, value in (("STAFF_ELIGIBLE", 40 + number), ("STAFF_IN_MASS_ORGS", 30 + number)):
            line += 1
            rows.append(ImportRow(line, code.lower(), "2026s1", element, value))
        line += 1
        rows.append(ImportRow(line, code, "2026S1", "MASS_ORGS_TOTAL", number + 1, "công đoàn"))
    assert values_import(rows=rows, by=SYSTEM) == len(rows)
    live = _state(period)
    rollup.rebuild(period)
    assert _state(period) == live
    root = _figures(tree.root, "2026S1", indicators.indicators["MASS_GATHERING_RATE"])
    assert root["denominator"] == sum(
        40 + number for number in range(len(codes))
    )  # its own value and all below


def test_the_bulk_read_gives_every_unit_and_indicator_the_figures_of_the_analytics_query(
    tree, indicators, approved
):
    """`figures_many` (the dashboard's children and attainment table, a constant number of queries)
    equals `figures` (one unit, one indicator) for every unit of the tree and every indicator."""
    from danvan.orgs.models import Unit
    from danvan.reports.models import Indicator

    approved(tree.stp, "2026S1", {"STAFF_ELIGIBLE": 50, "STAFF_IN_MASS_ORGS": 50})
    approved(tree.syt, "2026S1", {"STAFF_ELIGIBLE": 40, "STAFF_IN_MASS_ORGS": 30})
    period = Period.objects.get(code="2026S1")
    units = list(Unit.objects.order_by("code"))
    every = list(Indicator.objects.all())
    found = selectors.figures_many(units=units, period=period, indicators=every)
    assert len(found) == len(units) * len(every)
    for unit in units:
        for indicator in every:
            one = selectors.figures(unit=unit, period=period, indicator=indicator).as_dict()
            assert found[unit.id, indicator.id].as_dict() == one, (unit.code, indicator.code)
    assert found[tree.root.id, indicators.indicators["MASS_GATHERING_RATE"].id].numerator == 80
