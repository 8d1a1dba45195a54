"""Writes of the document register: documents, their original file and attachments, their relations.

Each function is one transaction; it checks everything first and raises ValidationError (field ->
Vietnamese message) before anything is saved. Callers have asked the policy (views do).

Uniqueness: a unit's register holds a number and symbol once per issuer and year. The unit's row is
locked while checking (registrations of one unit are serialised) and the database constraint
`directive_document_once` backs it; issuer and symbol are compared by their diacritic-free, lowercase
keys without regard to spaces ("Đảng ủy Sở Tư pháp" = "ĐẢNG UỶ SỞ TƯ PHÁP").

Relations: the references in the document's subject and text (`parsing.references`, H-parse's reader) become automatic
relations, rebuilt on every save (manual ones and kinds corrected by hand stay). Each is linked to the
cited document when it is registered in the same unit's register or, failing that, in the register
of the nearest unit above (the level that passed it down); type and date, when the reference gives
them, must agree. When a document is registered, the references already waiting for it in its unit's
subtree are linked in the same transaction.
"""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts import policy
from danvan.accounts.actors import Actor, recorded_user
from danvan.accounts.policy import Perm
from danvan.core import uploads
from danvan.core.dates import day_text
from danvan.core.text import clean_text, search_key
from danvan.orgs.models import Unit

from . import indexing, parsing
from .models import Direction, Document, DocumentAttachment, DocumentRelation, RelationKind, SigningAuthority
from .numbers import document_types, issuer_key, normalise_number_symbol, number_of, symbol_key
from .selectors import outgoing_number_next

MIN_YEAR = 1930
SUBJECT_MAX = 2000
LINE_MAX = 300
SHORT_MAX = 150
BODY_MAX = 500_000
LIST_MAX = 100
ATTACHMENTS_MAX = 50

_SPACE = re.compile(r"\s+")


# ---------------------------------------------------------------- references


_REPLACES = re.compile(r"(thay the|bai bo|sua doi)\b[^;.\n]*$")
_IMPLEMENTS = re.compile(r"(thuc hien|trien khai|cu the hoa|quan triet)\s+(\S+\s+){0,5}$")


def _kind_in(text: str, number_symbol: str) -> str:
    """The relation the words just before the first mention of `number_symbol` express."""
    pattern = r"\s*".join(re.escape(ch) for ch in number_symbol if not ch.isspace())
    match = re.search(pattern, text or "")
    if not match:
        return RelationKind.CITES
    before = search_key(text[max(0, match.start() - 80) : match.start()]) + " "
    if _REPLACES.search(before):
        return RelationKind.REPLACES
    if _IMPLEMENTS.search(before):
        return RelationKind.IMPLEMENTS
    return RelationKind.CITES


def _require_manage(by: Actor, unit: Unit) -> None:
    """Changing a register (its documents, files and relations) needs DOCUMENT_MANAGE at its unit."""
    if not policy.can(by, Perm.DOCUMENT_MANAGE, unit):
        raise PermissionDenied(
            _("You may not change the document register of %(unit)s.") % {"unit": unit.name}
        )


def _as_date(value: object) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _candidates(relation: DocumentRelation) -> list[Document]:
    """Registered documents the relation may point at: same register first, then the nearest above."""
    source_unit = relation.from_document.unit
    qs = Document.objects.filter(symbol_key=relation.cited_key).exclude(pk=relation.from_document_id)
    if relation.cited_type:
        qs = qs.filter(doc_type__iexact=relation.cited_type)
    if relation.cited_date:
        qs = qs.filter(issued_on=relation.cited_date)
    by_path: dict[str, list[Document]] = {}
    for document in qs.select_related("unit"):
        if source_unit.path.startswith(document.unit.path):
            by_path.setdefault(document.unit.path, []).append(document)
    if not by_path:
        return []
    return by_path[max(by_path, key=len)]  # the longest path: the same unit, else the nearest above


def _resolve(relation: DocumentRelation) -> Document | None:
    found = _candidates(relation)
    return found[0] if len(found) == 1 else None  # ambiguous: left for a person to link


def relations_rebuild(*, document: Document, by: Actor) -> None:
    """Bring the automatic relations of `document` in line with the references in its text."""
    _require_manage(by, document.unit)
    with transaction.atomic():
        _rebuild(document)


