"""Pages and API: the list per year, unit and form with its totals, the XLSX export, cross-unit isolation,
the form's refusals in Vietnamese, the API's create and refusal, the overview's card."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from danvan.emulation import cards
from danvan.emulation.commendations import services
from danvan.emulation.commendations.models import Commendation

from .helpers import SYSTEM, spec

pytestmark = pytest.mark.django_db


@pytest.fixture
def some(tree):
    services.commendation_record(
        spec=spec(tree.stp, year=2013, decision_date=datetime.date(2013, 12, 15)), by=SYSTEM
    )
    services.commendation_record(
        spec=spec(
            tree.stp_cb1,
            kind="individual",
            recipient_name="Nguyễn Thị Lan",
            form="merit",
            year=2013,
            decision_date=datetime.date(2013, 12, 20),
        ),
        by=SYSTEM,
    )
    services.commendation_record(spec=spec(tree.syt, recipient_name="Khoa Nội SYT", form="flag"), by=SYSTEM)


def test_the_list_filters_by_year_form_and_kind_and_hides_other_units(some, personas, login):
    client = login(personas["viewer"])  # at STP
    page = client.get(reverse("commendations:list")).content.decode()
    assert "Nguyễn Thị Lan" in page and "Khoa Nội SYT" not in page
    assert "1 tập thể và 1 cá nhân được khen thưởng." in page
    page = client.get(reverse("commendations:list"), {"year": "2013", "kind": "individual"}).content.decode()
    assert "Nguyễn Thị Lan" in page and "0 tập thể và 1 cá nhân" in page
    page = login(personas["admin"]).get(reverse("commendations:list"), {"form": "flag"}).content.decode()
    assert "Khoa Nội SYT" in page and "Nguyễn Thị Lan" not in page


def test_the_export_holds_the_rows_the_user_sees(some, personas, login):
    response = login(personas["viewer"]).get(reverse("commendations:xlsx"), {"year": "2013"})
    content = b"".join(response.streaming_content) if response.streaming else response.content
    values = [
        cell for row in load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True) for cell in row
    ]
    assert "Nguyễn Thị Lan" in values and "Bằng khen" in values and "Khoa Nội SYT" not in values


def test_the_form_records_and_refuses_in_vietnamese(tree, personas, login):
    client = login(personas["mobilisation_officer"])
    data = {
        "kind": "individual",
        "unit": "STP",
        "recipient_name": "",
        "form": "certificate",
        "issuer_name": "Đảng ủy Khối",
        "decision_number": "9/QĐ",
        "decision_date": "05/01/2099",
        "year": "2025",
        "reason": "Thành tích",
    }
    response = client.post(reverse("commendations:create"), data)
    page = response.content.decode()
    assert response.status_code == 200 and not Commendation.objects.exists()
    assert "Hãy ghi họ và tên người được khen thưởng." in page
    response = client.post(
        reverse("commendations:create"),
        {
            **data,
            "recipient_name": "Trần Văn B",
            "decision_date": "05/01/2026",
            "issuer_unit": "DUK",
            "issuer_name": "",
        },
    )
    item = Commendation.objects.get()  # the bloc above the officer's unit issued it: accepted by its code
    assert response.status_code == 302 and item.recipient == "Trần Văn B" and item.issuer_unit == tree.root
    assert (
        client.post(reverse("commendations:delete", args=[item.pk]), {}).status_code == 200
    )  # not confirmed
    assert Commendation.objects.exists()
    client.post(reverse("commendations:delete", args=[item.pk]), {"confirm": "on"})
    assert not Commendation.objects.exists()


def test_the_api_creates_lists_and_refuses(tree, personas, api):
    client = api(personas["mobilisation_officer"])
    body = {
        "kind": "collective",
        "unit": "STP",
        "recipient_name": "",
        "position": "",
        "form": "certificate",
        "title": "",
        "issuer_unit": "DUK",
        "issuer_name": "",
        "decision_number": "1/QĐ",
        "decision_date": "2025-12-01",
        "year": 2025,
        "reason": "Thành tích",
        "earned_for": "Mô hình “Dân vận khéo” năm 2025",
    }
    url = reverse("commendation-list")
    created = client.post(url, body, format="json")
    assert created.status_code == 201 and created.json()["issuer_unit"] == "DUK"
    refused = client.post(url, {**body, "unit": "SYT"}, format="json")
    assert refused.status_code == 400 and Commendation.objects.count() == 1
    refused = client.post(url, {**body, "decision_date": "2099-01-01"}, format="json")
    assert refused.status_code == 400 and "tương lai" in refused.content.decode()
    assert [row["unit"] for row in client.get(url).json()["results"]] == ["STP"]


def test_the_card_counts_the_years_commendations_per_form(some, personas):
    figures = {
        figure.label: figure.value
        for figure in cards.shown(personas["admin"], 2013)[0:99]
        for figure in figure.figures
    }
    assert figures["Tập thể được khen thưởng"] == "1" and figures["Cá nhân được khen thưởng"] == "1"
    assert figures["Giấy khen"] == "1" and figures["Bằng khen"] == "1" and "Cờ thi đua" not in figures
