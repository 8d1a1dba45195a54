"""The report figures from the register: "cells.cells", "cells.with_thematic_meeting" and CELL_MEETING_RATE
through `danvan analytics`, kept current by every write, following the tree at the period's end."""

import datetime
import io
import json

import pytest
from django.core.management import call_command

from danvan.accounts.actors import System
from danvan.activities.cells import services, sources
from danvan.activities.cells.models import Meeting
from danvan.reports.models import DataValue

pytestmark = pytest.mark.django_db
SYSTEM = System("tests")


def _analytics(unit, indicator="CELL_MEETING_RATE", period="2026S1") -> dict:
    out = io.StringIO()
    call_command(
        "analytics", "--unit", unit, "--period", period, "--indicator", indicator, "--json", stdout=out
    )
    return json.loads(out.getvalue())


def _meet(unit, day=datetime.date(2026, 3, 12), by=SYSTEM):
    spec = services.MeetingSpec(unit=unit, held_on=day, topic="Dân vận khéo", attendees=10)
    return services.meeting_create(spec=spec, by=by)


def test_three_of_four_cells_meeting_give_75_percent_and_the_roll_up_sums_the_cells(cells, prepare):
    prepare("2026S1")  # prepared first: each write below refreshes it in its own transaction
    _meet(cells.stp_cb1)
    _meet(cells.stp_cb2, datetime.date(2026, 6, 30))
    _meet(cells.stp_cb2, datetime.date(2026, 5, 2))  # a second meeting of a cell counts once
    _meet(cells.stp_cb3, datetime.date(2026, 1, 1))
    _meet(cells.stp_cb4, datetime.date(2026, 7, 1))  # outside the half-year
    _meet(cells.syt_cb1, datetime.date(2025, 12, 31))  # outside the half-year

    stp = _analytics("STP")
    assert (stp["numerator"], stp["denominator"], stp["value"]) == (3, 4, 75.0)
    assert (stp["target"], stp["met"]) == (100, False)
    bloc = _analytics("DUK")
    assert (bloc["numerator"], bloc["denominator"], bloc["value"]) == (3, 5, 60.0)
    cell = _analytics("STP-CB1")
    assert (cell["numerator"], cell["denominator"]) == (1, 1)
    assert _analytics("SYT")["value"] == 0


def test_a_change_and_a_delete_move_the_figures_at_once(cells, prepare):
    prepare("2026S1")
    meeting = _meet(cells.stp_cb1)
    assert _analytics("STP")["numerator"] == 1

    services.meeting_update(
        meeting=meeting,
        spec=services.MeetingSpec(
            unit=cells.stp_cb1, held_on=datetime.date(2026, 8, 1), topic="A", attendees=3
        ),
        by=SYSTEM,
    )
    assert _analytics("STP")["numerator"] == 0
    assert _analytics("STP", period="2026S2")["numerator"] == 1  # the command prepares the second half-year

    services.meeting_update(
        meeting=meeting,
        spec=services.MeetingSpec(
            unit=cells.stp_cb2, held_on=datetime.date(2026, 2, 1), topic="A", attendees=3
        ),
        by=SYSTEM,
    )
    assert _analytics("STP")["numerator"] == 1
    services.meeting_delete(meeting=Meeting.objects.get(), by=SYSTEM)
    assert (_analytics("STP")["numerator"], _analytics("STP")["denominator"]) == (0, 4)


def test_an_import_refreshes_the_figures_once_for_all_its_rows(cells, prepare, personas):
    from danvan.activities.registers import Row

    prepare("2026S1")
    rows = [
        Row(2, {"unit_code": "STP-CB1", "held_on": "2026-03-01", "topic": "A", "attendees": 4}),
        Row(3, {"unit_code": "STP-CB3", "held_on": "2026-04-01", "topic": "B", "attendees": 4}),
    ]
    services.import_rows(rows=rows, by=personas["mobilisation_officer"])

    assert (_analytics("STP")["numerator"], _analytics("STP")["denominator"]) == (2, 4)


def test_a_cell_that_ended_within_the_period_is_not_counted(cells, indicators):
    from danvan.orgs.services import unit_dissolve
    from danvan.reports import services as report_services

    Meeting.objects.create(unit=cells.stp_cb4, held_on=datetime.date(2026, 2, 1), topic="A", attendees=3)
    unit_dissolve(unit=cells.stp_cb4, effective_on=datetime.date(2026, 3, 1), by=SYSTEM)
    Meeting.objects.create(unit=cells.stp_cb1, held_on=datetime.date(2026, 2, 1), topic="A", attendees=3)

    report_services.period_get(code="2026S1", by=SYSTEM)

    assert (_analytics("STP")["numerator"], _analytics("STP")["denominator"]) == (1, 3)


def test_a_cell_moved_to_another_grassroots_counts_where_the_tree_at_the_period_end_puts_it(
    cells, indicators
):
    from danvan.orgs.services import unit_move
    from danvan.reports import services as report_services

    Meeting.objects.create(unit=cells.stp_cb4, held_on=datetime.date(2026, 2, 1), topic="A", attendees=3)
    unit_move(unit=cells.stp_cb4, new_parent=cells.syt, effective_on=datetime.date(2026, 3, 1), by=SYSTEM)

    report_services.period_get(code="2026S1", by=SYSTEM)

    assert (_analytics("STP")["numerator"], _analytics("STP")["denominator"]) == (0, 3)
    assert (_analytics("SYT")["numerator"], _analytics("SYT")["denominator"]) == (1, 2)


def test_the_figures_link_to_the_list_filtered_to_the_unit_and_the_period(cells, prepare, login, personas):
    period = prepare("2026S1")
    _meet(cells.stp_cb1, datetime.date(2026, 3, 1))
    _meet(cells.stp_cb1, datetime.date(2026, 9, 1))
    _meet(cells.syt_cb1, datetime.date(2026, 3, 1))

    url = sources.records(cells.stp.pk, period)

    assert url == "/activities/cells/?unit=STP&from=2026-01-01&to=2026-06-30"
    page = login(personas["admin"]).get(url)
    assert [m.held_on for m in page.context["meetings"]] == [datetime.date(2026, 3, 1)]
    assert DataValue.objects.filter(element__code="CELLS_TOTAL", period=period, unit=cells.stp_cb1).exists()