def _rebuild(document: Document) -> None:
    text = f"{document.subject}\n{document.body}"
    wanted: dict[str, dict] = {}
    own = document.symbol_key
    for ref in parsing.references(text or ""):
        symbol = normalise_number_symbol(ref.get("number_symbol") or "")
        key = symbol_key(symbol)
        if not key or key == own or key in wanted or len(symbol) > 100:
            continue
        wanted[key] = {
            "cited_number_symbol": symbol,
            "cited_type": str(ref.get("type") or "")[:10],
            "cited_date": _as_date(ref.get("date")),
            "kind": _kind_in(text, symbol),
        }
    existing = {relation.cited_key: relation for relation in document.relations.all()}
    for key, old in existing.items():
        if old.automatic and key not in wanted:
            old.delete()
    for key, values in wanted.items():
        relation = existing.get(key)
        if relation is not None and not relation.automatic:
            continue  # corrected or added by hand: kept as it is
        if relation is None:
            relation = DocumentRelation(from_document=document, cited_key=key, automatic=True)
        changed = False
        for name, value in values.items():
            if getattr(relation, name) != value:
                setattr(relation, name, value)
                changed = True
        target = _resolve(relation)
        if relation.to_document_id != (target.pk if target else None):
            relation.to_document = target
            changed = True
        if changed or relation.pk is None:
            relation.save()


def _link_waiting(document: Document) -> None:
    """Link the references in `document`'s unit subtree that wait for (or point at) its number."""
    waiting = (
        DocumentRelation.objects.filter(cited_key=document.symbol_key)
        .filter(from_document__unit__path__startswith=document.unit.path)
        .exclude(from_document=document)
        .select_related("from_document__unit")
    )
    stale = DocumentRelation.objects.filter(to_document=document).exclude(cited_key=document.symbol_key)
    for relation in [*waiting, *stale]:
        target = _resolve(relation)
        if relation.to_document_id != (target.pk if target else None):
            relation.to_document = target
            relation.save(update_fields=["to_document"])


# ---------------------------------------------------------------- documents


@dataclass
class DocumentSpec:
    unit: Unit
    direction: str
    doc_type: str
    number_symbol: str
    issuer: str
    issued_on: datetime.date
    subject: str
    parent_issuer: str = ""
    place: str = ""
    addressees: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    signing_authority: str = ""
    signing_for: str = ""
    signer_title: str = ""
    signer: str = ""
    body: str = ""


def _lines(value, name: str, errors: dict) -> list[str]:
    if isinstance(value, str):
        value = value.splitlines()
    items = [str(item).strip() for item in (value or []) if str(item or "").strip()]
    if len(items) > LIST_MAX:
        errors[name] = _("At most %(limit)s lines.") % {"limit": LIST_MAX}
    elif any(len(item) > LINE_MAX for item in items):
        errors[name] = _("Each line holds at most %(limit)s characters.") % {"limit": LINE_MAX}
    else:  # each line checked as all text is (no control characters), its spacing kept
        items = [clean_text(item, name, errors, limit=LINE_MAX, multiline=True) for item in items]
    return items


def _check(spec: DocumentSpec) -> dict:
    """The spec's values cleaned, or ValidationError listing every problem."""
    errors: dict = {}
    unit = spec.unit
    if not isinstance(unit, Unit) or unit.pk is None:
        errors["unit"] = _("Choose the unit whose register holds the document.")
    if spec.direction not in Direction.values:
        errors["direction"] = _("Choose whether the document is incoming or outgoing.")
    doc_type = str(spec.doc_type or "").strip()
    if doc_type not in document_types():
        errors["doc_type"] = _("Choose the type of the document.")
    number_symbol = clean_text(
        normalise_number_symbol(spec.number_symbol),
        "number_symbol",
        errors,
        limit=100,
        required=_("Write the number and symbol of the document, as “84-CV/ĐU”."),
    )
    issuer = clean_text(spec.issuer, "issuer", errors, limit=LINE_MAX, required=_("Write the issuing body."))
    issued_on = spec.issued_on
    if not isinstance(issued_on, datetime.date) or isinstance(issued_on, datetime.datetime):
        errors["issued_on"] = _("Write the date of issue (dd/mm/yyyy).")
    elif issued_on.year < MIN_YEAR:
        errors["issued_on"] = _("The year must be %(min)s or later.") % {"min": MIN_YEAR}
    elif issued_on > timezone.localdate():
        errors["issued_on"] = _("The date cannot be in the future.")
    subject = clean_text(
        spec.subject, "subject", errors, limit=SUBJECT_MAX, required=_("Write what the document is about.")
    )
    if spec.signing_authority not in SigningAuthority.values:
        errors["signing_authority"] = _(
            "Choose how the document is signed: T/M., KT., TL., TUQ., Q. or none."
        )
    values = {
        "unit": unit,
        "direction": spec.direction,
        "doc_type": doc_type,
        "number_symbol": number_symbol,
        "number": number_of(number_symbol),
        "issuer": issuer,
        "parent_issuer": clean_text(spec.parent_issuer, "parent_issuer", errors, limit=LINE_MAX),
        "place": clean_text(spec.place, "place", errors, limit=SHORT_MAX),
        "issued_on": issued_on,
        "subject": subject,
        "addressees": _lines(spec.addressees, "addressees", errors),
        "recipients": _lines(spec.recipients, "recipients", errors),
        "signing_authority": spec.signing_authority,
        "signing_for": clean_text(spec.signing_for, "signing_for", errors, limit=SHORT_MAX),
        "signer_title": clean_text(spec.signer_title, "signer_title", errors, limit=SHORT_MAX),
        "signer": clean_text(spec.signer, "signer", errors, limit=SHORT_MAX),
        "body": clean_text(spec.body, "body", errors, limit=BODY_MAX, multiline=True),
    }
    if errors:
        raise ValidationError(errors)
    return values


