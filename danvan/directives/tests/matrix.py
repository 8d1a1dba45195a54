"""The document register and its dissemination in the permission matrix."""

import datetime
import hashlib

from django.core.files.base import ContentFile

from danvan.accounts.policy import Perm
from danvan.core.testing.matrix import Made

DAY = datetime.date(2026, 3, 2)


def _document(unit):
    from danvan.directives.models import Document

    marker = f"MATRIX-DOC-{unit.code}"
    made = Document(
        unit=unit,
        direction="out",
        doc_type="CV",
        number_symbol=f"1-CV/{unit.code}",
        issuer=f"Đảng ủy {unit.code}",
        issued_on=DAY,
        year=DAY.year,
        subject=marker,
    )
    made.original.save("cong-van.txt", ContentFile(b"Cong van\n"), save=False)
    made.original_name, made.original_type = "cong-van.txt", "text/plain"
    made.save()
    return made


def document(world, unit):
    made = _document(unit)
    return Made({"pk": made.pk}, marker=made.subject)


def document_itself(world, unit):
    """A document, for pages about it that need not repeat its subject (a file, its coverage)."""
    return {"pk": _document(unit).pk}


def attachment(world, unit):
    from danvan.directives.models import DocumentAttachment

    content = b"Phu luc\n"
    made = DocumentAttachment(
        document=_document(unit),
        name="phu-luc.txt",
        content_type="text/plain",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    made.file.save("phu-luc.txt", ContentFile(content), save=False)
    made.save()
    return {"pk": made.pk}


def with_attachment(world, unit):
    made = attachment(world, unit)
    from danvan.directives.models import DocumentAttachment

    item = DocumentAttachment.objects.get(pk=made["pk"])
    return {"pk": item.document_id, "attachment_pk": item.pk}


def with_relation(world, unit):
    from danvan.directives.models import DocumentRelation

    made = _document(unit)
    relation = DocumentRelation.objects.create(
        from_document=made, kind="cites", cited_number_symbol="2-CV/X", automatic=False
    )
    return {"pk": made.pk, "relation_pk": relation.pk}


def delivery(world, unit):
    """The unit's document sent to its first child: both sides of the delivery are in the subtree."""
    from danvan.directives.models import Delivery

    child = world.tree.stp_cb1 if unit == world.own else world.tree.syt_cb1
    made = Delivery.objects.create(document=_document(unit), unit=child, sent_on=DAY)
    return Made({"pk": made.pk}, marker=made.document.subject)


def register(matrix):
    view, manage = Perm.DOCUMENT_VIEW, Perm.DOCUMENT_MANAGE
    matrix.listing("directives:list", perm=view, make=document)
    matrix.listing("directives:create", perm=manage)
    matrix.listing("directives:import", perm=manage)
    matrix.write_only("directives:import_save", perm=manage, note="POST: save a reviewed import")
    matrix.read("directives:detail", perm=view, make=document)
    matrix.read("directives:edit", perm=manage, make=document)
    matrix.read("directives:original", perm=view, make=document_itself)
    matrix.write_only("directives:relation_add", perm=manage, make=document, note="POST: add a relation")
    matrix.write_only("directives:relation_remove", perm=manage, make=with_relation, note="POST: remove")
    matrix.read("directives:attachment", perm=view, make=attachment)
    matrix.write_only("directives:attachment_add", perm=manage, make=document, note="POST: upload a file")
    matrix.write_only("directives:attachment_remove", perm=manage, make=with_attachment, note="POST: remove")
    matrix.read("directives:dissemination", perm=view, make=document_itself)
    matrix.read("directives:coverage", perm=view, make=document_itself)
    matrix.listing("directives:to_study", perm=view, make=delivery)
    matrix.read("directives:delivery", perm=view, make=delivery)
    matrix.write_only("directives:acknowledge", perm=manage, make=delivery, note="POST: acknowledge")
    matrix.write_only("directives:session_add", perm=manage, make=delivery, note="POST: record a session")

    matrix.listing("document-list", perm=view, make=document)
    matrix.write_only("document-parse", perm=manage, note="POST: parse a text")
    matrix.read("document-detail", perm=view, make=document)
    matrix.write_only("document-attachments", perm=manage, make=document, note="POST: attach a file")
    matrix.read("document-coverage", perm=view, make=document_itself)
    matrix.write_only("document-send", perm=manage, make=document, note="POST: send for study")
    matrix.listing("delivery-list", perm=view, make=delivery)
    matrix.read("delivery-detail", perm=view, make=delivery)
    matrix.write_only("delivery-acknowledge", perm=manage, make=delivery, note="POST: acknowledge")
    matrix.write_only("delivery-sessions", perm=manage, make=delivery, note="POST: record a session")
