"""The figures the reports read from the thematic cell meetings (sources of `danvan.reports.sources`).

- "cells.cells": 1 for every unit of type "cell" in the period's tree at the period's end
  (`PeriodUnit`, as the organisation registry counts grassroots organisations). A cell that ended
  within the period is NOT counted (nor is its meeting): it is no longer in the tree at the period's
  end, exactly as `reports.sources._count_grassroots` leaves out ended grassroots organisations. A
  cell moved under another grassroots organisation counts where the tree at the period's end puts it.
- "cells.with_thematic_meeting": for those cells, 1 if the cell held at least one thematic meeting
  within the period, else 0.

The roll-up sums both up the tree, so a grassroots organisation with 3 of its 4 cells meeting reads
CELL_MEETING_RATE = 3 / 4 × 100 = 75 %. `records` is the register's list filtered to the unit's
subtree and the period's dates.

`refresh` is called by the services inside the transaction of every write (create, change, delete,
import): the prepared periods containing the days touched are recomputed for the cells concerned.
"""

import datetime

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from danvan.reports import sources as report_sources

from . import selectors

CELLS = "cells.cells"
WITH_MEETING = "cells.with_thematic_meeting"
SOURCE_KEYS = [CELLS, WITH_MEETING]


def _cells(period, unit_ids):
    return dict.fromkeys(selectors.period_cells(period, unit_ids), 1)


def _with_meeting(period, unit_ids):
    cells = selectors.period_cells(period, unit_ids)
    met = selectors.cells_with_meeting(cells, period.start, period.end, every=unit_ids is None)
    return {cell: int(cell in met) for cell in cells}


def records(unit_id: int, period) -> str:
    """The list of the meetings a figure counts: the unit's subtree, the period's dates."""
    code = selectors.unit_code(unit_id)
    query = {"from": period.start.isoformat(), "to": period.end.isoformat()}
    if code:
        query = {"unit": code, **query}
    return f"{reverse('cells:list')}?{urlencode(query)}"


def register() -> None:
    """Give the reports module the cell sources (called from the app's ready())."""
    report_sources.register(
        report_sources.Source(CELLS, _("Party cells (thematic cell meetings)"), _cells, records=records)
    )
    report_sources.register(
        report_sources.Source(
            WITH_MEETING,
            _("… with a thematic meeting on mobilisation in the period (thematic cell meetings)"),
            _with_meeting,
            records=records,
        )
    )


def refresh(unit_ids: set[int], days: set[datetime.date]) -> None:
    """Recompute the cell figures of these cells in the prepared periods containing any of `days`."""
    report_sources.refresh_days(unit_ids, days, keys=SOURCE_KEYS)
