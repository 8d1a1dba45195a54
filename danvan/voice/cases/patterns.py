"""Patterns among cases (issue 4, item 10): duplicates, repeats, mass and over-level cases.

When a case is received (the "receive" event, not an arrival by transfer), it is compared with
earlier cases:

- the same submitter: any shared identity fingerprint (`CaseFingerprint`, a copy of the keyed
  hashes in `Identity.fingerprints`). Nothing is decrypted: equal hashes are the whole test.
- near-identical content: the words of the contents, folded (no accents, no case, no
  punctuation), compared with difflib; a ratio of at least `SIMILARITY` (0,9) is a match. Only
  cases received in the last `WINDOW_DAYS` days with a comparable number of words are read
  (index on `CaseSignature(received_on, words)`), at most `MAX_CANDIDATES` of them, plus exact
  copies (equal digests) of any age.

A match with a case that was already decided (resolved, rejected or closed on or before this
one arrived) is a "repeat"; any other match a "duplicate" — whether it went to another unit or
to the same one. The flag is kept on the newer case and names the older one; a handler links
the two or dismisses the flag (`services.flag_link`, `services.flag_dismiss`). A case of five people or more
(`MASS_COMPLAINT_PEOPLE`) and one sent above the competent level carry a "mass" or an
"over-level" flag, kept in step when the case is classified again.

Receivers (connected in apps.py): a `CaseEvent` saved (receive, classify, reclassify) and an
`Identity` saved (its fingerprints indexed again; a corrected identity is matched again). Which
flags a user may see is the selectors' (`selectors.visible_flags`).
"""

import datetime
import hashlib
import re
import unicodedata
from decimal import Decimal
from difflib import SequenceMatcher

from django.db.models import Q

from danvan.accounts.actors import System
from danvan.voice.identity import services as identity_services
from danvan.voice.identity.models import CaseFingerprint, Identity

from .models import MASS_COMPLAINT_PEOPLE, Case, CaseEvent, CaseFlag, CaseSignature, State

Flag = CaseFlag.Kind
SIMILARITY = 0.9
WINDOW_DAYS = 365
MAX_CANDIDATES = 400  # texts compared per received case, most recent first
MAX_SUBMITTER_MATCHES = 50
MIN_WORDS = 8  # shorter contents ("Đề nghị sửa đường") say too little to call two cases the same
MAX_WORDS = 1500  # the comparison reads the beginning of long contents
FINGERPRINTS = System("identity fingerprints")  # who keeps the indexed copy of the fingerprints
# ratio = 2·M / (a + b) ≥ 0,9 needs min(a, b) / max(a, b) ≥ 0,9 / 1,1
_LENGTH_BAND = SIMILARITY / (2 - SIMILARITY)
DECIDED_STATES = frozenset({State.RESOLVED, State.REJECTED, State.CLOSED})

_WORD = re.compile(r"[0-9a-z]+")


# ---------------------------------------------------------------- normalised text


