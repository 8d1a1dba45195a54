"""Restructuring through the interface: who may, what it does, and what bad input gets."""

import datetime

import pytest
from django.urls import reverse

from conftest import make_user
from danvan.accounts.actors import System
from danvan.accounts.models import Role, RoleAssignment
from danvan.orgs import selectors, services
from danvan.orgs.models import Unit, UnitLink

SYSTEM = System("tests")

D = datetime.date
pytestmark = pytest.mark.django_db

RESTRUCTURE_FORMS = ["unit_create", "unit_change", "unit_move", "unit_merge", "unit_split", "unit_dissolve"]
WITHOUT_RESTRUCTURE = ["mobilisation_officer", "unit_head", "reporter", "case_handler", "viewer"]


def url(name, code):
    return reverse(f"orgs:{name}", args=[code])


def post(client, name, code, data):
    return client.post(url(name, code), data)


def text(response):
    assert response.status_code == 200
    return response.content.decode()


def parent_code(code, day=None):
    parent = selectors.version_of(Unit.objects.get(code=code), day).parent
    return parent.code if parent else None


# --- who may ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", WITHOUT_RESTRUCTURE)
def test_stp_roles_without_the_permission_are_refused(role, personas, login):
    client = login(personas[role])  # the forms (GET): 403 in the permission matrix (orgs/tests/matrix.py)
    data = {"effective_on": "01/06/2025", "confirm": "on"}
    assert post(client, "unit_dissolve", "STP-CB1", data).status_code == 403
    assert Unit.objects.get(code="STP-CB1").valid_to is None


def test_the_outsider_does_not_even_see_the_forms(personas, login):
    client = login(personas["outsider"])  # the forms (GET): 404 in the permission matrix
    assert (
        post(client, "unit_dissolve", "STP-CB1", {"effective_on": "01/06/2025", "confirm": "on"}).status_code
        == 404
    )
    assert Unit.objects.get(code="STP-CB1").valid_to is None


def test_the_bloc_admin_opens_every_form(personas, login):
    client = login(personas["admin"])
    for name in [*RESTRUCTURE_FORMS, "lead_assign", "regulation_set"]:
        assert client.get(url(name, "STP")).status_code == 200


# --- create ----------------------------------------------------------------------------------


def create_data(catalogue, **extra):
    data = {
        "code": "STP-CB3",
        "name": "Chi bộ 3",
        "unit_type": catalogue.types["cell"].pk,
        "valid_from": "01/06/2025",
        "decision": "15-QĐ/ĐU",
    }
    return {**data, **extra}


def test_the_admin_creates_a_unit_under_this_one(catalogue, personas, login):
    groups = [catalogue.groups["admin_agency"].pk]
    response = post(login(personas["admin"]), "unit_create", "STP", create_data(catalogue, groups=groups))
    assert response.status_code == 302 and response.url == url("unit_detail", "STP-CB3")
    assert parent_code("STP-CB3") == "STP"
    assert Unit.objects.get(code="STP-CB3").valid_from == D(2025, 6, 1)


def test_a_bloc_admin_at_stp_creates_under_stp(catalogue, personas, login):
    response = post(login(personas["bloc_admin"]), "unit_create", "STP", create_data(catalogue))
    assert response.status_code == 302


def test_a_duplicate_code_is_refused_in_vietnamese(catalogue, personas, login):
    response = post(login(personas["admin"]), "unit_create", "STP", create_data(catalogue, code="stp-cb1"))
    assert "đã được dùng cho một đơn vị khác" in text(response)
    assert Unit.objects.count() == 6


def test_a_unit_cannot_start_before_its_parent(catalogue, personas, login):
    response = post(
        login(personas["admin"]), "unit_create", "STP", create_data(catalogue, valid_from="01/01/2019")
    )
    assert "trước khi đơn vị cấp trên" in text(response)
    assert not Unit.objects.filter(code="STP-CB3").exists()


def test_an_invalid_date_string_is_refused(catalogue, personas, login):
    response = post(
        login(personas["admin"]), "unit_create", "STP", create_data(catalogue, valid_from="31/02/2025")
    )
    assert "Hãy nhập ngày theo dạng dd/mm/yyyy" in text(response)
    assert not Unit.objects.filter(code="STP-CB3").exists()


def test_an_iso_date_is_accepted(catalogue, personas, login):
    response = post(
        login(personas["admin"]), "unit_create", "STP", create_data(catalogue, valid_from="2025-06-01")
    )
    assert response.status_code == 302


# --- change ----------------------------------------------------------------------------------


