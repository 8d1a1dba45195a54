"""The audit log through the API: read-only, filtered, and scoped to the reader's subtrees."""

import datetime

import pytest
from django.utils import timezone

from conftest import make_user
from danvan.accounts.actors import System
from danvan.accounts.models import Role
from danvan.audit.models import AuditEvent
from danvan.orgs import services

SYSTEM = System("tests")

D = datetime.date
EVENTS = "/api/v1/audit-events/"
pytestmark = pytest.mark.django_db


@pytest.fixture
def changes(tree):
    """A rename at STP-CB1 and one at SYT-CB1, on top of the creation of the tree."""
    services.unit_change(unit=tree.stp_cb1, effective_on=D(2024, 1, 1), name="Chi bộ Pháp chế", by=SYSTEM)
    services.unit_change(unit=tree.syt_cb1, effective_on=D(2024, 1, 1), name="Chi bộ Dược", by=SYSTEM)


def events(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_a_bloc_admin_at_stp_reads_the_events_of_stp_only(api, personas, changes):
    rows = events(api(personas["bloc_admin"]).get(EVENTS, {"limit": 1000}))
    assert {row["unit_code"] for row in rows} == {"STP", "STP-CB1", "STP-CB2"}
    assert any(row["changes"].get("name") == ["Chi bộ 1", "Chi bộ Pháp chế"] for row in rows)
    assert not any(row["action"] == "login" for row in rows)  # events without a unit are for root admins


def test_an_administrator_of_another_unit_sees_no_event_of_stp(api, personas, tree, changes):
    syt_admin = make_user("admin_syt", unit=tree.syt, role=Role.BLOC_ADMIN)
    rows = events(api(syt_admin).get(EVENTS, {"limit": 1000}))
    assert {row["unit_code"] for row in rows} == {"SYT", "SYT-CB1"}
    stp_event = AuditEvent.objects.filter(unit_code="STP-CB1").first()
    assert api(syt_admin).get(f"{EVENTS}{stp_event.pk}/").status_code == 404


def test_a_root_administrator_also_reads_events_without_a_unit(api, personas, changes):
    client = api(personas["admin"])
    rows = events(client.get(EVENTS, {"limit": 1000}))
    assert {"STP-CB1", "SYT-CB1", ""} <= {row["unit_code"] for row in rows}
    login = next(row for row in rows if row["action"] == "login")
    assert client.get(f"{EVENTS}{login['id']}/").json()["action_display"] == "Đăng nhập"


@pytest.mark.parametrize(
    "who", ["mobilisation_officer", "unit_head", "reporter", "case_handler", "viewer", "outsider"]
)
def test_roles_without_the_audit_permission_are_refused(api, personas, who):
    assert api(personas[who]).get(EVENTS).status_code == 403


def test_the_log_cannot_be_changed_through_the_api(api, personas, changes):
    client = api(personas["admin"])
    event = AuditEvent.objects.filter(unit_code="STP-CB1").first()
    assert client.post(EVENTS, {"action": "login"}, format="json").status_code == 405
    assert client.put(f"{EVENTS}{event.pk}/", {"action": "login"}, format="json").status_code == 405
    assert client.patch(f"{EVENTS}{event.pk}/", {"action": "login"}, format="json").status_code == 405
    assert client.delete(f"{EVENTS}{event.pk}/").status_code == 405
    assert AuditEvent.objects.filter(pk=event.pk, action=event.action).exists()


def test_events_filter_by_action_model_actor_and_unit(api, personas, tree, changes):
    client = api(personas["admin"])
    restructured = events(client.get(EVENTS, {"action": "restructure", "unit": "STP", "limit": 1000}))
    assert {row["unit_code"] for row in restructured} == {"STP", "STP-CB1", "STP-CB2"}
    assert {row["action"] for row in restructured} == {"restructure"}
    assert {row["model"] for row in events(client.get(EVENTS, {"model": "accounts.user"}))} == {
        "accounts.user"
    }
    logins = events(client.get(EVENTS, {"action": "login", "actor": "admin_duk"}))
    assert [row["actor_id"] for row in logins] == [personas["admin"].pk]
    assert events(client.get(EVENTS, {"actor": str(personas["admin"].pk), "action": "login"})) == logins
    assert events(client.get(EVENTS, {"unit": "KHONG-CO"})) == []


def test_events_filter_by_date(api, personas, changes):
    client = api(personas["admin"])
    today = timezone.localdate()
    assert events(client.get(EVENTS, {"date_from": today.strftime("%d/%m/%Y")}))
    assert events(client.get(EVENTS, {"date_to": (today - datetime.timedelta(days=1)).isoformat()})) == []


def test_bad_date_filters_get_a_vietnamese_message(api, personas):
    client = api(personas["admin"])
    response = client.get(EVENTS, {"date_from": "32/01/2024"})
    assert response.status_code == 400
    assert response.json() == {"date_from": ["Nhập ngày hợp lệ, ví dụ 31/12/2024 hoặc 2024-12-31."]}
    response = client.get(EVENTS, {"date_from": "2024-02-01", "date_to": "2024-01-01"})
    assert response.json() == {"date_to": ["Ngày kết thúc đứng trước ngày bắt đầu."]}
