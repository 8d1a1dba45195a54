"""The REST API: the same services and scope as the pages."""

import pytest

from danvan.activities.dialogues import services
from danvan.activities.dialogues.models import Dialogue, Issue

from .conftest import SYSTEM, D, spec

pytestmark = pytest.mark.django_db
API = "/api/v1/activities/dialogues/"


def test_create_list_update_and_delete_through_the_api(tree, personas, api, today):
    client = api(personas["mobilisation_officer"])
    body = {"unit": "STP-CB1", "held_on": "02/03/2026", "leader_name": "Nguyễn Văn An", "participants": 20}
    created = client.post(API, body, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["audience_label"] == "Cán bộ, công chức, viên chức"

    future = client.post(API, {**body, "held_on": "2026-07-01"}, format="json")
    assert future.status_code == 400 and "tương lai" in future.json()["held_on"][0]
    outside = client.post(API, {**body, "unit": "SYT"}, format="json")
    assert outside.status_code == 400 and "SYT" in outside.json()["unit"][0]
    assert Dialogue.objects.count() == 1

    issue = client.post(f"{API}{pk}/issues/", {"content": "Chỗ để xe", "due_on": "2026-04-01"}, format="json")
    assert issue.status_code == 201
    answered = client.patch(
        f"/api/v1/activities/dialogue-issues/{issue.json()['id']}/",
        {"state": "answered", "answer": "Đã bố trí", "answered_on": "2026-03-20"},
        format="json",
    )
    assert answered.status_code == 200 and answered.json()["state_label"] == "Đã trả lời"

    changed = client.patch(f"{API}{pk}/", {"participants": 25}, format="json")
    assert changed.status_code == 200 and changed.json()["participants"] == 25
    listed = client.get(API, {"year": 2026}).json()
    assert [row["id"] for row in listed["results"]] == [pk]
    assert client.delete(f"{API}{pk}/").status_code == 204
    assert not Dialogue.objects.exists() and not Issue.objects.exists()


def test_the_api_is_scoped_like_the_pages(tree, personas, api, today):
    dialogue = services.dialogue_record(spec=spec(tree.stp), by=SYSTEM)
    issue = services.issue_add(dialogue=dialogue, content="X", by=SYSTEM)
    outsider = api(personas["outsider"])
    assert outsider.get(f"{API}{dialogue.pk}/").status_code == 404
    assert outsider.get(f"/api/v1/activities/dialogue-issues/{issue.pk}/").status_code == 404
    assert outsider.get(API).json()["results"] == []
    viewer = api(personas["viewer"])
    assert viewer.get(f"{API}{dialogue.pk}/").status_code == 200
    assert viewer.patch(f"{API}{dialogue.pk}/", {"participants": 1}, format="json").status_code == 403
    assert (
        viewer.post(
            API, {"unit": "STP", "held_on": "2026-03-02", "leader_name": "A"}, format="json"
        ).status_code
        == 403
    )
    assert api(personas["case_handler"]).get(API).status_code == 403
    dialogue.refresh_from_db()
    assert dialogue.participants == 40 and dialogue.held_on == D(2026, 3, 2)
