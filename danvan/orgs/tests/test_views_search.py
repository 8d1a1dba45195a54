"""Unit search: diacritics and case ignored, never beyond the user's scope."""

import datetime

import pytest
from django.urls import reverse

from conftest import make_unit
from danvan.accounts.actors import System
from danvan.orgs import services

SYSTEM = System("tests")

D = datetime.date
pytestmark = pytest.mark.django_db


def search(client, q, **params):
    response = client.get(reverse("orgs:search"), {"q": q, **params})
    assert response.status_code == 200
    return response.content.decode()


def test_so_tu_phap_finds_so_tu_phap(personas, login):
    assert "Đảng ủy Sở Tư pháp" in search(login(personas["viewer"]), "so tu phap")


def test_dang_uy_khoi_finds_the_bloc(personas, login):
    assert "Đảng ủy Khối các cơ quan tỉnh" in search(login(personas["admin"]), "DANG UY KHOI")


def test_the_outsider_finds_nothing_at_stp(personas, login):
    html = search(login(personas["outsider"]), "tu phap")
    assert "Sở Tư pháp" not in html
    assert "Không có đơn vị nào" in html


def test_a_user_at_stp_does_not_find_cells_of_syt(personas, login):
    html = search(login(personas["reporter"]), "chi bo")
    assert "Chi bộ 1" in html and "Chi bộ 2" in html
    assert "Chi bộ Văn phòng" not in html


def test_a_user_at_stp_does_not_find_the_bloc_above_it(personas, login):
    assert "Đảng ủy Khối các cơ quan tỉnh" not in search(login(personas["viewer"]), "dang uy khoi")


def test_each_result_shows_its_ancestors(personas, login):
    html = search(login(personas["admin"]), "chi bo 1")
    crumbs = (
        html.index("Đảng ủy Khối các cơ quan tỉnh"),
        html.index("Đảng ủy Sở Tư pháp"),
        html.index("Chi bộ 1"),
    )
    assert crumbs == tuple(sorted(crumbs))


def test_ancestors_outside_the_scope_are_not_links(personas, login):
    html = search(login(personas["viewer"]), "chi bo 1")
    assert "Đảng ủy Khối các cơ quan tỉnh" in html
    assert reverse("orgs:unit_detail", args=["DUK"]) not in html


def test_search_follows_the_date(tree, personas, login):
    services.unit_change(unit=tree.stp, name="Đảng bộ Sở Tư pháp", effective_on=D(2025, 7, 1), by=SYSTEM)
    client = login(personas["viewer"])
    assert "Đảng ủy Sở Tư pháp" in search(client, "dang uy so tu phap", as_of="30/06/2025")
    assert "Đảng ủy Sở Tư pháp" not in search(client, "dang uy so tu phap", as_of="01/07/2025")


def test_results_are_paginated_by_fifty(tree, catalogue, personas, login):
    for number in range(51):
        make_unit(catalogue, f"STP-T{number:02}", f"Tổ công tác {number:02}", "cell", tree.stp)
    client = login(personas["viewer"])
    first = search(client, "to cong tac")
    assert first.count("Tổ công tác") == 50
    assert "51" in first and "page=2" in first
    second = client.get(reverse("orgs:search"), {"q": "to cong tac", "page": 2}).content.decode()
    assert second.count("Tổ công tác") == 1


def test_an_empty_query_lists_nothing(personas, login):
    html = search(login(personas["admin"]), "   ")
    assert "Chi bộ" not in html
