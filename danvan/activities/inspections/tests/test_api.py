"""The API: the same split of rights and scope as the pages."""

import datetime

import pytest

from danvan.activities.inspections.models import Inspection

pytestmark = pytest.mark.django_db
BASE = "/api/v1/activities"


def test_programmes_are_listed_for_inspector_and_inspected_only(api, people, planned):
    for who, count in (("inspector", 1), ("inspected", 1), ("other", 0)):
        body = api(people[who]).get(f"{BASE}/inspections/").json()
        assert body["count"] == count, who
    assert api(people["other"]).get(f"{BASE}/inspections/{planned['inspection'].pk}/").status_code == 404
    assert api(people["other"]).get(f"{BASE}/inspection-remedies/{planned['late'].pk}/").status_code == 404


def test_the_inspector_creates_a_programme_and_a_unit_out_of_scope_is_unknown(api, people, today):
    body = {
        "unit": "STP",
        "kind": "inspection",
        "title": "Kiểm tra chi bộ",
        "year": today.year,
        "starts_on": f"{today.year}-01-02",
        "ends_on": f"{today.year}-03-02",
        "units": ["STP-CB1"],
    }
    client = api(people["inspected"])
    made = client.post(f"{BASE}/inspections/", body, format="json")
    assert made.status_code == 201, made.json()
    assert made.json()["targets"][0]["unit"] == "STP-CB1"
    refused = client.post(f"{BASE}/inspections/", {**body, "units": ["SYT-CB1"]}, format="json")
    assert refused.status_code == 400 and "SYT-CB1" in str(refused.json())
    as_bloc = client.post(f"{BASE}/inspections/", {**body, "unit": "DUK", "units": ["STP"]}, format="json")
    assert as_bloc.status_code == 400  # DUK is out of the STP officer's scope: an unknown code
    assert Inspection.objects.count() == 1


def test_findings_remedies_and_follow_up_by_the_right_side(api, people, planned, today):
    target, remedy = planned["target"], planned["soon"]
    findings = {"conducted_on": today.isoformat(), "conclusion": "Tốt"}
    # A remedy already falls due before today: the inspection cannot have been conducted after it.
    refused = api(people["inspector"]).post(
        f"{BASE}/inspected-units/{target.pk}/findings/", findings, format="json"
    )
    assert refused.status_code == 400 and "conducted_on" in refused.json()
    findings["conducted_on"] = target.conducted_on.isoformat()
    assert (
        api(people["inspected"])
        .post(f"{BASE}/inspected-units/{target.pk}/findings/", findings, format="json")
        .status_code
        == 403
    )
    assert (
        api(people["inspector"])
        .post(f"{BASE}/inspected-units/{target.pk}/findings/", findings, format="json")
        .status_code
        == 200
    )
    new = {
        "target": target.pk,
        "content": "Bổ sung hồ sơ",
        "due_on": (today + datetime.timedelta(days=9)).isoformat(),
    }
    assert (
        api(people["inspected"]).post(f"{BASE}/inspection-remedies/", new, format="json").status_code == 403
    )
    assert (
        api(people["inspector"]).post(f"{BASE}/inspection-remedies/", new, format="json").status_code == 201
    )
    follow = {"state": "remedied", "remedied_on": today.isoformat(), "result": "Đã xong"}
    assert (
        api(people["other"])
        .post(f"{BASE}/inspection-remedies/{remedy.pk}/follow-up/", follow, format="json")
        .status_code
        == 404
    )
    done = api(people["inspected"]).post(
        f"{BASE}/inspection-remedies/{remedy.pk}/follow-up/", follow, format="json"
    )
    assert done.status_code == 200 and done.json()["status"] == "remedied"
    back = api(people["inspected"]).post(
        f"{BASE}/inspection-remedies/{remedy.pk}/follow-up/", {"state": "open", "result": ""}, format="json"
    )
    assert back.status_code == 400


def test_the_remedies_list_filters_by_state(api, people, planned):
    body = api(people["inspected"]).get(f"{BASE}/inspection-remedies/?state=overdue").json()
    assert [row["content"] for row in body["results"]] == ["Công khai kết quả kiểm tra"]
    assert body["results"][0]["status_label"] == "Quá hạn khắc phục"
