"""Every API list is paged by ?limit= and ?offset=: capped, and bad values get a 400, never a 500."""

import pytest
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from danvan.core.api import Pagination

pytestmark = pytest.mark.django_db

LISTS = ["/api/v1/units/", "/api/v1/users/", "/api/v1/role-assignments/", "/api/v1/audit-events/"]
BAD_LIMIT = {"limit": ["Giới hạn phải là số nguyên từ 1 trở lên."]}
BAD_OFFSET = {"offset": ["Vị trí bắt đầu phải là số nguyên từ 0 trở lên."]}


def _request(**params) -> Request:
    return Request(APIRequestFactory().get("/", params))


@pytest.mark.parametrize("path", LISTS)
def test_a_huge_limit_is_cut_to_the_maximum_instead_of_failing(api, personas, path):
    response = api(personas["admin"]).get(path, {"limit": "9" * 20})
    assert response.status_code == 200, response.content
    assert response.json()["results"]
    assert response.json()["next"] is None


@pytest.mark.parametrize("path", LISTS)
def test_a_huge_offset_gives_an_empty_page(api, personas, path):
    response = api(personas["admin"]).get(path, {"offset": "9" * 20, "limit": "9" * 20})
    assert response.status_code == 200, response.content
    assert response.json()["results"] == []
    assert response.json()["count"] > 0


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("limit", ["-1", "0", "abc", "1.5", "1e3", "١٢"])
def test_a_limit_that_is_not_a_positive_whole_number_is_a_400_in_vietnamese(api, personas, path, limit):
    response = api(personas["admin"]).get(path, {"limit": limit})
    assert (response.status_code, response.json()) == (400, BAD_LIMIT)


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("offset", ["-1", "abc", "-99999999999999999999"])
def test_an_offset_that_is_not_a_whole_number_is_a_400_in_vietnamese(api, personas, path, offset):
    response = api(personas["admin"]).get(path, {"offset": offset})
    assert (response.status_code, response.json()) == (400, BAD_OFFSET)


def test_limit_and_offset_page_through_the_units(api, personas):
    client = api(personas["admin"])
    first = client.get(LISTS[0], {"limit": 2}).json()
    second = client.get(LISTS[0], {"limit": 2, "offset": 2}).json()
    assert [unit["code"] for unit in first["results"]] == ["DUK", "STP"]
    assert [unit["code"] for unit in second["results"]] == ["SYT", "STP-CB1"]
    assert "offset=2" in first["next"]


def test_the_limit_is_100_by_default_and_at_most_1000():
    pagination = Pagination()
    assert pagination.get_limit(_request()) == 100
    assert pagination.get_limit(_request(limit="")) == 100
    assert pagination.get_limit(_request(limit="250")) == 250
    assert pagination.get_limit(_request(limit="1001")) == 1000
    assert pagination.get_limit(_request(limit="9" * 5000)) == 1000
    assert pagination.get_offset(_request(offset="9" * 5000)) == 10**18
