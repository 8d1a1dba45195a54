"""Writes of the cases: the life of a case, suggestion-box openings, the handling of flagged pairs,
a handler's correction of who sent a case.

The life of a case: receive, classify, accept / reject / transfer, verify, resolve, close; withdraw,
pause (the actions, their states and their order are declared once in `workflow.ACTIONS`). Every
function here is one transaction: it checks the input and the case's state first (raising
ValidationError with a Vietnamese message), then writes the case, one `CaseEvent` (who, when, what,
why) and the clocks (`clocks.py`: accepting, rejecting or transferring stops the accept clock;
notifying stops the notify clock; resolving (and rejecting) stops the resolve clock; transfers and
withdrawals cancel what still runs; pauses, extensions and changes of complexity or remoteness
recompute the due dates). Each takes `by` (a user, or the system for the public portal, Open311,
commands and the demo data) and checks through the policy that `by` holds CASE_HANDLE at the case's
unit (PermissionDenied, nothing written) before what the law and the state machine say.
"""

import datetime
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from danvan.accounts import policy
from danvan.accounts.actors import Actor, recorded_user
from danvan.accounts.models import User
from danvan.accounts.policy import Perm
from danvan.core.dates import day_text
from danvan.core.text import clean_text
from danvan.orgs.models import Unit
from danvan.voice.deadlines.models import DeadlineRule
from danvan.voice.identity import crypto
from danvan.voice.identity import selectors as identity_selectors
from danvan.voice.identity import services as identity_services
from danvan.voice.identity.models import Identity

from . import attachments, clocks, indexing, tracking
from .models import (
    ANONYMOUS_KINDS,
    Attachment,
    BoxOpening,
    Case,
    CaseEvent,
    CaseFlag,
    CaseLink,
    CasePause,
    Channel,
    Extension,
    Kind,
    State,
)
from .workflow import refusal

Step = DeadlineRule.Step
Event = DeadlineRule.Event
Action = CaseEvent.Action

SUBJECT_MAX = 200
CONTENT_MAX = 20_000
REASON_MAX = 4_000
MAX_PEOPLE = 100_000


def _today() -> datetime.date:
    return timezone.localdate()


def _actor(user: User | None) -> User | None:
    return user if getattr(user, "pk", None) else None


def _require_handle(by: Actor, unit: Unit) -> None:
    """`by` must hold CASE_HANDLE at `unit` (the policy's rule; the system holds it everywhere)."""
    if not policy.can(by, Perm.CASE_HANDLE, unit):
        raise PermissionDenied(_("You may not handle the cases of %(unit)s.") % {"unit": unit.name})


def _check_day(
    day, *, field: str, case: Case | None, errors: dict, label: str | None = None
) -> datetime.date:
    if not isinstance(day, datetime.date) or isinstance(day, datetime.datetime):
        errors[field] = label or _("Give the date.")
        return day
    if day > _today():
        errors[field] = _("The date cannot be in the future.")
    elif case is not None and day < case.received_on:
        errors[field] = _("The date cannot be before the case was received (%(date)s).") % {
            "date": day_text(case.received_on)
        }
    return day


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _lock(case: Case) -> Case:
    """The case, read again under a row lock: two handlers never move it at once."""
    return Case.objects.select_for_update().select_related("unit").get(pk=case.pk)


def _require_state(case: Case, action: str, *, named: str | None = None) -> None:
    problem = refusal(case, action, named=named)
    if problem:
        raise ValidationError(problem)


def _event(
    case: Case,
    action: str,
    *,
    by: Actor,
    before: str,
    reason: str = "",
    details: dict | None = None,
    public: bool = False,
) -> CaseEvent:
    """One step of the case's history. Every change of a case writes one: its search entry follows here."""
    indexing.changed(case)
    return CaseEvent.objects.create(
        case=case,
        actor=recorded_user(by),
        action=action,
        from_state=before,
        to_state=case.state,
        unit=case.unit,
        reason=reason,
        details=details or {},
        public=public,
    )


def _event_day(case: Case, action: str) -> datetime.date | None:
    """The day recorded for the latest `action` (the day the act happened, not the day it was typed)."""
    event = case.events.filter(action=action).order_by("-at", "-id").first()
    if event is None:
        return None
    return datetime.date.fromisoformat(event.details.get("day", event.at.date().isoformat()))


# ---------------------------------------------------------------- receiving


