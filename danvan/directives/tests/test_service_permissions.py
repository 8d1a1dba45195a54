"""The register's services and the dissemination writes check DOCUMENT_MANAGE for `by` themselves: a
user of another unit (or who only reads) is refused by the service and nothing is written; the System may."""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from danvan.accounts.actors import System
from danvan.core import uploads
from danvan.directives import dissemination, services
from danvan.directives.files import attachment_rules
from danvan.directives.models import (
    Delivery,
    Document,
    DocumentAttachment,
    DocumentRelation,
    RelationKind,
    StudyForm,
    StudySession,
)

from .register_helpers import register, spec

SYSTEM = System("tests")

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["outsider", "reporter"])  # another unit's officer; a reader of the unit
def test_document_save_refuses_who_does_not_manage_the_register(tree, personas, who):
    with pytest.raises(PermissionDenied):
        services.document_save(spec=spec(tree.stp), by=personas[who])
    assert not Document.objects.exists()
    document = services.document_save(spec=spec(tree.stp), by=SYSTEM)
    assert document.created_by is None
    with pytest.raises(PermissionDenied):  # a correction, too
        services.document_save(spec=spec(tree.stp, subject="Sửa"), document=document, by=personas[who])
    document.refresh_from_db()
    assert document.subject != "Sửa"


def test_a_document_cannot_be_moved_into_a_register_the_user_does_not_manage(tree, personas):
    document = register(tree.stp)
    with pytest.raises(PermissionDenied):
        services.document_save(spec=spec(tree.syt), document=document, by=personas["unit_head"])
    document.refresh_from_db()
    assert document.unit == tree.stp


def test_relations_refuse_a_user_of_another_unit(tree, personas):
    document = register(tree.stp)
    with pytest.raises(PermissionDenied):
        services.relation_add(
            document=document,
            kind=RelationKind.CITES,
            cited_number_symbol="12-CT/TW",
            by=personas["outsider"],
        )
    assert not DocumentRelation.objects.filter(automatic=False).exists()
    relation = services.relation_add(
        document=document, kind=RelationKind.CITES, cited_number_symbol="12-CT/TW", by=SYSTEM
    )
    with pytest.raises(PermissionDenied):
        services.relation_remove(relation=relation, by=personas["outsider"])
    with pytest.raises(PermissionDenied):
        services.relations_rebuild(document=document, by=personas["outsider"])
    assert DocumentRelation.objects.filter(pk=relation.pk).exists()
    services.relations_rebuild(document=document, by=SYSTEM)
    services.relation_remove(relation=relation, by=personas["unit_head"])
    assert not DocumentRelation.objects.filter(pk=relation.pk).exists()


def test_attachments_refuse_a_user_of_another_unit(tree, personas):
    document = register(tree.stp)
    upload = uploads.check(b"Phu luc\n", attachment_rules(), name="phu-luc.txt")
    with pytest.raises(PermissionDenied):
        services.attachment_add(document=document, upload=upload, by=personas["outsider"])
    assert not DocumentAttachment.objects.exists()
    attachment = services.attachment_add(document=document, upload=upload, by=SYSTEM)
    with pytest.raises(PermissionDenied):
        services.attachment_remove(attachment=attachment, by=personas["outsider"])
    assert DocumentAttachment.objects.filter(pk=attachment.pk).exists()
    services.attachment_remove(attachment=attachment, by=SYSTEM)
    assert not DocumentAttachment.objects.exists()


def test_sending_and_studying_refuse_a_user_of_another_unit(tree, personas):
    document = register(tree.stp)
    with pytest.raises(PermissionDenied):
        dissemination.send(document=document, units=[tree.stp_cb1], by=personas["outsider"])
    assert not Delivery.objects.exists()
    delivery = dissemination.send(document=document, units=[tree.stp_cb1], by=SYSTEM).sent[0]
    assert delivery.sent_by is None
    with pytest.raises(PermissionDenied):
        dissemination.acknowledge(delivery=delivery, by=personas["outsider"])
    with pytest.raises(PermissionDenied):
        dissemination.session_record(
            delivery=delivery,
            held_on=timezone.localdate(),
            form=StudyForm.CELL_MEETING,
            participants=5,
            expected=6,
            by=personas["outsider"],
        )
    delivery.refresh_from_db()
    assert delivery.acknowledged_at is None and not StudySession.objects.exists()
    dissemination.acknowledge(delivery=delivery, by=SYSTEM)
    delivery.refresh_from_db()
    assert delivery.acknowledged_at is not None and delivery.acknowledged_by is None
