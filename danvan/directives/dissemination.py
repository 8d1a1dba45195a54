"""Dissemination and study of documents (issue 5, item 7): sending, receipt, study sessions, coverage.

Rules chosen here:
- A document is sent by someone holding DOCUMENT_MANAGE at the document's unit (the register's owner) to
  units in that unit's subtree (not the unit itself), active today. Recipients are picked one by one, by
  unit type, by group, or as a whole subtree (danvan.orgs.selectors); a unit that already received the
  document is skipped, so sending twice never duplicates.
- A recipient acknowledges receipt and records its study sessions; both need DOCUMENT_MANAGE at the
  recipient unit (views ask the policy). Recording a session acknowledges receipt if not done yet.
- A session gives its date (not in the future, not before the document's date), its form, the
  participants and the number expected (participants ≤ expected). The delivery keeps the sum of
  participants and the number expected of its latest session; people reached = min(sum, expected).
- Figures for the reporting module ("directives.*" sources): per recipient unit and period, deliveries
  sent in the period, and those of them studied by the period's end; and, for the units that are party
  organisations (settings.DIRECTIVES_COMMITTEE_TYPES: bloc, committee, grassroots, cell), 1 if the unit
  received a document in the period, and 1 if it studied every document it received in the period by
  the period's end. Summed up the tree, those two make the share of committees that organised the study
  (indicator STUDY_RATE): a committee that left one document unstudied has not done it.
- Reminders (`REMINDER_KIND`, sent by danvan.reminders, beat task `tasks.send_study_reminders`): once a
  day, each manager of a unit whose study is overdue gets one e-mail listing those documents.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.accounts import policy
from danvan.accounts.actors import Actor, recorded_user
from danvan.accounts.policy import Perm
from danvan.accounts.selectors import holders
from danvan.core.dates import day_text
from danvan.core.paths import PATH_SEGMENT, path_ids
from danvan.core.text import clean_text
from danvan.orgs import selectors as org_selectors
from danvan.orgs.models import Unit
from danvan.reminders.kinds import Digests, Kind
from danvan.reports import sources as report_sources

from . import indexing
from .models import Delivery, Document, StudyForm, StudySession

NOTE_MAX = 300
PEOPLE_MAX = 1_000_000


# ---------------------------------------------------------------- choosing recipients


def candidates(document: Document, day: datetime.date | None = None) -> QuerySet:
    """Versions (in force on `day`) of the active units below the document's unit: who may receive it."""
    return org_selectors.descendants(document.unit, day).select_related("unit", "unit_type").order_by("path")


def choose(
    document: Document,
    *,
    units=(),
    unit_type: str = "",
    group: str = "",
    subtree: Unit | None = None,
) -> list[Unit]:
    """The units the criteria select among the candidates (the union of every criterion given)."""
    pool = candidates(document)
    chosen: dict[int, Unit] = {}
    ids = [getattr(unit, "pk", unit) for unit in units or ()]
    if ids:
        for version in pool.filter(unit_id__in=ids):
            chosen[version.unit_id] = version.unit
    if unit_type:
        for version in pool.filter(unit_type__code=unit_type):
            chosen[version.unit_id] = version.unit
    if group:
        for version in pool.filter(groups__code=group).distinct():
            chosen[version.unit_id] = version.unit
    if subtree is not None:
        own = pool.filter(unit=subtree).values_list("path", flat=True).first()
        if own:
            for version in org_selectors.in_subtree(pool, own):
                chosen[version.unit_id] = version.unit
    return sorted(chosen.values(), key=lambda unit: unit.path)


# ---------------------------------------------------------------- writes


@dataclass
class SendResult:
    sent: list[Delivery] = field(default_factory=list)
    skipped: int = 0


