"""Pages of dissemination and study: sending, acknowledging, recording, coverage, and who may see them."""

import pytest
from django.utils import timezone

from danvan.directives import dissemination
from danvan.directives.models import Delivery

from .register_helpers import register

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(tree):
    return register(tree.stp)


def test_sending_from_the_panel_by_type_then_acknowledging_and_studying(tree, document, personas, login):
    head = login(personas["unit_head"])
    head.post(f"/directives/{document.pk}/dissemination/", {"unit_type": "cell", "study_due": "31/12/2099"})
    assert set(Delivery.objects.values_list("unit__code", flat=True)) == {"STP-CB1", "STP-CB2"}
    html = head.get(f"/directives/{document.pk}/dissemination/").content.decode()
    assert 'data-unit="STP-CB1"' in html and "31/12/2099" in html
    delivery = Delivery.objects.get(unit=tree.stp_cb1)
    head.post(f"/directives/study/{delivery.pk}/acknowledge/")
    today = timezone.localdate().strftime("%d/%m/%Y")
    head.post(
        f"/directives/study/{delivery.pk}/sessions/",
        {"held_on": today, "form": "conference", "participants": "9", "expected": "10"},
    )
    delivery.refresh_from_db()
    assert delivery.acknowledged_at and delivery.studied_on and delivery.reached == 9
    coverage = head.get(f"/directives/{document.pk}/coverage/").content.decode()
    assert 'data-unit="STP-CB1"' in coverage and "1/2" in coverage
    assert f"/directives/study/{delivery.pk}/" in head.get("/directives/study/").content.decode()


def test_a_viewer_sees_but_cannot_send_or_act(tree, document, personas, login):
    delivery = dissemination.send(document=document, units=[tree.stp_cb1]).sent[0]
    viewer = login(personas["viewer"])
    assert viewer.get(f"/directives/{document.pk}/dissemination/").status_code == 200
    assert viewer.post(f"/directives/{document.pk}/dissemination/", {"unit_type": "cell"}).status_code == 403
    assert viewer.post(f"/directives/study/{delivery.pk}/acknowledge/").status_code == 403
    delivery.refresh_from_db()
    assert delivery.acknowledged_at is None and Delivery.objects.count() == 1


def test_a_user_of_syt_cannot_see_or_act_on_stps_deliveries(tree, document, personas, login):
    delivery = dissemination.send(document=document, units=[tree.stp_cb1]).sent[0]
    outsider = login(personas["outsider"])
    assert outsider.get(f"/directives/{document.pk}/dissemination/").status_code == 404
    assert outsider.get(f"/directives/{document.pk}/coverage/").status_code == 404
    assert outsider.get(f"/directives/study/{delivery.pk}/").status_code == 404
    assert outsider.post(f"/directives/study/{delivery.pk}/acknowledge/").status_code == 404
    assert f"/directives/study/{delivery.pk}/" not in outsider.get("/directives/study/").content.decode()
    delivery.refresh_from_db()
    assert delivery.acknowledged_at is None
