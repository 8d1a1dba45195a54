"""Reading the organisation tree through the API: scope per role, dates, search, history."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from conftest import make_unit
from danvan.accounts.actors import System
from danvan.accounts.models import Role
from danvan.audit.models import AuditEvent
from danvan.orgs import services
from danvan.orgs.models import UnitGroup, UnitType

SYSTEM = System("tests")

D = datetime.date
UNITS = "/api/v1/units/"
BAD_DATE = "Nhập ngày hợp lệ, ví dụ 31/12/2024 hoặc 2024-12-31."
pytestmark = pytest.mark.django_db


def codes(response):
    assert response.status_code == 200, response.content
    return sorted(item["code"] for item in response.json()["results"])


@pytest.mark.parametrize("role", Role.values)
def test_each_role_at_stp_lists_the_units_of_stp_and_none_of_syt(api, personas, role):
    client = api(personas[role])
    assert codes(client.get(UNITS)) == ["STP", "STP-CB1", "STP-CB2"]
    assert codes(client.get(UNITS, {"q": "dang uy"})) == ["STP"]


# Every read of SYT or DUK by a role at STP answers 404: the permission matrix
# (core/tests/test_permission_matrix.py: unit-detail, -children, -descendants, -history).


def test_the_outsider_sees_syt_and_nothing_of_stp(api, personas):
    client = api(personas["outsider"])
    assert codes(client.get(UNITS)) == ["SYT", "SYT-CB1"]
    assert codes(client.get(UNITS, {"q": "tu phap"})) == []
    assert client.get(UNITS + "STP/").status_code == 404
    assert client.get(UNITS + "STP/history/").status_code == 404


def test_a_user_without_a_role_sees_no_unit(api, personas):
    client = api(personas["nobody"])
    assert codes(client.get(UNITS)) == []
    assert client.get(UNITS + "STP/").status_code == 404


def test_an_anonymous_request_is_refused_with_401_in_vietnamese(tree):
    response = APIClient().get(UNITS)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {"detail": "Chưa cung cấp thông tin xác thực."}


def test_a_unit_reads_as_its_version_of_the_date(api, personas, tree):
    services.unit_change(
        unit=tree.stp_cb1, effective_on=D(2024, 1, 1), name="Chi bộ Hành chính", short_name="HC", by=SYSTEM
    )
    client = api(personas["viewer"])
    assert client.get(UNITS + "STP-CB1/", {"as_of": "31/12/2023"}).json()["name"] == "Chi bộ 1"
    assert client.get(UNITS + "STP-CB1/").json() == {
        "code": "STP-CB1",
        "name": "Chi bộ Hành chính",
        "short_name": "HC",
        "type": "cell",
        "groups": [],
        "parent_code": "STP",
        "depth": 2,
        "valid_from": "2020-01-01",
        "valid_to": None,
        "is_active": True,
        "lead": None,
        "regulation_number": "",
        "regulation_signed_on": None,
    }
    assert client.get(UNITS + "STP-CB1/", {"as_of": "2019-12-31"}).status_code == 404


def test_a_unit_shows_the_lead_of_the_date(api, personas, tree):
    services.lead_assign(
        unit=tree.stp, full_name="Nguyễn Văn An", position="Phó Bí thư", assigned_on=D(2023, 1, 1), by=SYSTEM
    )
    client = api(personas["reporter"])
    lead = client.get(UNITS + "STP/").json()["lead"]
    assert (lead["full_name"], lead["position"], lead["assigned_on"]) == (
        "Nguyễn Văn An",
        "Phó Bí thư",
        "2023-01-01",
    )
    assert client.get(UNITS + "STP/", {"as_of": "2022-12-31"}).json()["lead"] is None


def test_search_ignores_diacritics_and_case(api, personas):
    client = api(personas["admin"])
    assert codes(client.get(UNITS, {"q": "so tu phap"})) == ["STP"]
    assert codes(client.get(UNITS, {"q": "DANG UY KHOI"})) == ["DUK"]
    assert codes(client.get(UNITS, {"q": "chi bo van phong"})) == ["SYT-CB1"]


def test_the_list_filters_by_parent_type_and_group(api, personas):
    client = api(personas["admin"])
    assert codes(client.get(UNITS, {"parent": "STP"})) == ["STP-CB1", "STP-CB2"]
    assert codes(client.get(UNITS, {"type": "grassroots"})) == ["STP", "SYT"]
    assert codes(client.get(UNITS, {"group": "public_service_unit"})) == ["SYT"]
    assert codes(client.get(UNITS, {"parent": "NOWHERE"})) == []


def test_the_list_is_paginated(api, personas):
    data = api(personas["admin"]).get(UNITS, {"limit": 2}).json()
    assert data["count"] == 6
    assert [unit["code"] for unit in data["results"]] == ["DUK", "STP"]


def test_listing_units_costs_the_same_queries_however_many_there_are(api, personas, tree):
    client = api(personas["admin"])

    def queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get(UNITS).status_code == 200
        return len(context.captured_queries)

    few = queries()
    for number in range(3, 8):
        unit = make_unit(
            tree.catalogue, f"STP-CB{number}", f"Chi bộ {number}", "cell", tree.stp, ["admin_agency"]
        )
        services.lead_assign(
            unit=unit, full_name=f"Người phụ trách {number}", assigned_on=D(2024, 1, 1), by=SYSTEM
        )
    assert queries() == few


def test_the_tree_of_a_date_leaves_out_dissolved_units_unless_asked(api, personas, tree):
    services.unit_dissolve(unit=tree.stp_cb2, effective_on=D(2024, 6, 1), by=SYSTEM)
    client = api(personas["viewer"])
    assert codes(client.get(UNITS)) == ["STP", "STP-CB1"]
    assert codes(client.get(UNITS, {"as_of": "2024-05-31"})) == ["STP", "STP-CB1", "STP-CB2"]
    assert codes(client.get(UNITS, {"as_of": "2019-12-31"})) == []
    listed = client.get(UNITS, {"include_dissolved": "true"}).json()["results"]
    dissolved = next(unit for unit in listed if unit["code"] == "STP-CB2")
    assert (dissolved["is_active"], dissolved["valid_to"]) == (False, "2024-06-01")
    assert client.get(UNITS + "STP-CB2/").json()["is_active"] is False


@pytest.mark.parametrize("value", ["31/02/2024", "hôm qua", "2024-13-01"])
def test_a_bad_date_is_refused_with_a_vietnamese_message(api, personas, value):
    client = api(personas["viewer"])
    for path in (UNITS, UNITS + "STP/", UNITS + "STP/children/", UNITS + "STP/descendants/"):
        response = client.get(path, {"as_of": value})
        assert response.status_code == 400
        assert response.json() == {"as_of": [BAD_DATE]}


def test_descendants_cover_every_depth_as_of_the_date(api, personas, tree):
    services.unit_move(unit=tree.stp_cb2, new_parent=tree.syt, effective_on=D(2024, 5, 1), by=SYSTEM)
    client = api(personas["admin"])
    assert codes(client.get(UNITS + "DUK/descendants/")) == ["STP", "STP-CB1", "STP-CB2", "SYT", "SYT-CB1"]
    assert codes(client.get(UNITS + "STP/descendants/")) == ["STP-CB1"]
    assert codes(client.get(UNITS + "STP/descendants/", {"as_of": "30/04/2024"})) == ["STP-CB1", "STP-CB2"]


def test_descendants_stay_within_the_users_scope(api, personas, tree):
    services.unit_move(unit=tree.stp_cb2, new_parent=tree.syt, effective_on=D(2024, 5, 1), by=SYSTEM)
    client = api(personas["viewer"])
    # STP-CB2 was under STP in April but belongs to SYT now: the STP viewer no longer sees it.
    assert codes(client.get(UNITS + "STP/descendants/", {"as_of": "2024-04-30"})) == ["STP-CB1"]


def test_children_come_in_vietnamese_order_with_their_counts(api, personas):
    response = api(personas["admin"]).get(UNITS + "DUK/children/")
    assert [(unit["code"], unit["child_count"]) for unit in response.json()["results"]] == [
        ("STP", 2),
        ("SYT", 1),
    ]


def test_history_lists_versions_events_and_links(api, personas, tree):
    services.unit_merge(
        units=[tree.stp_cb2], into=tree.stp_cb1, effective_on=D(2025, 3, 1), decision="QĐ 15", by=SYSTEM
    )
    client = api(personas["case_handler"])
    history = client.get(UNITS + "STP-CB1/history/").json()
    assert history["code"] == "STP-CB1"
    assert [(v["name"], v["valid_from"], v["parent_code"]) for v in history["versions"]] == [
        ("Chi bộ 1", "2020-01-01", "STP")
    ]
    assert [(e["kind"], e["effective_on"]) for e in history["events"]] == [
        ("create", "2020-01-01"),
        ("merge", "2025-03-01"),
    ]
    assert history["events"][1]["decision"] == "QĐ 15"
    assert history["predecessors"] == [
        {"code": "STP-CB2", "name": "Chi bộ 2", "kind": "merge", "effective_on": "2025-03-01"}
    ]
    assert [s["code"] for s in client.get(UNITS + "STP-CB2/history/").json()["successors"]] == ["STP-CB1"]


def test_the_catalogues_are_read_by_every_user(api, personas):
    client = api(personas["nobody"])
    types = [t["code"] for t in client.get("/api/v1/unit-types/").json()["results"]]
    groups = [g["code"] for g in client.get("/api/v1/unit-groups/").json()["results"]]
    assert {"bloc", "committee", "grassroots", "cell", "agency", "mass_org"} <= set(types)
    assert {"admin_agency", "public_service_unit", "vocational_school", "enterprise"} <= set(groups)


@pytest.mark.parametrize("who", ["bloc_admin", "mobilisation_officer", "viewer", "outsider", "nobody"])
def test_only_administrators_of_a_whole_tree_extend_the_catalogues(api, personas, who):
    client = api(personas[who])
    assert (
        client.post(
            "/api/v1/unit-groups/", {"code": "school", "name": "Trường học"}, format="json"
        ).status_code
        == 403
    )
    assert (
        client.post("/api/v1/unit-types/", {"code": "branch", "name": "Chi hội"}, format="json").status_code
        == 403
    )


def test_a_root_administrator_adds_a_group_and_a_type_and_it_is_audited(api, personas):
    client = api(personas["admin"])
    # (Groups re-created after a browser test's flush were logged too: only the new event counts.)
    earlier = list(AuditEvent.objects.values_list("pk", flat=True))
    response = client.post("/api/v1/unit-groups/", {"code": "school", "name": "Trường học"}, format="json")
    assert response.status_code == 201
    assert response.json() == {"code": "school", "name": "Trường học", "description": ""}
    event = AuditEvent.objects.filter(model="orgs.unitgroup", action="create").exclude(pk__in=earlier).get()
    assert event.actor_id == personas["admin"].pk
    response = client.post(
        "/api/v1/unit-types/", {"code": "branch", "name": "Chi hội", "order": 70}, format="json"
    )
    assert response.status_code == 201
    assert "branch" in [t["code"] for t in client.get("/api/v1/unit-types/").json()["results"]]


def test_a_catalogue_code_must_be_new_and_plain(api, personas):
    client = api(personas["admin"])
    duplicate = client.post(
        "/api/v1/unit-groups/", {"code": "Enterprise", "name": "Doanh nghiệp"}, format="json"
    )
    assert duplicate.status_code == 400
    assert duplicate.json() == {"code": ["Mã này đã được sử dụng."]}
    accented = client.post("/api/v1/unit-types/", {"code": "chi hội", "name": "Chi hội"}, format="json")
    assert accented.json() == {"code": ["Mã chỉ gồm chữ cái không dấu, chữ số, '_' hoặc '-'."]}


def test_a_control_character_in_a_catalogue_name_is_refused_and_nothing_is_added(api, personas):
    client = api(personas["admin"])
    group = client.post(
        "/api/v1/unit-groups/",
        {"code": "school", "name": "Trường học", "description": "Các trường\x07 trung cấp"},
        format="json",
    )
    assert group.status_code == 400
    assert group.json() == {"description": ["Nội dung chứa ký tự không được phép."]}
    unit_type = client.post("/api/v1/unit-types/", {"code": "branch", "name": "Chi\x1b hội"}, format="json")
    assert unit_type.json() == {"name": ["Nội dung chứa ký tự không được phép."]}
    assert not UnitGroup.objects.filter(code="school").exists()
    assert not UnitType.objects.filter(code="branch").exists()
