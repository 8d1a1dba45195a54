"""Workplace democracy (Luật Thực hiện dân chủ ở cơ sở 2022, Luật số 10/2022/QH15): the annual staff
conference of an agency and what it discloses to its staff.

What was verified, and where (the search tool's stored public pages, December 2026):

- Điều 51 khoản 1: the conference of cán bộ, công chức, viên chức, người lao động is held once a year,
  after the agency's working year ends and "không chậm hơn 03 tháng của năm công tác tiếp theo"
  (bk.laodongcongdoan.vn, accgroup.vn quoting the article). Here: a conference reviewing year Y is on
  time when held by 31/03/Y+1, late after that.
- Quorum and resolution: the conference is valid when at least two thirds of the staff (or of the
  delegates convened) attend; a resolution is adopted when more than 50 % of the attendees approve
  (Sở Nội vụ Bình Dương's guidance of 26/12/2023 on the conference under the 2022 law and Nghị định
  59/2023/NĐ-CP; the same two rules stood in Thông tư 01/2016/TT-BNV under Nghị định 04/2015).
  NOT verified: the exact article of Nghị định 59/2023 that states them (the stored copy of the decree
  shows only its first articles) — the rule is applied as the guidance states it.
- Disclosures: the law lists what the head of an agency must disclose to its staff (a commentary of
  Trường Chính trị Thanh Hóa counts 12 items); the categories below follow that list as the issue and
  the predecessor Nghị định 04/2015/NĐ-CP word it (policies, plans, budget and assets, personnel
  decisions, rewards and discipline, inspection and complaint results, asset declarations, internal
  rules). NOT verified: the article number and the exact wording of each of the 12 items, nor the
  list of forms for agencies (the forms below follow the law's forms for communes, Điều 12, and the
  usual forms inside an agency: notice board, conference, internal information system, written notice).
"""

import datetime
import math

from django.db import models
from django.utils.translation import gettext_lazy as _

from danvan.orgs.models import Unit

#: The last day to hold the conference reviewing `year` (Điều 51: within 3 months of the next year).
DEADLINE_MONTH, DEADLINE_DAY = 3, 31


def deadline(year: int) -> datetime.date:
    return datetime.date(year + 1, DEADLINE_MONTH, DEADLINE_DAY)


def quorum(staff: int) -> int:
    """At least two thirds of the staff (rounded up): ⌈2/3 × staff⌉."""
    return math.ceil(2 * staff / 3) if staff > 0 else 0


def majority(attendees: int) -> int:
    """More than half of the attendees: the smallest number of votes that adopts a resolution."""
    return attendees // 2 + 1


def conference_file_path(instance, filename: str) -> str:
    return f"workplace/resolutions/{filename}"


class Conference(models.Model):
    """The annual conference of an agency's staff (or delegates) reviewing `year`."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    year = models.PositiveSmallIntegerField(_("year reviewed"))
    held_on = models.DateField(_("date held"))
    staff_count = models.PositiveIntegerField(_("staff convened"))
    attendees = models.PositiveIntegerField(_("attendees"))
    valid = models.BooleanField(_("valid (quorum reached)"), default=False)
    resolution_adopted = models.BooleanField(_("resolution adopted"), default=False)
    votes_for = models.PositiveIntegerField(_("votes for the resolution"), null=True, blank=True)
    resolution_file = models.FileField(
        _("resolution file"), upload_to=conference_file_path, blank=True, max_length=300
    )
    resolution_name = models.CharField(_("resolution file name"), max_length=150, blank=True)
    resolution_type = models.CharField(_("resolution file type"), max_length=100, blank=True)
    resolution_sha256 = models.CharField(_("resolution file fingerprint"), max_length=64, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="workplace_one_conference_a_year")
        ]

    def __str__(self):
        return f"{self.unit.name} {self.year}"

    @property
    def quorum(self) -> int:
        return quorum(self.staff_count)

    @property
    def majority(self) -> int:
        return majority(self.attendees)

    @property
    def deadline(self) -> datetime.date:
        return deadline(self.year)

    @property
    def on_time(self) -> bool:
        return self.held_on <= self.deadline


class Category(models.TextChoices):
    POLICIES = "policies", _("Party policies and State laws concerning the agency's work")
    PLANS = "plans", _("Work plans (yearly, quarterly, monthly)")
    BUDGET = "budget", _("Budget, its settlement, assets and equipment, audit results")
    PERSONNEL = "personnel", _("Recruitment, training, appointment, transfer, salary and evaluation of staff")
    REWARDS = "rewards", _("Rewards, discipline, resignation and retirement")
    INSPECTIONS = "inspections", _("Results of inspections and of complaints and denunciations settled")
    ASSETS_DECLARED = "assets_declared", _("Declarations of assets and income")
    RULES = "rules", _("Internal rules and regulations of the agency")
    OTHER = "other", _("Other content")


#: What the law requires every year (the checklist); OTHER is recorded but never missing.
REQUIRED = [choice for choice in Category if choice != Category.OTHER]


class Form(models.TextChoices):
    NOTICE_BOARD = "notice_board", _("Posted at the office")
    MEETING = "meeting", _("Announced at a conference or meeting")
    INTRANET = "intranet", _("Internal information system or web portal")
    DOCUMENT = "document", _("Written notice to the staff")
    THROUGH_HEADS = "through_heads", _("Through the heads of departments")
    OTHER = "other", _("Other form")


class Disclosure(models.Model):
    """One disclosure to the staff: what, when, how, for which period."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    title = models.CharField(_("title"), max_length=300)
    content = models.TextField(_("content"), blank=True)
    disclosed_on = models.DateField(_("date disclosed"))
    form = models.CharField(_("form of disclosure"), max_length=20, choices=Form.choices)
    period = models.CharField(_("period covered"), max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-disclosed_on", "-id"]
        indexes = [models.Index(fields=["unit", "disclosed_on"], name="workplace_disclosure_unit_day")]

    def __str__(self):
        return self.title
