"""Grassroots mediation (hòa giải ở cơ sở): mediation teams, their mediators, and the register of cases.

What the law says (Luật Hòa giải ở cơ sở 2013, Luật số 35/2013/QH13, in force from 01/01/2014;
verified on public copies of the text):

- khoản 1 Điều 12: a mediation team (tổ hòa giải) has a leader and mediators, at least three
  mediators, one of them at least a woman (“Mỗi tổ hòa giải có từ 03 hòa giải viên trở lên, trong
  đó có hòa giải viên nữ”); the chairman of the commune People's Committee decides how many teams
  and mediators (khoản 2 Điều 12).
- Điều 8: mediators are elected in the residential community and recognised by a decision of the
  chairman of the commune People's Committee (`Mediator.recognised_on`).
- the register (sổ theo dõi hoạt động hòa giải ở cơ sở) is kept on the Ministry of Justice's form.
  Its first part, written by the mediators, has the columns: date the case was received, the
  mediators (and anyone invited to take part), the parties (name, age, address), the main content
  of the case, the agreement of the parties (or each party's demands) after mediation, the result
  (successful / unsuccessful), signatures, notes. `Case` holds one line of it; the register page
  and its export keep that column order. A case still being mediated is “ongoing”.

Nghị định 15/2014/NĐ-CP details the law (support for mediators); it was not found in the
reference search and nothing here depends on its text.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

LAW = "Luật Hòa giải ở cơ sở 2013"


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")


class Result(models.TextChoices):
    """The result column of the register, and a case not concluded yet."""

    SUCCESSFUL = "successful", _("Successful mediation")
    UNSUCCESSFUL = "unsuccessful", _("Unsuccessful mediation")
    ONGOING = "ongoing", _("Mediation ongoing")


CONCLUDED = (Result.SUCCESSFUL, Result.UNSUCCESSFUL)


class Team(models.Model):
    """A mediation team (tổ hòa giải) of a unit, for a village or residential group (`place`)."""

    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="mediation_teams")
    name = models.CharField(_("name"), max_length=200)
    place = models.CharField(_("village or residential group"), max_length=200, blank=True)
    established_on = models.DateField(_("established on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["unit__path", "name", "id"]
        verbose_name = _("mediation team")
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="mediation_team_name_once")]

    def __str__(self):
        return f"{self.name} – {self.unit.name}"


class Mediator(models.Model):
    """A mediator of a team: recognised by the commune chairman (Điều 8), trained or not."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="mediators")
    name = models.CharField(_("full name"), max_length=150)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices)
    recognised_on = models.DateField(_("recognised on"), null=True, blank=True)
    trained = models.BooleanField(_("trained"), default=False)
    trained_on = models.DateField(_("last trained on"), null=True, blank=True)
    leader = models.BooleanField(_("leader of the team"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-leader", "name", "id"]
        verbose_name = _("mediator")
        constraints = [
            models.UniqueConstraint(
                fields=["team"], condition=Q(leader=True), name="mediation_one_leader_per_team"
            ),
            models.CheckConstraint(
                condition=Q(trained_on__isnull=True) | Q(trained=True), name="mediation_trained_on_if_trained"
            ),
        ]

    def __str__(self):
        return self.name


class Case(models.Model):
    """One line of the mediation register, at the unit where the case was received."""

    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="mediation_cases")
    team = models.ForeignKey(
        Team,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("mediation team"),
    )
    received_on = models.DateField(_("date received"))
    mediators = models.TextField(_("mediators"))  # the names, separated by “; ”
    parties = models.TextField(_("parties"))
    content = models.TextField(_("main content of the case"))
    result = models.CharField(_("result"), max_length=12, choices=Result.choices)
    agreement = models.TextField(_("agreement of the parties"), blank=True)
    demands = models.TextField(_("demands of each party"), blank=True)
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["received_on", "id"]
        verbose_name = _("mediation case")
        indexes = [models.Index(fields=["unit", "received_on"], name="mediation_case_unit_day")]
        constraints = [
            models.CheckConstraint(
                condition=Q(result="ongoing", concluded_on__isnull=True)
                | (~Q(result="ongoing") & Q(concluded_on__isnull=False)),
                name="mediation_case_concluded_unless_ongoing",
            ),
            models.CheckConstraint(
                condition=Q(concluded_on__isnull=True) | Q(concluded_on__gte=models.F("received_on")),
                name="mediation_case_concluded_after_received",
            ),
        ]

    def __str__(self):
        return f"{self.unit.name} – {self.received_on:%d/%m/%Y}"

    @property
    def outcome(self) -> str:
        """The register's column: the agreement (successful) or each party's demands (unsuccessful)."""
        return self.agreement if self.result == Result.SUCCESSFUL else self.demands
