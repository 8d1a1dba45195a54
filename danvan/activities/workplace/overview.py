"""The workplace registers in the activities registry (not importable): the staff conference and the
disclosures to staff, each with its figures for the activities overview."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.activities.registers import Figure, Register
from danvan.activities.registers import register as add

from . import selectors


def conference_figures(user, year: int) -> list[Figure]:
    rows = selectors.standings(user, year)
    counts = selectors.count_states(rows)
    held = counts[selectors.ON_TIME] + counts[selectors.LATE]
    url = f"{reverse('workplace:home')}?year={year}"
    return [
        Figure(_("Agencies that held the staff conference"), f"{held}/{len(rows)}", url),
        Figure(_("Held late"), str(counts[selectors.LATE]), url),
    ]


def disclosure_figures(user, year: int) -> list[Figure]:
    units = selectors.agencies(user, year)
    missing = selectors.missing_counts(units, year)
    url = f"{reverse('workplace:disclosures')}?year={year}"
    return [
        Figure(_("Required disclosures still missing"), str(sum(missing.values())), url),
        Figure(
            _("Agencies that disclosed every required content"),
            f"{sum(1 for count in missing.values() if count == 0)}/{len(units)}",
            url,
        ),
    ]


def register() -> None:
    add(
        Register(
            key="staff_conference",
            label=gettext_lazy("Staff conferences"),
            url_name="workplace:home",
            order=20,
            overview=conference_figures,
        )
    )
    add(
        Register(
            key="disclosure",
            label=gettext_lazy("Disclosures to staff"),
            url_name="workplace:disclosures",
            order=40,
            overview=disclosure_figures,
        )
    )
