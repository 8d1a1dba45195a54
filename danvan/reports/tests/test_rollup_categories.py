"""A rebuild over values split into categories equals the roll-up computed row by row in Python."""

from collections import defaultdict
from fractions import Fraction

import pytest

from danvan.accounts.actors import System
from danvan.core.paths import PATH_SEGMENT
from danvan.reports import rollup, services
from danvan.reports.models import (
    DataValue,
    ElementRollup,
    Indicator,
    IndicatorRollup,
    IndicatorTerm,
    PeriodUnit,
    Target,
    UnitIndicator,
)

SYSTEM = System("tests")

pytestmark = pytest.mark.django_db


def _expected(period):
    """The three tables, from the approved values and the period's tree, without any SQL aggregate."""
    places = {p.unit_id: p for p in PeriodUnit.objects.filter(period=period)}

    def ancestors(unit_id):
        path = places[unit_id].path
        return [int(path[i : i + PATH_SEGMENT]) for i in range(0, len(path) - PATH_SEGMENT, PATH_SEGMENT)]

    elements, totals = defaultdict(lambda: [0, 0]), defaultdict(int)
    for value in DataValue.objects.filter(period=period, approved=True):
        totals[value.unit_id, value.element_id] += value.value
        for ancestor in ancestors(value.unit_id):
            elements[ancestor, value.element_id][0] += value.value
            elements[ancestor, value.element_id][1] += 1  # each row, each category, reports once

    terms = defaultdict(list)
    for term in IndicatorTerm.objects.all():
        terms[term.indicator_id].append(term)
    targets = list(Target.objects.select_related("unit_group"))
    units, counts = {}, defaultdict(lambda: [0, 0])
    for indicator in Indicator.objects.all():
        for unit_id, place in places.items():
            reported = [t for t in terms[indicator.id] if (unit_id, t.element_id) in totals]
            if not reported:
                continue
            numerator = sum(totals[unit_id, t.element_id] for t in reported if t.side == "n")
            denominator = sum(totals[unit_id, t.element_id] for t in reported if t.side == "d")
            complete = len(reported) == len(terms[indicator.id])
            target = rollup.target_for(indicator, rollup.groups_of(place.groups), period.code, targets)
            has_target = target is not None and complete and denominator != 0
            met = has_target and rollup.compare(
                Fraction(numerator) * Fraction(indicator.factor) / denominator,
                target.comparator,
                Fraction(target.value),
            )
            units[unit_id, indicator.id] = (numerator, denominator, complete, has_target, met)
            if has_target:
                for ancestor in ancestors(unit_id):
                    counts[ancestor, indicator.id][0] += 1
                    counts[ancestor, indicator.id][1] += int(met)
    return (
        {key: tuple(value) for key, value in elements.items()},
        units,
        {key: tuple(value) for key, value in counts.items()},
    )


def _stored(period):
    return (
        {
            (r.unit_id, r.element_id): (r.value, r.reporters)
            for r in ElementRollup.objects.filter(period=period)
            if r.reporters
        },
        {
            (r.unit_id, r.indicator_id): (r.numerator, r.denominator, r.complete, r.has_target, r.met)
            for r in UnitIndicator.objects.filter(period=period)
        },
        {
            (r.unit_id, r.indicator_id): (r.target_units, r.met_units)
            for r in IndicatorRollup.objects.filter(period=period)
            if r.target_units
        },
    )


def test_a_rebuild_over_categorised_values_equals_the_sums_computed_in_python(tree, indicators):
    period = services.period_get(code="2026S1", by=SYSTEM)
    element = indicators.elements

    def put(unit, code, value, category=""):
        DataValue.objects.create(
            unit=unit, period=period, element=element[code], category=category, value=value, approved=True
        )

    # STP-CB1: numerator and denominator of the gathering rate split into categories (47 of 50: not met).
    put(tree.stp_cb1, "STAFF_ELIGIBLE", 30, "nam")
    put(tree.stp_cb1, "STAFF_ELIGIBLE", 20, "nữ")
    put(tree.stp_cb1, "STAFF_IN_MASS_ORGS", 28, "nam")
    put(tree.stp_cb1, "STAFF_IN_MASS_ORGS", 19, "nữ")
    put(tree.stp_cb1, "MASS_ORGS_TOTAL", 12, "công đoàn")
    put(tree.stp_cb1, "MASS_ORGS_TOTAL", 8, "đoàn thanh niên")
    put(tree.stp_cb1, "MASS_ORGS_STRONG", 15)
    # STP-CB2: categories summing to a met target (40 of 40), and a rate missing its numerator.
    put(tree.stp_cb2, "STAFF_ELIGIBLE", 25, "nam")
    put(tree.stp_cb2, "STAFF_ELIGIBLE", 15, "nữ")
    put(tree.stp_cb2, "STAFF_IN_MASS_ORGS", 40)
    put(tree.stp_cb2, "MEMBERS_TOTAL", 9, "nam")
    put(tree.stp_cb2, "MEMBERS_TOTAL", 3, "nữ")
    # STP itself, plain values; SYT-CB1 with a zero denominator across its categories.
    put(tree.stp, "STAFF_ELIGIBLE", 10)
    put(tree.stp, "STAFF_IN_MASS_ORGS", 10)
    put(tree.syt_cb1, "MEMBERS_TOTAL", 0, "nam")
    put(tree.syt_cb1, "MEMBERS_TOTAL", 0, "nữ")
    put(tree.syt_cb1, "MEMBERS_ACTIVE", 0)
    # Not approved: counts nowhere.
    DataValue.objects.create(
        unit=tree.syt_cb1, period=period, element=element["STAFF_ELIGIBLE"], category="nam", value=99
    )

    rollup.rebuild(period)
    expected = _expected(period)
    assert _stored(period) == expected

    # The sums really are over the categories, not over one row per element.
    stp = expected[0][tree.stp.id, element["STAFF_ELIGIBLE"].id]
    assert stp == (90, 4)
    assert expected[1][tree.stp_cb1.id, indicators.indicators["MASS_GATHERING_RATE"].id][:3] == (47, 50, True)

    # A second rebuild finds nothing to change; a changed category moves every figure it reaches.
    rollup.rebuild(period)
    assert _stored(period) == expected
    DataValue.objects.filter(unit=tree.stp_cb1, element=element["STAFF_IN_MASS_ORGS"], category="nam").update(
        value=30
    )
    DataValue.objects.filter(unit=tree.stp_cb2, element=element["MEMBERS_TOTAL"], category="nữ").delete()
    rollup.rebuild(period)
    changed = _expected(period)
    assert changed != expected
    assert _stored(period) == changed
