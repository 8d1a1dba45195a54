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
the two (`cases.case_link`) or dismisses the flag. A case of five people or more
(`MASS_COMPLAINT_PEOPLE`) and one sent above the competent level carry a "mass" or an
"over-level" flag, kept in step when the case is classified again.

Receivers (connected in apps.py): a `CaseEvent` saved (receive, classify, reclassify) and an
`Identity` saved (its fingerprints indexed again; a corrected identity is matched again).
"""

import datetime
import hashlib
import re
import unicodedata
from decimal import Decimal
from difflib import SequenceMatcher

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts import policy
from danvan.accounts.policy import Perm

from .models import (
    MASS_COMPLAINT_PEOPLE,
    Case,
    CaseEvent,
    CaseFingerprint,
    CaseFlag,
    CaseLink,
    CaseSignature,
    Identity,
    State,
)

Flag = CaseFlag.Kind
SIMILARITY = 0.9
WINDOW_DAYS = 365
MAX_CANDIDATES = 400  # texts compared per received case, most recent first
MAX_SUBMITTER_MATCHES = 50
MIN_WORDS = 8  # shorter contents ("Đề nghị sửa đường") say too little to call two cases the same
MAX_WORDS = 1500  # the comparison reads the beginning of long contents
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


def fingerprints_sync(case_id: int, values) -> None:
    """Make the indexed copy of a case's fingerprints equal to `values`."""
    wanted = set(values or [])
    current = set(CaseFingerprint.objects.filter(case_id=case_id).values_list("value", flat=True))
    if current - wanted:
        CaseFingerprint.objects.filter(case_id=case_id, value__in=current - wanted).delete()
    CaseFingerprint.objects.bulk_create(
        [CaseFingerprint(case_id=case_id, value=value) for value in sorted(wanted - current)]
    )


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


def _pair_flagged(case_id: int, other_id: int) -> bool:
    return CaseFlag.objects.filter(
        Q(case_id=case_id, other_case_id=other_id) | Q(case_id=other_id, other_case_id=case_id),
        kind__in=[Flag.DUPLICATE, Flag.REPEAT],
    ).exists()


def match(case: Case, *, content: bool = True) -> list[CaseFlag]:
    """Flag the earlier cases `case` may repeat or duplicate; returns the new flags."""
    by_submitter = _same_submitter(case)
    by_content: dict[int, float] = {}
    if content:
        signature, tokens = signature_save(case)
        by_content = _similar_content(case, signature, tokens)
    others = Case.objects.in_bulk(by_submitter | set(by_content))
    created = []
    for other_id, other in sorted(others.items()):
        if other.received_on > case.received_on or _pair_flagged(case.pk, other_id):
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
    fingerprints_sync(instance.case_id, instance.fingerprints)
    if (
        not created
        and CaseEvent.objects.filter(case_id=instance.case_id, action=CaseEvent.Action.RECEIVE).exists()
    ):
        match(instance.case, content=False)  # a corrected identity may name a submitter seen before


# ---------------------------------------------------------------- reading and acting on flags


def _open_pairs(qs: QuerySet) -> QuerySet:
    linked = CaseLink.objects.filter(case_id=OuterRef("case_id"), other_id=OuterRef("other_case_id"))
    return qs.filter(dismissed_at__isnull=True).exclude(
        Q(kind__in=[Flag.DUPLICATE, Flag.REPEAT]) & Exists(linked)
    )


def _hides_protected_senders(user) -> Q:
    """The flags whose showing would not tell `user` who sent a protected case.

    "Same submitter" (or "both") between two cases says that one person sent both: when either case
    protects its sender (a denunciation), knowing the other case's sender names the denouncer
    (Luật Tố cáo 2018, Điều 47, 56). Such a flag is for those who may see both identities only;
    to anyone else it does not exist, so neither does its basis.
    """
    return (
        ~Q(basis__in=[CaseFlag.Basis.SUBMITTER, CaseFlag.Basis.BOTH])
        | Q(case__identity_protected=False, other_case__identity_protected=False)
        | (policy.identity_visible(user, "case") & policy.identity_visible(user, "other_case"))
    )