def change_data(catalogue, **extra):
    data = {
        "name": "Đảng bộ Sở Tư pháp",
        "short_name": "ĐB STP",
        "unit_type": catalogue.types["grassroots"].pk,
        "groups": [catalogue.groups["admin_agency"].pk],
        "effective_on": "01/07/2025",
    }
    return {**data, **extra}


def test_the_admin_renames_a_unit_from_a_date(tree, catalogue, personas, login):
    response = post(login(personas["admin"]), "unit_change", "STP", change_data(catalogue))
    assert response.status_code == 302
    assert selectors.version_of(tree.stp, D(2025, 6, 30)).name == "Đảng ủy Sở Tư pháp"
    assert selectors.version_of(tree.stp, D(2025, 7, 1)).name == "Đảng bộ Sở Tư pháp"


def test_a_change_that_changes_nothing_says_so(catalogue, personas, login):
    data = change_data(catalogue, name="Đảng ủy Sở Tư pháp", short_name="")
    assert "Không có gì thay đổi" in text(post(login(personas["admin"]), "unit_change", "STP", data))


def test_a_change_before_a_later_one_is_refused(tree, catalogue, personas, login):
    services.unit_change(unit=tree.stp, name="Tên mới", effective_on=D(2025, 9, 1), by=SYSTEM)
    response = post(login(personas["admin"]), "unit_change", "STP", change_data(catalogue))
    assert "hãy ghi nhận thay đổi này từ ngày đó trở đi" in text(response)
    assert tree.stp.versions.count() == 2


# --- move ------------------------------------------------------------------------------------


def test_the_admin_moves_a_unit(personas, login):
    data = {"parent_code": "syt", "effective_on": "01/05/2024"}
    response = post(login(personas["admin"]), "unit_move", "STP-CB2", data)
    assert response.status_code == 302
    assert parent_code("STP-CB2", D(2024, 4, 30)) == "STP"
    assert parent_code("STP-CB2", D(2024, 5, 1)) == "SYT"


def test_an_unknown_parent_code_is_refused(personas, login):
    response = post(
        login(personas["admin"]), "unit_move", "STP-CB2", {"parent_code": "XYZ", "effective_on": "01/05/2024"}
    )
    assert "Không tìm thấy đơn vị nào khớp với “XYZ”" in text(response)
    assert parent_code("STP-CB2") == "STP"


def test_a_cycle_is_refused(personas, login):
    data = {"parent_code": "STP-CB1", "effective_on": "01/05/2024"}
    assert "đơn vị cấp dưới của chính nó" in text(post(login(personas["admin"]), "unit_move", "STP", data))
    assert parent_code("STP") == "DUK"


def test_a_stp_admin_cannot_move_a_unit_into_syt(personas, login):
    data = {"parent_code": "SYT", "effective_on": "01/05/2024"}
    response = post(login(personas["bloc_admin"]), "unit_move", "STP-CB2", data)
    assert "Không tìm thấy đơn vị nào khớp với “SYT”" in text(response)
    assert parent_code("STP-CB2") == "STP"


def test_seeing_the_new_parent_is_not_enough_to_move_into_it(tree, login):
    user = make_user("two_hats", unit=tree.stp, role=Role.BLOC_ADMIN)
    RoleAssignment.objects.create(user=user, unit=tree.syt, role=Role.VIEWER)
    data = {"parent_code": "SYT", "effective_on": "01/05/2024"}
    assert "Không tìm thấy đơn vị nào khớp với “SYT”" in text(post(login(user), "unit_move", "STP-CB2", data))
    assert parent_code("STP-CB2") == "STP"


# --- merge -----------------------------------------------------------------------------------


def test_the_admin_merges_into_an_existing_unit(personas, login):
    data = {"target": "existing", "into_code": "STP-CB1", "effective_on": "01/03/2025", "decision": "7-QĐ"}
    response = post(login(personas["admin"]), "unit_merge", "STP-CB2", data)
    assert response.status_code == 302 and response.url == url("unit_detail", "STP-CB1")
    assert Unit.objects.get(code="STP-CB2").valid_to == D(2025, 3, 1)
    assert UnitLink.objects.filter(predecessor__code="STP-CB2", successor__code="STP-CB1").exists()


def test_the_admin_merges_units_into_a_new_one(catalogue, personas, login):
    data = {
        "others": "SYT",
        "target": "new",
        "new_code": "STP-SYT",
        "new_name": "Đảng ủy Sở Tư pháp – Y tế",
        "new_type": catalogue.types["grassroots"].pk,
        "effective_on": "01/03/2025",
    }
    response = post(login(personas["admin"]), "unit_merge", "STP", data)
    assert response.status_code == 302
    assert parent_code("STP-SYT") == "DUK"
    assert set(
        UnitLink.objects.filter(successor__code="STP-SYT").values_list("predecessor__code", flat=True)
    ) == {
        "STP",
        "SYT",
    }


