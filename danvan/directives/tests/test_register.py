"""The document register: the unique rule, validation, relations built from the text, linked both ways."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from danvan.accounts.actors import System
from danvan.audit.models import AuditEvent
from danvan.directives import services
from danvan.directives.models import Document, DocumentRelation, RelationKind

from .register_helpers import CONG_VAN_84, register, spec

SYSTEM = System("tests")

pytestmark = pytest.mark.django_db


def test_a_number_registered_again_for_the_same_issuer_and_year_is_refused_in_vietnamese(tree):
    first = register(tree.stp)
    assert first.number == 84 and first.year == 2014
    with pytest.raises(ValidationError) as caught:
        # Same number written with spaces, the issuer in capitals with the other spelling of "uỷ".
        register(tree.stp, "84 - CV/ĐU", issuer="ĐẢNG UỶ  SỞ TƯ PHÁP", day=datetime.date(2014, 9, 1))
    message = caught.value.message_dict["number_symbol"][0]
    assert "đã có trong sổ văn bản" in message and "84-CV/ĐU" in message
    assert Document.objects.count() == 1


def test_the_same_number_another_year_another_issuer_or_another_register_is_fine(tree):
    register(tree.stp)
    register(tree.stp, day=datetime.date(2015, 1, 5))
    register(tree.stp, issuer="Đảng ủy Sở Y tế")
    register(tree.syt)  # the register of another unit
    assert Document.objects.count() == 4


def test_correcting_a_document_into_a_duplicate_is_refused_and_nothing_changes(tree):
    register(tree.stp)
    other = register(tree.stp, "85-CV/ĐU")
    with pytest.raises(ValidationError):
        services.document_save(spec=spec(tree.stp, "84-CV/ĐU"), document=other, by=SYSTEM)
    other.refresh_from_db()
    assert other.number_symbol == "85-CV/ĐU"
    # Saving a document unchanged is not a duplicate of itself.
    services.document_save(
        spec=spec(tree.stp, "85-CV/ĐU", subject="Sửa trích yếu"), document=other, by=SYSTEM
    )
    other.refresh_from_db()
    assert other.subject == "Sửa trích yếu"


def test_bad_input_is_refused_field_by_field_and_nothing_is_saved(tree):
    bad = spec(tree.stp, "", issuer="", subject="", doc_type="XYZ", day=datetime.date(2999, 1, 1))
    with pytest.raises(ValidationError) as caught:
        services.document_save(spec=bad, by=SYSTEM)
    errors = caught.value.message_dict
    assert set(errors) >= {"number_symbol", "issuer", "subject", "doc_type", "issued_on"}
    assert errors["issued_on"] == ["Ngày không được ở tương lai."] or "tương lai" in errors["issued_on"][0]
    assert not Document.objects.exists()


def test_a_registration_is_audited_with_the_unit(tree, personas):
    document = register(tree.stp, by=personas["mobilisation_officer"])
    event = AuditEvent.objects.filter(model__icontains="document", object_id=str(document.pk)).first()
    assert event is not None and event.unit_code == "STP"


def _relations(document):
    return {r.cited_number_symbol: r for r in DocumentRelation.objects.filter(from_document=document)}


def test_relations_are_built_from_the_references_of_seed_004s_cong_van(tree):
    cong_van = register(tree.stp, body=CONG_VAN_84)
    relations = _relations(cong_van)
    assert {"60-CTr/ĐUK", "164-KH/TU", "25-NQ/TW"} <= set(relations)
    assert "84-CV/ĐU" not in relations  # its own number is not a reference
    assert all(r.automatic and r.to_document is None for r in relations.values())
    assert relations["25-NQ/TW"].kind == RelationKind.IMPLEMENTS  # "về việc thực hiện Nghị quyết số 25-NQ/TW"


def test_a_programme_registered_after_the_cong_van_is_linked_both_ways(tree):
    cong_van = register(tree.stp, body=CONG_VAN_84)
    programme = register(
        tree.stp,
        "60-CTr/ĐUK",
        issuer="Đảng ủy Khối các cơ quan tỉnh",
        direction="in",
        day=datetime.date(2014, 5, 29),
    )
    relation = _relations(cong_van)["60-CTr/ĐUK"]
    assert relation.to_document == programme
    assert list(programme.cited_by.all()) == [relation]


def test_a_programme_registered_first_is_linked_when_the_cong_van_arrives(tree):
    programme = register(
        tree.stp, "60-CTr/ĐUK", issuer="Đảng ủy Khối các cơ quan tỉnh", day=datetime.date(2014, 5, 29)
    )
    cong_van = register(tree.stp, body=CONG_VAN_84)
    assert _relations(cong_van)["60-CTr/ĐUK"].to_document == programme
    assert programme.cited_by.get().from_document == cong_van


def test_a_document_registered_above_is_linked_and_one_of_a_sibling_unit_is_not(tree):
    resolution = register(
        tree.root, "25-NQ/TW", issuer="Ban Chấp hành Trung ương", day=datetime.date(2013, 6, 3)
    )
    register(tree.syt, "164-KH/TU", issuer="Tỉnh ủy Đồng Nai", day=datetime.date(2013, 12, 1))
    cong_van = register(tree.stp, body=CONG_VAN_84)
    relations = _relations(cong_van)
    assert relations["25-NQ/TW"].to_document == resolution
    assert relations["164-KH/TU"].to_document is None  # SYT's register is not the level above STP


def test_a_cited_date_that_does_not_match_leaves_the_reference_waiting(tree):
    register(tree.stp, "25-NQ/TW", issuer="Ban Chấp hành Trung ương", day=datetime.date(2014, 1, 1))
    cong_van = register(tree.stp, body=CONG_VAN_84)  # cites 25-NQ/TW "ngày 03/6/2013"
    assert _relations(cong_van)["25-NQ/TW"].to_document is None


def test_changing_the_text_rebuilds_automatic_relations_and_keeps_manual_ones(tree):
    cong_van = register(tree.stp, body=CONG_VAN_84)
    services.relation_add(
        document=cong_van, kind=RelationKind.REPLACES, cited_number_symbol="12 - CV/ĐU", by=SYSTEM
    )
    services.relation_add(
        document=cong_van, kind=RelationKind.IMPLEMENTS, cited_number_symbol="60-CTr/ĐUK", by=SYSTEM
    )
    services.document_save(
        spec=spec(tree.stp, body="Thực hiện Kế hoạch số 164-KH/TU."), document=cong_van, by=SYSTEM
    )
    relations = _relations(cong_van)
    assert set(relations) == {"164-KH/TU", "12-CV/ĐU", "60-CTr/ĐUK"}
    assert relations["60-CTr/ĐUK"].kind == RelationKind.IMPLEMENTS and not relations["60-CTr/ĐUK"].automatic
    assert relations["164-KH/TU"].kind == RelationKind.IMPLEMENTS


def test_renumbering_a_document_unlinks_what_no_longer_cites_it(tree):
    programme = register(
        tree.stp, "60-CTr/ĐUK", issuer="Đảng ủy Khối các cơ quan tỉnh", day=datetime.date(2014, 5, 29)
    )
    cong_van = register(tree.stp, body=CONG_VAN_84)
    services.document_save(
        spec=spec(
            tree.stp, "61-CTr/ĐUK", issuer="Đảng ủy Khối các cơ quan tỉnh", day=datetime.date(2014, 5, 29)
        ),
        document=programme,
        by=SYSTEM,
    )
    assert _relations(cong_van)["60-CTr/ĐUK"].to_document is None


def test_an_acting_head_signs_with_q(tree):
    from danvan.directives.forms import split_authority

    assert split_authority("Q. GIÁM ĐỐC") == ("Q.", "GIÁM ĐỐC")
    document = register(tree.stp, "7/QĐ-STP", doc_type="QĐ", signing_authority="Q.", signing_for="GIÁM ĐỐC")
    document.refresh_from_db()
    assert document.signing_authority == "Q." and document.get_signing_authority_display().startswith("Q.")


NOT_ALLOWED = "Nội dung chứa ký tự không được phép."


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("addressees", ["Các chi bộ trực thuộc", "Ban\x07 Dân vận"]),
        ("recipients", "Như trên\nLưu\x1b VP"),
        ("number_symbol", "84-CV/\x07ĐU"),
    ],
)
def test_a_control_character_in_a_line_or_the_number_is_refused_and_nothing_is_saved(tree, field, value):
    with pytest.raises(ValidationError) as caught:
        register(tree.stp, **{field: value})
    assert caught.value.message_dict[field] == [NOT_ALLOWED]
    assert not Document.objects.exists()


def test_a_control_character_in_a_cited_number_is_refused_and_no_relation_is_written(tree):
    document = register(tree.stp)
    before = DocumentRelation.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.relation_add(
            document=document, kind=RelationKind.CITES, cited_number_symbol="12-\x07CT/TW", by=SYSTEM
        )
    assert caught.value.message_dict["cited_number_symbol"] == [NOT_ALLOWED]
    assert DocumentRelation.objects.count() == before
