"""Writes of the search index: the modules' services call `put` when they save a record and `drop` when
they delete it, in the same transaction, so the index never lags the records it points to. Like the audit
log's writer these take no `by`: the service that calls them has checked its own.
`reindex` rebuilds it from the records (`danvan search-reindex`), kind by kind.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from danvan.core import bulk

from . import registry, tokens
from .models import Entry, Reach

TEXT_KEPT = 4000  # characters of a record's text kept for its snippet
_BATCH = 1000


@dataclass(frozen=True)
class Doc:
    """A record as the search sees it.

    `perm` is the permission (accounts.policy.Perm value) its own pages ask for at `unit_path`;
    `reach` the paths of other units where holding `perm` lets a user find it too.
    """

    kind: str
    object_id: int
    perm: str
    unit_path: str
    title: str
    url: str
    text: str = ""
    context: str = ""
    reach: tuple[str, ...] = field(default=())


def _row(doc: Doc) -> dict:
    return {
        "perm": str(doc.perm),
        "unit_path": doc.unit_path or "",
        "title": (doc.title or "")[:500],
        "context": (doc.context or "")[:300],
        "text": (doc.text or "")[:TEXT_KEPT],
        "url": doc.url[:300],
        "title_tokens": tokens.stream(doc.title, tokens.MAX_TITLE_WORDS),
        # The context line is searched too: "tố cáo" finds the denunciations, "thành" the mediations that
        # succeeded. (A renamed unit's records keep its old name until `search-reindex`.)
        "body_tokens": tokens.stream(f"{doc.context}\n{doc.text}", tokens.MAX_BODY_WORDS),
    }


def _reach(entry: Entry, doc: Doc) -> None:
    wanted = {path for path in doc.reach if path and path != doc.unit_path}
    have = set(Reach.objects.filter(entry=entry).values_list("path", flat=True))
    if have - wanted:
        Reach.objects.filter(entry=entry, path__in=have - wanted).delete()
    Reach.objects.bulk_create([Reach(entry=entry, path=path) for path in sorted(wanted - have)])


@transaction.atomic
def put(*, doc: Doc | None) -> None:
    """Index a record, or refresh its entry. None (a record the search must not hold) does nothing."""
    if doc is None:
        return
    entry, _created = Entry.objects.update_or_create(
        kind=doc.kind, object_id=doc.object_id, defaults=_row(doc)
    )
    _reach(entry, doc)


@transaction.atomic
def put_many(*, docs: Iterable[Doc | None]) -> None:
    """Index many records at once (an import): their entries replaced in a few statements a batch, not
    three a record."""
    batch: list[Doc] = []
    for doc in docs:
        if doc is None:
            continue
        batch.append(doc)
        if len(batch) >= _BATCH:
            _replace(batch)
            batch = []
    _replace(batch)


def _replace(docs: list[Doc]) -> None:
    latest = {(doc.kind, doc.object_id): doc for doc in docs}  # a record given twice: its last doc
    kinds: dict[str, list[Doc]] = {}
    for doc in latest.values():
        kinds.setdefault(doc.kind, []).append(doc)
    for kind, same in kinds.items():
        Entry.objects.filter(kind=kind, object_id__in=[doc.object_id for doc in same]).delete()
        if any(doc.reach for doc in same):
            _insert([(Entry(kind=doc.kind, object_id=doc.object_id, **_row(doc)), doc) for doc in same])
        else:  # nothing refers to the entries: their values written as they are, no instance made
            _insert_values(same)


def _insert_values(docs: list[Doc]) -> int:
    now = Entry._meta.get_field("updated_at").get_db_prep_save(timezone.now(), connection)
    columns = ["kind", "object_id", *_row(docs[0]), "updated_at"]
    rows = ([doc.kind, doc.object_id, *_row(doc).values(), now] for doc in docs)
    return bulk.insert_values(Entry, columns, rows)


def drop(*, kind: str, object_id: int) -> None:
    """Remove a record from the index (deleted, or no longer to be found)."""
    Entry.objects.filter(kind=kind, object_id=object_id).delete()


@transaction.atomic
def reindex(*, kind: str | None = None) -> dict[str, int]:
    """Rebuild the entries of one kind (or of all) from their records; returns the count per kind."""
    counts: dict[str, int] = {}
    for registered in registry.kinds():
        if kind is not None and registered.key != kind:
            continue
        Entry.objects.filter(kind=registered.key).delete()
        batch: list[tuple[Entry, Doc]] = []
        count = 0
        for doc in registered.documents():
            if doc is None:
                continue
            batch.append((Entry(kind=doc.kind, object_id=doc.object_id, **_row(doc)), doc))
            if len(batch) >= _BATCH:
                count += _insert(batch)
                batch = []
        count += _insert(batch)
        counts[registered.key] = count
    return counts


def _insert(batch: list[tuple[Entry, Doc]]) -> int:
    if not batch:
        return 0
    entries = Entry.objects.bulk_create([entry for entry, _doc in batch])
    if any(entry.pk is None for entry in entries):  # a backend that does not return keys
        keyed = dict(
            Entry.objects.filter(
                kind=batch[0][1].kind, object_id__in=[doc.object_id for _e, doc in batch]
            ).values_list("object_id", "pk")
        )
        for entry, doc in batch:
            entry.pk = keyed[doc.object_id]
    Reach.objects.bulk_create(
        [
            Reach(entry=entry, path=path)
            for entry, doc in batch
            for path in sorted({p for p in doc.reach if p and p != doc.unit_path})
        ]
    )
    return len(batch)


def repath(*, moved: dict[str, str]) -> None:
    """Units moved in the tree (old path -> new path): the entries of their records follow. Each unit is
    given by itself (its subtree's units are in `moved` too), so only entries of exactly that path move;
    "" (records of no unit) never does."""
    for old, new in moved.items():
        if not old or old == new:
            continue
        Entry.objects.filter(unit_path=old).update(unit_path=new)
        Reach.objects.filter(path=old).update(path=new)
