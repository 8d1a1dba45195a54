"""Reads of the document register: the documents a user may see, searched and filtered.

Search ignores diacritics and case on SQLite and PostgreSQL alike: each document keeps `search_key`
(danvan.core.text.search_key of its number and symbol, type name, subject, issuer, signer and text),
and every word of the query, reduced the same way, must occur in it ("nghi quyet 25" finds
"Nghị quyết số 25-NQ/TW", "dan van" finds "Dân vận").
"""

from django.db.models import QuerySet

from danvan.accounts import policy
from danvan.accounts.policy import Perm
from danvan.core.text import search_key, search_terms

from .models import Direction, Document, DocumentRelation


def visible_documents(user, perm: Perm = Perm.DOCUMENT_VIEW) -> QuerySet:
    """The documents `user` may read (DOCUMENT_VIEW: their registers' and those sent to their units
    for study), or those of the registers where they hold `perm`."""
    if perm == Perm.DOCUMENT_VIEW:
        return policy.scope_documents(user, Document.objects.all())
    return policy.scope(user, perm, Document.objects.all(), field="unit__path")


def search(
    user,
    query: str = "",
    *,
    doc_type: str = "",
    direction: str = "",
    issuer: str = "",
    year: int | None = None,
    unit=None,
) -> QuerySet:
    """The documents `user` may see that match every word of `query` and the filters given."""
    qs = visible_documents(user).select_related("unit")
    for term in search_terms(query or "")[:12]:
        qs = qs.filter(search_key__contains=term)
    if doc_type:
        qs = qs.filter(doc_type=doc_type)
    if direction:
        qs = qs.filter(direction=direction)
    if issuer:
        key = search_key(issuer)
        if key:
            qs = qs.filter(issuer_key__contains=key)
    if year:
        qs = qs.filter(year=year)
    if unit is not None:
        qs = qs.filter(unit=unit)
    return qs.order_by("-issued_on", "-id")


def relations_of(user, document: Document) -> dict:
    """What `document` refers to, and what refers to it, as far as `user` may see the other side.

    A reference to a document the user may not see is shown as its number only, like one not registered.
    """
    linked = [
        *document.relations.exclude(to_document=None).values_list("to_document_id", flat=True),
        *document.cited_by.values_list("from_document_id", flat=True),
    ]
    visible_ids = set(visible_documents(user).filter(id__in=linked).values_list("id", flat=True))
    outgoing = []
    for relation in document.relations.select_related("to_document").order_by("id"):
        target = relation.to_document if relation.to_document_id in visible_ids else None
        outgoing.append({"relation": relation, "target": target})
    incoming = [
        relation
        for relation in DocumentRelation.objects.filter(to_document=document)
        .select_related("from_document")
        .order_by("from_document__issued_on", "id")
        if relation.from_document_id in visible_ids
    ]
    return {"outgoing": outgoing, "incoming": incoming}


def issuers(user, limit: int = 200) -> list[str]:
    """Distinct issuers in the user's registers, for the filter."""
    names = visible_documents(user).order_by("issuer").values_list("issuer", flat=True).distinct()
    return list(names[:limit])


def years(user) -> list[int]:
    return list(visible_documents(user).order_by("-year").values_list("year", flat=True).distinct())


def outgoing_number_next(*, unit, year: int) -> int:
    """The next free number of `unit`'s outgoing documents of `year`, numbered across every type of
    document (the highest registered + 1). Stable only while the unit's row is locked, as
    `services.document_register_outgoing` does."""
    numbers = Document.objects.filter(unit=unit, direction=Direction.OUTGOING, year=year).exclude(number=None)
    return max((n for n in numbers.values_list("number", flat=True) if n is not None), default=0) + 1