def send(
    *, document: Document, units: list[Unit], by: Actor, study_due: datetime.date | None = None
) -> SendResult:
    """Send `document` to `units` for study; units that already received it are skipped.

    Needs DOCUMENT_MANAGE at the unit whose register holds the document."""
    _require_manage(by, document.unit)
    errors: dict[str, str] = {}
    if not units:
        errors["units"] = _("Choose at least one unit to send the document to.")
    allowed = set(candidates(document).values_list("unit_id", flat=True))
    outside = [unit for unit in units if unit.pk not in allowed]
    if outside:
        errors["units"] = _(
            "%(unit)s is not an active unit under the unit that holds the document: it cannot receive it."
        ) % {"unit": outside[0].name}
    today = timezone.localdate()
    if study_due is not None and study_due < document.issued_on:
        errors["study_due"] = _(
            "The study deadline cannot be before the date of the document (%(date)s)."
        ) % {"date": day_text(document.issued_on)}
    if errors:
        raise ValidationError(errors)
    result = SendResult()
    with transaction.atomic():
        Document.objects.select_for_update().filter(pk=document.pk).first()  # one sending at a time
        already = set(document.deliveries.values_list("unit_id", flat=True))
        for unit in units:
            if unit.pk in already:
                result.skipped += 1
                continue
            already.add(unit.pk)
            result.sent.append(
                Delivery.objects.create(
                    document=document,
                    unit=unit,
                    sent_on=today,
                    study_due=study_due,
                    sent_by=recorded_user(by),
                )
            )
        refresh({d.unit_id for d in result.sent}, {today})  # the figures follow in the same transaction
        if result.sent:
            indexing.refresh(document)  # the units it was sent to find it now
    return result


@transaction.atomic
def acknowledge(*, delivery: Delivery, by: Actor) -> Delivery:
    """Record that the unit received the document (the first acknowledgment is kept); DOCUMENT_MANAGE there."""
    _require_manage(by, delivery.unit)
    delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
    if delivery.acknowledged_at is None:
        delivery.acknowledged_at = timezone.now()
        delivery.acknowledged_by = recorded_user(by)
        delivery.save(update_fields=["acknowledged_at", "acknowledged_by"])
    return delivery


def _require_manage(by: Actor, unit: Unit) -> None:
    if not policy.can(by, Perm.DOCUMENT_MANAGE, unit):
        raise PermissionDenied(
            _("You may not act for %(unit)s on documents sent for study.") % {"unit": unit.name}
        )


