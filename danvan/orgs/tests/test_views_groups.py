"""The catalogue of unit groups and unit types: everyone reads it, bloc administrators add to it."""

import pytest
from django.urls import reverse

from conftest import make_user
from danvan.orgs.models import UnitGroup, UnitType

pytestmark = pytest.mark.django_db


def add(client, kind, **fields):
    data = {"kind": kind, **{f"{kind}-{key}": value for key, value in fields.items()}}
    return client.post(reverse("orgs:group_list"), data)


def test_everyone_reads_the_groups_and_types(personas, login):
    html = login(personas["viewer"]).get(reverse("orgs:group_list")).content.decode()
    assert "Cơ quan hành chính" in html and "Trường trung cấp" in html and "Chi bộ" in html
    assert 'name="group-code"' not in html


def test_the_bloc_admin_adds_a_group(personas, login):
    response = add(login(personas["admin"]), "group", code="hospital", name="Bệnh viện")
    assert response.status_code == 302
    assert UnitGroup.objects.get(code="hospital").name == "Bệnh viện"


def test_the_bloc_admin_adds_a_type(personas, login):
    assert add(login(personas["admin"]), "type", code="team", name="Tổ đảng").status_code == 302
    assert UnitType.objects.filter(code="team").exists()


def test_a_superuser_may_add_too(tree, login):
    boss = make_user("boss", is_superuser=True)
    assert add(login(boss), "group", code="hospital", name="Bệnh viện").status_code == 302


def test_a_duplicate_code_is_refused_in_vietnamese(personas, login):
    response = add(login(personas["admin"]), "group", code="Admin_Agency", name="Trùng")
    assert "Mã admin_agency đã được dùng" in response.content.decode()
    assert UnitGroup.objects.filter(name="Trùng").count() == 0


def test_a_code_with_diacritics_is_refused(personas, login):
    response = add(login(personas["admin"]), "type", code="tổ đảng", name="Tổ đảng")
    assert "chữ cái không dấu" in response.content.decode()
    assert not UnitType.objects.filter(name="Tổ đảng").exists()


@pytest.mark.parametrize("persona", ["bloc_admin", "mobilisation_officer", "viewer", "outsider"])
def test_administrators_below_the_bloc_and_others_cannot_add(persona, personas, login):
    assert add(login(personas[persona]), "group", code="hospital", name="Bệnh viện").status_code == 403
    assert not UnitGroup.objects.filter(code="hospital").exists()


def test_a_control_character_in_a_name_is_refused_in_vietnamese_and_nothing_is_added(personas, login):
    response = add(login(personas["admin"]), "group", code="hospital", name="Bệnh\x07 viện")
    assert "Nội dung chứa ký tự không được phép." in response.content.decode()
    assert not UnitGroup.objects.filter(code="hospital").exists()
