"""Reads never write: no reports page or API read creates or prepares a period, opens a report or logs.

Each read is asked for a period that has never been prepared: one soon to come, one long past (1991)
and one far ahead (2099). The rows of every table such a read used to write (the period, its tree,
the roll-ups, the values derived from the registers) are counted before and after: nothing changes,
and the page says in Vietnamese that the period has no figures yet ("chưa có số liệu") and is
prepared by the nightly job (with a button for whoever may prepare it now), or the API answers 404
(no such period) or 409 (not prepared yet) with the same explanation. (Every GET of the permission
matrix is watched for writes by danvan/core/tests/test_reads_write_nothing.py.)
"""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from danvan.accounts.actors import System
from danvan.audit.models import AuditEvent
from danvan.reports import periods, selectors, services
from danvan.reports.models import (
    DataValue,
    ElementRollup,
    IndicatorRollup,
    Period,
    PeriodUnit,
    Report,
    ReportForm,
    UnitIndicator,
)

pytestmark = pytest.mark.django_db

SYSTEM = System("tests")
FRESH = "2031S1"  # never prepared
FORM = "BC-DV-6T"
FAR = ("1991S1", "2099S2")  # long before any unit existed, and far ahead
EXPLAINED = "chưa được chuẩn bị"
NO_FIGURES = "chưa có số liệu"
NIGHTLY = "mỗi đêm"
COUNTED = (Period, Report, PeriodUnit, ElementRollup, IndicatorRollup, AuditEvent, DataValue, UnitIndicator)


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def _indicator(indicators) -> str:
    return next(iter(indicators.indicators))


PAGES = {
    "dashboard": lambda code: reverse("reports:dashboard") + f"?unit=STP&period={code}",
    "dashboard, default period": lambda code: reverse("reports:dashboard") + "?unit=STP",
    "dashboard as Excel": lambda code: reverse("reports:dashboard") + f"?unit=STP&period={code}&format=xlsx",
    "ranking": lambda code: reverse("reports:ranking") + f"?unit=STP&period={code}",
    "ranking as Excel": lambda code: reverse("reports:ranking") + f"?unit=STP&period={code}&format=xlsx",
    "entry grid": lambda code: reverse("reports:grid", args=[FORM, "STP", code]),
    "completeness": lambda code: reverse("reports:completeness", args=[FORM, code]) + "?unit=STP",
    "due list": lambda code: reverse("reports:home"),
    "template download": lambda code: reverse("reports:template_download", args=[FORM, "STP", code]),
    "template upload page": lambda code: reverse("reports:template_upload", args=[FORM, "STP", code]),
}


@pytest.mark.parametrize("page", list(PAGES))
@pytest.mark.parametrize("persona", ["reporter", "admin"])
def test_a_page_of_a_period_never_prepared_writes_nothing_and_says_why(
    page, persona, tree, indicators, personas, login
):
    client = login(personas[persona])
    before = _counts()

    response = client.get(PAGES[page](FRESH))

    assert _counts() == before
    if response.status_code == 403:  # the level above may not download a unit's template
        assert persona == "admin" and page.startswith("template")
        return
    assert response.status_code == 200
    html = response.content.decode()
    assert EXPLAINED in html and NIGHTLY in html and NO_FIGURES in html
    assert reverse("reports:period_prepare") in html  # whoever may view reports may prepare it now


@pytest.mark.parametrize("code", FAR)
@pytest.mark.parametrize(
    "page", [page for page in PAGES if page not in ("due list", "dashboard, default period")]
)
def test_a_page_of_a_far_period_creates_no_period_and_says_there_are_no_figures_yet(
    code, page, tree, indicators, personas, login
):
    client = login(personas["admin" if page.startswith(("dashboard", "ranking")) else "reporter"])
    before = _counts()

    response = client.get(PAGES[page](code))

    assert _counts() == before
    assert selectors.period_find(code) is None
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Kỳ {periods.period_words(code)} {NO_FIGURES}" in html and NIGHTLY in html


def test_a_grid_of_a_period_created_but_not_prepared_writes_nothing_either(tree, indicators, personas, login):
    services.period_get(code=FRESH, by=SYSTEM, prepare=False)
    client = login(personas["reporter"])
    before = _counts()

    response = client.get(reverse("reports:grid", args=[FORM, "STP", FRESH]))

    assert _counts() == before
    assert response.status_code == 200 and EXPLAINED in response.content.decode()


