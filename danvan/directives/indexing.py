"""Documents of the register in the one search (danvan.search): found by their number and symbol
("84-CV/ĐU", "84/CV"), subject and text, by whoever may open them (`policy.scope_documents`): the users
holding DOCUMENT_VIEW at the register's unit, and at the units the document was sent to for study.

A document's entry follows its saving (`services.document_save`) and its deliveries (`dissemination.send`),
which widen who reaches it.
"""

from collections.abc import Iterable

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from danvan.accounts.policy import Perm
from danvan.core.dates import day_text
from danvan.search import registry
from danvan.search import services as search

from .models import Delivery, Document

KIND = "document"


def doc(document: Document) -> search.Doc:
    """`document` as the search sees it (its deliveries read through `document.deliveries`)."""
    signed = " ".join(part for part in (document.signer_title, document.signer) if part)
    return search.Doc(
        kind=KIND,
        object_id=document.pk,
        perm=Perm.DOCUMENT_VIEW,
        unit_path=document.unit.path,
        reach=tuple(sorted({delivery.unit.path for delivery in document.deliveries.all()})),
        title=f"{document.number_symbol} {document.subject}",
        context=" · ".join((document.type_name, day_text(document.issued_on), document.issuer)),
        text="\n".join(part for part in (document.body, signed, document.issuer, document.type_name) if part),
        url=reverse("directives:detail", args=[document.pk]),
    )


def _with_deliveries() -> Prefetch:
    return Prefetch("deliveries", queryset=Delivery.objects.select_related("unit"))


def refresh(document: Document) -> None:
    """Put `document`'s entry again, its deliveries read afresh (call inside the saving transaction)."""
    fresh = Document.objects.select_related("unit").prefetch_related(_with_deliveries()).get(pk=document.pk)
    search.put(doc=doc(fresh))


def documents() -> Iterable[search.Doc]:
    records = Document.objects.select_related("unit").prefetch_related(_with_deliveries()).order_by("pk")
    for document in records.iterator(chunk_size=2000):
        yield doc(document)


def register() -> None:
    registry.register(KIND, _("Document"), Perm.DOCUMENT_VIEW, documents, order=20)
