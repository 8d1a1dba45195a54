"""The report figures from the register: MEDIATION_CASES, MEDIATION_SUCCESSFUL and the success rate."""

import datetime
import io
import json

import pytest
from django.core.management import call_command

from danvan.activities.mediation import services
from danvan.activities.mediation.models import Case
from danvan.reports import sources as report_sources

from .helpers import SYSTEM, spec

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def catalogue_loaded(tree):
    from django.apps import apps

    from danvan.reports import catalogue
    from danvan.reports.models import ReportingCalendar

    ReportingCalendar.objects.get_or_create(id=1)
    catalogue.ensure(apps)


def _bulk(units, received: int, successful: int, start: datetime.date = datetime.date(2025, 7, 1)):
    """`received` cases over `units` in the second half of 2025, `successful` of them successful."""
    cases = []
    for i in range(received):
        day = start + datetime.timedelta(days=i % 180)
        ok = i < successful
        cases.append(
            Case(
                unit=units[i % len(units)],
                received_on=day,
                mediators="Nguyễn Thị Lan",
                parties="Hai hộ liền kề",
                content="Tranh chấp",
                result="successful" if ok else "unsuccessful",
                concluded_on=day + datetime.timedelta(days=1),
            )
        )
    Case.objects.bulk_create(cases)


def _value(unit, code, element):
    from danvan.reports.models import DataValue

    row = DataValue.objects.filter(unit=unit, period__code=code, element__code=element).first()
    return row.value if row else None


def test_the_catalogue_reads_the_two_case_sources(catalogue_loaded):
    from danvan.reports.models import DataElement

    sources = dict(DataElement.objects.filter(code__startswith="MEDIATION_").values_list("code", "source"))
    assert sources == {
        "MEDIATION_CASES": "mediation.cases_received",
        "MEDIATION_SUCCESSFUL": "mediation.cases_successful",
    }
    assert {"mediation.cases_received", "mediation.cases_successful"} <= set(report_sources.SOURCES)


def test_seed_001_gives_a_success_rate_of_73_5(tree, catalogue_loaded):
    from danvan.reports import selectors
    from danvan.reports import services as report_services
    from danvan.reports.models import Indicator

    _bulk([tree.stp, tree.stp_cb1, tree.stp_cb2, tree.syt, tree.syt_cb1], 2276, 1673)
    period = report_services.period_get(code="2025S2", by=SYSTEM)
    rate = Indicator.objects.get(code="MEDIATION_SUCCESS_RATE")
    figures = selectors.figures(unit=tree.root, period=period, indicator=rate)
    assert (figures.numerator, figures.denominator) == (1673, 2276)
    assert round(float(figures.value), 1) == 73.5

    out = io.StringIO()
    call_command("analytics", unit="DUK", period="2025S2", indicator="MEDIATION_SUCCESS_RATE", stdout=out)
    assert "1673/2276" in out.getvalue() and "73,5" in out.getvalue()
    out = io.StringIO()
    call_command(
        "analytics", unit="DUK", period="2025S2", indicator="MEDIATION_SUCCESS_RATE", json=True, stdout=out
    )
    data = json.loads(out.getvalue())
    assert (data["numerator"], data["denominator"]) == (1673, 2276)


def test_the_figures_follow_every_write_in_prepared_periods(tree, catalogue_loaded):
    from danvan.reports import services as report_services

    report_services.period_get(code="2025S2", by=SYSTEM)
    case = services.case_record(spec=spec(tree.stp_cb1), by=SYSTEM)
    assert _value(tree.stp_cb1, "2025S2", "MEDIATION_CASES") == 1
    assert _value(tree.stp_cb1, "2025S2", "MEDIATION_SUCCESSFUL") == 1
    ongoing = services.case_record(
        spec=spec(tree.stp_cb1, result="ongoing", agreement="", concluded_on=None), by=SYSTEM
    )
    assert (
        _value(tree.stp_cb1, "2025S2", "MEDIATION_CASES"),
        _value(tree.stp_cb1, "2025S2", "MEDIATION_SUCCESSFUL"),
    ) == (2, 1)
    # Moved to another unit and another half-year: the old unit and date follow too.
    services.case_update(
        case=case, spec=spec(tree.syt, received_on=D(2025, 10, 2), concluded_on=D(2025, 10, 3)), by=SYSTEM
    )
    assert _value(tree.stp_cb1, "2025S2", "MEDIATION_SUCCESSFUL") == 0
    assert _value(tree.syt, "2025S2", "MEDIATION_CASES") == 1
    services.case_delete(case=ongoing, by=SYSTEM)
    assert _value(tree.stp_cb1, "2025S2", "MEDIATION_CASES") is None  # no case left: no value
    from danvan.reports.models import ElementRollup

    rolled = ElementRollup.objects.get(period__code="2025S2", unit=tree.root, element__code="MEDIATION_CASES")
    assert rolled.value == 1


def test_records_is_the_register_filtered_to_the_unit_and_the_period(tree, catalogue_loaded, personas, login):
    from danvan.reports import services as report_services

    services.case_record(spec=spec(tree.stp_cb1), by=SYSTEM)
    services.case_record(spec=spec(tree.stp_cb2, parties="Hộ ông C và hộ ông D"), by=SYSTEM)
    services.case_record(
        spec=spec(tree.stp_cb1, received_on=D(2025, 3, 1), concluded_on=D(2025, 3, 2), parties="Vụ năm cũ"),
        by=SYSTEM,
    )
    period = report_services.period_get(code="2025S2", by=SYSTEM)
    url = report_sources.SOURCES["mediation.cases_received"].records(tree.stp_cb1.pk, period)
    assert url == "/activities/mediation/?unit=STP-CB1&from=2025-07-01&to=2025-12-31"
    html = login(personas["viewer"]).get(url).content.decode()
    assert "Ông Nguyễn Văn A" in html and "Hộ ông C" not in html and "Vụ năm cũ" not in html
    successful = report_sources.SOURCES["mediation.cases_successful"].records(tree.stp_cb1.pk, period)
    assert "result=successful" in successful