def visible_flags(user, *, kinds=None, unit=None) -> QuerySet:
    """Open flags the user may see: a pair only when the user may see both cases; never an identity,
    and a "same submitter" pair touching a protected identity only for those who may see both identities."""
    qs = policy.scope(user, Perm.CASE_VIEW, CaseFlag.objects.all(), "case__unit__path")
    paired = Q(other_case__isnull=False)
    within = policy.scope(user, Perm.CASE_VIEW, Case.objects.all()).values("id")
    qs = qs.filter(~paired | Q(other_case_id__in=within)).filter(_hides_protected_senders(user))
    if kinds:
        qs = qs.filter(kind__in=list(kinds))
    if unit is not None:
        from danvan.core.paths import path_upper_bound

        qs = qs.filter(case__unit__path__gte=unit.path, case__unit__path__lt=path_upper_bound(unit.path))
    return _open_pairs(qs).select_related("case", "case__unit", "other_case", "other_case__unit")


def flags_of(user, case: Case) -> list[CaseFlag]:
    """The open flags of one case the user may see (for a case page), in both directions of a pair."""
    qs = visible_flags(user)
    return list(qs.filter(Q(case=case) | Q(other_case=case)))


def may_act(user, flag: CaseFlag) -> bool:
    """Linking or dismissing takes CASE_HANDLE on every case the flag names."""
    units = [flag.case.unit] + ([flag.other_case.unit] if flag.other_case_id else [])
    return all(policy.can(user, Perm.CASE_HANDLE, unit) for unit in units)


@transaction.atomic
def flag_link(flag: CaseFlag, *, by) -> CaseLink:
    """Link the two cases of a duplicate or repeat flag (both directions, with history)."""
    from . import cases

    flag = (
        CaseFlag.objects.select_for_update(of=("self",)).select_related("case", "other_case").get(pk=flag.pk)
    )
    if flag.other_case_id is None:
        raise ValidationError(_("Only a possible duplicate or repeat can be linked."))
    if flag.dismissed_at is not None:
        raise ValidationError(_("This suggestion was dismissed."))
    return cases.case_link(flag.case, flag.other_case, kind=flag.kind, by=by)


@transaction.atomic
def flag_dismiss(flag: CaseFlag, *, by) -> CaseFlag:
    """The two cases are not the same matter: the suggestion is no longer shown."""
    flag = CaseFlag.objects.select_for_update().get(pk=flag.pk)
    if flag.other_case_id is None:
        raise ValidationError(
            _("A mass or over-level mark follows the classification; it cannot be dismissed.")
        )
    if flag.dismissed_at is None:
        flag.dismissed_at = timezone.now()
        flag.dismissed_by = by if getattr(by, "pk", None) else None
        flag.save(update_fields=["dismissed_at", "dismissed_by"])
    return flag


def shown_links(user, case: Case, links) -> set[int]:
    """Ids of the linked cases whose link `user` may see on `case`'s page or in the API.

    The other case must be one the user may see. A link that involves a protected identity (either
    case is or was a denunciation) says "these came from the same matter", which may point at the
    denouncer through the other case's sender: it is shown only to users who may see both identities.
    """
    others = {link.other_id: link.other for link in links}
    if not others:
        return set()
    seen = set(
        policy.scope(user, Perm.CASE_VIEW, Case.objects.filter(pk__in=list(others))).values_list(
            "pk", flat=True
        )
    )
    involved = case.identity_protected or any(other.identity_protected for other in others.values())
    if not involved:
        return seen
    identity_ok = set(
        Case.objects.filter(policy.identity_visible(user), pk__in=[case.pk, *others]).values_list(
            "pk", flat=True
        )
    )
    return {
        pk
        for pk in seen
        if not (case.identity_protected or others[pk].identity_protected)
        or (case.pk in identity_ok and pk in identity_ok)
    }
