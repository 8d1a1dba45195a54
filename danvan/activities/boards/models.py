"""The People's Inspection Board (Ban Thanh tra nhân dân) of an agency (issue 14, item 3).

What the law says (verified against the text of the law as published, see services.py):

- Luật Thực hiện dân chủ ở cơ sở 2022 (Luật số 10/2022/QH15), Điều 60 "Tổ chức Ban Thanh tra nhân
  dân ở cơ quan, đơn vị":
  khoản 1: elected by the staff conference, from 03 to 09 members, on the proposal of the agency's
  trade-union executive committee (a special or dispersed agency may decide more); an agency with 07
  staff or fewer does not organise one;
  khoản 2: a member works in the agency and is not at the same time its head, a deputy head or its
  chief accountant;
  khoản 3: the term is 02 years;
  khoản 4: the board has a chair (Trưởng ban), a deputy chair (Phó Trưởng ban) and members (Ủy viên).
- Nghị định 59/2023/NĐ-CP details the organisation and work of the board in agencies (the union
  executive recognises the election within 5 working days; the number of members follows Điều 60).

A `Board` is one term of the board of one agency (a unit): its term, the agency's staff count when it
was set up, the decision recognising it, its `Member`s. Its `Activity`s are the supervisions it made
and its `Recommendation`s (kiến nghị) what it sent the head, with the answer. Overdue is never
stored: a recommendation is overdue when it is open and its due date has passed.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

MIN_MEMBERS = 3  # Điều 60 khoản 1
MAX_MEMBERS = 9
MIN_STAFF = 8  # Điều 60 khoản 1: an agency with 7 staff or fewer has no board
TERM_YEARS = 2  # Điều 60 khoản 3


def term_end(starts_on: datetime.date) -> datetime.date:
    """The last day of a two-year term starting on `starts_on` (01/03/2025 → 28/02/2027)."""
    try:
        same_day = starts_on.replace(year=starts_on.year + TERM_YEARS)
    except ValueError:  # 29 February
        same_day = starts_on.replace(year=starts_on.year + TERM_YEARS, day=28) + datetime.timedelta(days=1)
    return same_day - datetime.timedelta(days=1)


class Role(models.TextChoices):
    CHAIR = "chair", _("Chair of the board")
    DEPUTY = "deputy", _("Deputy chair of the board")
    MEMBER = "member", _("Board member")


class Office(models.TextChoices):
    """What a member holds in the agency that the law cares about: any but NONE bars them (khoản 2)."""

    NONE = "none", _("None of these")
    HEAD = "head", _("Head of the agency")
    DEPUTY_HEAD = "deputy_head", _("Deputy head of the agency")
    CHIEF_ACCOUNTANT = "chief_accountant", _("Chief accountant")


FORBIDDEN_OFFICES = (Office.HEAD, Office.DEPUTY_HEAD, Office.CHIEF_ACCOUNTANT)


class RecommendationState(models.TextChoices):
    OPEN = "open", _("Awaiting the answer")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


class Board(models.Model):
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="inspection_boards", verbose_name=_("agency")
    )
    starts_on = models.DateField(_("term starts on"))
    ends_on = models.DateField(_("term ends on"))
    staff_count = models.PositiveIntegerField(_("staff of the agency"))
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    decision_on = models.DateField(_("decision date"), null=True, blank=True)
    decision_text = models.TextField(_("decision"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")), name="boards_board_term"
            ),
        ]

    def __str__(self):
        return f"{self.unit.name} {self.starts_on:%d/%m/%Y}–{self.ends_on:%d/%m/%Y}"

    def in_term(self, day: datetime.date) -> bool:
        return self.starts_on <= day <= self.ends_on


class Member(models.Model):
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="members")
    full_name = models.CharField(_("full name"), max_length=150)
    position = models.CharField(_("position in the agency"), max_length=200, blank=True)
    role = models.CharField(_("role on the board"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    office = models.CharField(
        _("leadership office held"), max_length=20, choices=Office.choices, default=Office.NONE
    )

    class Meta:
        ordering = ["board", "role", "full_name", "id"]

    def __str__(self):
        return self.full_name


class Activity(models.Model):
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="activities")
    held_on = models.DateField(_("date"))
    subject = models.CharField(_("subject supervised"), max_length=300)
    content = models.TextField(_("content"), blank=True)
    findings = models.TextField(_("findings"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return self.subject


class Recommendation(models.Model):
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="recommendations")
    activity = models.ForeignKey(
        Activity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recommendations",
        verbose_name=_("supervision"),
    )
    content = models.TextField(_("recommendation"))
    sent_on = models.DateField(_("sent on"))
    due_on = models.DateField(_("answer due by"))
    answer = models.TextField(_("answer"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=RecommendationState.choices, default=RecommendationState.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("sent_on")), name="boards_recommendation_due"
            ),
        ]

    def __str__(self):
        return self.content[:80]

    def overdue(self, today: datetime.date) -> bool:
        return self.state == RecommendationState.OPEN and self.due_on < today
