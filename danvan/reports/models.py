"""Indicators and periodic reports: the catalogue, periods, forms, reports, values and the roll-up.

- `DataElement`: a whole number a unit reports (or a registered source derives) for a period.
- `Indicator`: (sum of numerator elements) / (sum of denominator elements) × factor. The
  percentage is never stored; it is computed from the numbers every time.
- `Target`: what an indicator must reach for units of a group (optionally in one period).
- `Period`: an interval with a code (`2026`, `2026S1`, `2026Q3`, `202609`, `2026RY`); its dates
  are fixed when it is first used, so a later change of the reporting-year start rewrites nothing.
- `ReportForm`: which elements, in which sections, for which units, due when.
- `Report`: one unit's submission of a form for a period and its workflow state.
- `DataValue`: one number of one unit for one period. Only approved values count in the roll-up.

The roll-up tables are maintained by `rollup.py` in the same transaction as the change that
moves them, so they are never stale:

- `PeriodUnit`: the tree as of the period's end (path, depth, groups) for every unit of the period.
- `UnitIndicator`: each unit's own numerator, denominator, applicable target and whether it is met.
- `ElementRollup` / `IndicatorRollup`: sums over each unit's strict descendants. A unit's figure
  is its own value plus its row here; leaves have no rows, which keeps the tables small.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class PeriodType(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    SEMIANNUAL = "semiannual", _("Semi-annual")
    ANNUAL = "annual", _("Annual")
    REPORTING_HALF = "reporting_half", _("Half of the reporting year")
    REPORTING_YEAR = "reporting_year", _("Reporting year")


class Comparator(models.TextChoices):
    GTE = "gte", "≥"
    GT = "gt", ">"
    LTE = "lte", "≤"
    LT = "lt", "<"
    EQ = "eq", "="


class ReportingCalendar(models.Model):
    """The day the reporting year starts (one row). Nghị định 09/2019/NĐ-CP: 15/12 to 14/12."""

    start_day = models.PositiveSmallIntegerField(
        _("start day"), default=15, validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    start_month = models.PositiveSmallIntegerField(
        _("start month"), default=12, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )

    def __str__(self):
        return f"{self.start_day:02d}/{self.start_month:02d}"


class DataElement(models.Model):
    code = models.CharField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=120, blank=True)
    description = models.TextField(_("description"), blank=True)
    # Empty: units report it. Otherwise the key of a registered source (see sources.py).
    source = models.CharField(_("source"), max_length=60, blank=True)
    min_value = models.BigIntegerField(_("minimum"), default=0, null=True, blank=True)
    max_value = models.BigIntegerField(_("maximum"), null=True, blank=True)
    order = models.PositiveIntegerField(default=100)

    class Meta:
        ordering = ["order", "code"]

    def __str__(self):
        return f"{self.code} – {self.name}"

    @property
    def is_derived(self) -> bool:
        return bool(self.source)


class Indicator(models.Model):
    code = models.CharField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    factor = models.DecimalField(_("factor"), max_digits=12, decimal_places=4, default=100)
    decimals = models.PositiveSmallIntegerField(_("decimals shown"), default=1)
    unit_label = models.CharField(_("unit of measure"), max_length=20, default="%", blank=True)
    order = models.PositiveIntegerField(default=100)

    class Meta:
        ordering = ["order", "code"]

    def __str__(self):
        return f"{self.code} – {self.name}"

    def elements(self, side: str) -> list[DataElement]:
        return [term.element for term in self.terms.all() if term.side == side]


class IndicatorTerm(models.Model):
    class Side(models.TextChoices):
        NUMERATOR = "n", _("numerator")
        DENOMINATOR = "d", _("denominator")

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="terms")
    element = models.ForeignKey(DataElement, on_delete=models.PROTECT, related_name="terms")
    side = models.CharField(max_length=1, choices=Side.choices)

    class Meta:
        ordering = ["indicator_id", "side", "id"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "element", "side"], name="reports_term_unique")
        ]

    def __str__(self):
        return f"{self.indicator_id}:{self.side}:{self.element_id}"


class Target(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    # Empty: every unit. A unit in several groups takes the strictest of the targets that apply.
    unit_group = models.ForeignKey(
        "orgs.UnitGroup", null=True, blank=True, on_delete=models.PROTECT, related_name="targets"
    )
    # Empty: every period. A target for the period itself takes precedence.
    period_code = models.CharField(_("period"), max_length=12, blank=True)
    comparator = models.CharField(_("comparator"), max_length=3, choices=Comparator.choices, default="gte")
    value = models.DecimalField(_("target value"), max_digits=14, decimal_places=4)

    class Meta:
        ordering = ["indicator_id", "unit_group_id", "period_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "unit_group", "period_code"],
                name="reports_target_unique",
                nulls_distinct=False,
            )
        ]

    def __str__(self):
        group = self.unit_group.name if self.unit_group_id else gettext("Every unit")
        return f"{self.indicator.name} – {group} {self.get_comparator_display()} {Decimal(str(self.value)).normalize():f}"


class Period(models.Model):
    code = models.CharField(max_length=12, unique=True)
    period_type = models.CharField(max_length=20, choices=PeriodType.choices)
    start = models.DateField()
    end = models.DateField()  # the last day, inclusive
    # When registry-derived values were last computed for this period (None: never).
    sources_refreshed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["start", "period_type"]

    def __str__(self):
        return self.code


class ReportForm(models.Model):
    class Deadline(models.TextChoices):
        AFTER_END = "after_end", _("days after the period ends")
        FIXED = "fixed", _("on a fixed day of the year the period ends")

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=255)
    period_type = models.CharField(_("period type"), max_length=20, choices=PeriodType.choices)
    unit_types = models.ManyToManyField("orgs.UnitType", blank=True, related_name="+")
    unit_groups = models.ManyToManyField("orgs.UnitGroup", blank=True, related_name="+")
    deadline_kind = models.CharField(
        _("deadline rule"), max_length=10, choices=Deadline.choices, default=Deadline.AFTER_END
    )
    deadline_days = models.PositiveSmallIntegerField(_("days after the period"), default=10)
    deadline_day = models.PositiveSmallIntegerField(
        _("deadline day"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    deadline_month = models.PositiveSmallIntegerField(
        _("deadline month"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    remind_days_before = models.PositiveSmallIntegerField(_("remind days before"), default=5)
    is_active = models.BooleanField(_("in use"), default=True)
    # The unit's head signs the submitted report off before it goes up to the level above.
    requires_head_signoff = models.BooleanField(_("signed off by the unit head"), default=False)

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return self.name


class FormSection(models.Model):
    form = models.ForeignKey(ReportForm, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(_("title"), max_length=255)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["form_id", "order", "id"]

    def __str__(self):
        return self.title


class FormField(models.Model):
    section = models.ForeignKey(FormSection, on_delete=models.CASCADE, related_name="fields")
    element = models.ForeignKey(DataElement, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["section__order", "order", "id"]

    def __str__(self):
        return f"{self.section_id}:{self.element_id}"


class ValidationRule(models.Model):
    """A custom rule: left (sum of elements) compared with right (sum of elements, or a constant)."""

    form = models.ForeignKey(
        ReportForm, null=True, blank=True, on_delete=models.CASCADE, related_name="rules"
    )
    left = models.ManyToManyField(DataElement, related_name="+")
    comparator = models.CharField(max_length=3, choices=Comparator.choices)
    right = models.ManyToManyField(DataElement, related_name="+", blank=True)
    right_constant = models.BigIntegerField(null=True, blank=True)
    message = models.CharField(_("message"), max_length=255)

    def __str__(self):
        return self.message


class Report(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        SIGNED = "signed", _("Signed off by the head")
        RETURNED = "returned", _("Returned")
        APPROVED = "approved", _("Approved")
        LOCKED = "locked", _("Locked")

    form = models.ForeignKey(ReportForm, on_delete=models.PROTECT, related_name="reports")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="reports")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="reports")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    revision = models.PositiveIntegerField(default=0)  # bumped on every transition: optimistic locking
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    return_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["period__start", "form_id", "unit_id"]
        constraints = [
            models.UniqueConstraint(fields=["form", "unit", "period"], name="reports_report_unique")
        ]
        indexes = [models.Index(fields=["period", "status"], name="reports_report_period")]

    def __str__(self):
        return f"{self.form.code} {self.unit.code} {self.period.code}"

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class ReportTransition(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=12, choices=Report.Status.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=Report.Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["report_id", "at", "id"]

    def __str__(self):
        return f"{self.report_id}: {self.from_status} → {self.to_status}"


class DataValue(models.Model):
    class Source(models.TextChoices):
        ENTERED = "entered", _("entered")
        IMPORTED = "imported", _("imported")
        DERIVED = "derived", _("derived from records")

    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+")
    element = models.ForeignKey(DataElement, on_delete=models.PROTECT, related_name="+")
    category = models.CharField(max_length=60, blank=True, default="")
    value = models.BigIntegerField()
    comment = models.TextField(blank=True)
    report = models.ForeignKey(
        Report, null=True, blank=True, on_delete=models.SET_NULL, related_name="values"
    )
    approved = models.BooleanField(default=False)  # counts in the roll-up
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.ENTERED)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "period", "element", "category"], name="reports_value_unique"
            )
        ]
        indexes = [
            models.Index(fields=["period", "element"], name="reports_value_period"),
            # Whether a period has values by category at all (a rebuild asks): found without a scan.
            models.Index(
                fields=["period"], condition=~models.Q(category=""), name="reports_value_categorised"
            ),
        ]

    def __str__(self):
        return f"{self.element_id}@{self.unit_id}/{self.period_id}={self.value}"


class PeriodUnit(models.Model):
    """A unit as the tree stood at the end of a period (or on its last day, if it ended earlier).

    This and the three tables below are derived (rebuilt by `rollup.rebuild`); their foreign keys have no
    database constraint and no index of their own (the unique constraints serve the lookups): either
    would only cost time on every row a rebuild writes.
    """

    period = models.ForeignKey(
        Period, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    path = models.CharField(max_length=400)
    depth = models.PositiveSmallIntegerField()  # number of path segments: 1 for a root
    parent = models.BigIntegerField(null=True, blank=True)  # the parent unit's id (the path's last but one)
    unit_type = models.CharField(max_length=40)  # the type's code
    groups = models.CharField(max_length=400, blank=True)  # ",admin_agency,enterprise,"
    ended = models.BooleanField(default=False)  # the unit ended before the period did

    class Meta:
        constraints = [models.UniqueConstraint(fields=["period", "unit"], name="reports_periodunit_unique")]
        indexes = [
            models.Index(fields=["period", "path"], name="reports_periodunit_path"),
            models.Index(fields=["period", "depth"], name="reports_periodunit_depth"),
        ]

    def __str__(self):
        return f"{self.unit_id}@{self.period_id}"


class UnitIndicator(models.Model):
    """One unit's own figures for an indicator and period (its own values, not its subtree's)."""

    period = models.ForeignKey(
        Period, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    numerator = models.BigIntegerField(default=0)
    denominator = models.BigIntegerField(default=0)
    complete = models.BooleanField(default=False)  # every element of the indicator was reported
    has_target = models.BooleanField(default=False)  # complete, a target applies, denominator ≠ 0
    met = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["period", "unit", "indicator"], name="reports_unitindicator_unique"
            )
        ]

    def __str__(self):
        return f"{self.indicator_id}@{self.unit_id}/{self.period_id}"


class ElementRollup(models.Model):
    """Sum of approved values of an element over a unit's strict descendants in a period."""

    period = models.ForeignKey(
        Period, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    element = models.ForeignKey(
        DataElement, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    value = models.BigIntegerField(default=0)
    reporters = models.IntegerField(default=0)  # how many value rows were summed

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "period", "element"], name="reports_elementrollup_unique")
        ]

    def __str__(self):
        return f"{self.element_id}@{self.unit_id}/{self.period_id}={self.value}"


class IndicatorRollup(models.Model):
    """Counts over a unit's strict descendants: units with a target, units that meet it."""

    period = models.ForeignKey(
        Period, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    target_units = models.IntegerField(default=0)
    met_units = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "period", "indicator"], name="reports_indicatorrollup_unique"
            )
        ]

    def __str__(self):
        return f"{self.indicator_id}@{self.unit_id}/{self.period_id}: {self.met_units}/{self.target_units}"