@dataclass
class NewCase:
    unit: Unit
    kind: str
    channel: str
    subject: str
    content: str
    received_on: datetime.date
    people_count: int = 1
    anonymous: bool = False
    identity: dict | None = None  # name, address, phone, email, id_number (crypto.FIELDS)
    is_over_level: bool = False
    handler: User | None = None


def _check_new(spec: NewCase) -> dict:
    errors: dict = {}
    if not isinstance(spec.unit, Unit) or spec.unit.pk is None:
        errors["unit"] = _("Choose the responsible unit.")
    elif not spec.unit.is_active:
        errors["unit"] = _("Unit %(code)s has ended: choose a unit that exists today.") % {
            "code": spec.unit.code
        }
    if spec.kind not in Kind.values:
        errors["kind"] = _(
            "Choose what the submission is (complaint, denunciation, petition, feedback or suggestion)."
        )
    if spec.channel not in Channel.values:
        errors["channel"] = _("Choose how the submission arrived.")
    spec.subject = clean_text(
        spec.subject, "subject", errors, limit=SUBJECT_MAX, required=_("Give the subject."), multiline=True
    )
    spec.content = clean_text(
        spec.content,
        "content",
        errors,
        limit=CONTENT_MAX,
        required=_("Write the content of the submission."),
        multiline=True,
    )
    _check_day(
        spec.received_on,
        field="received_on",
        case=None,
        errors=errors,
        label=_("Give the day it was received."),
    )
    if isinstance(spec.people_count, bool) or not isinstance(spec.people_count, int):
        errors["people_count"] = _("The number of people must be a whole number.")
    elif not 1 <= spec.people_count <= MAX_PEOPLE:
        errors["people_count"] = _("The number of people must be between 1 and %(max)s.") % {
            "max": MAX_PEOPLE
        }
    person = crypto.clean(spec.identity or {})
    if spec.anonymous:
        if spec.kind not in ANONYMOUS_KINDS and "kind" not in errors:
            errors["anonymous"] = _(
                "Only feedback and suggestions may be sent anonymously: complaints, petitions and denunciations need "
                "the sender's name and address."
            )
        if person:
            errors["anonymous"] = _("An anonymous submission carries no name or contact.")
    elif (
        spec.kind in Kind.values
        and spec.kind not in ANONYMOUS_KINDS
        and not (person.get("name") and person.get("address"))
    ):
        errors["identity"] = _("Give the sender's full name and address.")
    for field, value in person.items():
        if len(value) > 300 or "\x00" in value:
            errors["identity"] = _(
                "The sender's %(field)s is too long or holds a character that is not allowed."
            ) % {"field": field}
    return errors


def _new_reference(case: Case) -> str:
    return f"{case.received_on:%Y}-{case.pk:06d}"


@transaction.atomic
def case_receive(*, spec: NewCase, by: Actor, with_tracking_code: bool = False) -> tuple[Case, str | None]:
    """Record a submission; start its clocks. Returns the case and, when asked, its tracking code (shown once).

    `by` holds CASE_HANDLE at the unit: a handler at the desk, or the system for the public portal,
    Open311 and the reception register's accepted entries."""
    if isinstance(spec.unit, Unit):
        _require_handle(by, spec.unit)
    _raise(_check_new(spec))
    code = tracking.new_code() if with_tracking_code else None
    case = Case.objects.create(
        reference=uuid.uuid4().hex[:20],
        unit=spec.unit,
        handler=_actor(spec.handler),
        kind=spec.kind,
        channel=spec.channel,
        subject=spec.subject,
        content=spec.content,
        received_on=spec.received_on,
        people_count=spec.people_count,
        anonymous=spec.anonymous,
        is_over_level=spec.is_over_level,
        identity_protected=spec.kind == Kind.DENUNCIATION,
        tracking_hash=tracking.digest(code) if code else None,
    )
    case.reference = _new_reference(case)
    case.save(update_fields=["reference"])
    identity_services.identity_seal(case=case, person=spec.identity or {}, by=by)
    _event(
        case,
        Action.RECEIVE,
        by=by,
        before="",
        details={"day": spec.received_on.isoformat(), "channel": spec.channel, "kind": spec.kind},
        public=True,
    )
    clocks.start(case, Event.RECEIVED, spec.received_on)
    if case.identity_protected:
        attachments.protect(case)
    return case, code