def _number(value, name: str, errors: dict, missing: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors[name] = missing
        return 0
    if number < 0 or number > PEOPLE_MAX:
        errors[name] = _("Write a number between 0 and %(max)s.") % {"max": PEOPLE_MAX}
    return number


def session_record(
    *,
    delivery: Delivery,
    held_on,
    form: str,
    participants,
    expected,
    note: str = "",
    by: Actor,
) -> StudySession:
    """Record a study session of the recipient unit (DOCUMENT_MANAGE there); validated before anything is saved."""
    _require_manage(by, delivery.unit)
    errors: dict = {}
    document = delivery.document
    if not isinstance(held_on, datetime.date) or isinstance(held_on, datetime.datetime):
        errors["held_on"] = _("Write the date of the session (dd/mm/yyyy).")
    elif held_on > timezone.localdate():
        errors["held_on"] = _("The date of the session cannot be in the future.")
    elif held_on < document.issued_on:
        errors["held_on"] = _("The session cannot be before the date of the document (%(date)s).") % {
            "date": day_text(document.issued_on)
        }
    if form not in StudyForm.values:
        errors["form"] = _("Choose the form of the session.")
    participants = _number(participants, "participants", errors, _("Write the number of participants."))
    expected = _number(expected, "expected", errors, _("Write the number of people expected."))
    if "expected" not in errors and expected < 1:
        errors["expected"] = _("At least one person must be expected.")
    if not errors and participants > expected:
        errors["participants"] = _(
            "The participants (%(participants)s) cannot outnumber the people expected (%(expected)s)."
        ) % {"participants": participants, "expected": expected}
    note = clean_text(note, "note", errors, limit=NOTE_MAX)
    if errors:
        raise ValidationError(errors)
    actor = recorded_user(by)
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
        session = StudySession.objects.create(
            delivery=delivery,
            held_on=held_on,
            form=form,
            participants=participants,
            expected=expected,
            note=note,
            recorded_by=actor,
        )
        delivery.participants += participants
        delivery.expected = expected
        if delivery.studied_on is None or held_on < delivery.studied_on:
            delivery.studied_on = held_on
        if delivery.acknowledged_at is None:
            delivery.acknowledged_at = timezone.now()
            delivery.acknowledged_by = actor
        delivery.save()
        refresh({delivery.unit_id}, {delivery.sent_on, held_on})
    return session


# ---------------------------------------------------------------- reads


def visible_deliveries(user, perm: Perm = Perm.DOCUMENT_VIEW) -> QuerySet:
    """Deliveries `user` may see: those received by a unit in their scope, or sent from a register in it."""
    by_recipient = policy.scope(user, perm, Delivery.objects.all(), field="unit__path")
    by_sender = policy.scope(user, perm, Delivery.objects.all(), field="document__unit__path")
    return Delivery.objects.filter(Q(pk__in=by_recipient.values("pk")) | Q(pk__in=by_sender.values("pk")))


def to_study(user, perm: Perm = Perm.DOCUMENT_VIEW) -> QuerySet:
    """The deliveries received by the units in the user's scope, the ones still to study first."""
    return (
        policy.scope(user, perm, Delivery.objects.all(), field="unit__path")
        .select_related("document", "unit")
        .order_by(F("studied_on").asc(nulls_first=True), "study_due", "-sent_on", "id")
    )


def overdue(deliveries: QuerySet, today: datetime.date | None = None) -> QuerySet:
    """Deliveries whose study deadline has passed without any session."""
    today = today or timezone.localdate()
    return deliveries.filter(study_due__lt=today, studied_on__isnull=True)


@dataclass
class CoverageRow:
    unit: Unit
    received: int = 0
    studied: int = 0
    reached: int = 0
    expected: int = 0

    @property
    def unit_rate(self) -> float | None:
        return round(self.studied * 100 / self.received, 1) if self.received else None

    @property
    def people_rate(self) -> float | None:
        return round(self.reached * 100 / self.expected, 1) if self.expected else None

    def add(self, delivery: Delivery) -> None:
        self.received += 1
        if delivery.studied_on is not None:
            self.studied += 1
        self.reached += delivery.reached
        self.expected += delivery.expected


@dataclass
class Coverage:
    parent: Unit
    total: CoverageRow
    rows: list[CoverageRow]


def coverage(document: Document, parent: Unit) -> Coverage:
    """The study of `document` below `parent`: a row for `parent` itself, one per branch under it, the total.

    Units that studied / units that received; people reached / expected.
    """
    deliveries = org_selectors.in_subtree(document.deliveries.all(), parent.path, field="unit__path")
    own = CoverageRow(unit=parent)
    total = CoverageRow(unit=parent)
    branches: dict[int, CoverageRow] = {}
    for version in org_selectors.children(parent):
        branches[version.unit_id] = CoverageRow(unit=version.unit)
    depth = len(parent.path)
    for delivery in deliveries.select_related("unit"):
        total.add(delivery)
        path = delivery.unit.path
        if path == parent.path:
            own.add(delivery)
            continue
        branch_id = int(path[depth : depth + PATH_SEGMENT])
        row = branches.get(branch_id)
        if row is None:  # a branch moved or ended since: shown under its own unit
            row = branches[branch_id] = CoverageRow(unit=Unit.objects.get(pk=branch_id))
        row.add(delivery)
    rows = ([own] if own.received else []) + [row for row in branches.values() if row.received]
    return Coverage(parent=parent, total=total, rows=rows)


# ---------------------------------------------------------------- reminders


@dataclass(frozen=True)
class OverdueStudy:
    """A delivery whose study deadline has passed without a session: one line of the reminder."""

    delivery: Delivery

    @property
    def key(self) -> str:
        return str(self.delivery.pk)

    @property
    def unit(self) -> Unit:
        return self.delivery.unit


def reminder_digests(today: datetime.date) -> Digests:
    """The managers of each unit whose study is overdue (DOCUMENT_MANAGE at that unit, else at the nearest
    unit above that has any) and the overdue deliveries each of them is reminded of today."""
    deliveries = list(
        overdue(Delivery.objects.all(), today).select_related("document", "unit").order_by("study_due", "id")
    )
    managers = holders(
        unit_ids={unit_id for delivery in deliveries for unit_id in path_ids(delivery.unit.path)},
        perm=Perm.DOCUMENT_MANAGE,
    )
    found = Digests()
    for delivery in deliveries:
        for user in _nearest(managers, delivery.unit.path):
            found.add(user, "overdue", OverdueStudy(delivery))
    return found


def _nearest(managers: dict[int, list], path: str) -> list:
    for unit_id in reversed(path_ids(path)):
        if unit_id in managers:
            return managers[unit_id]
    return []


REMINDER_KIND = Kind(
    name="study",
    label=gettext_lazy("Overdue study of documents"),
    subject_template="directives/email_study_reminder_subject.txt",
    body_template="directives/email_study_reminder_body.txt",
    sections=("overdue",),
    collect=reminder_digests,
)


# ---------------------------------------------------------------- sources of the reporting module

SOURCE_KEYS = {
    "directives.study_received": gettext_lazy("Documents received for study (dissemination)"),
    "directives.study_done": gettext_lazy("… of which studied (dissemination)"),
    "directives.committees_received": gettext_lazy(
        "Committees that received documents for study (dissemination)"
    ),
    "directives.committees_studied": gettext_lazy("… of which studied every one of them (dissemination)"),
}
_COMMITTEE_KEYS = ("directives.committees_received", "directives.committees_studied")


def committee_types() -> list[str]:
    return list(getattr(settings, "DIRECTIVES_COMMITTEE_TYPES", ("bloc", "committee", "grassroots", "cell")))


def unit_counts(
    start: datetime.date, end: datetime.date, unit_ids: list[int] | None, committees: set[int] | None = None
) -> dict[int, dict]:
    """unit id → {source key: count}: deliveries sent in [start, end], those studied by `end`; for the
    units in `committees` also whether they received any and studied them all."""
    qs = Delivery.objects.filter(sent_on__gte=start, sent_on__lte=end)
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    result: dict[int, dict] = {}
    for unit_id, studied_on in qs.values_list("unit_id", "studied_on"):
        row = result.setdefault(unit_id, dict.fromkeys(SOURCE_KEYS, 0))
        row["directives.study_received"] += 1
        if studied_on is not None and studied_on <= end:
            row["directives.study_done"] += 1
    for unit_id, row in result.items():
        if committees is not None and unit_id in committees:
            row["directives.committees_received"] = 1
            row["directives.committees_studied"] = int(
                row["directives.study_done"] == row["directives.study_received"]
            )
    return result


def _committees(period, unit_ids: list[int] | None) -> set[int]:
    """The units of the period's tree that are party organisations (by their type in that tree)."""
    return report_sources.tree_units(period, unit_types=committee_types(), unit_ids=unit_ids)


def _source(key: str):
    def compute(period, unit_ids):
        committees = _committees(period, unit_ids) if key in _COMMITTEE_KEYS else None
        counts = unit_counts(period.start, period.end, unit_ids, committees)
        if key in _COMMITTEE_KEYS:
            return {unit_id: row[key] for unit_id, row in counts.items() if unit_id in committees}
        return {unit_id: row[key] for unit_id, row in counts.items()}

    return compute


def register_sources() -> None:
    for key, label in SOURCE_KEYS.items():
        report_sources.register(report_sources.Source(key, label, _source(key)))


def refresh(unit_ids: set[int], days: set[datetime.date]) -> None:
    """Recompute the dissemination elements of these units in the prepared periods containing any of `days`."""
    report_sources.refresh_days(unit_ids, days, keys=list(SOURCE_KEYS))
