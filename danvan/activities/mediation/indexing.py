"""Grassroots mediation cases in the one search, with ACTIVITY_VIEW at the case's unit (registers.Searched).

What is indexed is what the case's page shows every holder of ACTIVITY_VIEW there (the parties
included, as the page and the register's list show them): nothing kept from that page is searched.
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.activities.registers import Found, Searched
from danvan.core.dates import day_text

from .models import Case

TITLE_CHARS = 120


def _headline(text: str) -> str:
    first = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    return first if len(first) <= TITLE_CHARS else first[: TITLE_CHARS - 1].rsplit(" ", 1)[0] + "…"


def _found(case: Case) -> Found:
    return Found(
        title=f"{_('Mediation case')} {day_text(case.received_on)}: {_headline(case.content)}",
        url=reverse("mediation:case", args=[case.pk]),
        unit=case.unit,
        context=(case.unit.name, case.team.name if case.team else "", case.get_result_display()),
        text=(case.content, case.parties, case.mediators, case.agreement, case.demands, case.notes),
    )


SEARCHED = Searched(
    kind="mediation",
    label=gettext_lazy("Mediation case"),
    rows=lambda: Case.objects.select_related("unit", "team"),
    found=_found,
    order=45,
)
