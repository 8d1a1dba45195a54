"""Reads of the action programmes: the user's tasks by deadline, a programme's progress, the timeline."""

import datetime
from collections import OrderedDict
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from danvan.accounts import policy
from danvan.core import uploads

from .models import Occurrence, Programme, ProgressUpdate, State, Task

VIEW = policy.Perm.DOCUMENT_VIEW
BY_DEADLINE = F("due_on").asc(nulls_last=True)  # as Occurrence.Meta.ordering: undated last
EVIDENCE_KINDS = (uploads.PDF, uploads.DOCX, uploads.XLSX, uploads.JPEG, uploads.PNG, uploads.TXT)


def evidence_rules() -> uploads.Rules:
    """An evidence file: the kinds of a document's annexes, the register's size limit (DIRECTIVES_MAX_FILE_MB)."""
    return uploads.Rules(EVIDENCE_KINDS, max_file_bytes=uploads.setting_bytes("DIRECTIVES_MAX_FILE_MB", 20))


def progress_count(*, task: Task | None = None, programme: Programme | None = None) -> int:
    """How many progress reports a task (or a whole programme) holds."""
    qs = ProgressUpdate.objects.all()
    if task is not None:
        qs = qs.filter(occurrence__task=task)
    if programme is not None:
        qs = qs.filter(occurrence__task__programme=programme)
    return qs.count()


def programmes_for(user) -> QuerySet[Programme]:
    return policy.scope(user, VIEW, Programme.objects.select_related("unit", "document"))


def occurrences_for(user) -> QuerySet[Occurrence]:
    """Occurrences the user may see: of programmes of their units, or led by one of their units."""
    qs = Occurrence.objects.select_related("task__programme__unit", "task__lead")
    return policy.scope(user, VIEW, qs, "task__programme__unit__path") | policy.scope(
        user, VIEW, qs, "task__lead__path"
    )


def tasks_for(user) -> QuerySet[Task]:
    """Tasks the user may see: of programmes of their units, or led by one of their units."""
    qs = Task.objects.select_related("programme")
    return policy.scope(user, VIEW, qs, "programme__unit__path") | policy.scope(user, VIEW, qs, "lead__path")


def current_occurrence(task: Task) -> Occurrence | None:
    """The occurrence a task is at: its first one not done by deadline, else its last one."""
    occurrences = task.occurrences.order_by(BY_DEADLINE, "id")
    return occurrences.exclude(state=State.DONE).first() or occurrences.last()


def overdue(qs: QuerySet[Occurrence], day: datetime.date | None = None) -> QuerySet[Occurrence]:
    day = day or timezone.localdate()
    return qs.filter(due_on__lt=day).exclude(state=State.DONE)


def my_tasks(
    user, *, day: datetime.date | None = None, until: datetime.date | None = None
) -> list[Occurrence]:
    """Open occurrences of the user's units by deadline: the overdue first, then up to `until` (a year ahead)."""
    day = day or timezone.localdate()
    until = until or day + datetime.timedelta(days=366)
    qs = occurrences_for(user).exclude(state=State.DONE).filter(Q(due_on__isnull=True) | Q(due_on__lte=until))
    return list(qs.order_by(BY_DEADLINE, "id")[:500])


@dataclass
class Progress:
    total: int
    done: int
    on_time: int
    overdue: int
    upcoming: int = 0  # occurrences not due yet and not done (outside `total`)

    @property
    def late(self) -> int:
        """Done, but after the deadline."""
        return self.done - self.on_time

    @property
    def done_share(self) -> float | None:
        return 100 * self.done / self.total if self.total else None

    @property
    def on_time_share(self) -> float | None:
        return 100 * self.on_time / self.done if self.done else None


def progress(programme: Programme, day: datetime.date | None = None) -> Progress:
    """Done / total over the occurrences due by `day` (today) and those without a deadline or already done;
    on time among the done; overdue among the rest; `upcoming` counts the later deadlines."""
    day = day or timezone.localdate()
    occurrences = list(Occurrence.objects.filter(task__programme=programme))
    counted = [
        occurrence
        for occurrence in occurrences
        if occurrence.due_on is None or occurrence.due_on <= day or occurrence.state == State.DONE
    ]
    done = [occurrence for occurrence in counted if occurrence.state == State.DONE]
    return Progress(
        total=len(counted),
        done=len(done),
        on_time=sum(1 for occurrence in done if occurrence.on_time),
        overdue=sum(1 for occurrence in counted if occurrence.status(day) == "overdue"),
        upcoming=len(occurrences) - len(counted),
    )


def progress_by_programme(programme_ids, day: datetime.date | None = None) -> dict[int, Progress]:
    """`progress` of many programmes in one query: {programme id: Progress} (programmes without any
    occurrence are missing)."""
    day = day or timezone.localdate()
    counted = Q(due_on__isnull=True) | Q(due_on__lte=day) | Q(state=State.DONE)
    done = Q(state=State.DONE)
    on_time = done & (Q(due_on__isnull=True) | Q(done_on__isnull=True) | Q(done_on__lte=F("due_on")))
    overdue = Q(due_on__lt=day) & ~done
    rows = (
        Occurrence.objects.filter(task__programme__in=list(programme_ids))
        .values("task__programme")
        .annotate(
            total=Count("id", filter=counted),
            done=Count("id", filter=done),
            timely=Count("id", filter=on_time),
            overdue=Count("id", filter=overdue),
            upcoming=Count("id", filter=~counted),
        )
        .order_by()
    )
    return {
        row["task__programme"]: Progress(
            total=row["total"],
            done=row["done"],
            on_time=row["timely"],
            overdue=row["overdue"],
            upcoming=row["upcoming"],
        )
        for row in rows
    }


def timeline(programme: Programme) -> "OrderedDict[tuple[int, int] | None, list[Occurrence]]":
    """The programme's occurrences in date order, grouped by (year, month); those without a date last."""
    groups: OrderedDict = OrderedDict()
    qs = Occurrence.objects.filter(task__programme=programme).select_related("task__lead")
    for occurrence in qs.order_by(BY_DEADLINE, "id"):
        key = (occurrence.due_on.year, occurrence.due_on.month) if occurrence.due_on else None
        groups.setdefault(key, []).append(occurrence)
    return groups
