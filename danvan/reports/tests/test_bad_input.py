"""Malformed requests to every write of the reports module: a clear answer, never a server error, nothing saved."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from danvan.accounts.actors import System
from danvan.reports import services
from danvan.reports.models import DataValue, Report, Target

SYSTEM = System("tests")

pytestmark = pytest.mark.django_db

GARBAGE = [
    "",
    "null",
    "[]",
    '"x"',
    "{",
    json.dumps({"values": "abc"}),
    json.dumps({"values": {"STAFF_ELIGIBLE": [1]}}),
]


@pytest.fixture
def report(tree, indicators):
    period = services.period_get(code="2026S1", by=SYSTEM)
    return services.report_open(form=indicators.forms["BC-DV-6T"], unit=tree.stp, period=period, by=SYSTEM)


def _nothing_entered():
    return not DataValue.objects.filter(source="entered").exists()


@pytest.mark.parametrize("body", GARBAGE)
def test_the_grid_save_endpoint_answers_bad_bodies_with_400(login, personas, report, body):
    response = login(personas["reporter"]).post(
        "/reports/BC-DV-6T/STP/2026S1/save/",
        data=body,
        content_type="application/json",
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == (200 if body == "" else 400)  # an empty body saves nothing
    assert _nothing_entered()


@pytest.mark.parametrize("body", GARBAGE)
def test_the_data_values_api_answers_bad_bodies_with_400(api, personas, report, body):
    response = api(personas["reporter"]).post(
        "/api/v1/data-values/", data=body, content_type="application/json"
    )
    assert response.status_code == 400
    assert _nothing_entered()


@pytest.mark.parametrize(
    "body", ["", "{", "[]", json.dumps({"revision": "abc"}), json.dumps({"revision": -1})]
)
def test_workflow_actions_answer_bad_bodies_without_a_server_error(api, personas, report, body):
    response = api(personas["admin"]).post(
        f"/api/v1/reports/{report.pk}/approve/", data=body, content_type="application/json"
    )
    assert response.status_code in (400, 409)
    assert Report.objects.get(pk=report.pk).status == "draft"


@pytest.mark.parametrize(
    "query",
    ["", "unit=STP", "unit=STP&period=2026S1", "unit=STP&period=abc&indicator=MASS_GATHERING_RATE",
     "unit=STP&period=2026S1&indicator=MASS_GATHERING_RATE&as_of=31-31-2026", "unit=%00&period=2026S1&indicator=X", "unit=STP&period=2026S1&indicator=%00"],
)  # fmt: skip
def test_the_analytics_query_answers_missing_or_bad_parameters_with_400(api, personas, indicators, query):
    assert api(personas["viewer"]).get(f"/api/v1/analytics/?{query}").status_code == 400


def test_uploads_refuse_a_file_over_the_limit_or_no_file(login, personas, report, settings):
    settings.UNIT_IMPORT_MAX_BYTES = 1000
    client = login(personas["reporter"])
    big = SimpleUploadedFile("mau.xlsx", b"PK" + b"0" * 5000)
    for data in ({"file": big}, {}):
        response = client.post("/reports/BC-DV-6T/STP/2026S1/upload/", data)
        assert response.status_code in (200, 400)
        assert "lỗi" in response.content.decode().lower() or "tệp" in response.content.decode().lower()
    admin = login(personas["admin"])
    for data in ({"file": SimpleUploadedFile("so-lieu.csv", b"x" * 5000)}, {}):
        assert admin.post("/reports/import-values/", data).status_code in (200, 400)
    assert _nothing_entered()


def test_the_target_form_refuses_empty_and_foreign_values(login, personas, indicators):
    client = login(personas["admin"])
    before = Target.objects.count()
    for data in (
        {},
        {"indicator": "999999", "comparator": "gte", "value": "abc"},
        {"indicator": "x", "value": "-5"},
    ):
        response = client.post("/reports/catalogue/targets/new/", data)
        assert response.status_code in (200, 400)
    assert Target.objects.count() == before


def test_a_nul_character_in_a_code_is_an_unknown_unit_not_a_server_error(login, personas, indicators):
    # The unit box takes a typed name or code: text with a NUL in it names no unit, and the picker says so.
    response = login(personas["admin"]).get("/reports/dashboard/", {"unit": "\x00STP", "period": "2026S1"})
    assert response.status_code == 200
    assert "Không tìm thấy đơn vị" in response.content.decode()