def _duplicate_error(values: dict, twin: Document | None = None) -> ValidationError:
    shown = twin or Document(**{k: values[k] for k in ("number_symbol", "issuer", "issued_on")})
    return ValidationError(
        {
            "number_symbol": _(
                "Document %(number)s of %(issuer)s of %(year)s (dated %(date)s) is already in the register of "
                "this unit: open it instead of registering it again."
            )
            % {
                "number": shown.number_symbol,
                "issuer": shown.issuer,
                "year": shown.issued_on.year,
                "date": day_text(shown.issued_on),
            }
        },
        code="duplicate",
    )


def _store_original(document: Document, upload: uploads.Checked) -> uploads.Stored:
    stored = uploads.store(document.original, upload)
    document.original_name = stored.name[:150]
    document.original_type = stored.content_type[:100]
    document.original_sha256 = stored.sha256
    return stored


def document_save(
    *,
    spec: DocumentSpec,
    by: Actor,
    document: Document | None = None,
    original: uploads.Checked | None = None,
) -> Document:
    """Register a document (`document` None) or correct one; rebuild its relations; link those waiting for it.

    Needs DOCUMENT_MANAGE at the register's unit (and, for a correction, at the one that holds it now).
    """
    if document is not None:
        _require_manage(by, document.unit)
    values = _check(spec)
    _require_manage(by, values["unit"])
    stored = None
    try:
        with transaction.atomic():
            Unit.objects.select_for_update().filter(
                pk=values["unit"].pk
            ).first()  # one registration at a time
            values["symbol_key"] = symbol_key(values["number_symbol"])
            values["issuer_key"] = issuer_key(values["issuer"])
            values["year"] = values["issued_on"].year
            twin = Document.objects.filter(
                unit=values["unit"],
                issuer_key=values["issuer_key"],
                year=values["year"],
                symbol_key=values["symbol_key"],
            )
            if document is not None:
                document = Document.objects.select_for_update().get(pk=document.pk)
                twin = twin.exclude(pk=document.pk)
            existing = twin.first()
            if existing is not None:
                raise _duplicate_error(values, existing)
            if document is None:
                document = Document(created_by=recorded_user(by))
            for name, value in values.items():
                setattr(document, name, value)
            type_name = document_types().get(document.doc_type, "")
            document.search_key = search_key(
                " ".join(
                    [
                        document.number_symbol,
                        type_name,
                        document.subject,
                        document.issuer,
                        document.parent_issuer,
                        document.signer,
                        document.body,
                    ]
                )
            )
            if original is not None:
                stored = _store_original(document, original)
            try:
                with transaction.atomic():
                    document.save()
            except IntegrityError as error:  # registered meanwhile by another request
                raise _duplicate_error(values) from error
            _rebuild(document)
            _link_waiting(document)
            indexing.refresh(document)
    except BaseException:
        uploads.discard([stored])  # nothing when nothing was stored
        raise
    return document


NUMBER_TRIES = 5


