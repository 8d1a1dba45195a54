"""Pages of dissemination and study: sending, acknowledging, recording, coverage, and who may see them."""

import pytest
from django.utils import timezone

from danvan.accounts.actors import System
from danvan.directives import dissemination
from danvan.directives.models import Delivery

from .register_helpers import register

SYSTEM = System("tests")

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
    delivery = dissemination.send(document=document, units=[tree.stp_cb1], by=SYSTEM).sent[0]
    viewer = login(personas["viewer"])
    assert viewer.get(f"/directives/{document.pk}/dissemination/").status_code == 200
    assert viewer.post(f"/directives/{document.pk}/dissemination/", {"unit_type": "cell"}).status_code == 403
    assert viewer.post(f"/directives/study/{delivery.pk}/acknowledge/").status_code == 403
    delivery.refresh_from_db()
    assert delivery.acknowledged_at is None and Delivery.objects.count() == 1


def test_a_user_of_syt_cannot_see_or_act_on_stps_deliveries(tree, document, personas, login):
    delivery = dissemination.send(document=document, units=[tree.stp_cb1], by=SYSTEM).sent[0]
    outsider = login(personas["outsider"])
    assert outsider.get(f"/directives/{document.pk}/dissemination/").status_code == 404
    assert outsider.get(f"/directives/{document.pk}/coverage/").status_code == 404
    assert outsider.get(f"/directives/study/{delivery.pk}/").status_code == 404
    assert outsider.post(f"/directives/study/{delivery.pk}/acknowledge/").status_code == 404
    assert f"/directives/study/{delivery.pk}/" not in outsider.get("/directives/study/").content.decode()
    delivery.refresh_from_db()
    assert delivery.acknowledged_at is None


def test_a_unit_the_document_is_sent_to_can_read_it_but_not_change_or_follow_it(tree, document, login):
    from conftest import make_user
    from danvan.accounts.models import Role

    cell_officer = login(make_user("officer_cb1", unit=tree.stp_cb1, role=Role.MOBILISATION_OFFICER))
    other_cell = login(make_user("officer_cb2", unit=tree.stp_cb2, role=Role.MOBILISATION_OFFICER))
    detail = f"/directives/{document.pk}/"
    assert cell_officer.get(detail).status_code == 404  # not sent yet: as if it did not exist
    delivery = dissemination.send(document=document, units=[tree.stp_cb1], by=SYSTEM).sent[0]
    page = cell_officer.get(detail).content.decode()
    assert document.subject in page and 'data-received="STP-CB1"' in page
    assert "data-open-document" in cell_officer.get(f"/directives/study/{delivery.pk}/").content.decode()
    assert f'data-document="{document.number_symbol}"' in cell_officer.get("/directives/").content.decode()
    for url in (f"/directives/{document.pk}/edit/", f"/directives/{document.pk}/dissemination/"):
        assert cell_officer.get(url).status_code == 403
    assert cell_officer.get(f"/directives/{document.pk}/coverage/").status_code == 403
    assert other_cell.get(detail).status_code == 404


def test_coverage_of_a_unit_outside_the_scope_answers_like_an_unknown_code(tree, document, personas, login):
    from conftest import make_user
    from danvan.accounts.models import Role

    cell_officer = login(make_user("viewer_cb1", unit=tree.stp_cb1, role=Role.VIEWER))
    head = login(personas["unit_head"])
    assert head.get(f"/directives/{document.pk}/coverage/", {"unit": "STP-CB1"}).status_code == 200
    for code in ("SYT", "NO-SUCH-UNIT"):
        assert head.get(f"/directives/{document.pk}/coverage/", {"unit": code}).status_code == 404
    dissemination.send(document=document, units=[tree.stp_cb1], by=SYSTEM)
    assert cell_officer.get(f"/directives/{document.pk}/coverage/", {"unit": "STP-CB1"}).status_code == 403


@pytest.mark.parametrize("value", ["²", "1\x00", "9" * 30, "abc"])
def test_malformed_unit_ids_on_the_panel_are_refused_not_a_server_error(
    tree, document, personas, login, value
):
    head = login(personas["unit_head"])
    response = head.post(
        f"/directives/{document.pk}/dissemination/", {"units": [value], "subtree": value}, follow=True
    )
    assert response.status_code == 200 and not Delivery.objects.exists()


# --- the units chosen one by one: the several-units picker -------------------------------------------


def test_the_panel_offers_the_units_picker_under_the_documents_unit(tree, document, personas, login):
    html = login(personas["unit_head"]).get(f"/directives/{document.pk}/dissemination/").content.decode()
    assert 'data-unit-picker="/orgs/units/pick/?perm=document.manage&amp;within=STP"' in html
    assert 'name="units__lines"' in html and 'multiple size="6"' not in html


def test_units_picked_as_codes_and_typed_as_lines_are_sent_to(tree, document, personas, login):
    head = login(personas["unit_head"])
    response = head.post(
        f"/directives/{document.pk}/dissemination/", {"units": ["STP-CB1"], "units__lines": "chi bo 2\n"}
    )
    assert response.status_code == 302
    assert set(Delivery.objects.values_list("unit__code", flat=True)) == {"STP-CB1", "STP-CB2"}


def test_unknown_ambiguous_and_out_of_tree_lines_are_named_and_nothing_is_sent(
    tree, document, personas, login
):
    head = login(personas["admin"])
    response = head.post(
        f"/directives/{document.pk}/dissemination/",
        {"units": ["STP-CB1", "SYT-CB1"], "units__lines": "chi bo\nNo such unit"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and not Delivery.objects.exists()
    # SYT's cell is outside the document's tree: refused as an unknown one, named by its name
    assert (
        "Không tìm thấy đơn vị nào trong số các đơn vị bạn được chọn cho: “Chi bộ Văn phòng”, “No such unit”."
        in html
    )
    assert "Có nhiều đơn vị khớp với: “chi bo”." in html
    # the ambiguous line comes back as boxes to tick; the unit already chosen stays a chip
    assert 'type="checkbox" name="units" value="STP-CB2">' in html
    assert 'type="checkbox" name="units" value="STP-CB1" checked>' in html
    assert "No such unit</textarea>" in html


def test_the_documents_own_unit_is_refused(tree, document, personas, login):
    head = login(personas["unit_head"])
    response = head.post(f"/directives/{document.pk}/dissemination/", {"units": ["STP"]})
    assert response.status_code == 200 and not Delivery.objects.exists()
    assert "Đơn vị ban hành không nhận văn bản của chính mình" in response.content.decode()
