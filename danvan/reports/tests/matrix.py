"""Reports, dashboards and the indicator catalogue in the permission matrix."""

from django.apps import apps

from danvan.accounts.actors import System
from danvan.accounts.policy import Perm
from danvan.core.testing.matrix import Made

FORM = "BC-DV-6T"
PERIOD = "2026S1"
SEE = (Perm.REPORT_VIEW, Perm.REPORT_ENTER)  # a unit's reports: viewers and those who enter them


def _seeded():
    from danvan.reports import catalogue, services
    from danvan.reports.models import ReportingCalendar

    ReportingCalendar.objects.get_or_create(id=1)
    catalogue.ensure(apps)
    # Prepared before the GETs, as the nightly job does: pages only read periods.
    return services.period_get(code=PERIOD, by=System("tests"))


def grid(world, unit):
    _seeded()
    return {"form_code": FORM, "unit_code": unit.code, "period_code": PERIOD}


def figures(world, unit):
    from danvan.reports.models import Indicator

    _seeded()
    code = Indicator.objects.order_by("pk").first().code
    return Made({}, query={"unit": unit.code, "period": PERIOD, "indicator": code})


def table(world, unit):
    _seeded()
    return Made({}, query={"unit": unit.code, "period": PERIOD})


def report(world, unit):
    from danvan.reports.models import Report, ReportForm

    period = _seeded()
    made = Report.objects.create(form=ReportForm.objects.get(code=FORM), unit=unit, period=period)
    return {"pk": made.pk}


def completeness(world, unit):
    _seeded()
    return {"form_code": FORM, "period_code": PERIOD}


def target(world, unit):
    from danvan.reports.models import Indicator, Target

    _seeded()
    made = Target.objects.create(indicator=Indicator.objects.order_by("pk").first(), value=73)
    return {"pk": made.pk}


def element(world, unit):
    from danvan.reports.models import DataElement

    _seeded()
    return {"code": DataElement.objects.order_by("pk").first().code}


def indicator(world, unit):
    from danvan.reports.models import Indicator

    _seeded()
    return {"code": Indicator.objects.order_by("pk").first().code}


def form(world, unit):
    _seeded()
    return Made({"code": FORM})


def register(matrix):
    view = Perm.REPORT_VIEW
    matrix.listing("reports:home", perm=None)
    matrix.read(
        "reports:grid",
        perm=SEE,
        make=grid,
        above=False,  # the bloc does not report on this form: its grid is 404 to everyone
    )
    matrix.write_only("reports:grid_save", perm=Perm.REPORT_ENTER, make=grid, note="POST: the grid's values")
    matrix.write_only("reports:grid_action", perm=Perm.REPORT_ENTER, make=grid, note="POST: a workflow step")
    matrix.read(
        "reports:template_download",
        perm=Perm.REPORT_ENTER,
        make=grid,
        above=False,  # the bloc does not report on this form: its grid is 404 to everyone
    )
    matrix.read(
        "reports:template_upload",
        perm=Perm.REPORT_ENTER,
        make=grid,
        above=False,  # the bloc does not report on this form: its grid is 404 to everyone
    )
    matrix.read("reports:completeness", perm=view, make=completeness, shared=True)
    matrix.listing("reports:dashboard", perm=view)
    matrix.listing("reports:ranking", perm=view)
    matrix.write_only("reports:period_prepare", perm=view, note="POST: prepare a period now")
    matrix.listing("reports:catalogue", perm=view)
    matrix.listing("reports:target_add", perm=Perm.CATALOGUE_MANAGE, root=True)
    matrix.read("reports:target_edit", perm=Perm.CATALOGUE_MANAGE, make=target, shared=True, root=True)
    matrix.write_only(
        "reports:target_delete", perm=Perm.CATALOGUE_MANAGE, make=target, shared=True, note="POST: delete"
    )
    matrix.listing("reports:import_values", perm=Perm.VALUE_IMPORT, root=True)

    matrix.listing("api-data-values", perm=view)
    # A unit named in the query string and out of sight gets the "unknown code" message, as an unknown one.
    unknown = frozenset({400})
    matrix.read("api-analytics", perm=view, make=figures, foreign=unknown, lacking=unknown)
    matrix.read("api-analytics-table", perm=view, make=table, foreign=unknown, lacking=unknown)
    for name, make in (("data-element", element), ("indicator", indicator), ("report-form", form)):
        matrix.listing(f"{name}-list", perm=view)
        matrix.read(f"{name}-detail", perm=view, make=make, shared=True)
    matrix.listing("target-list", perm=view)
    matrix.read("target-detail", perm=view, make=target, shared=True)
    matrix.listing("report-list", perm=view)
    matrix.read("report-detail", perm=view, make=report)
    for step in ("approve", "lock", "reopen", "return", "submit", "sign", "send_back"):
        matrix.write_only(f"report-{step}", perm=view, make=report, note="POST: a workflow step")
