"""The main menu is a registry: apps add their items, the menu shows each to who may open it."""

import pytest
from django.urls import reverse

from danvan.accounts import policy
from danvan.core import navigation

pytestmark = pytest.mark.django_db


def _menu(client, url_name="orgs:tree") -> list[tuple[str, str, bool]]:
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    return [(str(item["label"]), item["url"], item["active"]) for item in response.context["nav_items"]]


@pytest.fixture
def registry(monkeypatch):
    """Registrations made by the test are forgotten afterwards."""
    monkeypatch.setattr(navigation, "_items", dict(navigation._items))


def test_a_registered_item_shows_only_to_who_may_see_it(registry, personas, login):
    navigation.register(
        label="Sổ tay kiểm toán",
        url_name="healthz",
        key="handbook",
        order=850,
        visible=lambda user: policy.has_any(user, policy.Perm.AUDIT_VIEW),
    )
    shown = _menu(login(personas["admin"]))
    assert ("Sổ tay kiểm toán", reverse("healthz"), False) in shown
    labels = [label for label, _url, _active in shown]
    assert (
        labels.index("Người dùng và vai trò")
        < labels.index("Sổ tay kiểm toán")
        < labels.index("Nhật ký hệ thống")
    )
    for who in ("viewer", "unit_head", "nobody"):
        assert "Sổ tay kiểm toán" not in [label for label, _url, _active in _menu(login(personas[who]))], who


def test_the_menu_keeps_its_order_and_lights_the_section_of_the_page(personas, login):
    admin = login(personas["admin"])
    assert [label for label, _url, _active in _menu(admin)] == [
        "Tổ chức",
        "Báo cáo, chỉ tiêu",
        "Xếp hạng đơn vị",
        "Đơn thư, vụ việc",
        "Thời hạn luật định",
        "Tiếp công dân",
        "Văn bản",
        "Văn bản cần học tập, quán triệt",
        "Chương trình hành động",
        "Người dùng và vai trò",
        "Nhật ký hệ thống",
        "API",
    ]
    active = {label for label, _url, is_active in _menu(admin, "administration:user_list") if is_active}
    assert active == {"Người dùng và vai trò"}
    active = {label for label, _url, is_active in _menu(admin, "voice:case_list") if is_active}
    assert active == {"Đơn thư, vụ việc"}
    active = {label for label, _url, is_active in _menu(admin, "voice:calendar") if is_active}
    assert active == {"Thời hạn luật định"}
    # Two items of one namespace: each page marks only its own.
    active = {label for label, _url, is_active in _menu(admin, "directives:list") if is_active}
    assert active == {"Văn bản"}
    active = {label for label, _url, is_active in _menu(admin, "directives:to_study") if is_active}
    assert active == {"Văn bản cần học tập, quán triệt"}
    active = {label for label, _url, is_active in _menu(admin, "reports:ranking") if is_active}
    assert active == {"Xếp hạng đơn vị"}
    active = {label for label, _url, is_active in _menu(admin, "reports:dashboard") if is_active}
    assert active == {"Báo cáo, chỉ tiêu"}


def test_a_viewer_sees_only_what_their_roles_open(personas, login):
    assert [label for label, _url, _active in _menu(login(personas["viewer"]))] == [
        "Tổ chức",
        "Báo cáo, chỉ tiêu",
        "Xếp hạng đơn vị",
        "Văn bản",
        "Văn bản cần học tập, quán triệt",
        "Chương trình hành động",
        "API",
    ]


def test_nobody_signed_in_gets_no_menu(client):
    response = client.get(reverse("accounts:login"))
    assert response.context["nav_items"] == []
