"""Evaluation scorecards, classification thresholds, evaluations of units and their history (issue 15,
items 3–4).

A `Scorecard` (bộ tiêu chí) is data: `Section`s of `Criterion`s, each with its maximum points and how it
is scored — by hand, or computed from the system's own figures (`danvan.reports`): an indicator meeting
its target, an indicator's value against its target, a count of a data element reaching N, the share of
the unit's targets met, the share of its reports submitted on time. A template is used only once its
maximum points total exactly 100; once an evaluation uses it, it is not changed (copy it).

Classification thresholds (`Thresholds`) are dated versions. The default version follows Quy định
366-QĐ/TW ngày 30/8/2025 của Bộ Chính trị (replacing Quy định 124-QĐ/TW of 2023), Điều 11, as
published in the press and on thuvienphapluat.vn (the official PDF could not be read here):

- khoản 1 — hoàn thành xuất sắc nhiệm vụ: total of 90 points or more AND, for a collective, 100 % of
  its assigned tasks completed on time with quality, at least 30 % of them beyond what was required,
  and no subordinate unit nor member of its leadership disciplined (in the year). VERIFIED (Báo Lao
  Động, Vietnamnet, thuvienphapluat.vn, September–December 2025).
- khoản 2 — hoàn thành tốt nhiệm vụ: from 70 to under 90 points AND 100 % of tasks completed on time.
  VERIFIED (Báo Lao Động).
- khoản 3 — hoàn thành nhiệm vụ: from 50 to under 70 points AND 100 % of tasks completed, at most
  20 % of them late. VERIFIED (Báo Lao Động).
- khoản 4 — không hoàn thành nhiệm vụ: under 50 points (or the conditions above not met). The point
  floor is inferred from the scale; its other grounds were NOT verified.
- NOT VERIFIED: a cap on the share of collectives classified "xuất sắc" in Quy định 366 itself (a
  20 %-of-"tốt" cap exists for civil servants in Nghị định 335/2025/NĐ-CP); a per-criterion floor.
  Both are therefore optional settings of a version (`share_cap`, `criterion_floor`), off by default.

The conditions of khoản 1–3 are facts about the unit the system does not hold: the reviewer states how
the unit carried out its assigned tasks when classifying (`Evaluation.completion`, one of `Completion`), and
the service refuses a level above what the points allow, above what that statement allows
(`COMPLETION_CEILING`: "xuất sắc" only with every task on time and 30 % beyond, "tốt" only with every task
on time, "hoàn thành" only with every task done and at most 20 % late), or against the share cap.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from danvan.core.models import WrittenOnce

TOTAL_POINTS = Decimal(100)
LAW = "Quy định 366-QĐ/TW (2025), Điều 11"


class Method(models.TextChoices):
    MANUAL = "manual", _("Scored by hand")
    INDICATOR_MET = "indicator_met", _("Full points when the indicator meets its target")
    INDICATOR_RATIO = "indicator_ratio", _("Points in proportion to the indicator's value against its target")
    ELEMENT_COUNT = "element_count", _("Full points when a figure reaches a count")
    TARGETS_MET = "targets_met", _("Points in proportion to the unit's targets met")
    REPORTS_ON_TIME = "reports_on_time", _("Points in proportion to the unit's reports submitted on time")


COMPUTED = {m for m in Method.values if m != Method.MANUAL}


class Classification(models.TextChoices):
    OUTSTANDING = "outstanding", _("Excellent task completion")
    GOOD = "good", _("Good task completion")
    PASSED = "passed", _("Task completion")
    FAILED = "failed", _("Task not completed")


# From the highest to the lowest: a reviewer may go down this list, never up.
LEVELS = [Classification.OUTSTANDING, Classification.GOOD, Classification.PASSED, Classification.FAILED]


class Completion(models.TextChoices):
    """How the unit carried out its assigned tasks: the conditions of Quy định 366-QĐ/TW Điều 11 that go with
    the points (khoản 1, 2, 3); the reviewer states it, the system does not hold these facts."""

    BEYOND = (
        "beyond",
        _(
            "Every assigned task completed on time with quality, at least 30 % beyond what was required, "
            "no subordinate unit or leadership member disciplined"
        ),
    )
    ON_TIME = "on_time", _("Every assigned task completed on time, with quality and efficiency")
    DONE = "done", _("Every assigned task completed, at most 20 % of them behind schedule")
    SHORT = "short", _("Short of the above")


# The highest classification each way of carrying out the tasks allows (Điều 11, khoản 1–4).
COMPLETION_CEILING = {
    Completion.BEYOND: Classification.OUTSTANDING,
    Completion.ON_TIME: Classification.GOOD,
    Completion.DONE: Classification.PASSED,
    Completion.SHORT: Classification.FAILED,
}
# The way of carrying out the tasks that a level asks for at the least (for data made by a program).
COMPLETION_FOR = {level: completion for completion, level in COMPLETION_CEILING.items()}


class State(models.TextChoices):
    DRAFT = "draft", _("Self-assessment in progress")
    SUBMITTED = "submitted", _("Submitted, awaiting review")
    REVIEWED = "reviewed", _("Reviewed, awaiting classification")
    FINAL = "final", _("Classified")


class Scorecard(models.Model):
    title = models.CharField(_("title"), max_length=300)
    applies_from = models.PositiveIntegerField(_("applies from the year"))
    unit_types = models.ManyToManyField(
        "orgs.UnitType", blank=True, related_name="+", verbose_name=_("unit types")
    )
    active = models.BooleanField(_("in use"), default=False)
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-applies_from", "title", "id"]

    def __str__(self):
        return self.title


class Section(models.Model):
    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(_("title"), max_length=300)
    order = models.PositiveIntegerField(_("order"), default=1)

    class Meta:
        ordering = ["scorecard", "order", "id"]

    def __str__(self):
        return self.title


class Criterion(models.Model):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="criteria")
    text = models.TextField(_("criterion"))
    order = models.PositiveIntegerField(_("order"), default=1)
    max_points = models.DecimalField(_("maximum points"), max_digits=5, decimal_places=2)
    method = models.CharField(
        _("how it is scored"), max_length=20, choices=Method.choices, default=Method.MANUAL
    )
    # The catalogue code the computed methods read: an indicator (INDICATOR_*) or a data element
    # (ELEMENT_COUNT) of danvan.reports. A code, not a key: an element that comes later works too.
    code = models.CharField(_("indicator or data element code"), max_length=40, blank=True)
    count = models.PositiveIntegerField(_("count to reach"), null=True, blank=True)

    class Meta:
        ordering = ["section", "order", "id"]

    def __str__(self):
        return self.text[:80]

    @property
    def computed(self) -> bool:
        return self.method in COMPUTED


class Thresholds(models.Model):
    """One dated version of the classification scale (see the module's docstring for its source)."""

    valid_from = models.DateField(_("valid from"), unique=True)
    outstanding_min = models.DecimalField(_("excellent from (points)"), max_digits=5, decimal_places=2)
    good_min = models.DecimalField(_("good from (points)"), max_digits=5, decimal_places=2)
    passed_min = models.DecimalField(_("completed from (points)"), max_digits=5, decimal_places=2)
    # Optional, off by default (not verified in Quy định 366): the most units of one level that may
    # be classified excellent, as a percentage of those evaluated; no criterion below this share of its maximum.
    share_cap = models.PositiveIntegerField(_("most units classified excellent (%)"), null=True, blank=True)
    criterion_floor = models.PositiveIntegerField(
        _("no criterion below (% of its maximum) for excellent"), null=True, blank=True
    )
    citation = models.CharField(_("legal basis"), max_length=300, default=LAW)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-valid_from"]

    def __str__(self):
        return f"{self.valid_from:%d/%m/%Y}"

    def proposed(self, total: Decimal) -> str:
        if total >= self.outstanding_min:
            return Classification.OUTSTANDING
        if total >= self.good_min:
            return Classification.GOOD
        if total >= self.passed_min:
            return Classification.PASSED
        return Classification.FAILED


class Evaluation(models.Model):
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("unit")
    )
    period = models.CharField(_("period"), max_length=12)  # a period code: 2025, 2025S1, 2025S2
    period_start = models.DateField()
    period_end = models.DateField()
    scorecard = models.ForeignKey(Scorecard, on_delete=models.PROTECT, related_name="evaluations")
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT)
    self_total = models.DecimalField(_("self-assessed total"), max_digits=6, decimal_places=2, default=0)
    total = models.DecimalField(
        _("total after review"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    proposed = models.CharField(
        _("proposed classification"), max_length=12, choices=Classification.choices, blank=True
    )
    classification = models.CharField(
        _("classification"), max_length=12, choices=Classification.choices, blank=True
    )
    classification_reason = models.TextField(_("reason for the classification"), blank=True)
    completion = models.CharField(
        _("how the assigned tasks were carried out"), max_length=10, choices=Completion.choices, blank=True
    )
    thresholds = models.ForeignKey(
        Thresholds, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    classified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period_end", "unit__path", "id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "period"], name="evaluations_one_per_unit_period")
        ]

    def __str__(self):
        return f"{self.unit.name} {self.period}"


class Score(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    self_points = models.DecimalField(
        _("self-assessed points"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    points = models.DecimalField(
        _("points after review"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    change_reason = models.TextField(_("reason for the change"), blank=True)
    note = models.TextField(_("note"), blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    evidence_file = models.FileField(upload_to="evaluations/", blank=True)
    evidence_name = models.CharField(max_length=255, blank=True)
    # What a computed score was read from, in words, and where to see it (the dashboard of the unit and period).
    source_text = models.CharField(max_length=300, blank=True)
    source_url = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["criterion__section__order", "criterion__order", "criterion_id"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "criterion"], name="evaluations_one_score")
        ]

    def __str__(self):
        return f"{self.evaluation} · {self.criterion}"

    @property
    def final(self):
        return self.points if self.points is not None else self.self_points


class Transition(WrittenOnce):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=12, choices=State.choices, blank=True)
    to_state = models.CharField(max_length=12, choices=State.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.evaluation} → {self.to_state}"


def half_of(day: datetime.date) -> int:
    return 1 if day.month <= 6 else 2
