"""The evaluations API: the same workflow and refusals as the pages."""

import pytest

from danvan.emulation.evaluations.models import Evaluation

from .helpers import final, scorecard

pytestmark = pytest.mark.django_db
BASE = "/api/v1/emulation/evaluations/"


def test_the_workflow_through_the_api(tree, personas, api):
    scorecard()
    officer = api(personas["mobilisation_officer"])
    response = officer.post(BASE, {"unit": "STP-CB1", "period": "2025"}, format="json")
    assert response.status_code == 201, response.data
    pk = response.data["id"]
    ids = [row["criterion_id"] for row in response.data["scores"]]
    bad = officer.post(
        f"{BASE}{pk}/scores/", {"scores": [{"criterion_id": ids[0], "points": "41"}]}, format="json"
    )
    assert bad.status_code == 400 and "tối đa" in str(bad.data)
    scores = [{"criterion_id": i, "points": p} for i, p in zip(ids, ("38", "28", "27"), strict=True)]
    assert officer.post(f"{BASE}{pk}/scores/", {"scores": scores}, format="json").status_code == 200
    assert officer.post(f"{BASE}{pk}/submit/").data["state"] == "submitted"
    # Another unit does not even see it; the unit above the cell (STP) reviews it.
    assert api(personas["outsider"]).get(f"{BASE}{pk}/").status_code == 404
    review = [{"criterion_id": i, "points": p} for i, p in zip(ids, ("38", "28", "27"), strict=True)]
    assert (
        officer.post(f"{BASE}{pk}/review/", {"scores": review}, format="json").data["proposed"]
        == "outstanding"
    )
    wrong = officer.post(f"{BASE}{pk}/classify/", {"classification": "outstanding"}, format="json")
    assert wrong.status_code == 400 and "366" in str(wrong.data)
    done = officer.post(
        f"{BASE}{pk}/classify/",
        {"classification": "good", "completion": "on_time", "reason": "Còn hạn chế"},
        format="json",
    )
    assert done.data["state"] == "final" and done.data["classification"] == "good"


def test_a_unit_cannot_review_itself_through_the_api(tree, personas, api):
    from .helpers import submitted

    evaluation = submitted(tree.stp)
    response = api(personas["mobilisation_officer"]).post(
        f"{BASE}{evaluation.pk}/review/", {"scores": []}, format="json"
    )
    assert response.status_code == 403
    assert Evaluation.objects.get().state == "submitted"


def test_the_ranking_through_the_api(tree, personas, api):
    card = scorecard()
    final(tree.stp, (38, 28, 27), card=card)
    final(tree.syt, (38, 28, 27), card=card)
    rows = api(personas["admin"]).get(f"{BASE}ranking/", {"unit": "DUK", "period": "2025"}).data
    assert [(r["rank"], r["unit"]) for r in rows] == [(1, "STP"), (1, "SYT")]
    assert (
        api(personas["outsider"]).get(f"{BASE}ranking/", {"unit": "STP", "period": "2025"}).status_code == 404
    )
