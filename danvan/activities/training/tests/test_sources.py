"""The report figures come from the records: TRAINING_CLASSES and TRAINING_PARTICIPANTS of a prepared
period equal the classes held in it (seed 001: 12 classes, 998 participants), follow every change,
and cannot be typed into a report."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ValidationError

from danvan.accounts.actors import System
from danvan.activities.training import services
from danvan.reports.derived import SOURCES
from danvan.reports.models import DataValue, ElementRollup

pytestmark = pytest.mark.django_db
SYSTEM = System("tests")
D = datetime.date
# Seed 001's second half of 2025: 12 classes, 998 participants, over the tree's units.
SEED_001 = [
    ("root", D(2025, 7, 15), 150),
    ("stp", D(2025, 8, 6), 85),
    ("stp", D(2025, 9, 18), 120),
    ("stp", D(2025, 12, 3), 64),
    ("stp_cb1", D(2025, 10, 9), 42),
    ("stp_cb2", D(2025, 10, 22), 76),
    ("syt", D(2025, 11, 5), 58),
    ("syt", D(2025, 11, 12), 95),
    ("syt_cb1", D(2025, 11, 20), 70),
    ("syt_cb1", D(2025, 11, 27), 61),
    ("syt", D(2025, 12, 10), 45),
    ("root", D(2025, 12, 31), 132),
]


def _value(unit, period, code):
    row = DataValue.objects.filter(unit=unit, period=period, element__code=code, category="").first()
    return row.value if row else None


def _total(unit, period, code):
    """The unit's figure: its own value plus the roll-up of its strict descendants."""
    row = ElementRollup.objects.filter(unit=unit, period=period, element__code=code).first()
    return (_value(unit, period, code) or 0) + (row.value if row else 0)


def _record(tree, spec, plan):
    return [
        services.class_save(spec=spec(getattr(tree, name), held_on=day, participants=count), by=SYSTEM)
        for name, day, count in plan
    ]


def test_the_seed_figures_of_a_period_prepared_after_the_records(tree, reports, spec):
    assert sum(count for _n, _d, count in SEED_001) == 998
    _record(tree, spec, SEED_001)
    _record(tree, spec, [("stp", D(2025, 6, 30), 500), ("stp", D(2026, 1, 1), 500)])  # outside the period
    period = reports.period("2025S2")
    assert (
        _value(tree.stp, period, "TRAINING_CLASSES"),
        _value(tree.stp, period, "TRAINING_PARTICIPANTS"),
    ) == (
        3,
        269,
    )
    assert _value(tree.stp_cb2, period, "TRAINING_CLASSES") == 1
    assert _total(tree.stp, period, "TRAINING_CLASSES") == 5  # STP and its cells
    assert _total(tree.root, period, "TRAINING_CLASSES") == 12
    assert _total(tree.root, period, "TRAINING_PARTICIPANTS") == 998


def test_the_figures_follow_each_change_of_a_prepared_period(tree, reports, spec):
    period, next_period = reports.period("2025S2"), reports.period("2026S1")
    saved = _record(tree, spec, SEED_001)
    assert _total(tree.root, period, "TRAINING_CLASSES") == 12
    assert _total(tree.root, period, "TRAINING_PARTICIPANTS") == 998
    # Moved to another unit and into the next half-year: both periods and both units follow.
    moved = saved[1]
    services.class_save(
        spec=spec(tree.syt, held_on=D(2026, 2, 2), participants=85), training_class=moved, by=SYSTEM
    )
    assert _value(tree.stp, period, "TRAINING_CLASSES") == 2
    assert _value(tree.stp, period, "TRAINING_PARTICIPANTS") == 184
    assert (
        _value(tree.syt, next_period, "TRAINING_CLASSES"),
        _total(tree.root, next_period, "TRAINING_PARTICIPANTS"),
    ) == (
        1,
        85,
    )
    assert _total(tree.root, period, "TRAINING_CLASSES") == 11
    # Deleted: the unit's last class of the period takes its values away.
    services.class_delete(training_class=saved[4], by=SYSTEM)
    assert _value(tree.stp_cb1, period, "TRAINING_CLASSES") is None
    assert _total(tree.root, period, "TRAINING_PARTICIPANTS") == 998 - 85 - 42


def test_the_records_link_lists_what_the_figure_counts(tree, reports, spec, login, personas):
    period = reports.period("2025S2")
    _record(tree, spec, SEED_001)
    url = SOURCES["training.classes"].records(tree.stp.pk, period)
    query = parse_qs(urlsplit(url).query)
    assert query == {"unit": ["STP"], "from": ["2025-07-01"], "to": ["2025-12-31"]}
    assert SOURCES["training.participants"].records(tree.stp.pk, period) == url
    page = login(personas["viewer"]).get(url)
    assert page.status_code == 200
    # The report of STP shows what is counted at STP and below it; the link lists those very classes.
    assert _total(tree.stp, period, "TRAINING_CLASSES") > (_value(tree.stp, period, "TRAINING_CLASSES") or 0)
    assert page.context["totals"].classes == _total(tree.stp, period, "TRAINING_CLASSES")
    assert page.context["totals"].participants == _total(tree.stp, period, "TRAINING_PARTICIPANTS")


def test_the_counted_figures_cannot_be_typed_into_a_report(tree, reports, spec, personas):
    from danvan.reports import services as report_services

    period = reports.period("2025S2")
    _record(tree, spec, SEED_001[1:4])
    report = report_services.report_open(
        form=reports.forms["BC-DV-6T"], unit=tree.stp, period=period, by=SYSTEM
    )
    for code in ("TRAINING_CLASSES", "TRAINING_PARTICIPANTS"):
        with pytest.raises(ValidationError) as error:
            report_services.values_save(report=report, values={code: 99}, by=personas["reporter"])
        assert "được tính từ hồ sơ, không nhập tay" in error.value.message_dict[code][0]
    assert _value(tree.stp, period, "TRAINING_CLASSES") == 3
    assert _value(tree.stp, period, "TRAINING_PARTICIPANTS") == 269
