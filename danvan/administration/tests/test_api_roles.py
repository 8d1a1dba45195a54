"""Roles, users and "me" through the API: scoped reads, audited grants and revocations."""

import pytest
from django.urls import reverse

from conftest import make_user
from danvan.accounts.models import Role, RoleAssignment
from danvan.accounts.policy import Perm
from danvan.audit.models import AuditEvent

ROLES = "/api/v1/role-assignments/"
USERS = "/api/v1/users/"
STP_PEOPLE = sorted(f"{role}_stp" for role in Role.values)
pytestmark = pytest.mark.django_db


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_a_bloc_admin_at_stp_reads_the_assignments_within_stp_only(api, personas):
    rows = results(api(personas["bloc_admin"]).get(ROLES))
    assert sorted(row["user"]["username"] for row in rows) == STP_PEOPLE
    assert {row["unit_code"] for row in rows} == {"STP"}


@pytest.mark.parametrize(
    "who", ["mobilisation_officer", "unit_head", "reporter", "case_handler", "viewer", "outsider"]
)
def test_other_roles_read_only_their_own_assignment(api, personas, who):
    rows = results(api(personas[who]).get(ROLES))
    assert [row["user"]["username"] for row in rows] == [personas[who].username]


def test_assignments_filter_by_user_unit_and_role(api, personas):
    client = api(personas["admin"])
    assert [r["user"]["username"] for r in results(client.get(ROLES, {"unit": "SYT"}))] == ["officer_syt"]
    assert [r["role"] for r in results(client.get(ROLES, {"user": "viewer_stp"}))] == ["viewer"]
    assert [r["unit_code"] for r in results(client.get(ROLES, {"user": personas["admin"].pk}))] == ["DUK"]
    assert len(results(client.get(ROLES, {"role": "bloc_admin"}))) == 2
    assert results(client.get(ROLES, {"unit": "KHONG-CO"})) == []


def test_granting_a_role_through_the_api_is_audited(api, personas):
    granter = personas["bloc_admin"]
    response = api(granter).post(
        ROLES, {"user": "no_roles", "unit": "STP-CB1", "role": "viewer"}, format="json"
    )
    assert response.status_code == 201, response.content
    assert (response.json()["unit_code"], response.json()["granted_by"]) == ("STP-CB1", "bloc_admin_stp")
    assert RoleAssignment.objects.filter(
        user=personas["nobody"], unit__code="STP-CB1", role="viewer"
    ).exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.ROLE_GRANT)
    assert (event.actor_id, event.unit_code, event.changes["user"]) == (granter.pk, "STP-CB1", "no_roles")


def test_a_role_can_be_granted_to_a_user_named_by_id(api, personas):
    body = {"user": str(personas["nobody"].pk), "unit": "STP", "role": "reporter"}
    assert api(personas["bloc_admin"]).post(ROLES, body, format="json").status_code == 201


def test_a_bloc_admin_at_stp_cannot_grant_a_role_at_syt_nor_learn_that_it_exists(api, personas):
    client = api(personas["bloc_admin"])
    response = client.post(ROLES, {"user": "no_roles", "unit": "SYT", "role": "viewer"}, format="json")
    missing = client.post(ROLES, {"user": "no_roles", "unit": "KHONG-CO", "role": "viewer"}, format="json")
    assert (response.status_code, missing.status_code) == (400, 400)
    assert response.json() == {"unit": ["Không có đơn vị nào có mã “SYT”."]}
    assert missing.json() == {"unit": ["Không có đơn vị nào có mã “KHONG-CO”."]}
    assert not RoleAssignment.objects.filter(user=personas["nobody"]).exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.ROLE_GRANT).exists()


@pytest.mark.parametrize(
    "who", ["mobilisation_officer", "unit_head", "reporter", "case_handler", "viewer", "outsider"]
)
def test_roles_without_role_management_cannot_grant(api, personas, who):
    response = api(personas[who]).post(
        ROLES, {"user": "no_roles", "unit": "STP", "role": "viewer"}, format="json"
    )
    assert response.status_code == 403
    assert not RoleAssignment.objects.filter(user=personas["nobody"]).exists()


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"user": "ai-do", "unit": "STP", "role": "viewer"}, {"user": ["Không có người dùng “ai-do”."]}),
        ({"user": "no_roles", "unit": "STP", "role": "king"}, {"role": ["Vai trò không hợp lệ."]}),
        (
            {"user": "no_roles", "unit": "KHONG-CO", "role": "viewer"},
            {"unit": ["Không có đơn vị nào có mã “KHONG-CO”."]},
        ),
        (
            {"user": "viewer_stp", "unit": "STP", "role": "viewer"},
            {"non_field_errors": ["viewer_stp đã có vai trò này tại STP."]},
        ),
    ],
)
def test_a_bad_grant_gets_a_vietnamese_message(api, personas, body, errors):
    before = RoleAssignment.objects.count()
    response = api(personas["bloc_admin"]).post(ROLES, body, format="json")
    assert response.status_code == 400
    assert response.json() == errors
    assert RoleAssignment.objects.count() == before


