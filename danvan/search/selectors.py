"""Reads of the search index: what a user's words find among the records they may see.

A query is at most `MAX_QUERY_CHARS` characters and `tokens.MAX_QUERY_WORDS` words; every word must be
found (whole syllables, accents optional, see `tokens`). The results come in two tiers: first the records
holding the words as one phrase (every pair of neighbouring words, `tokens.pair`), then those holding them
anywhere; within a tier the engine's own rank (title before text, the exact phrase first) orders the first
`CANDIDATES` matches it meets. So a query of words found in a third of a million records costs about what a
rare one does; the price is that among so many, the best of all may not be among those ranked. Scoping is the policy's: an entry is found by a user who holds
its permission at its unit or at one of the units it also reaches, as on the record's own pages.
"""

import html
import itertools
import re
import unicodedata
from dataclasses import dataclass

from django.db import connection
from django.db.models import BooleanField, FloatField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from danvan.accounts import policy
from danvan.accounts.policy import Perm
from danvan.core.paths import PATH_SEGMENT, path_upper_bound

from . import registry, tokens
from .models import Entry, Reach

MAX_QUERY_CHARS = 200
CANDIDATES = 200  # matches ranked per tier
SLICES = 8  # partial indexes of the PostgreSQL full-text index (migration 0003_sliced_index)
SNIPPET_WORDS = 36
_SHOWN = ("id", "kind", "title", "context", "text", "url")
_TEXT_WORD = re.compile(r"[^\W_]+")


class QueryError(ValueError):
    """A query that cannot be searched; the message is for the person who typed it."""


def parse(query: str | None) -> list[tokens.Word]:
    """The words of a query, or QueryError with a message in the reader's language."""
    query = (query or "").strip()
    if not query:
        raise QueryError(_("Type the words to look for."))
    if len(query) > MAX_QUERY_CHARS:
        raise QueryError(
            _("The search is too long: at most %(count)s characters.") % {"count": MAX_QUERY_CHARS}
        )
    found = tokens.words(query)
    if not found:
        raise QueryError(_("Type at least one word or number (punctuation alone is not searched)."))
    if len(found) > tokens.MAX_QUERY_WORDS:
        raise QueryError(
            _("The search has too many words: at most %(count)s.") % {"count": tokens.MAX_QUERY_WORDS}
        )
    return found


def _ranges(field: str, paths: list[str]) -> Q:
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{field}__gte": path, f"{field}__lt": path_upper_bound(path)})
    return condition


def _scope(user) -> Q | None:
    """The entries `user` may find (None: every entry, for the installation's operators)."""
    condition = Q(pk__in=[])
    for perm in sorted({kind.perm for kind in registry.kinds()}):
        paths = policy.scope_paths(user, Perm(perm))
        if paths is None:
            return None
        if not paths:
            continue
        reached = Reach.objects.filter(_ranges("path", paths)).values("entry_id")
        at = _ranges("unit_path", paths) | Q(pk__in=reached)
        if any(len(path) == PATH_SEGMENT for path in paths):
            at |= Q(unit_path="")  # records of no unit: a grant at a root
        condition |= Q(perm=perm) & at
    return condition


@dataclass(frozen=True)
class _Tier:
    postgres: str  # a tsquery, looked up in the index
    sqlite: str  # an FTS5 query
    rank: str = ""  # the tsquery that ranks, when not `postgres`
    checked: str = ""  # a tsquery checked on the rows the index gave, not looked up in it
    tokens: tuple[str, ...] = ()  # what the tier asks for, token by token (SQLite's ranking)


def _tiers(words: list[tokens.Word]) -> list[_Tier]:
    exact = [word.exact for word in words if word.exact]
    every = _Tier(
        " & ".join(word.token for word in words),
        " AND ".join(f'"{word.token}"' for word in words),
        tokens=tuple(word.token for word in words),
    )
    if len(words) == 1:
        return [every]
    pairs = list(dict.fromkeys(tokens.pair(a.folded, b.folded) for a, b in itertools.pairwise(words)))
    # On PostgreSQL the index is asked for the pairs only and the marks are checked on the rows it gives:
    # the pairs of a phrase are rarer than its words, and every list the index reads costs its length.
    together = _Tier(
        " & ".join(pairs),
        " AND ".join(f'"{token}"' for token in [*pairs, *exact]),
        rank=" & ".join([f"({' <-> '.join(word.folded for word in words)})", *exact]),
        checked=" & ".join(exact),
        tokens=(*pairs, *exact),
    )
    return [together, every]


def _matching(qs: QuerySet, tier: _Tier) -> QuerySet:
    if connection.vendor == "postgresql":
        qs = qs.filter(
            RawSQL(
                "vector @@ to_tsquery('simple'::regconfig, %s)",
                [tier.postgres],
                output_field=BooleanField(),
            )
        )
        if tier.checked:  # the function behind @@, which no index answers: a condition on the rows
            qs = qs.filter(
                RawSQL(
                    "ts_match_vq(vector, to_tsquery('simple'::regconfig, %s))",
                    [tier.checked],
                    output_field=BooleanField(),
                )
            )
        return qs
    return qs.filter(pk__in=RawSQL("SELECT rowid FROM search_fts WHERE search_fts MATCH %s", [tier.sqlite]))


def _score(tier: _Tier) -> RawSQL:
    """PostgreSQL's rank of a candidate: `ts_rank` with the title weighted, the exact phrase first."""
    return RawSQL(
        "ts_rank(vector, to_tsquery('simple'::regconfig, %s))",
        [tier.rank or tier.postgres],
        output_field=FloatField(),
    )


@dataclass(frozen=True)
class Result:
    kind: str
    label: str
    title: str
    title_marked: SafeString
    url: str
    context: str
    snippet: SafeString