@pytest.mark.parametrize("code", [FRESH, *FAR])
@pytest.mark.parametrize("endpoint", ["api-analytics", "api-analytics-table"])
def test_an_analytics_read_of_a_period_never_prepared_writes_nothing_and_answers_404(
    endpoint, code, tree, indicators, personas, api
):
    client = api(personas["viewer"])
    before = _counts()

    for _again in range(3):  # asked again and again (a dashboard polling), still nothing is made
        response = client.get(
            reverse(endpoint), {"unit": "STP", "period": code, "indicator": _indicator(indicators)}
        )
        assert response.status_code == 404

    assert _counts() == before
    detail = response.json()["detail"]
    assert f"Kỳ {code} {NO_FIGURES}" in detail and EXPLAINED in detail and "danvan prepare-periods" in detail


@pytest.mark.parametrize("endpoint", ["api-analytics", "api-analytics-table"])
def test_an_analytics_read_of_a_period_not_prepared_yet_answers_409(
    endpoint, tree, indicators, personas, api
):
    services.period_get(code=FRESH, by=SYSTEM, prepare=False)
    client = api(personas["admin"])
    before = _counts()

    response = client.get(
        reverse(endpoint), {"unit": "STP", "period": FRESH, "indicator": _indicator(indicators)}
    )

    assert _counts() == before
    assert response.status_code == 409
    assert EXPLAINED in response.json()["detail"]


def test_the_grid_shows_the_empty_form_and_the_first_save_opens_the_draft(tree, indicators, personas, login):
    services.period_get(code=FRESH, by=SYSTEM)
    client = login(personas["reporter"])
    url = reverse("reports:grid", args=[FORM, "STP", FRESH])
    before = _counts()

    html = client.get(url).content.decode()

    assert _counts() == before
    assert 'name="v_MEMBERS_TOTAL"' in html and "Chưa bắt đầu" in html
    bad = client.post(url, {"v_MEMBERS_TOTAL": "abc", "revision": "0"})
    assert bad.status_code == 400
    assert not Report.objects.filter(unit=tree.stp).exists()  # a refused first save opens nothing
    assert client.post(url, {"v_MEMBERS_TOTAL": "1.673", "revision": "0"}).status_code == 302
    report = Report.objects.get(unit=tree.stp, period__code=FRESH)
    assert report.status == Report.Status.DRAFT
    assert report.values.get(element__code="MEMBERS_TOTAL").value == 1673


def test_a_downloaded_template_opens_no_report_and_its_upload_opens_the_draft(
    tree, indicators, personas, login
):
    import io

    import openpyxl
    from django.core.files.uploadedfile import SimpleUploadedFile

    services.period_get(code=FRESH, by=SYSTEM)
    client = login(personas["reporter"])
    before = _counts()

    response = client.get(reverse("reports:template_download", args=[FORM, "STP", FRESH]))

    assert _counts() == before and response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    row = next(r for r in range(8, sheet.max_row + 1) if sheet[f"B{r}"].value == "STAFF_ELIGIBLE")
    sheet[f"E{row}"] = 50
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = reverse("reports:template_upload", args=[FORM, "STP", FRESH])
    response = client.post(upload, {"file": SimpleUploadedFile("bao-cao.xlsx", buffer.getvalue())})
    assert response.status_code == 200
    report = Report.objects.get(unit=tree.stp, period__code=FRESH)
    assert report.values.get(element__code="STAFF_ELIGIBLE").value == 50


def test_the_prepare_button_prepares_the_period_and_goes_back(tree, indicators, personas, login):
    client = login(personas["reporter"])
    page = reverse("reports:completeness", args=[FORM, FRESH]) + "?unit=STP"

    response = client.post(reverse("reports:period_prepare"), {"period": FRESH, "next": page})

    assert response.status_code == 302 and response["Location"] == page
    assert selectors.is_prepared(selectors.period_find(FRESH))
    assert EXPLAINED not in client.get(page).content.decode()
    elsewhere = client.post(
        reverse("reports:period_prepare"), {"period": FRESH, "next": "https://evil.example/"}
    )
    assert elsewhere["Location"] == reverse("reports:home")
    assert client.get(reverse("reports:period_prepare"))["Location"] == reverse("reports:home")  # not a 405
    nobody = login(personas["nobody"])
    before = _counts()
    assert nobody.post(reverse("reports:period_prepare"), {"period": "2032S1"}).status_code == 403
    assert _counts() == before