def case_receive_with_files(
    *,
    spec: NewCase,
    files: Iterable[UploadedFile] = (),
    protected: bool = False,
    by: Actor,
    with_tracking_code: bool = False,
) -> tuple[Case, str | None, list[Attachment]]:
    """Record a submission received by staff with the files that came with it (scans, documents).

    The files are checked first (type by content, size, number: attachments.check_all), so a bad
    file writes nothing. The case and its files are one transaction; files written before a failure
    are removed. `protected` files (handwriting, identity papers) are encrypted like the identity; a
    denunciation's files are all protected.
    """
    if isinstance(spec.unit, Unit):
        _require_handle(by, spec.unit)
    files = list(files)
    if files:
        try:
            attachments.check_all(files)
        except ValidationError as error:
            raise ValidationError({"attachments": error.messages}) from error
    stored: list[Attachment] = []
    try:
        with transaction.atomic():
            case, code = case_receive(spec=spec, by=by, with_tracking_code=with_tracking_code)
            for uploaded in files:
                stored.append(
                    attachments.store(case, uploaded, protected=protected or case.identity_protected)
                )
    except BaseException:
        attachments.discard(stored)
        raise
    return case, code, stored


# ---------------------------------------------------------------- classifying


@dataclass
class Classification:
    kind: str
    is_complex: bool = False
    is_especially_complex: bool = False
    is_remote: bool = False
    is_over_level: bool = False
    people_count: int = 1
    reason: str = ""
    day: datetime.date | None = None  # of a reclassification (the clocks of the old kind stop); today if None


@transaction.atomic
def case_classify(*, case: Case, spec: Classification, by: Actor) -> Case:
    """Confirm or change what the case is and how hard it is. A change of kind is a reclassification, with history.

    Classifying is allowed while the case is open; the first one moves "received" to "classified".
    The kind cannot change once the case is accepted, paused after acceptance included. A change of
    kind cancels the running clocks on `spec.day` and starts the new kind's from the day the case
    was last received (at its current unit, after a transfer). A case that becomes a denunciation
    protects its sender's identity for good, and the files already with it are encrypted.
    """
    case = _lock(case)
    _require_handle(by, case.unit)
    _require_state(
        case, Action.CLASSIFY, named=Action.RECLASSIFY
    )  # outside the open states: a reclassification
    errors: dict = {}
    if spec.kind not in Kind.values:
        errors["kind"] = _(
            "Choose what the submission is (complaint, denunciation, petition, feedback or suggestion)."
        )
    if (
        isinstance(spec.people_count, bool)
        or not isinstance(spec.people_count, int)
        or not (1 <= spec.people_count <= MAX_PEOPLE)
    ):
        errors["people_count"] = _("The number of people must be between 1 and %(max)s.") % {
            "max": MAX_PEOPLE
        }
    if spec.is_especially_complex and not spec.is_complex:
        errors["is_especially_complex"] = _("An especially complex case is a complex case: tick both.")
    reason = clean_text(spec.reason, "reason", errors, limit=REASON_MAX, multiline=True)
    kind_changes = spec.kind != case.kind
    received = _event_day(case, Action.RECEIVE) or case.received_on  # the transfer day after a transfer
    day = spec.day
    if day is None:
        day = _today()
    else:
        _check_day(day, field="day", case=case, errors=errors)
        if "day" not in errors and day < received:
            errors["day"] = _("The date cannot be before the case was received (%(date)s).") % {
                "date": day_text(received)
            }
    if kind_changes and not reason and "kind" not in errors:
        errors["reason"] = _("Say why the case is reclassified.")
    if kind_changes and case.anonymous and spec.kind not in ANONYMOUS_KINDS and "kind" not in errors:
        errors["kind"] = _("An anonymous submission can only be feedback or a suggestion.")
    effective = case.paused_from if case.state == State.PAUSED and case.paused_from else case.state
    if kind_changes and effective in (State.ACCEPTED, State.VERIFYING):
        errors["kind"] = _("The case is already accepted as “%(kind)s”: its kind can no longer change.") % {
            "kind": Kind(case.kind).label
        }
    _raise(errors)
    before = case.state
    old = {
        "kind": case.kind,
        "is_complex": case.is_complex,
        "is_especially_complex": case.is_especially_complex,
        "is_remote": case.is_remote,
        "is_over_level": case.is_over_level,
        "people_count": case.people_count,
    }
    case.kind = spec.kind
    case.is_complex = spec.is_complex
    case.is_especially_complex = spec.is_especially_complex
    case.is_remote = spec.is_remote
    case.is_over_level = spec.is_over_level
    case.people_count = spec.people_count
    if spec.kind == Kind.DENUNCIATION:
        case.identity_protected = True  # once a denunciation, the identity stays protected
    if case.state == State.RECEIVED:
        case.state = State.CLASSIFIED
    case.save()
    new = {key: getattr(case, key) for key in old}
    changes = {key: [old[key], new[key]] for key in old if old[key] != new[key]}
    action = Action.RECLASSIFY if kind_changes else Action.CLASSIFY
    details = {"changes": changes, **({"day": day.isoformat()} if kind_changes else {})}
    _event(case, action, by=by, before=before, reason=reason, details=details, public=kind_changes)
    if kind_changes:
        # The clocks of the old kind no longer apply from the day of the act; the new kind's run
        # from the day the case was received where it is now.
        clocks.cancel_all(case, day)
        clocks.start(case, Event.RECEIVED, received)
    else:
        clocks.recompute(case)
    if case.identity_protected:
        attachments.protect(case)  # last: it writes files, removed again if it fails
    return case