@dataclass(frozen=True)
class Found:
    query: str
    results: list[Result]
    more: bool  # more records match than were asked for


def kind_checked(kind: str | None) -> str:
    """A kind asked for by its key ("" for every kind), or QueryError in the reader's language."""
    kind = (kind or "").strip()
    if kind and kind not in {known.key for known in registry.kinds()}:
        raise QueryError(_("There is no such kind of record to search."))
    return kind


def search(user, query: str | None, *, limit: int = 20, kind: str = "") -> Found:
    """The records `user` may see that `query` finds, best first (QueryError for a query not searched);
    only those of `kind` when given (a key of the registry)."""
    words = parse(query)
    kind = kind_checked(kind)
    scope = _scope(user)
    base = Entry.objects.all() if scope is None else Entry.objects.filter(scope)
    if kind:
        base = base.filter(kind=kind)
    found: list[Entry] = []
    for tier in _tiers(words):
        if len(found) > limit:
            break
        matching = _matching(base, tier).exclude(pk__in=[entry.pk for entry in found])
        found += _ranked(matching, tier, limit + 1 - len(found))
    return Found(
        query=(query or "").strip(),
        results=[_result(entry, words) for entry in found[:limit]],
        more=len(found) > limit,
    )


def _candidates(matching: QuerySet) -> list[int]:
    """The first CANDIDATES records of `matching` the index gives. On PostgreSQL the index is in SLICES
    partial indexes (migration 0003), asked one after another until there are enough: a common phrase
    costs the reading of one slice's lists, not of the whole index's."""
    matching = matching.order_by()
    if connection.vendor != "postgresql":
        return list(matching.values_list("pk", flat=True)[:CANDIDATES])
    slices = [
        matching.filter(RawSQL("mod(id, %s) = %s", [SLICES, k], output_field=BooleanField())).values_list(
            "pk", flat=True
        )
        for k in range(SLICES)
    ]
    found = list(slices[0][:CANDIDATES])
    if len(found) < CANDIDATES:  # a rarer phrase: the other slices in one statement, each on its own index
        found += slices[1].union(*slices[2:], all=True)[: CANDIDATES - len(found)]
    return found


def _ranked(matching: QuerySet, tier: _Tier, wanted: int) -> list[Entry]:
    """The best `wanted` of the first CANDIDATES records of `matching`, by the engine's rank. Two steps, so
    the engine's condition reads the table itself: the first matches the index meets, then those ranked."""
    candidates = _candidates(matching)
    if not candidates:
        return []
    if connection.vendor != "postgresql":
        return _ranked_here(candidates, tier, wanted)
    return list(
        Entry.objects.filter(pk__in=candidates)
        .annotate(score=_score(tier))
        .order_by("-score", "-pk")
        .only(*_SHOWN)[:wanted]
    )


def _ranked_here(candidates: list[int], tier: _Tier, wanted: int) -> list[Entry]:
    """SQLite: the candidates ranked from their titles' tokens — those whose title holds every token asked
    first, then the more of them, then the shorter title (the more of it the words are), then the newest.
    FTS5's bm25 would be scored row by row with a query each (a second for a common word at 50.000 records),
    and it scales by the length of the whole record, so a document's long text would sink it."""
    asked = tier.tokens

    def score(row: tuple[int, str]) -> tuple:
        held = set(row[1].split())
        hits = sum(token in held for token in asked)
        return (hits == len(asked), hits, -len(held), row[0])

    titled = Entry.objects.filter(pk__in=candidates).values_list("pk", "title_tokens")
    best = [pk for pk, _title in sorted(titled, key=score, reverse=True)[:wanted]]
    rows = Entry.objects.only(*_SHOWN).in_bulk(best)
    return [rows[pk] for pk in best]


def _result(entry: Entry, words: list[tokens.Word]) -> Result:
    return Result(
        kind=entry.kind,
        label=str(registry.label(entry.kind)),
        title=entry.title,
        title_marked=marked(entry.title, words),
        url=entry.url,
        context=entry.context,
        snippet=snippet(entry.text or entry.context, words),
    )


def _hits(text: str, words: list[tokens.Word]) -> list[re.Match]:
    return [
        match
        for match in _TEXT_WORD.finditer(text)
        if any(tokens.matches(word, match.group()) for word in words)
    ]


def marked(text: str, words: list[tokens.Word]) -> SafeString:
    """`text` escaped, with the words the query matched in <mark>."""
    hits = _hits(text, words)
    parts: list[str] = []
    at = 0
    for match in hits:
        parts.append(html.escape(text[at : match.start()]))
        parts.append(f"<mark>{html.escape(match.group())}</mark>")
        at = match.end()
    parts.append(html.escape(text[at:]))
    return mark_safe("".join(parts))


def snippet(text: str, words: list[tokens.Word]) -> SafeString:
    """A short passage of `text` around the first matched word, the matches marked."""
    text = unicodedata.normalize("NFC", " ".join((text or "").split()))
    spans = [match.span() for match in _TEXT_WORD.finditer(text)]
    if len(spans) <= SNIPPET_WORDS:
        return marked(text, words)
    hits = _hits(text, words)
    first = 0
    if hits:
        first = next(i for i, span in enumerate(spans) if span[0] == hits[0].start())
    start_word = max(0, min(first - SNIPPET_WORDS // 3, len(spans) - SNIPPET_WORDS))
    end_word = min(len(spans), start_word + SNIPPET_WORDS)
    start = spans[start_word][0] if start_word else 0
    end = spans[end_word - 1][1] if end_word < len(spans) else len(text)
    shown = marked(text[start:end], words)
    return mark_safe(("… " if start else "") + shown + (" …" if end < len(text) else ""))
