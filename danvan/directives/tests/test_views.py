"""Register pages: what each persona may see and do, the form, relations shown both ways."""

import datetime

import pytest
from django.urls import reverse

from danvan.accounts.actors import System
from danvan.directives.models import Document

from .register_helpers import CONG_VAN_84, register

SYSTEM = System("tests")

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked(tree):
    programme = register(
        tree.stp, "60-CTr/ĐUK", issuer="Đảng ủy Khối các cơ quan tỉnh", day=datetime.date(2014, 5, 29)
    )
    cong_van = register(tree.stp, body=CONG_VAN_84)
    return programme, cong_van


def test_the_list_shows_only_the_registers_the_user_may_see(linked, tree, personas, login):
    register(tree.syt, "12-KH/ĐU", issuer="Đảng ủy Sở Y tế")
    page = login(personas["outsider"]).get(reverse("directives:list")).content.decode()
    assert 'data-document="12-KH/ĐU"' in page and "84-CV/ĐU" not in page
    page = login(personas["viewer"]).get(reverse("directives:list"), {"q": "dan van"}).content.decode()
    assert 'data-document="84-CV/ĐU"' in page and "12-KH/ĐU" not in page
    assert login(personas["case_handler"]).get(reverse("directives:list")).status_code == 403


def test_another_units_document_answers_404_and_a_viewer_cannot_correct(linked, personas, login):
    _programme, cong_van = linked
    outsider = login(personas["outsider"])
    for name in ("directives:detail", "directives:edit", "directives:original"):
        assert outsider.get(reverse(name, args=[cong_van.pk])).status_code == 404
    viewer = login(personas["viewer"])
    assert viewer.get(reverse("directives:detail", args=[cong_van.pk])).status_code == 200
    assert viewer.get(reverse("directives:edit", args=[cong_van.pk])).status_code == 403
    assert viewer.get(reverse("directives:create")).status_code == 403


def test_the_detail_shows_relations_both_ways(linked, personas, login):
    programme, cong_van = linked
    client = login(personas["viewer"])
    page = client.get(reverse("directives:detail", args=[cong_van.pk])).content.decode()
    assert f'href="{reverse("directives:detail", args=[programme.pk])}"' in page
    assert 'data-relation="25-NQ/TW"' in page and "chưa có trong sổ" in page
    page = client.get(reverse("directives:detail", args=[programme.pk])).content.decode()
    assert 'data-cited-by="84-CV/ĐU"' in page


def _form(unit, **extra):
    data = {
        "unit": unit.code,
        "direction": "in",
        "doc_type": "KH",
        "number_symbol": "164 - KH/TU",
        "issuer": "Tỉnh ủy Đồng Nai",
        "issued_on": "20/12/2013",
        "subject": "Thực hiện Nghị quyết số 25-NQ/TW",
        "addressees": "",
        "recipients": "- Như trên;\n- Lưu VT.",
        "signing_authority": "T/M",
        "signing_for": "TỈNH ỦY",
        "signer_title": "BÍ THƯ",
        "signer": "Trần Văn A",
        "body": "",
    }
    data.update(extra)
    return data


def test_registering_through_the_form_and_refusing_a_duplicate(linked, tree, personas, login):
    client = login(personas["mobilisation_officer"])
    response = client.post(reverse("directives:create"), _form(tree.stp))
    document = Document.objects.get(number_symbol="164-KH/TU")
    assert response.status_code == 302 and document.recipients == ["- Như trên;", "- Lưu VT."]
    _programme, cong_van = linked
    assert cong_van.relations.get(cited_key="164-kh/tu").to_document == document  # linked when it arrived
    response = client.post(reverse("directives:create"), _form(tree.stp, number_symbol="164-KH/TU"))
    assert response.status_code == 200 and "đã có trong sổ văn bản" in response.content.decode()
    assert Document.objects.filter(number_symbol="164-KH/TU").count() == 1


def test_the_form_offers_only_units_the_user_manages(tree, personas, login):
    client = login(personas["outsider"])
    response = client.post(reverse("directives:create"), _form(tree.stp))
    assert response.status_code == 200 and not Document.objects.exists()
    # the unit of another tree is refused as if it did not exist, in Vietnamese
    assert "Không tìm thấy đơn vị nào khớp với “STP”" in response.content.decode()


def test_the_register_unit_is_chosen_with_the_unit_picker(tree, personas, login):
    client = login(personas["mobilisation_officer"])
    page = client.get(reverse("directives:create")).content.decode()
    assert 'data-unit-picker="/orgs/units/pick/?perm=document.manage"' in page
    picked = {**_form(tree.stp), "unit": "chi bo", "unit__pick": "STP-CB1", "unit__label": "chi bo"}
    assert client.post(reverse("directives:create"), picked).status_code == 302
    assert Document.objects.get().unit == tree.stp_cb1


def test_a_manual_relation_is_added_from_the_detail_page(linked, personas, login):
    programme, _cong_van = linked
    client = login(personas["unit_head"])
    client.post(
        reverse("directives:relation_add", args=[programme.pk]),
        {"kind": "implements", "cited_number_symbol": "164-KH/TU", "cited_type": "", "cited_date": ""},
    )
    relation = programme.relations.get(cited_key="164-kh/tu")
    assert relation.kind == "implements" and not relation.automatic
    assert (
        login(personas["viewer"])
        .post(
            reverse("directives:relation_add", args=[programme.pk]),
            {"kind": "cites", "cited_number_symbol": "1-CV/ĐU"},
        )
        .status_code
        == 403
    )


def test_an_attachment_is_served_only_to_those_who_see_the_document(linked, personas, login):
    from danvan.core import uploads
    from danvan.directives import services

    _programme, cong_van = linked
    item = services.attachment_add(
        document=cong_van,
        upload=uploads.Checked(name="phu-luc.pdf", content_type="application/pdf", content=b"%PDF-1"),
        by=SYSTEM,
    )
    url = reverse("directives:attachment", args=[item.pk])
    response = login(personas["reporter"]).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1"
    assert login(personas["outsider"]).get(url).status_code == 404