@transaction.atomic
def case_assign(*, case: Case, handler: User | None, by: Actor) -> Case:
    case = _lock(case)
    _require_handle(by, case.unit)
    _require_state(case, Action.ASSIGN)
    if handler is not None and not policy.can(handler, Perm.CASE_HANDLE, case.unit):
        raise ValidationError(
            {"handler": _("This person does not handle cases of %(unit)s.") % {"unit": case.unit.name}}
        )
    before = case.state
    case.handler = handler
    case.save(update_fields=["handler", "updated_at"])
    _event(case, Action.ASSIGN, by=by, before=before, details={"handler": getattr(handler, "pk", None)})
    return case


# ---------------------------------------------------------------- deciding on acceptance


@transaction.atomic
def case_accept(*, case: Case, day: datetime.date, by: Actor) -> Case:
    """Accept for handling (thụ lý): the accept clock stops, the notify and resolve clocks start on `day`."""
    case = _lock(case)
    _require_handle(by, case.unit)
    _require_state(case, Action.ACCEPT)
    errors: dict = {}
    _check_day(day, field="day", case=case, errors=errors)
    _raise(errors)
    before = case.state
    case.state = State.ACCEPTED
    case.save(update_fields=["state", "updated_at"])
    clocks.stop(case, [Step.ACCEPT], day)
    _event(case, Action.ACCEPT, by=by, before=before, details={"day": day.isoformat()}, public=True)
    clocks.start(case, Event.ACCEPTED, day)
    return case


@transaction.atomic
def case_reject(*, case: Case, day: datetime.date, reason: str, public_note: str = "", by: Actor) -> Case:
    """Not accepted, with the reason (e.g. filed after the limit, not within the unit's competence, returned with guidance)."""
    case = _lock(case)
    _require_handle(by, case.unit)
    _require_state(case, Action.REJECT)
    errors: dict = {}
    _check_day(day, field="day", case=case, errors=errors)
    reason = clean_text(
        reason, "reason", errors, limit=REASON_MAX, required=_("Give the reason."), multiline=True
    )
    public_note = clean_text(public_note, "public_note", errors, limit=REASON_MAX, multiline=True)
    _raise(errors)
    before = case.state
    case.state = State.REJECTED
    case.finished_on = day
    if public_note:
        case.public_note = public_note
    case.save(update_fields=["state", "finished_on", "public_note", "updated_at"])
    clocks.stop(case, [Step.ACCEPT], day)
    clocks.cancel_all(case, day)
    _event(
        case,
        Action.REJECT,
        by=by,
        before=before,
        reason=reason,
        details={"day": day.isoformat()},
        public=True,
    )
    return case


@transaction.atomic
def case_transfer(*, case: Case, to_unit: Unit, day: datetime.date, reason: str, by: Actor) -> Case:
    """Send the case to the competent unit: it arrives there as "received" on `day`, with its history and new clocks."""
    case = _lock(case)
    _require_handle(by, case.unit)
    _require_state(case, Action.TRANSFER)
    errors: dict = {}
    _check_day(day, field="day", case=case, errors=errors)
    reason = clean_text(
        reason, "reason", errors, limit=REASON_MAX, required=_("Give the reason."), multiline=True
    )
    target = (
        Unit.objects.filter(pk=to_unit.pk).first()
        if isinstance(to_unit, Unit) and to_unit.pk is not None
        else None
    )
    if target is None:
        errors["to_unit"] = _("Choose a unit of the organisation tree to transfer to.")
    elif not target.is_active:
        errors["to_unit"] = _("Unit %(code)s has ended: choose a unit that exists today.") % {
            "code": target.code
        }
    elif target.pk == case.unit_id:
        errors["to_unit"] = _("The case is already at this unit.")
    if errors or target is None:
        raise ValidationError(errors)
    before, source = case.state, case.unit
    clocks.stop(case, [Step.ACCEPT], day)  # deciding to transfer is the accept step's decision
    clocks.cancel_all(case, day)
    _event(
        case,
        Action.TRANSFER,
        by=by,
        before=before,
        reason=reason,
        details={
            "day": day.isoformat(),
            "from_unit": source.pk,
            "to_unit": target.pk,
            "to_code": target.code,
        },
        public=True,
    )
    case.unit = target
    case.state = State.RECEIVED
    case.handler = None
    case.save(update_fields=["unit", "state", "handler", "updated_at"])
    _event(
        case,
        Action.RECEIVE,
        by=by,
        before=before,
        details={"day": day.isoformat(), "from_unit": source.pk, "transfer": True},
    )
    clocks.start(case, Event.RECEIVED, day)
    return case


