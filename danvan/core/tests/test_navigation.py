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
        "Việc cần làm",
        "Tổ chức",
        "Nhập liệu, duyệt báo cáo",
        "Bảng điều khiển",
        "Xếp hạng đơn vị",
        "Báo cáo sơ kết, tổng kết",
        "Danh mục chỉ số",
        "Đơn thư, vụ việc",
        "Thời hạn luật định",
        "Tổng quan hoạt động",
        "Đối thoại",
        "Hội nghị cán bộ, công chức và công khai",
        "Ban Thanh tra nhân dân",
        "Sinh hoạt chuyên đề chi bộ",
        "Lớp tập huấn, bồi dưỡng",
        "Hòa giải ở cơ sở",
        "Kiểm tra, giám sát",
        "Tổng quan thi đua",
        "Mô hình “Dân vận khéo”",
        "Đợt thi đua",
        "Khen thưởng",
        "Đánh giá, xếp loại",
        "Xếp hạng thi đua",
        "Thi trắc nghiệm",
        "Ngân hàng câu hỏi",
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
    assert active == {"Bảng điều khiển"}


def test_a_viewer_sees_only_what_their_roles_open(personas, login):
    assert [label for label, _url, _active in _menu(login(personas["viewer"]))] == [
        "Việc cần làm",
        "Tổ chức",
        "Nhập liệu, duyệt báo cáo",
        "Bảng điều khiển",
        "Xếp hạng đơn vị",
        "Báo cáo sơ kết, tổng kết",
        "Danh mục chỉ số",
        "Tổng quan hoạt động",
        "Đối thoại",
        "Hội nghị cán bộ, công chức và công khai",
        "Ban Thanh tra nhân dân",
        "Sinh hoạt chuyên đề chi bộ",
        "Lớp tập huấn, bồi dưỡng",
        "Hòa giải ở cơ sở",
        "Kiểm tra, giám sát",
        "Tổng quan thi đua",
        "Mô hình “Dân vận khéo”",
        "Khen thưởng",
        "Đánh giá, xếp loại",
        "Xếp hạng thi đua",
        "Thi trắc nghiệm",
        "Văn bản",
        "Văn bản cần học tập, quán triệt",
        "Chương trình hành động",
    ]


def test_nobody_signed_in_gets_no_menu(client):
    response = client.get(reverse("accounts:login"))
    assert response.context["nav_items"] == []


def _bar(client) -> list[tuple[str, list[str]]]:
    """The menu bar as shown: each entry's label and, for a group, the labels of its links."""
    entries = client.get(reverse("orgs:tree")).context["nav_entries"]
    return [
        (str(e["label"]), [str(link["label"]) for link in e["links"]] if e["group"] else []) for e in entries
    ]


def test_the_menu_bar_gathers_the_items_in_groups(personas, login):
    bar = _bar(login(personas["admin"]))
    assert [label for label, _links in bar] == [
        "Việc cần làm",
        "Báo cáo",
        "Ý kiến – Tiếp dân",
        "Hoạt động",
        "Thi đua",
        "Văn bản – Chương trình",
        "Tổ chức",
        "Quản trị",
    ]
    groups = dict(bar)
    assert groups["Ý kiến – Tiếp dân"] == ["Đơn thư, vụ việc", "Thời hạn luật định", "Tiếp công dân"]
    assert groups["Quản trị"] == ["Người dùng và vai trò", "Nhật ký hệ thống", "API"]
    assert groups["Tổ chức"] == []  # alone in its group: a plain link
    assert groups["Thi đua"] == [
        "Tổng quan thi đua",
        "Mô hình “Dân vận khéo”",
        "Đợt thi đua",
        "Khen thưởng",
        "Đánh giá, xếp loại",
        "Xếp hạng thi đua",
        "Thi trắc nghiệm",
        "Ngân hàng câu hỏi",
    ]
    assert groups["Hoạt động"] == [
        "Tổng quan hoạt động",
        "Đối thoại",
        "Hội nghị cán bộ, công chức và công khai",
        "Ban Thanh tra nhân dân",
        "Sinh hoạt chuyên đề chi bộ",
        "Lớp tập huấn, bồi dưỡng",
        "Hòa giải ở cơ sở",
        "Kiểm tra, giám sát",
    ]


def test_the_api_documentation_is_in_the_menu_of_administrators_only(personas, login, django_user_model):
    api = reverse("api-docs")
    assert api in [url for _label, url, _active in _menu(login(personas["admin"]))]
    for who in ("mobilisation_officer", "unit_head", "reporter", "case_handler", "viewer", "nobody"):
        assert api not in [url for _label, url, _active in _menu(login(personas[who]))], who
    operator = django_user_model.objects.create_superuser("operator", password="mat-khau-thu-nghiem-1")
    assert api in [url for _label, url, _active in _menu(login(operator))]


def test_a_group_lights_up_with_the_page_of_one_of_its_items(personas, login):
    entries = login(personas["admin"]).get(reverse("audit:list")).context["nav_entries"]
    assert [str(e["label"]) for e in entries if e["active"]] == ["Quản trị"]
