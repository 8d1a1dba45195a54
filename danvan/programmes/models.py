"""Action programmes (issue 5, item 8): a unit's programme built from a registered document.

A `Programme` belongs to a unit (the policy scopes it by that unit's subtree) and usually to the
`directives.Document` it implements. Its `Task`s are the document's assignments and targets: each has a
lead unit inside the programme unit's subtree (or none yet, with the lead as the text wrote it),
coordinating units, and a due rule:

- `none`: no deadline; `ongoing`: no deadline, work done all along ("thường xuyên"); `fixed`: one date;
- `relative`: N days after another date: a date typed in, the document's date, the programme's start, or
  the deadline of another task of the same programme (one with a single deadline; never in a cycle);
- `annual`: every year on day/month (15/12); `semiannual`: on day/month and six months later.

No occurrence is ever due before the programme's start: the services refuse such a rule.

Every task has `Occurrence`s, one per deadline (one for a non-recurring task), each with its own
state; recurring tasks get theirs up to a horizon (the end of next year) and the generation is
idempotent. Overdue is never stored: an occurrence is overdue when its due date has passed and it is
not done. `ProgressUpdate`s are the reports on an occurrence, with evidence (text, a file, links).
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from danvan.core.dates import day_text


class DueRule(models.TextChoices):
    NONE = "none", _("No deadline")
    ONGOING = "ongoing", _("Ongoing, no deadline")  # "thường xuyên": done all along
    FIXED = "fixed", _("On a date")
    ANNUAL = "annual", _("Every year")
    SEMIANNUAL = "semiannual", _("Every six months")
    RELATIVE = "relative", _("Days after a date")


class RelativeBase(models.TextChoices):
    """What a relative due rule counts its days from."""

    DATE = "date", _("A date typed in")
    DOCUMENT = "document", _("The document's date")
    START = "start", _("The programme's start")
    TASK = "task", _("Another task's deadline")


class TaskKind(models.TextChoices):
    TASK = "task", _("Assignment")
    TARGET = "target", _("Target")


class State(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


OVERDUE = "overdue"  # the status of an occurrence past its due date and not done (never stored)

# How each status of an occurrence (a state, or overdue) is shown: its badge's style and words.
STATUS_BADGES: dict[str, tuple[str, str]] = {
    OVERDUE: ("warn", _("Overdue")),
    State.DONE: ("ok", State.DONE.label),
    State.IN_PROGRESS: ("", State.IN_PROGRESS.label),
    State.NOT_STARTED: ("muted", State.NOT_STARTED.label),
}


class Programme(models.Model):
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="programmes", verbose_name=_("unit")
    )
    document = models.ForeignKey(
        "directives.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programmes",
        verbose_name=_("document"),
    )
    title = models.CharField(_("title"), max_length=300)
    starts_on = models.DateField(_("starts on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-id"]

    def __str__(self):
        return self.title


class Task(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="tasks")
    order = models.PositiveIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=TaskKind.choices, default=TaskKind.TASK)
    text = models.TextField(_("task"))
    percent = models.DecimalField(_("target (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    lead = models.ForeignKey(
        "orgs.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_tasks",
        verbose_name=_("lead unit"),
    )
    lead_text = models.CharField(_("lead as written"), max_length=300, blank=True)
    coordinating = models.ManyToManyField(
        "orgs.Unit", blank=True, related_name="coordinated_tasks", verbose_name=_("coordinating units")
    )
    coordinating_text = models.JSONField(_("coordinating as written"), default=list, blank=True)
    rule = models.CharField(_("due rule"), max_length=12, choices=DueRule.choices, default=DueRule.NONE)
    due_on = models.DateField(_("due date"), null=True, blank=True)  # fixed
    day = models.PositiveSmallIntegerField(_("day"), null=True, blank=True)  # annual, semi-annual
    month = models.PositiveSmallIntegerField(_("month"), null=True, blank=True)
    relative_base = models.CharField(  # relative: what the days are counted from
        _("counted from"), max_length=10, choices=RelativeBase.choices, default=RelativeBase.DATE
    )
    relative_to = models.DateField(_("date counted from"), null=True, blank=True)  # relative, base "date"
    relative_task = models.ForeignKey(  # relative, base "task"; services.task_delete refuses a task others
        "self",  # count from (SET_NULL, not RESTRICT: a programme's deletion takes its tasks in one go)
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dependents",
        verbose_name=_("task counted from"),
    )
    relative_days = models.PositiveIntegerField(_("days after"), null=True, blank=True)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return self.text[:80]

    def rule_text(self) -> str:
        """The due rule in words: "Every year on 15/12", "30 days after the programme's start (01/01/2026)"."""
        if self.rule == DueRule.FIXED and self.due_on:
            return _("On %(date)s") % {"date": day_text(self.due_on)}
        if self.rule == DueRule.ANNUAL and self.day and self.month:
            return _("Every year on %(day)s") % {"day": f"{self.day:02d}/{self.month:02d}"}
        if self.rule == DueRule.SEMIANNUAL and self.day and self.month:
            other = (self.month + 5) % 12 + 1
            first, second = sorted([self.month, other])
            return _("Every six months on %(first)s and %(second)s") % {
                "first": f"{self.day:02d}/{first:02d}",
                "second": f"{self.day:02d}/{second:02d}",
            }
        if self.rule == DueRule.RELATIVE and self.relative_days:
            days = self.relative_days
            if self.relative_base == RelativeBase.TASK and self.relative_task_id:
                return _("%(days)s days after the deadline of task %(number)s") % {
                    "days": days,
                    "number": self.relative_task.order,
                }
            if self.relative_base == RelativeBase.DOCUMENT:
                document = self.programme.document
                day = f" ({day_text(document.issued_on)})" if document else ""
                return _("%(days)s days after the document's date") % {"days": days} + day
            if self.relative_base == RelativeBase.START:
                start = f" ({day_text(self.programme.starts_on)})"
                return _("%(days)s days after the programme's start") % {"days": days} + start
            if self.relative_to:
                return _("%(days)s days after %(date)s") % {
                    "days": days,
                    "date": day_text(self.relative_to),
                }
        return str(self.get_rule_display())


class Occurrence(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="occurrences")
    due_on = models.DateField(_("due date"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.NOT_STARTED)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = [models.F("due_on").asc(nulls_last=True), "id"]
        constraints = [models.UniqueConstraint(fields=["task", "due_on"], name="programme_occurrence_once")]
        indexes = [models.Index(fields=["due_on", "state"], name="programme_occ_due")]

    def __str__(self):
        return f"{self.task_id} {self.due_on}"

    def status(self, today: datetime.date | None = None) -> str:
        """The state, or "overdue" when the due date has passed and the task is not done."""
        today = today or timezone.localdate()
        if self.state != State.DONE and self.due_on is not None and self.due_on < today:
            return OVERDUE
        return self.state

    @property
    def on_time(self) -> bool:
        return self.state == State.DONE and (
            self.due_on is None or (self.done_on or self.due_on) <= self.due_on
        )


def _evidence_path(instance, filename):  # the name is chosen by the service (a random token)
    return f"programmes/{instance.occurrence.task.programme_id}/{filename}"


class ProgressUpdate(models.Model):
    occurrence = models.ForeignKey(Occurrence, on_delete=models.CASCADE, related_name="updates")
    state = models.CharField(_("state"), max_length=12, choices=State.choices)
    text = models.TextField(_("progress"))
    links = models.JSONField(_("links to records"), default=list, blank=True)
    file = models.FileField(upload_to=_evidence_path, blank=True, max_length=300)
    file_name = models.CharField(max_length=150, blank=True)
    file_type = models.CharField(max_length=100, blank=True)
    file_size = models.PositiveIntegerField(null=True, blank=True)
    reported_on = models.DateField(_("reported on"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.occurrence.task} – {self.get_state_display()} – {day_text(self.reported_on)}"