# ---------------------------------------------------------------- handling


@transaction.atomic
def case_notify(*, case: Case, day: datetime.date, by: Actor) -> Case:
    """The submitter was told the case is accepted (Luật Tố cáo 2018, Điều 29): the notify clock stops."""
    case = _lock(case)
    _require_handle(by, case.unit)
    _require_state(case, Action.NOTIFY)
    errors: dict = {}
    _check_day(day, field="day", case=case, errors=errors)
    if not case.clocks.filter(step=Step.NOTIFY, stopped_on__isnull=True).exists():
        errors["day"] = _("No notification is due for this case.")
    _raise(errors)
    clocks.stop(case, [Step.NOTIFY], day)
    _event(case, Action.NOTIFY, by=by, before=case.state, details={"day": day.isoformat()}, public=True)
    return case


def _move(case: Case, action: str, state: str, day: datetime.date, by: Actor) -> Case:
    """A step that only changes the state on `day` (no clock starts or stops)."""
    case = _lock(case)
    _require_handle(by, case.unit)
    _require_state(case, action)
    errors: dict = {}
    _check_day(day, field="day", case=case, errors=errors)
    _raise(errors)
    before = case.state
    case.state = state
    case.save(update_fields=["state", "updated_at"])
    _event(case, action, by=by, before=before, details={"day": day.isoformat()}, public=True)
    return case


@transaction.atomic
def case_verify(*, case: Case, day: datetime.date, by: Actor) -> Case:
    return _move(case, Action.VERIFY, State.VERIFYING, day, by)


@transaction.atomic
def case_extend(
    *,
    case: Case,
    decision_number: str,
    decision_date: datetime.date,
    reason: str,
    by: Actor,
) -> Extension:
    """A written decision extends the resolution period, as far as the rule allows.

    Luật Tố cáo 2018, Điều 30: a complex case gets one extension, an especially complex one two.
    """
    case = _lock(case)
    _require_handle(by, case.unit)
    _require_state(case, Action.EXTEND)
    errors: dict = {}
    decision_number = clean_text(
        decision_number,
        "decision_number",
        errors,
        limit=60,
        required=_("Give the number of the extension decision."),
        multiline=True,
    )
    _check_day(
        decision_date,
        field="decision_date",
        case=case,
        errors=errors,
        label=_("Give the date of the decision."),
    )
    reason = clean_text(
        reason, "reason", errors, limit=REASON_MAX, required=_("Give the reason."), multiline=True
    )
    clock = case.clocks.filter(step=Step.RESOLVE, stopped_on__isnull=True).select_related("rule").first()
    if clock is None:
        errors["decision_number"] = _("The case has no running resolution period to extend.")
    else:
        allowed = clock.rule.extensions_allowed
        if case.kind == Kind.DENUNCIATION:
            allowed = min(allowed, 2 if case.is_especially_complex else 1 if case.is_complex else 0)
        if clock.extensions >= allowed:
            if allowed == 0:
                message = _(
                    "The period of this case cannot be extended: mark the case complex first, if it is."
                )
            else:
                message = _("This case may be extended at most %(allowed)s time(s) (%(citation)s).") % {
                    "allowed": allowed,
                    "citation": clock.rule.citation,
                }
            errors["decision_number"] = message
        elif isinstance(decision_date, datetime.date) and decision_date > clock.due_on:
            errors["decision_date"] = _(
                "The period already ended on %(date)s: an extension is decided before it ends."
            ) % {"date": day_text(clock.due_on)}
    if errors or clock is None:
        raise ValidationError(errors)
    extension = Extension.objects.create(
        case=case,
        decision_number=decision_number,
        decision_date=decision_date,
        reason=reason,
        decided_by=recorded_user(by),
    )
    clock.extensions += 1
    clock.save(update_fields=["extensions"])
    clocks.recompute(case)
    clock.refresh_from_db()
    _event(
        case,
        Action.EXTEND,
        by=by,
        before=case.state,
        reason=reason,
        details={
            "decision_number": decision_number,
            "decision_date": decision_date.isoformat(),
            "due_on": clock.due_on.isoformat(),
        },
        public=True,
    )
    return extension