def document_register_outgoing(
    *,
    spec: DocumentSpec,
    symbol: str,
    by: Actor,
    original: Callable[[str], uploads.Checked | None] | None = None,
    pattern: str = "{number}-{symbol}",
) -> Document:
    """Register a document the unit issues itself under the next free number of its outgoing documents
    of the year (`selectors.outgoing_number_next`): `symbol` is what follows the number ("BC/ĐU" makes
    "12-BC/ĐU"; `spec.number_symbol` and `spec.direction` are set here) and `original(number_symbol)`,
    when given, makes the document's file once its number is known (a report that prints its number).
    `pattern` joins them: a party document's "{number}-{symbol}" (Hướng dẫn 36-HD/VPTW), or a state
    body's "{number:02d}/{symbol}" ("BC-UBND" makes "12/BC-UBND" and "05/BC-UBND", Nghị định
    30/2020/NĐ-CP, Phụ lục I, phần I, mục II.3).

    The unit's row is locked while the number is chosen and the document saved, so two registrations
    never take the same number; a number someone registered by hand meanwhile is skipped. Needs
    DOCUMENT_MANAGE at the unit."""
    _require_manage(by, spec.unit)
    with transaction.atomic():
        Unit.objects.select_for_update().filter(pk=spec.unit.pk).first()
        year = spec.issued_on.year if isinstance(spec.issued_on, datetime.date) else timezone.localdate().year
        number = outgoing_number_next(unit=spec.unit, year=year)
        spec.direction = Direction.OUTGOING
        for attempt in range(NUMBER_TRIES):
            spec.number_symbol = pattern.format(number=number, symbol=symbol)
            try:
                with transaction.atomic():
                    made = original(spec.number_symbol) if original is not None else None
                    return document_save(spec=spec, by=by, original=made)
            except ValidationError as error:
                taken = hasattr(error, "error_dict") and set(error.error_dict) == {"number_symbol"}
                if not taken or attempt == NUMBER_TRIES - 1:
                    raise
                number += 1  # that number of this issuer and year is already in the register
    raise AssertionError("unreachable")


def attachment_add(*, document: Document, upload: uploads.Checked, by: Actor) -> DocumentAttachment:
    """Attach a checked file (attachment_rules) to a document; at most ATTACHMENTS_MAX per document."""
    _require_manage(by, document.unit)
    if document.attachments.count() >= ATTACHMENTS_MAX:
        raise ValidationError(
            {"file": _("A document holds at most %(limit)s attachments.") % {"limit": ATTACHMENTS_MAX}},
            code="too_many",
        )
    attachment = DocumentAttachment(document=document, created_by=recorded_user(by))
    stored = uploads.store(attachment.file, upload)
    attachment.name, attachment.content_type = stored.name[:150], stored.content_type[:100]
    attachment.size, attachment.sha256 = stored.size, stored.sha256
    try:
        with transaction.atomic():
            attachment.save()
    except BaseException:
        uploads.discard([stored])
        raise
    return attachment


def attachment_remove(*, attachment: DocumentAttachment, by: Actor) -> None:
    """Remove an attachment; its file goes once the removal is committed."""
    _require_manage(by, attachment.document.unit)
    with transaction.atomic():
        attachment.delete()
        uploads.discard_after_commit([attachment.file])


# ---------------------------------------------------------------- relations by hand


@transaction.atomic
def relation_add(
    *,
    document: Document,
    kind: str,
    cited_number_symbol: str,
    cited_type: str = "",
    cited_date: datetime.date | None = None,
    by: Actor,
) -> DocumentRelation:
    """A relation written by hand (kept when the text changes); linked when the cited document is registered."""
    _require_manage(by, document.unit)
    errors: dict[str, str] = {}
    symbol = normalise_number_symbol(cited_number_symbol)
    if kind not in RelationKind.values:
        errors["kind"] = _("Choose the relation: implements, replaces or cites.")
    if not symbol or len(symbol) > 100:
        errors["cited_number_symbol"] = _("Write the number and symbol of the other document, as “84-CV/ĐU”.")
    elif symbol_key(symbol) == document.symbol_key:
        errors["cited_number_symbol"] = _("A document cannot refer to itself.")
    else:
        symbol = clean_text(symbol, "cited_number_symbol", errors, limit=100)
    if cited_type and cited_type not in document_types():
        errors["cited_type"] = _("Choose the type of the document.")
    if errors:
        raise ValidationError(errors)
    relation, _created = DocumentRelation.objects.get_or_create(
        from_document=document,
        cited_key=symbol_key(symbol),
        defaults={"kind": kind, "cited_number_symbol": symbol},
    )
    relation.kind = kind
    relation.cited_number_symbol = symbol
    relation.cited_type = cited_type or relation.cited_type
    relation.cited_date = cited_date or relation.cited_date
    relation.automatic = False
    relation.to_document = _resolve(relation)
    relation.save()
    return relation


@transaction.atomic
def relation_remove(*, relation: DocumentRelation, by: Actor) -> None:
    _require_manage(by, relation.from_document.unit)
    relation.delete()
