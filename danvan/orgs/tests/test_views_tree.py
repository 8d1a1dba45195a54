"""The tree browser and its lazy children fragment: who sees which roots, as of which date."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import make_unit, make_user
from danvan.accounts.actors import System
from danvan.orgs import services
from danvan.orgs.services import NewUnit

SYSTEM = System("tests")

D = datetime.date
pytestmark = pytest.mark.django_db


def page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_bloc_admin_starts_at_the_bloc_with_its_first_level_open(personas, login):
    html = page(login(personas["admin"]), reverse("orgs:tree"))
    assert "Đảng ủy Khối các cơ quan tỉnh" in html
    assert "Đảng ủy Sở Tư pháp" in html and "Đảng ủy Sở Y tế" in html
    # The second level is loaded on demand, not rendered.
    assert "Chi bộ 1" not in html
    assert reverse("orgs:children", args=["STP"]) + "?as_of=" in html


def test_a_user_at_stp_starts_at_stp(personas, login):
    html = page(login(personas["viewer"]), reverse("orgs:tree"))
    assert "Đảng ủy Sở Tư pháp" in html
    assert "Chi bộ 1" in html and "Chi bộ 2" in html
    assert "Đảng ủy Khối các cơ quan tỉnh" not in html
    assert "Sở Y tế" not in html


def test_the_outsider_sees_only_syt(personas, login):
    html = page(login(personas["outsider"]), reverse("orgs:tree"))
    assert "Đảng ủy Sở Y tế" in html and "Chi bộ Văn phòng" in html
    assert "Sở Tư pháp" not in html


def test_a_user_without_roles_sees_no_unit(personas, login):
    html = page(login(personas["nobody"]), reverse("orgs:tree"))
    assert "Không có đơn vị nào" in html
    assert "Đảng ủy" not in html


def test_a_superuser_sees_every_root(tree, catalogue, login):
    make_unit(catalogue, "DUK2", "Đảng ủy Khối doanh nghiệp", "bloc")
    boss = make_user("boss", is_superuser=True)
    html = page(login(boss), reverse("orgs:tree"))
    assert "Đảng ủy Khối các cơ quan tỉnh" in html and "Đảng ủy Khối doanh nghiệp" in html


def test_the_tree_requires_login(client):
    assert client.get(reverse("orgs:tree")).status_code == 302


def test_the_tree_shows_the_date_and_accepts_dd_mm_yyyy(personas, login):
    html = page(login(personas["admin"]), reverse("orgs:tree"), as_of="30/04/2024")
    assert "30/04/2024" in html
    assert 'value="2024-04-30"' in html


def test_a_malformed_date_falls_back_to_today_with_a_message(personas, login):
    html = page(login(personas["admin"]), reverse("orgs:tree"), as_of="31/02/2024")
    assert "Ngày không hợp lệ" in html
    assert timezone.localdate().strftime("%d/%m/%Y") in html


def test_the_tree_before_a_move_shows_the_old_parent(tree, personas, login):
    services.unit_move(unit=tree.stp_cb2, new_parent=tree.syt, effective_on=D(2024, 5, 1), by=SYSTEM)
    client = login(personas["admin"])
    url = reverse("orgs:children", args=["STP"])
    assert "Chi bộ 2" in page(client, url, as_of="2024-04-30")
    assert "Chi bộ 2" not in page(client, url, as_of="2024-05-01")
    assert "Chi bộ 2" in page(client, reverse("orgs:children", args=["SYT"]), as_of="2024-05-01")


def test_the_tree_before_a_merge_shows_the_merged_units(tree, personas, login):
    services.unit_merge(
        units=[tree.stp, tree.syt],
        effective_on=D(2025, 3, 1),
        new=NewUnit(
            code="STP-SYT", name="Đảng ủy Sở Tư pháp – Y tế", unit_type=tree.catalogue.types["grassroots"]
        ),
        by=SYSTEM,
    )
    client = login(personas["admin"])
    before = page(client, reverse("orgs:tree"), as_of="28/02/2025")
    after = page(client, reverse("orgs:tree"), as_of="01/03/2025")
    assert "Đảng ủy Sở Y tế" in before and "Tư pháp – Y tế" not in before
    assert "Tư pháp – Y tế" in after and "Đảng ủy Sở Y tế" not in after


def test_the_tree_before_the_bloc_existed_is_empty(personas, login):
    html = page(login(personas["admin"]), reverse("orgs:tree"), as_of="2019-12-31")
    assert "Không có đơn vị nào" in html


def test_the_children_fragment_lists_children_without_the_page_frame(personas, login):
    html = page(login(personas["viewer"]), reverse("orgs:children", args=["STP"]))
    assert "Chi bộ 1" in html and "Chi bộ 2" in html
    assert "<html" not in html


def test_the_children_fragment_nests_lazy_nodes(tree, catalogue, personas, login):
    make_unit(catalogue, "STP-CB1-T1", "Tổ đảng 1", "cell", tree.stp_cb1)
    html = page(login(personas["viewer"]), reverse("orgs:children", args=["STP"]))
    assert reverse("orgs:children", args=["STP-CB1"]) in html
    assert "Tổ đảng 1" not in html


def test_the_children_fragment_is_scoped(personas, login):
    client = login(personas["outsider"])
    assert client.get(reverse("orgs:children", args=["STP"])).status_code == 404
    assert client.get(reverse("orgs:children", args=["DUK"])).status_code == 404
    assert client.get(reverse("orgs:children", args=["NOPE"])).status_code == 404


def test_children_moved_out_of_the_users_scope_are_not_shown_in_the_past(tree, personas, login):
    services.unit_move(unit=tree.stp_cb2, new_parent=tree.syt, effective_on=D(2024, 5, 1), by=SYSTEM)
    html = page(login(personas["viewer"]), reverse("orgs:children", args=["STP"]), as_of="2024-04-30")
    assert "Chi bộ 1" in html and "Chi bộ 2" not in html


def test_the_tree_page_does_not_grow_with_the_tree(
    tree, catalogue, personas, login, django_assert_max_num_queries
):
    for number in range(20):
        make_unit(catalogue, f"STP-CB1-T{number}", f"Tổ đảng {number}", "cell", tree.stp_cb1)
    client = login(personas["admin"])
    page(client, reverse("orgs:tree"))  # the menu's counts of work due are read once a minute per user
    with django_assert_max_num_queries(15):
        html = page(client, reverse("orgs:tree"))
    assert "Tổ đảng" not in html
