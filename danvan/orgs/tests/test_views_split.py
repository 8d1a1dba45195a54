"""Splitting through the interface: the units offered are those under the unit on the effective date."""

import datetime

import pytest
from django.urls import reverse

from conftest import make_unit
from danvan.accounts.actors import System
from danvan.orgs import selectors, services
from danvan.orgs.models import Unit

SYSTEM = System("tests")

D = datetime.date
pytestmark = pytest.mark.django_db
SPLIT_ON = "01/03/2024"


@pytest.fixture
def ended_cell(tree, catalogue):
    """STP-CB3: under STP from 2020, dissolved on 01/06/2024, so no longer under it today."""
    cell = make_unit(catalogue, "STP-CB3", "Chi bộ 3", "cell", tree.stp)
    services.unit_dissolve(unit=cell, effective_on=D(2024, 6, 1), by=SYSTEM)
    return cell


def split_data(catalogue, tree, **children):
    data = {
        "parts-TOTAL_FORMS": "2",
        "parts-INITIAL_FORMS": "0",
        "parts-MIN_NUM_FORMS": "2",
        "parts-MAX_NUM_FORMS": "10",
        "effective_on": SPLIT_ON,
        f"child_{tree.stp_cb1.pk}": "1",
        f"child_{tree.stp_cb2.pk}": "2",
    }
    for index, code in enumerate(["STP-A", "STP-B"]):
        data[f"parts-{index}-code"] = code
        data[f"parts-{index}-name"] = f"Đảng ủy {code}"
        data[f"parts-{index}-unit_type"] = catalogue.types["grassroots"].pk
    return {**data, **children}


def split(client, data):
    return client.post(reverse("orgs:unit_split", args=["STP"]), data)


def parent_on(code, day):
    return selectors.version_of(Unit.objects.get(code=code), day).parent.code


def test_a_unit_under_it_on_a_past_effective_date_is_offered_and_goes_where_chosen(
    tree, catalogue, personas, login, ended_cell
):
    client = login(personas["admin"])
    response = split(client, split_data(catalogue, tree, **{f"child_{ended_cell.pk}": "2"}))
    assert response.status_code == 302
    day = D(2024, 3, 1)
    assert (parent_on("STP-CB1", day), parent_on("STP-CB2", day), parent_on("STP-CB3", day)) == (
        "STP-A",
        "STP-B",
        "STP-B",
    )


def test_a_unit_under_it_on_the_effective_date_must_be_given_a_new_unit(
    tree, catalogue, personas, login, ended_cell
):
    client = login(personas["admin"])
    assert "Chi bộ 3 (STP-CB3)" not in client.get(reverse("orgs:unit_split", args=["STP"])).content.decode()
    response = split(client, split_data(catalogue, tree))  # the form as shown today: no choice for STP-CB3
    page = response.content.decode()
    assert response.status_code == 200
    assert "Chi bộ 3 (STP-CB3)" in page and "Trường này là bắt buộc" in page
    assert Unit.objects.get(code="STP").valid_to is None
    assert not Unit.objects.filter(code__in=["STP-A", "STP-B"]).exists()


def test_a_unit_placed_under_it_after_the_effective_date_is_not_offered(tree, catalogue, personas, login):
    make_unit(catalogue, "STP-CB4", "Chi bộ 4", "cell", tree.stp, day=D(2024, 6, 1))
    client = login(personas["admin"])
    assert "Chi bộ 4 (STP-CB4)" in client.get(reverse("orgs:unit_split", args=["STP"])).content.decode()
    response = split(client, split_data(catalogue, tree, **{"parts-1-name": ""}))  # shown again
    page = response.content.decode()
    assert response.status_code == 200
    assert "Chi bộ 2 (STP-CB2)" in page and "Chi bộ 4 (STP-CB4)" not in page


def test_with_an_unreadable_date_the_form_shows_todays_units(tree, catalogue, personas, login, ended_cell):
    client = login(personas["admin"])
    response = split(client, split_data(catalogue, tree, effective_on="31/02/2024"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Chi bộ 1 (STP-CB1)" in page and "Chi bộ 3 (STP-CB3)" not in page
    assert Unit.objects.get(code="STP").valid_to is None
