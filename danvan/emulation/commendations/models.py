"""Commendations (khen thưởng) of collectives and individuals, as the decisions that grant them record them.

What the law says (Luật Thi đua, khen thưởng 2022, Luật số 06/2022/QH15, passed 15/6/2022, in force from
01/01/2024, detailed by Nghị định 98/2023/NĐ-CP; checked on public copies of the text and summaries):

- the state's orders (huân chương, khoản 2 Điều 33: Sao vàng, Hồ Chí Minh, Độc lập, Quân công, Lao động,
  Bảo vệ Tổ quốc, Chiến công — the last five in three classes —, Đại đoàn kết dân tộc, Dũng cảm, Hữu
  nghị) and medals (huy chương, khoản 2 Điều 54) are granted by the President;
- the forms of recognition below them are the certificates of merit (bằng khen: of the Prime Minister, of
  a ministry, a central body or a province) and the certificate of commendation (giấy khen) that the head
  of an agency, unit or commune gives; the emulation titles (danh hiệu thi đua) are for individuals
  “Chiến sĩ thi đua” (toàn quốc, of a ministry/province, cơ sở) and “Lao động tiên tiến”, for collectives
  the emulation flag (Cờ thi đua: of the Government, of a ministry/province) and “Tập thể lao động xuất
  sắc” — who decides each is Chương IV of the law (thẩm quyền quyết định). The exact article numbers of
  the titles and of Chương IV were not checked here: nothing below depends on them.

So a commendation names its form (`Form`, with the words of the decision in `title`: “Bằng khen của
Thủ tướng Chính phủ”, “Huân chương Lao động hạng Ba” …), who issued it (a unit of the tree, or a body
outside it named in words: UBND tỉnh, Thủ tướng Chính phủ …), the decision's number and date, the reason,
the year of the movement it rewards, and the recipient: a collective (a unit of the tree, or a collective
named in words under a unit) or an individual (name, position, unit). `unit` is the recipient's unit: it
decides who sees the record (EMULATION_VIEW there or above) and who records it (EMULATION_RECORD).

What earned it: `earned_for` says it in words today. The "Dân vận khéo" model (`exemplars.Exemplar`)
and the unit's yearly evaluation (`evaluations.Evaluation`) are other parts of the module; two nullable
foreign keys (`exemplar`, `evaluation`) join `earned_for` here (see EARNED_BY_LINKS): at most one of them,
a record the recording user sees, of the recipient's unit or a unit below it (services._links).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

LAW = "Luật Thi đua, khen thưởng 2022 (Luật số 06/2022/QH15)"

#: The links to the record that earned a commendation, nullable foreign keys: (field name, "app_label.Model").
EARNED_BY_LINKS = (("exemplar", "exemplars.Exemplar"), ("evaluation", "evaluations.Evaluation"))


class Kind(models.TextChoices):
    COLLECTIVE = "collective", _("Collective")
    INDIVIDUAL = "individual", _("Individual")


class Form(models.TextChoices):
    """The form of commendation or emulation title the decision grants."""

    CERTIFICATE = "certificate", _("Certificate of commendation (Giấy khen)")
    MERIT = "merit", _("Certificate of merit (Bằng khen)")
    FLAG = "flag", _("Emulation flag (Cờ thi đua)")
    FIGHTER = "fighter", _("Emulation fighter (Chiến sĩ thi đua)")
    EXCELLENT_COLLECTIVE = "excellent_collective", _("Excellent labour collective")
    ADVANCED_WORKER = "advanced_worker", _("Advanced worker")
    ORDER = "order", _("Order (Huân chương)")
    MEDAL = "medal", _("Medal or commemorative medal")
    OTHER = "other", _("Other form")


#: The forms that go to a collective only, and to an individual only.
COLLECTIVE_ONLY = (Form.FLAG, Form.EXCELLENT_COLLECTIVE)
INDIVIDUAL_ONLY = (Form.FIGHTER, Form.ADVANCED_WORKER)


def decision_file_path(instance, filename: str) -> str:
    return f"commendations/decisions/{filename}"


class Commendation(models.Model):
    kind = models.CharField(_("recipient"), max_length=12, choices=Kind.choices)
    unit = models.ForeignKey(
        "orgs.Unit",
        on_delete=models.PROTECT,
        related_name="commendations",
        verbose_name=_("recipient's unit"),
    )
    # A collective named in words (not a unit of the tree), or the individual's full name. Empty for a
    # collective that is the unit itself.
    recipient_name = models.CharField(_("name of the recipient"), max_length=300, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    form = models.CharField(_("form of commendation"), max_length=24, choices=Form.choices)
    title = models.CharField(_("as written in the decision"), max_length=300, blank=True)
    issuer_unit = models.ForeignKey(
        "orgs.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commendations_issued",
        verbose_name=_("issuing unit"),
    )
    issuer_name = models.CharField(_("issuing body"), max_length=300, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=100)
    decision_date = models.DateField(_("decision date"))
    reason = models.TextField(_("reason"))
    year = models.PositiveSmallIntegerField(_("year of the movement"))
    earned_for = models.TextField(_("earned by"), blank=True)
    # What earned it, when it is a record of the module (at most one of the two, the service checks it).
    exemplar = models.ForeignKey(
        "exemplars.Exemplar",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commendations",
        verbose_name=_("“Dân vận khéo” model that earned it"),
    )
    evaluation = models.ForeignKey(
        "evaluations.Evaluation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commendations",
        verbose_name=_("evaluation that earned it"),
    )
    decision_file = models.FileField(
        _("decision file"), upload_to=decision_file_path, blank=True, max_length=300
    )
    decision_file_name = models.CharField(_("decision file name"), max_length=150, blank=True)
    decision_file_type = models.CharField(_("decision file type"), max_length=100, blank=True)
    decision_file_sha256 = models.CharField(_("decision file fingerprint"), max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "-decision_date", "id"]
        verbose_name = _("commendation")
        indexes = [
            models.Index(fields=["unit", "decision_date"], name="commendation_unit_day"),
            models.Index(fields=["year", "form"], name="commendation_year_form"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="collective") | ~Q(recipient_name=""), name="commendation_individual_named"
            ),
            models.CheckConstraint(
                condition=Q(issuer_unit__isnull=False) | ~Q(issuer_name=""), name="commendation_issuer_given"
            ),
        ]

    def __str__(self):
        return f"{self.recipient} – {self.get_form_display()} ({self.decision_number})"

    @property
    def recipient(self) -> str:
        """Who was commended, in words: the named collective or person, else the unit itself."""
        return self.recipient_name or self.unit.name

    @property
    def issuer(self) -> str:
        return self.issuer_unit.name if self.issuer_unit_id else self.issuer_name