@transaction.atomic
def case_pause(*, case: Case, day: datetime.date, reason: str, by: Actor) -> Case:
    """Wait for the submitter (more documents, an explanation): the clocks stop from `day`."""
    case = _lock(case)
    _require_handle(by, case.unit)
    _require_state(case, Action.PAUSE)
    errors: dict = {}
    _check_day(day, field="day", case=case, errors=errors)
    reason = clean_text(
        reason, "reason", errors, limit=REASON_MAX, required=_("Give the reason."), multiline=True
    )
    last = case.pauses.order_by("-started_on").first()
    if last is not None and isinstance(day, datetime.date) and last.ended_on and day < last.ended_on:
        errors["day"] = _("A pause cannot start before the previous one ended (%(date)s).") % {
            "date": day_text(last.ended_on)
        }
    _raise(errors)
    before = case.state
    CasePause.objects.create(case=case, started_on=day, reason=reason)
    case.paused_from = case.state
    case.state = State.PAUSED
    case.save(update_fields=["state", "paused_from", "updated_at"])
    clocks.recompute(case)
    _event(
        case, Action.PAUSE, by=by, before=before, reason=reason, details={"day": day.isoformat()}, public=True
    )
    return case


@transaction.atomic
def case_resume(*, case: Case, day: datetime.date, by: Actor) -> Case:
    """The submitter answered: the clocks run again from `day`."""
    case = _lock(case)
    _require_handle(by, case.unit)
    _require_state(case, Action.RESUME)
    errors: dict = {}
    _check_day(day, field="day", case=case, errors=errors)
    pause = case.pauses.filter(ended_on__isnull=True).order_by("-started_on").first()
    if pause is not None and isinstance(day, datetime.date) and day < pause.started_on:
        errors["day"] = _("The case cannot resume before its pause began (%(date)s).") % {
            "date": day_text(pause.started_on)
        }
    _raise(errors)
    if pause is not None:
        pause.ended_on = day
        pause.save(update_fields=["ended_on"])
    before = case.state
    case.state = case.paused_from or State.RECEIVED
    case.paused_from = ""
    case.save(update_fields=["state", "paused_from", "updated_at"])
    clocks.recompute(case)
    _event(case, Action.RESUME, by=by, before=before, details={"day": day.isoformat()}, public=True)
    return case


@transaction.atomic
def case_resolve(
    *,
    case: Case,
    decision_number: str,
    decision_date: datetime.date,
    summary: str,
    public_note: str = "",
    by: Actor,
) -> Case:
    """The decision (or the answer, for petitions, feedback and suggestions): the resolve clock stops on its date."""
    case = _lock(case)
    _require_handle(by, case.unit)
    _require_state(case, Action.RESOLVE)
    errors: dict = {}
    formal = case.kind in (Kind.COMPLAINT_FIRST, Kind.COMPLAINT_SECOND, Kind.DENUNCIATION)
    decision_number = clean_text(
        decision_number,
        "decision_number",
        errors,
        limit=60,
        required=_("Give the number of the decision (or conclusion).") if formal else "",
        multiline=True,
    )
    _check_day(
        decision_date,
        field="decision_date",
        case=case,
        errors=errors,
        label=_("Give the date of the decision."),
    )
    summary = clean_text(
        summary, "summary", errors, limit=CONTENT_MAX, required=_("Summarise the decision."), multiline=True
    )
    public_note = clean_text(public_note, "public_note", errors, limit=REASON_MAX, multiline=True)
    _raise(errors)
    before = case.state
    case.state = State.RESOLVED
    case.decision_number = decision_number
    case.decision_date = decision_date
    case.decision_summary = summary
    case.finished_on = decision_date
    if public_note:
        case.public_note = public_note
    case.save()
    clocks.stop(case, [Step.RESOLVE], decision_date)
    clocks.cancel_all(case, decision_date)
    _event(
        case,
        Action.RESOLVE,
        by=by,
        before=before,
        details={"decision_number": decision_number, "decision_date": decision_date.isoformat()},
        public=True,
    )
    return case


