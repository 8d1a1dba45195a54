"""The figures both review-report test files build their reports from."""

import datetime

import pytest

from danvan.reports.tests.conftest import approved, indicators, prepare  # noqa: F401 - the reports fixtures

STP_VALUES = {
    "STAFF_ELIGIBLE": 1000,
    "STAFF_IN_MASS_ORGS": 1000,  # 100 %: met (admin_agency ≥ 100 %)
    "MEMBERS_TOTAL": 2000,
    "MEMBERS_ACTIVE": 1470,  # 73,5 %: not met (≥ 80 %)
    "MASS_ORGS_TOTAL": 10,
    "MASS_ORGS_STRONG": 9,
}
SYT_VALUES = {
    "STAFF_ELIGIBLE": 673,
    "STAFF_IN_MASS_ORGS": 600,  # 89,2 %: not met (public_service_unit ≥ 100 %)
    "MEMBERS_TOTAL": 1000,
    "MEMBERS_ACTIVE": 900,  # 90 %: met
    "MASS_ORGS_TOTAL": 5,
    "MASS_ORGS_STRONG": 5,
}


@pytest.fixture
def figures(tree, personas, approved):  # noqa: F811
    """Typed values approved for both grassroots units, and three training classes in the registers
    (counted by their source when the period is prepared): 1.000 + 0 + 673 = 1.673 participants."""
    from danvan.activities.training import services
    from danvan.activities.training.specs import ClassSpec

    for unit, participants in ((tree.stp, 1000), (tree.stp, 0), (tree.syt, 673)):
        spec = ClassSpec(
            unit=unit, title="Tập huấn", held_on=datetime.date(2026, 3, 2), participants=participants
        )
        services.class_save(spec=spec, by=personas["admin"])
    approved(tree.stp, "2026S1", STP_VALUES)
    approved(tree.syt, "2026S1", SYT_VALUES)