def test_periods_prepare_readies_the_previous_current_and_next_period_of_each_type_in_use(tree, indicators):
    today = datetime.date(2026, 8, 20)
    types = set(ReportForm.objects.filter(is_active=True).values_list("period_type", flat=True))

    done = services.periods_prepare(today=today, by=SYSTEM)

    codes = {period.code for period, _prepared in done}
    assert {"2026S1", "2026S2", "2027S1"} <= codes  # half-years: the dashboards open on the last ended one
    start = periods.reporting_start()
    for period_type in types:
        current = periods.containing(period_type, today, start)
        assert {periods.shift(current, -1, start), current, periods.shift(current, 1, start)} <= codes
    assert all(prepared for _period, prepared in done)
    assert all(selectors.is_prepared(period) for period, _prepared in done)
    # Again: nothing left to do.
    assert not any(prepared for _period, prepared in services.periods_prepare(today=today, by=SYSTEM))


def test_the_command_prepares_the_periods_around_the_date_given(tree, indicators, capsys):
    call_command("prepare-periods", "--date", "2026-08-20")

    out = capsys.readouterr().out
    assert "Đã chuẩn bị kỳ 2026S2." in out
    assert selectors.is_prepared(selectors.period_find("2026S2"))
    call_command("prepare-periods", "--date", "2026-08-20")
    assert "Kỳ 2026S2 đã sẵn sàng từ trước." in capsys.readouterr().out


def test_the_nightly_job_is_scheduled_early_in_the_morning():
    from danvan.celery import EXTRA_BEAT_SCHEDULE

    entry = EXTRA_BEAT_SCHEDULE["prepare-periods"]
    assert entry["task"] == "danvan.reports.tasks.prepare_periods"
    assert entry["schedule"].hour == {1}


def test_the_nightly_task_prepares_the_periods_of_today(tree, indicators):
    from danvan.reports.tasks import prepare_periods

    assert prepare_periods() > 0
    assert prepare_periods() == 0


def test_the_first_save_as_you_type_says_the_draft_is_open_and_its_state(tree, indicators, personas, login):
    import json

    services.period_get(code=FRESH, by=SYSTEM)
    client = login(personas["reporter"])
    html = client.get(reverse("reports:grid", args=[FORM, "STP", FRESH])).content.decode()
    assert 'id="grid-opened" hidden' in html  # the notice the page reveals after the first save
    save = reverse("reports:grid_save", args=[FORM, "STP", FRESH])

    def send(value):
        body = json.dumps({"revision": 0, "values": {"MEMBERS_TOTAL": value}})
        return client.post(save, body, content_type="application/json").json()

    first = send("12")
    assert first["opened"] is True and first["status"] == "Đang nhập"
    second = send("13")
    assert second["opened"] is False and second["status"] == "Đang nhập"
    assert (
        Report.objects.get(unit=tree.stp, period__code=FRESH).values.get(element__code="MEMBERS_TOTAL").value
        == 13
    )


def test_the_explanation_names_the_period_in_words_and_a_bad_period_gets_a_message(
    tree, indicators, personas, login
):
    client = login(personas["reporter"])
    html = client.get(reverse("reports:dashboard") + f"?unit=STP&period={FRESH}").content.decode()
    assert "Kỳ 6 tháng đầu năm 2031 chưa có số liệu" in html
    assert "Chuẩn bị kỳ 6 tháng đầu năm 2031 ngay" in html
    before = _counts()
    for wrong in ("", "abc", "2031S9", "\x00"):
        response = client.post(reverse("reports:period_prepare"), {"period": wrong}, follow=True)
        assert response.status_code == 200
        shown = [str(message) for message in response.context["messages"]]
        assert shown and all(message and "Traceback" not in message for message in shown)
    assert _counts() == before
    done = client.post(reverse("reports:period_prepare"), {"period": FRESH}, follow=True)
    assert "Đã chuẩn bị xong kỳ 6 tháng đầu năm 2031." in [str(m) for m in done.context["messages"]]