@transaction.atomic
def case_close(*, case: Case, day: datetime.date, by: Actor) -> Case:
    return _move(case, Action.CLOSE, State.CLOSED, day, by)


@transaction.atomic
def case_withdraw(*, case: Case, day: datetime.date, reason: str, by: Actor) -> Case:
    """The submitter withdrew the submission: every clock is cancelled."""
    case = _lock(case)
    _require_handle(by, case.unit)
    _require_state(case, Action.WITHDRAW)
    errors: dict = {}
    _check_day(day, field="day", case=case, errors=errors)
    reason = clean_text(
        reason, "reason", errors, limit=REASON_MAX, required=_("Give the reason."), multiline=True
    )
    _raise(errors)
    before = case.state
    case.pauses.filter(ended_on__isnull=True).update(ended_on=day)
    case.state = State.WITHDRAWN
    case.paused_from = ""
    case.finished_on = day
    case.save(update_fields=["state", "paused_from", "finished_on", "updated_at"])
    clocks.cancel_all(case, day)
    _event(
        case,
        Action.WITHDRAW,
        by=by,
        before=before,
        reason=reason,
        details={"day": day.isoformat()},
        public=True,
    )
    return case


@transaction.atomic
def case_link(*, case: Case, other: Case, kind: str, by: Actor) -> CaseLink:
    """Record that two cases are the same matter (both directions): CASE_HANDLE at both units."""
    _require_handle(by, case.unit)
    _require_handle(by, other.unit)
    if kind not in CaseLink.Kind.values:
        raise ValidationError({"kind": _("Choose a duplicate or a repeat.")})
    if case.pk == other.pk:
        raise ValidationError({"other": _("A case cannot be linked to itself.")})
    link, created = CaseLink.objects.get_or_create(
        case=case, other=other, defaults={"kind": kind, "created_by": recorded_user(by)}
    )
    CaseLink.objects.get_or_create(
        case=other, other=case, defaults={"kind": kind, "created_by": recorded_user(by)}
    )
    if created:
        _event(case, Action.LINK, by=by, before=case.state, details={"other": other.pk, "kind": kind})
        _event(other, Action.LINK, by=by, before=other.state, details={"other": case.pk, "kind": kind})
    return link


# ---------------------------------------------------------------- flagged pairs (patterns.py finds them)


def _locked_flag(flag: CaseFlag, by: Actor) -> CaseFlag:
    """The flag read again under a row lock; acting on it takes CASE_HANDLE on every case it names
    (as `selectors.may_act` says)."""
    flag = (
        CaseFlag.objects.select_for_update(of=("self",))
        .select_related("case__unit", "other_case__unit")
        .get(pk=flag.pk)
    )
    _require_handle(by, flag.case.unit)
    if flag.other_case is not None:
        _require_handle(by, flag.other_case.unit)
    return flag


@transaction.atomic
def flag_link(*, flag: CaseFlag, by: Actor) -> CaseLink:
    """Link the two cases of a duplicate or repeat flag (both directions, with history)."""
    flag = _locked_flag(flag, by)
    if flag.other_case is None:
        raise ValidationError(_("Only a possible duplicate or repeat can be linked."))
    if flag.dismissed_at is not None:
        raise ValidationError(_("This suggestion was dismissed."))
    return case_link(case=flag.case, other=flag.other_case, kind=flag.kind, by=by)


@transaction.atomic
def flag_dismiss(*, flag: CaseFlag, by: Actor) -> CaseFlag:
    """The two cases are not the same matter: the suggestion is no longer shown."""
    flag = _locked_flag(flag, by)
    if flag.other_case_id is None:
        raise ValidationError(
            _("A mass or over-level mark follows the classification; it cannot be dismissed.")
        )
    if flag.dismissed_at is None:
        flag.dismissed_at = timezone.now()
        flag.dismissed_by = recorded_user(by)
        flag.save(update_fields=["dismissed_at", "dismissed_by"])
    return flag


# ---------------------------------------------------------------- who sent a case

SENDER_FIELD_MAX = 300
_PHONE = re.compile(r"^\+?[0-9 .()\-]+$")
_ID_NUMBER = re.compile(r"^[A-Za-z0-9]{6,20}$")