def test_a_merge_into_a_dissolved_unit_is_refused(tree, personas, login):
    services.unit_dissolve(unit=tree.stp_cb2, effective_on=D(2024, 1, 1), by=SYSTEM)
    data = {"target": "existing", "into_code": "STP-CB2", "effective_on": "01/03/2025"}
    response = post(login(personas["admin"]), "unit_merge", "STP-CB1", data)
    assert "đã giải thể hoặc không còn hiệu lực" in text(response)
    assert Unit.objects.get(code="STP-CB1").valid_to is None


def test_a_merge_with_an_unknown_unit_is_refused(personas, login):
    # The other units are chosen with the several-units picker: one code per chosen unit.
    data = {
        "others": ["STP-CB2", "NOPE"],
        "target": "existing",
        "into_code": "STP",
        "effective_on": "01/03/2025",
    }
    assert "Không tìm thấy đơn vị nào trong số các đơn vị bạn được chọn cho: “NOPE”" in text(
        post(login(personas["admin"]), "unit_merge", "STP-CB1", data)
    )
    assert Unit.objects.get(code="STP-CB1").valid_to is None


def test_a_merge_into_a_new_unit_needs_its_code_name_and_type(personas, login):
    data = {"others": "STP-CB2", "target": "new", "effective_on": "01/03/2025"}
    html = text(post(login(personas["admin"]), "unit_merge", "STP-CB1", data))
    assert html.count("Trường này là bắt buộc") == 3
    assert Unit.objects.count() == 6


def test_a_merge_into_a_new_unit_with_a_used_code_is_refused(catalogue, personas, login):
    data = {
        "others": "STP-CB2",
        "target": "new",
        "new_code": "SYT",
        "new_name": "Chi bộ hợp nhất",
        "new_type": catalogue.types["cell"].pk,
        "effective_on": "01/03/2025",
    }
    assert "đã được dùng" in text(post(login(personas["admin"]), "unit_merge", "STP-CB1", data))
    assert Unit.objects.get(code="STP-CB2").valid_to is None


def test_a_stp_admin_cannot_merge_a_syt_unit(personas, login):
    data = {"others": "SYT-CB1", "target": "existing", "into_code": "STP-CB1", "effective_on": "01/03/2025"}
    response = post(login(personas["bloc_admin"]), "unit_merge", "STP-CB2", data)
    assert "Không tìm thấy đơn vị nào trong số các đơn vị bạn được chọn cho: “SYT-CB1”" in text(response)
    assert Unit.objects.get(code="SYT-CB1").valid_to is None


def test_a_stp_admin_cannot_merge_stp_into_a_new_unit_under_the_bloc(catalogue, personas, login):
    data = {
        "target": "new",
        "new_code": "STP-NEW",
        "new_name": "Đảng ủy mới",
        "new_type": catalogue.types["grassroots"].pk,
        "effective_on": "01/03/2025",
    }
    assert "không có quyền quản trị" in text(post(login(personas["bloc_admin"]), "unit_merge", "STP", data))
    assert not Unit.objects.filter(code="STP-NEW").exists()


def test_a_merge_into_an_existing_unit_needs_a_known_code(personas, login):
    client = login(personas["admin"])
    data = {"target": "existing", "effective_on": "01/03/2025"}
    assert "Trường này là bắt buộc" in text(post(client, "unit_merge", "STP-CB1", data))
    data["into_code"] = "NOPE"
    assert "Không tìm thấy đơn vị nào khớp với “NOPE”" in text(post(client, "unit_merge", "STP-CB1", data))
    assert Unit.objects.get(code="STP-CB1").valid_to is None


def test_a_stp_admin_cannot_merge_into_a_syt_unit(personas, login):
    data = {"target": "existing", "into_code": "SYT-CB1", "effective_on": "01/03/2025"}
    response = post(login(personas["bloc_admin"]), "unit_merge", "STP-CB2", data)
    assert "Không tìm thấy đơn vị nào khớp với “SYT-CB1”" in text(response)
    assert Unit.objects.get(code="STP-CB2").valid_to is None


# --- split -----------------------------------------------------------------------------------


def split_data(catalogue, tree, parts, **extra):
    data = {
        "parts-TOTAL_FORMS": str(len(parts)),
        "parts-INITIAL_FORMS": "0",
        "parts-MIN_NUM_FORMS": "2",
        "parts-MAX_NUM_FORMS": "10",
        "effective_on": "01/03/2025",
        f"child_{tree.stp_cb1.pk}": "1",
        f"child_{tree.stp_cb2.pk}": "2",
    }
    for index, (code, name) in enumerate(parts):
        data[f"parts-{index}-code"] = code
        data[f"parts-{index}-name"] = name
        data[f"parts-{index}-unit_type"] = catalogue.types["grassroots"].pk if code else ""
    return {**data, **extra}