def test_revoking_through_the_api_is_audited(api, personas):
    assignment = personas["viewer"].role_assignments.get()
    response = api(personas["bloc_admin"]).delete(f"{ROLES}{assignment.pk}/")
    assert response.status_code == 204
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.ROLE_REVOKE)
    assert (event.actor_id, event.unit_code, event.changes["role"]) == (
        personas["bloc_admin"].pk,
        "STP",
        ["viewer", None],
    )


def test_an_assignment_outside_ones_scope_cannot_be_revoked(api, personas):
    outsiders_role = personas["outsider"].role_assignments.get()
    assert api(personas["bloc_admin"]).delete(f"{ROLES}{outsiders_role.pk}/").status_code == 404
    own_role = personas["viewer"].role_assignments.get()
    assert api(personas["viewer"]).delete(f"{ROLES}{own_role.pk}/").status_code == 403
    assert RoleAssignment.objects.filter(pk__in=[outsiders_role.pk, own_role.pk]).count() == 2
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.ROLE_REVOKE).exists()


def test_an_administrator_cannot_revoke_their_own_role_and_lock_themselves_out(api, personas, login):
    admin = personas["bloc_admin"]
    own = admin.role_assignments.get()
    response = api(admin).delete(f"{ROLES}{own.pk}/")
    assert response.status_code == 400
    assert "không thể tự thu hồi vai trò" in response.content.decode()
    page = login(admin).post(reverse("administration:role_revoke", args=[own.pk]), follow=True)
    assert "không thể tự thu hồi vai trò" in page.content.decode()
    assert RoleAssignment.objects.filter(pk=own.pk).exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.ROLE_REVOKE).exists()


def test_me_shows_the_users_roles_and_permissions_per_scope(api, personas):
    me = api(personas["viewer"]).get("/api/v1/me/").json()
    assert (me["username"], me["is_superuser"]) == ("viewer_stp", False)
    assert [(role["role"], role["unit_code"]) for role in me["roles"]] == [("viewer", "STP")]
    assert me["scopes"] == [
        {
            "unit_code": "STP",
            "unit_name": "Đảng ủy Sở Tư pháp",
            "permissions": [
                "unit.view",
                "unit.export",
                "report.view",
                "document.view",
                "activity.view",
                "emulation.view",
                "quiz.take",
            ],
        }
    ]
    admin_scopes = api(personas["admin"]).get("/api/v1/me/").json()["scopes"]
    assert admin_scopes[0]["unit_code"] == "DUK"
    assert len(admin_scopes[0]["permissions"]) == len(Perm)


def test_me_for_a_superuser_covers_everywhere(api, db):
    boss = make_user("boss", is_superuser=True)
    scopes = api(boss).get("/api/v1/me/").json()["scopes"]
    assert scopes[0]["unit_code"] is None
    assert "role.manage" in scopes[0]["permissions"]


def test_a_bloc_admin_at_stp_lists_the_users_of_stp(api, personas, tree):
    RoleAssignment.objects.create(user=personas["viewer"], unit=tree.syt, role=Role.REPORTER)
    rows = results(api(personas["bloc_admin"]).get(USERS))
    assert [row["username"] for row in rows] == STP_PEOPLE
    viewer = next(row for row in rows if row["username"] == "viewer_stp")
    assert [(role["role"], role["unit_code"]) for role in viewer["roles"]] == [("viewer", "STP")]


def test_a_root_admin_also_lists_users_without_a_role(api, personas):
    client = api(personas["admin"])
    usernames = [row["username"] for row in results(client.get(USERS))]
    assert {"no_roles", "officer_syt", "admin_duk", *STP_PEOPLE} == set(usernames)
    assert [row["username"] for row in results(client.get(USERS, {"q": "ROLES"}))] == ["no_roles"]
    assert [row["username"] for row in results(client.get(USERS, {"unit": "SYT"}))] == ["officer_syt"]


@pytest.mark.parametrize("who", ["viewer", "mobilisation_officer", "outsider", "nobody"])
def test_users_are_listed_only_for_role_managers(api, personas, who):
    assert api(personas[who]).get(USERS).status_code == 403