def words(text: str) -> list[str]:
    """The words of `text`, accents and case folded away: "Đường  LÊ-LỢI!" → ["duong", "le", "loi"]."""
    text = unicodedata.normalize("NFD", (text or "").replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn").lower()
    return _WORD.findall(text)[:MAX_WORDS]


def digest(tokens: list[str]) -> str:
    return hashlib.sha256(" ".join(tokens).encode()).hexdigest()


def similarity(a: list[str], b: list[str]) -> float:
    """difflib's ratio over the words (1 for equal texts).

    Its cheap upper bounds come first: below the threshold, the bound is returned (still below it).
    """
    if not a or not b:
        return 0.0
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    bound = matcher.real_quick_ratio()
    if bound >= SIMILARITY:
        bound = matcher.quick_ratio()
    if bound < SIMILARITY:
        return bound
    return matcher.ratio()


def signature_save(case: Case) -> tuple[CaseSignature, list[str]]:
    tokens = words(case.content)
    signature, _created = CaseSignature.objects.update_or_create(
        case=case,
        defaults={"received_on": case.received_on, "words": len(tokens), "digest": digest(tokens)},
    )
    return signature, tokens


# ---------------------------------------------------------------- finding matches


def _same_submitter(case: Case) -> set[int]:
    mine = CaseFingerprint.objects.filter(case_id=case.pk).values("value")
    return set(
        CaseFingerprint.objects.filter(value__in=mine)
        .exclude(case_id=case.pk)
        .order_by("-case_id")
        .values_list("case_id", flat=True)
        .distinct()[:MAX_SUBMITTER_MATCHES]
    )


def _similar_content(case: Case, signature: CaseSignature, tokens: list[str]) -> dict[int, float]:
    """case id → similarity, for earlier cases whose content is near-identical."""
    if len(tokens) < MIN_WORDS:
        return {}
    low = int(len(tokens) * _LENGTH_BAND)
    high = int(len(tokens) / _LENGTH_BAND) + 1
    since = case.received_on - datetime.timedelta(days=WINDOW_DAYS)
    nearby = list(
        CaseSignature.objects.filter(
            received_on__gte=since, received_on__lte=case.received_on, words__gte=low, words__lte=high
        )
        .exclude(case_id=case.pk)
        .order_by("-received_on", "-case_id")
        .values_list("case_id", flat=True)[:MAX_CANDIDATES]
    )
    copies = set(
        CaseSignature.objects.filter(digest=signature.digest)
        .exclude(case_id=case.pk)
        .values_list("case_id", flat=True)[:MAX_SUBMITTER_MATCHES]
    )
    found: dict[int, float] = {case_id: 1.0 for case_id in copies}
    candidates = [case_id for case_id in nearby if case_id not in found]
    for other_id, content in Case.objects.filter(id__in=candidates).values_list("id", "content"):
        score = similarity(tokens, words(content))
        if score >= SIMILARITY:
            found[other_id] = score
    return found


def _kind_against(case: Case, other: Case) -> str:
    decided = (
        other.state in DECIDED_STATES
        and other.finished_on is not None
        and other.finished_on <= case.received_on
    )
    return Flag.REPEAT if decided else Flag.DUPLICATE


def _flagged_pairs(case_id: int, other_ids) -> set[int]:
    """Which of `other_ids` already form a duplicate or repeat pair with the case (either way round)."""
    other_ids = list(other_ids)
    rows = CaseFlag.objects.filter(
        Q(case_id=case_id, other_case_id__in=other_ids) | Q(case_id__in=other_ids, other_case_id=case_id),
        kind__in=[Flag.DUPLICATE, Flag.REPEAT],
    ).values_list("case_id", "other_case_id")
    return {other if case == case_id else case for case, other in rows}


def match(case: Case, *, content: bool = True) -> list[CaseFlag]:
    """Flag the earlier cases `case` may repeat or duplicate; returns the new flags."""
    by_submitter = _same_submitter(case)
    by_content: dict[int, float] = {}
    if content:
        signature, tokens = signature_save(case)
        by_content = _similar_content(case, signature, tokens)
    others = Case.objects.in_bulk(by_submitter | set(by_content))
    created = []
    flagged = _flagged_pairs(case.pk, others)  # one query, not one per similar case
    for other_id, other in sorted(others.items()):
        if other.received_on > case.received_on or other_id in flagged:
            continue
        if other_id in by_submitter and other_id in by_content:
            basis, score = CaseFlag.Basis.BOTH, 1.0
        elif other_id in by_submitter:
            basis, score = CaseFlag.Basis.SUBMITTER, 1.0
        else:
            basis, score = CaseFlag.Basis.CONTENT, by_content[other_id]
        created.append(
            CaseFlag.objects.create(
                case=case,
                kind=_kind_against(case, other),
                other_case=other,
                basis=basis,
                score=Decimal(str(round(score, 3))),
            )
        )
    return created


def marks_sync(case: Case) -> None:
    """The case's "mass" and "over-level" flags, as its classification now says."""
    wanted = set()
    if case.people_count >= MASS_COMPLAINT_PEOPLE:
        wanted.add(Flag.MASS)
    if case.is_over_level:
        wanted.add(Flag.OVER_LEVEL)
    current = set(
        CaseFlag.objects.filter(
            case=case, kind__in=[Flag.MASS, Flag.OVER_LEVEL], other_case__isnull=True
        ).values_list("kind", flat=True)
    )
    gone = current - wanted
    if gone:
        CaseFlag.objects.filter(case=case, kind__in=gone, other_case__isnull=True).delete()
    for kind in sorted(wanted - current):
        CaseFlag.objects.create(case=case, kind=kind)


# ---------------------------------------------------------------- receivers


def case_event_saved(sender, instance: CaseEvent, created=False, raw=False, **kwargs) -> None:
    if raw or not created:
        return
    action = instance.action
    if action == CaseEvent.Action.RECEIVE:
        case = instance.case
        marks_sync(case)
        if not instance.details.get("transfer"):
            match(case)
    elif action in (CaseEvent.Action.CLASSIFY, CaseEvent.Action.RECLASSIFY):
        marks_sync(instance.case)


def identity_saved(sender, instance: Identity, created=False, raw=False, **kwargs) -> None:
    if raw:
        return
    # The indexed copy follows every saved identity, whoever saved it: the system keeps it.
    identity_services.fingerprints_sync(case=instance.case, values=instance.fingerprints, by=FINGERPRINTS)
    if (
        not created
        and CaseEvent.objects.filter(case_id=instance.case_id, action=CaseEvent.Action.RECEIVE).exists()
    ):
        match(instance.case, content=False)  # a corrected identity may name a submitter seen before
