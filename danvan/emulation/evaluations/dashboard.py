"""The evaluations' panel on the reports dashboard (`reports.panels`, issue 15 item 4): the emulation ranking
of the dashboard unit's children — the level below it — for the dashboard period's year, or its half-year
when the dashboard shows a half-year (2026S1, or the reporting half 2026RS1, ranks the evaluations of
2026S1; a month, a quarter, a year or a reporting year ranks those of its year).

Scoped exactly as the ranking page: nothing when the user lacks EMULATION_VIEW at the unit, and only the
children the user may see. The first ranks only (`TOP`; units tied at the last rank shown all stay), with a
link to the whole ranking and to its XLSX; when no child is classified yet, one line says so. It reads
only, in a fixed number of queries whatever the number of children (`selectors.ranking`: the unit's
place in the tree, its children, their evaluations).
"""

from typing import Any

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from danvan.accounts import policy
from danvan.accounts.policy import Perm
from danvan.orgs.models import Unit
from danvan.reports import periods
from danvan.reports.panels import Panel

from . import selectors

TOP = 10
HALF_YEARS = ("semiannual", "reporting_half")


def evaluation_code(period: Any) -> str:
    """The evaluation period (selectors.period_span) a dashboard period stands for: its half-year or its year."""
    found = periods.span(period.code)  # the year and the half do not depend on the reporting calendar
    if found.period_type in HALF_YEARS:
        return f"{found.year}S{found.index}"
    return str(found.year)


def _in_sentence(words: str) -> str:
    """ "Năm 2025" inside a sentence: "năm 2025"."""
    return words[:1].lower() + words[1:]


def collect(user: Any, unit: Unit, period: Any) -> Panel | None:
    if not policy.can(user, Perm.EMULATION_VIEW, unit):
        return None
    code = evaluation_code(period)
    rows = selectors.ranking(user=user, unit=unit, code=code)
    if not rows:  # no unit below this one (that the user sees): nothing to rank
        return None
    ranked = [row for row in rows if row.rank is not None]
    words = periods.period_words(code)
    query = urlencode({"unit": unit.code, "period": code})
    return Panel(
        title=_("Emulation ranking of the units below, %(period)s") % {"period": _in_sentence(words)},
        template="evaluations/_dashboard_panel.html",
        context={
            "rows": [row for row in ranked if row.rank is not None and row.rank <= TOP],
            "ranked": len(ranked),
            "unranked": len(rows) - len(ranked),
            "empty": _("No unit has been classified for %(period)s yet.") % {"period": _in_sentence(words)},
            "ranking_url": f"{reverse('evaluations:ranking')}?{query}",
            "xlsx_url": f"{reverse('evaluations:ranking_xlsx')}?{query}",
        },
    )
