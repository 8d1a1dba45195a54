"""What earned a commendation: a "Dân vận khéo" model or an evaluation of the recipient's unit (or below),
one of them, seen by the recording user; a foreign record is refused like an unknown one, nothing saved."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from danvan.emulation.commendations import services
from danvan.emulation.commendations.models import Commendation
from danvan.emulation.evaluations.tests import helpers as evaluation_helpers
from danvan.emulation.exemplars.tests import helpers as exemplar_helpers

from .helpers import spec

pytestmark = pytest.mark.django_db

MODEL_REFUSED = "Không có mô hình “Dân vận khéo” nào như vậy mà bạn được xem, của đơn vị được khen hoặc một đơn vị cấp dưới."
EVALUATION_REFUSED = (
    "Không có bản đánh giá nào như vậy mà bạn được xem, của đơn vị được khen hoặc một đơn vị cấp dưới."
)
BOTH_REFUSED = "Chỉ gắn khen thưởng với một mô hình “Dân vận khéo” hoặc một bản đánh giá, không gắn cả hai."


@pytest.fixture
def earned(tree):
    campaign = exemplar_helpers.make_campaign(tree.root)
    card = evaluation_helpers.scorecard()
    return {
        "model": exemplar_helpers.recognised(campaign, tree.stp),
        # recognised in the bloc's campaign: the officers of STP see it (to replicate it), yet it is SYT's
        "foreign_model": exemplar_helpers.recognised(campaign, tree.syt),
        "evaluation": evaluation_helpers.submitted(tree.stp, card=card),
        "foreign_evaluation": evaluation_helpers.submitted(tree.syt, card=card),
    }


def _refused(call) -> dict:
    with pytest.raises(ValidationError) as caught:
        call()
    assert not Commendation.objects.exists()
    return caught.value.message_dict


def test_a_commendation_is_linked_to_a_model_or_an_evaluation_of_its_unit(tree, personas, earned):
    officer = personas["mobilisation_officer"]  # at STP
    by_model = services.commendation_record(spec=spec(tree.stp, exemplar=earned["model"].pk), by=officer)
    assert by_model.exemplar == earned["model"] and by_model.evaluation is None
    assert list(earned["model"].commendations.all()) == [by_model]
    by_evaluation = services.commendation_record(
        spec=spec(tree.stp, evaluation=earned["evaluation"].pk), by=officer
    )
    assert by_evaluation.evaluation == earned["evaluation"] and by_evaluation.exemplar is None
    # a correction may change the link, or drop it
    services.commendation_update(
        commendation=by_model, spec=spec(tree.stp, evaluation=earned["evaluation"].pk), by=officer
    )
    by_model.refresh_from_db()
    assert by_model.exemplar is None and by_model.evaluation == earned["evaluation"]
    services.commendation_update(commendation=by_model, spec=spec(tree.stp), by=officer)
    by_model.refresh_from_db()
    assert by_model.exemplar is None and by_model.evaluation is None


def test_a_record_of_a_unit_below_the_recipient_counts(tree, personas, earned):
    admin = personas["admin"]  # at the bloc
    item = services.commendation_record(spec=spec(tree.root, evaluation=earned["evaluation"].pk), by=admin)
    assert item.evaluation == earned["evaluation"]


def test_a_foreign_record_is_refused_like_an_unknown_one(tree, personas, earned):
    officer = personas["mobilisation_officer"]  # at STP
    for wanted in (earned["foreign_model"].pk, 999_999, 0):
        errors = _refused(
            lambda w=wanted: services.commendation_record(spec=spec(tree.stp, exemplar=w), by=officer)
        )
        assert errors == {"exemplar": [MODEL_REFUSED]}
    for wanted in (earned["foreign_evaluation"].pk, 999_999):
        errors = _refused(
            lambda w=wanted: services.commendation_record(spec=spec(tree.stp, evaluation=w), by=officer)
        )
        assert errors == {"evaluation": [EVALUATION_REFUSED]}
    # a record of the unit above the recipient is not the recipient's either
    errors = _refused(
        lambda: services.commendation_record(spec=spec(tree.stp_cb1, exemplar=earned["model"].pk), by=officer)
    )
    assert errors == {"exemplar": [MODEL_REFUSED]}


def test_a_model_and_an_evaluation_at_once_are_refused(tree, personas, earned):
    officer = personas["mobilisation_officer"]
    both = spec(tree.stp, exemplar=earned["model"].pk, evaluation=earned["evaluation"].pk)
    errors = _refused(lambda: services.commendation_record(spec=both, by=officer))
    assert errors == {"evaluation": [BOTH_REFUSED]}


def test_a_correction_to_a_foreign_record_changes_nothing(tree, personas, earned):
    officer = personas["mobilisation_officer"]
    item = services.commendation_record(spec=spec(tree.stp, exemplar=earned["model"].pk), by=officer)
    with pytest.raises(ValidationError):
        services.commendation_update(
            commendation=item, spec=spec(tree.stp, evaluation=earned["foreign_evaluation"].pk), by=officer
        )
    item.refresh_from_db()
    assert item.exemplar == earned["model"] and item.evaluation is None


def _payload(unit_code: str, **more) -> dict:
    return {
        "kind": "collective",
        "unit": unit_code,
        "form": "merit",
        "issuer_name": "UBND tỉnh",
        "decision_number": "3150/QĐ-UBND",
        "decision_date": "2025-12-18",
        "year": 2025,
        "reason": "Thành tích xuất sắc trong phong trào thi đua “Dân vận khéo” năm 2025",
        **more,
    }


def test_the_api_links_and_refuses_alike(tree, personas, earned, api):
    client = api(personas["mobilisation_officer"])
    url = "/api/v1/emulation/commendations/"
    response = client.post(url, _payload("STP", exemplar=earned["model"].pk), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["exemplar"] == earned["model"].pk and response.json()["evaluation"] is None
    made = Commendation.objects.get()
    assert made.exemplar == earned["model"]
    for payload in (
        _payload("STP", exemplar=earned["foreign_model"].pk),
        _payload("STP", exemplar=999_999),
        _payload("STP", evaluation=earned["foreign_evaluation"].pk),
        _payload("STP", exemplar=earned["model"].pk, evaluation=earned["evaluation"].pk),
    ):
        response = client.post(url, payload, format="json")
        assert response.status_code == 400, response.content
    assert Commendation.objects.count() == 1
    refused = client.post(url, _payload("STP", exemplar=earned["foreign_model"].pk), format="json").json()
    assert MODEL_REFUSED in str(refused)
    update = client.put(
        f"{url}{made.pk}/", _payload("STP", evaluation=earned["evaluation"].pk), format="json"
    )
    assert update.status_code == 200 and update.json()["evaluation"] == earned["evaluation"].pk


def test_the_form_offers_what_the_user_sees_and_the_page_links_it(tree, personas, earned, login):
    client = login(personas["mobilisation_officer"])
    page = client.get(reverse("commendations:create")).content.decode()
    assert earned["model"].title in page and "Đảng ủy Sở Tư pháp — Năm 2025" in page
    assert "Đảng ủy Sở Y tế — Năm 2025" not in page  # SYT's evaluation is not seen from STP
    data = {
        "kind": "collective",
        "unit": "STP",
        "form": "merit",
        "issuer_name": "UBND tỉnh",
        "decision_number": "3150/QĐ-UBND",
        "decision_date": "18/12/2025",
        "year": "2025",
        "reason": "Thành tích xuất sắc",
        "exemplar": str(earned["model"].pk),
        "evaluation": "",
    }
    refused = client.post(
        reverse("commendations:create"), {**data, "exemplar": str(earned["foreign_model"].pk)}
    )
    assert refused.status_code == 200 and MODEL_REFUSED in refused.content.decode()
    assert not Commendation.objects.exists()
    response = client.post(reverse("commendations:create"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    item = Commendation.objects.get()
    assert item.exemplar == earned["model"]
    detail = client.get(reverse("commendations:detail", args=[item.pk])).content.decode()
    assert reverse("exemplars:detail", args=[earned["model"].pk]) in detail
    edit = client.get(reverse("commendations:edit", args=[item.pk])).content.decode()
    assert f'value="{earned["model"].pk}" selected' in edit
