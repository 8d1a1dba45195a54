"""The figures the reports read from the evaluations (sources of `danvan.reports.sources`).

For a year or half-year period (2025, 2025S1, 2025S2), each unit with a FINAL evaluation of that very
period counts 1 in "evaluations.final" and 1 in the source of its classification (0 in the others).
The roll-up sums them up the tree, so a bloc reads, for its subtree, how many units were classified and
how many in each level; the share of a level is an indicator "classified X / classified".
`records` is the list of evaluations filtered to the unit's subtree and the period.
A classification refreshes the prepared periods of its evaluation inside its own transaction.
"""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from danvan.reports import sources as report_sources

from . import selectors
from .models import Classification

FINAL = "evaluations.final"
BY_LEVEL = {
    Classification.OUTSTANDING: "evaluations.outstanding",
    Classification.GOOD: "evaluations.good",
    Classification.PASSED: "evaluations.passed",
    Classification.FAILED: "evaluations.failed",
}
SOURCE_KEYS = [FINAL, *BY_LEVEL.values()]


def _compute(level: str):
    def compute(period, unit_ids):
        return selectors.classified(period.code, unit_ids, level)

    return compute


def records(unit_id: int, period) -> str:
    code = selectors.unit_code(unit_id)
    query = {"period": period.code}
    if code:
        query["unit"] = code
    return f"{reverse('evaluations:home')}?{urlencode(query)}"


def register() -> None:
    report_sources.register(
        report_sources.Source(FINAL, _("Units classified (evaluations)"), _compute(""), records=records)
    )
    labels = {
        Classification.OUTSTANDING: _("… classified excellent task completion (evaluations)"),
        Classification.GOOD: _("… classified good task completion (evaluations)"),
        Classification.PASSED: _("… classified task completion (evaluations)"),
        Classification.FAILED: _("… classified task not completed (evaluations)"),
    }
    for level, key in BY_LEVEL.items():
        report_sources.register(report_sources.Source(key, labels[level], _compute(level), records=records))


def refresh(unit_id: int, day) -> None:
    report_sources.refresh_days({unit_id}, {day}, keys=SOURCE_KEYS)