def test_the_admin_splits_a_unit_and_places_its_children(tree, catalogue, personas, login):
    data = split_data(catalogue, tree, [("STP-A", "Đảng ủy A"), ("STP-B", "Đảng ủy B")])
    response = post(login(personas["admin"]), "unit_split", "STP", data)
    assert response.status_code == 302
    assert Unit.objects.get(code="STP").valid_to == D(2025, 3, 1)
    assert parent_code("STP-CB1", D(2025, 3, 1)) == "STP-A"
    assert parent_code("STP-CB2", D(2025, 3, 1)) == "STP-B"
    assert parent_code("STP-B") == "DUK"


def test_the_split_form_offers_more_rows_on_request(personas, login):
    html = text(login(personas["admin"]).get(url("unit_split", "STP"), {"parts": 3}))
    assert 'name="parts-2-code"' in html and 'name="parts-3-code"' not in html
    assert "Chi bộ 1 (STP-CB1)" in html


def test_a_split_with_the_same_code_twice_is_refused(tree, catalogue, personas, login):
    data = split_data(catalogue, tree, [("STP-A", "Đảng ủy A"), ("stp-a", "Đảng ủy B")])
    assert "Các đơn vị mới phải có mã khác nhau" in text(
        post(login(personas["admin"]), "unit_split", "STP", data)
    )
    assert Unit.objects.get(code="STP").valid_to is None


def test_a_split_into_a_used_code_saves_nothing(tree, catalogue, personas, login):
    data = split_data(catalogue, tree, [("STP-A", "Đảng ủy A"), ("SYT", "Đảng ủy B")])
    assert "đã được dùng" in text(post(login(personas["admin"]), "unit_split", "STP", data))
    assert not Unit.objects.filter(code="STP-A").exists()
    assert Unit.objects.get(code="STP").valid_to is None


def test_a_split_needs_two_new_units(tree, catalogue, personas, login):
    data = split_data(catalogue, tree, [("STP-A", "Đảng ủy A"), ("", "")])
    assert "Trường này là bắt buộc" in text(post(login(personas["admin"]), "unit_split", "STP", data))
    assert Unit.objects.get(code="STP").valid_to is None


def test_a_child_cannot_go_to_an_empty_row(tree, catalogue, personas, login):
    parts = [("STP-A", "Đảng ủy A"), ("STP-B", "Đảng ủy B"), ("", "")]
    data = split_data(catalogue, tree, parts, **{f"child_{tree.stp_cb2.pk}": "3"})
    assert "Dòng đơn vị mới này đang để trống" in text(
        post(login(personas["admin"]), "unit_split", "STP", data)
    )
    assert Unit.objects.get(code="STP").valid_to is None


def test_a_stp_admin_cannot_split_stp_into_units_under_the_bloc(tree, catalogue, personas, login):
    data = split_data(catalogue, tree, [("STP-A", "Đảng ủy A"), ("STP-B", "Đảng ủy B")])
    assert "không có quyền quản trị" in text(post(login(personas["bloc_admin"]), "unit_split", "STP", data))
    assert Unit.objects.get(code="STP").valid_to is None


# --- dissolve --------------------------------------------------------------------------------


def test_the_admin_dissolves_a_unit(personas, login):
    data = {"effective_on": "01/06/2025", "confirm": "on", "decision": "9-QĐ"}
    response = post(login(personas["admin"]), "unit_dissolve", "STP-CB1", data)
    assert response.status_code == 302
    assert Unit.objects.get(code="STP-CB1").valid_to == D(2025, 6, 1)


def test_dissolving_needs_the_confirmation(personas, login):
    response = post(login(personas["admin"]), "unit_dissolve", "STP-CB1", {"effective_on": "01/06/2025"})
    assert "Hãy đánh dấu để xác nhận" in text(response)
    assert Unit.objects.get(code="STP-CB1").valid_to is None


def test_a_unit_with_units_under_it_cannot_be_dissolved(personas, login):
    data = {"effective_on": "01/06/2025", "confirm": "on"}
    assert "vẫn còn đơn vị trực thuộc" in text(post(login(personas["admin"]), "unit_dissolve", "STP", data))
    assert Unit.objects.get(code="STP").valid_to is None


def test_success_is_announced_on_the_unit_page(personas, login):
    data = {"effective_on": "01/06/2025", "confirm": "on"}
    response = login(personas["admin"]).post(url("unit_dissolve", "STP-CB1"), data, follow=True)
    assert "Đã giải thể đơn vị" in response.content.decode()