@sensitive_variables()
def _sender_errors(case: Case, person: dict) -> dict:
    errors: dict = {}
    if case.anonymous:
        errors["__all__"] = _("An anonymous submission carries no name or contact.")
        return errors
    if not person.get("name"):
        errors["name"] = _("Give the sender's full name.")
    if case.kind not in ANONYMOUS_KINDS and not person.get("address"):
        errors["address"] = _("Give the sender's address.")
    for key, value in person.items():
        if len(value) > SENDER_FIELD_MAX:
            errors[key] = _("At most %(limit)s characters.") % {"limit": SENDER_FIELD_MAX}
        elif any(ord(ch) < 32 for ch in value):
            errors[key] = _("The text holds a character that is not allowed.")
    if "phone" in person and "phone" not in errors:
        digits = sum(ch.isdigit() for ch in person["phone"])
        if not _PHONE.match(person["phone"]) or not 8 <= digits <= 15:
            errors["phone"] = _("The phone number is not valid: 8 to 15 digits, e.g. 0912 345 678.")
    if "email" in person and "email" not in errors:
        try:
            validate_email(person["email"])
        except ValidationError:
            errors["email"] = _("The e-mail address is not valid.")
    if "id_number" in person and "id_number" not in errors and not _ID_NUMBER.match(person["id_number"]):
        errors["id_number"] = _(
            "The identity document number is not valid: 6 to 20 letters and digits, e.g. 001099012345."
        )
    return errors


@sensitive_variables()
@transaction.atomic
def identity_correct(*, case: Case, data: dict, by: Actor, ip_address: str | None = None) -> Identity:
    """A handler corrects who sent `case`: re-encrypted, fingerprints recomputed, logged as an "edit".

    `by` is a person who handles the case's unit and may see its sender (`policy.can_see_identity`: a
    denouncer only the case handlers of the case's own unit); the system never sees a sender here,
    since the access log names whoever did."""
    case = Case.objects.select_for_update().select_related("unit").get(pk=case.pk)
    _require_handle(by, case.unit)
    if not identity_selectors.may_reveal(case=case, by=by):
        raise PermissionDenied(identity_selectors.REVEAL_REFUSED)
    person = crypto.clean(data)
    if "id_number" in person:
        person["id_number"] = person["id_number"].replace(" ", "")
    errors = _sender_errors(case, person)
    if errors:
        raise ValidationError(errors)
    row = identity_services.identity_replace(case=case, person=person, by=by)
    identity_services.identity_access_record(
        case=case, what=identity_services.What.EDIT, ip_address=ip_address, by=by
    )
    return row


# ---------------------------------------------------------------- suggestion boxes

MAX_LETTERS = 100_000
TEXT_LIMITS = {"opened_by": 200, "witnesses": 300, "note": 4_000}


@transaction.atomic
def box_opening_add(
    *,
    unit: Unit,
    opened_on: datetime.date,
    opened_by: str,
    letters: int,
    witnesses: str = "",
    note: str = "",
    by: Actor,
) -> BoxOpening:
    """Record that the unit's suggestion box was opened and how many letters it held (CASE_HANDLE at the unit)."""
    if isinstance(unit, Unit) and unit.pk is not None:
        _require_handle(by, unit)
    errors: dict = {}
    if not isinstance(unit, Unit) or unit.pk is None:
        errors["unit"] = _("Choose the unit whose box was opened.")
    elif not unit.is_active:
        errors["unit"] = _("Unit %(code)s has ended: choose a unit that exists today.") % {"code": unit.code}
    if not isinstance(opened_on, datetime.date) or isinstance(opened_on, datetime.datetime):
        errors["opened_on"] = _("Give the day the box was opened.")
    elif opened_on > timezone.localdate():
        errors["opened_on"] = _("The date cannot be in the future.")
    opened_by = clean_text(opened_by, "opened_by", errors, limit=TEXT_LIMITS["opened_by"], multiline=True)
    if not opened_by and "opened_by" not in errors:
        errors["opened_by"] = _("Say who opened the box.")
    witnesses = clean_text(witnesses, "witnesses", errors, limit=TEXT_LIMITS["witnesses"], multiline=True)
    note = clean_text(note, "note", errors, limit=TEXT_LIMITS["note"], multiline=True)
    if isinstance(letters, bool) or not isinstance(letters, int):
        errors["letters"] = _("Give the number of letters found (0 if the box was empty).")
    elif not 0 <= letters <= MAX_LETTERS:
        errors["letters"] = _("The number of letters must be between 0 and %(max)s.") % {"max": MAX_LETTERS}
    if errors:
        raise ValidationError(errors)
    return BoxOpening.objects.create(
        unit=unit,
        opened_on=opened_on,
        opened_by=opened_by,
        witnesses=witnesses,
        letters=letters,
        note=note,
        created_by=recorded_user(by),
    )
