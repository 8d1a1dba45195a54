"""The register's part of the activities overview (`activities.registers.Register.overview`)."""

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from danvan.activities.registers import Figure

from . import selectors


def figures(user, year: int) -> list[Figure]:
    """Boards in term, recommendations of the year awaiting an answer, and those overdue."""
    counted = selectors.overview(user, year, timezone.localdate())
    url = reverse("boards:home")
    return [
        Figure(
            _("Boards in term"),
            formats.number_format(counted.in_term, force_grouping=True),
            f"{url}?state=in_term",
        ),
        Figure(
            _("Recommendations awaiting an answer"),
            formats.number_format(counted.open, force_grouping=True),
            url,
        ),
        Figure(
            _("Recommendations overdue"), formats.number_format(counted.overdue, force_grouping=True), url
        ),
    ]
