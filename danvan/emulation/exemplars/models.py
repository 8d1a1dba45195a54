"""“Dân vận khéo” models (mô hình, điển hình “Dân vận khéo”): the yearly campaign a unit runs for its
subtree, the models its units register and nominate, their review by the level above, their
recognition and where they spread.

The movement is the party's “Dân vận khéo” emulation movement (phong trào thi đua “Dân vận khéo”):
models in four fields — kinh tế; văn hóa – xã hội; quốc phòng – an ninh; xây dựng hệ thống chính trị —
reviewed and honoured every year (PRODUCT.md; seed 001: 37 models honoured in 2015). The guidance on
the movement was not checked against its text: the criteria below and their points are the
installation's, not a legal scale.

Stages: draft → nominated (before the campaign's nomination deadline) → reviewed (scores and an
opinion by the level above) → recognised (decision number, date, level) or returned with reasons
(the unit corrects and nominates again). Every change of stage writes a `Transition`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from danvan.core.models import WrittenOnce


class Field(models.TextChoices):
    ECONOMY = "economy", _("Economy")
    CULTURE_SOCIETY = "culture_society", _("Culture – society")
    DEFENCE_SECURITY = "defence_security", _("Defence – security")
    POLITICAL_SYSTEM = "political_system", _("Building the political system")


class CampaignState(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Stage(models.TextChoices):
    DRAFT = "draft", _("Draft")
    NOMINATED = "nominated", _("Nominated, waiting for review")
    REVIEWED = "reviewed", _("Reviewed")
    RECOGNISED = "recognised", _("Recognised")
    RETURNED = "returned", _("Returned for correction")


#: Stages in which the unit may still change its model.
EDITABLE = (Stage.DRAFT, Stage.RETURNED)
#: Stages waiting for the level above.
WAITING = (Stage.NOMINATED, Stage.REVIEWED)


class Level(models.TextChoices):
    GRASSROOTS = "grassroots", _("Grassroots level")
    BLOC = "bloc", _("Bloc level")
    PROVINCE = "province", _("Provincial level")
    CENTRAL = "central", _("Central level")


class Campaign(models.Model):
    """The yearly “Dân vận khéo” campaign of a unit, for the units of its subtree."""

    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=300)
    nominations_until = models.DateField(_("nominations until"))
    review_until = models.DateField(_("review until"))
    recognition_by = models.DateField(_("recognition by"))
    state = models.CharField(
        _("state"), max_length=10, choices=CampaignState.choices, default=CampaignState.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "unit__path"]
        verbose_name = _("“Dân vận khéo” campaign")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="exemplars_one_campaign_a_year"),
            models.CheckConstraint(
                condition=Q(nominations_until__lte=models.F("review_until"))
                & Q(review_until__lte=models.F("recognition_by")),
                name="exemplars_campaign_dates_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.year})"

    @property
    def is_open(self) -> bool:
        return self.state == CampaignState.OPEN


class Exemplar(models.Model):
    """A “Dân vận khéo” model registered by a unit in a campaign within its reach."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="exemplars", verbose_name=_("campaign")
    )
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    field = models.CharField(_("field"), max_length=20, choices=Field.choices)
    title = models.CharField(_("name of the model"), max_length=300)
    authors = models.TextField(_("people or collective behind it"))
    description = models.TextField(_("description"))
    started_on = models.DateField(_("started on"))
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, default=Stage.DRAFT)
    registered_on = models.DateField(_("registered on"))
    nominated_on = models.DateField(_("nominated on"), null=True, blank=True)
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)
    opinion = models.TextField(_("opinion of the reviewer"), blank=True)
    total_score = models.PositiveSmallIntegerField(_("total score"), null=True, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    level = models.CharField(_("level of recognition"), max_length=12, choices=Level.choices, blank=True)
    return_reason = models.TextField(_("reasons for returning"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-campaign__year", "unit__path", "title", "id"]
        verbose_name = _("“Dân vận khéo” model")
        indexes = [
            models.Index(fields=["stage", "unit"], name="exemplars_stage_unit"),
            models.Index(fields=["decision_date"], name="exemplars_decision_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(stage="recognised")
                | (Q(decision_date__isnull=False) & ~Q(decision_number="") & ~Q(level="")),
                name="exemplars_recognised_has_decision",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def editable(self) -> bool:
        return self.stage in EDITABLE


class Result(models.Model):
    """A measurable result of a model: what is measured, in what unit, before and after."""

    exemplar = models.ForeignKey(Exemplar, on_delete=models.CASCADE, related_name="results")
    position = models.PositiveSmallIntegerField(default=0)
    measure = models.CharField(_("what is measured"), max_length=200)
    unit_of_measure = models.CharField(_("unit of measure"), max_length=50, blank=True)
    before = models.DecimalField(_("before"), max_digits=14, decimal_places=2)
    after = models.DecimalField(_("after"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("result of a model")

    def __str__(self):
        return self.measure


def evidence_path(instance, filename: str) -> str:
    return f"exemplars/evidence/{filename}"


class Evidence(models.Model):
    """A file that shows the model's results (a report, photographs, a table), checked by content."""

    exemplar = models.ForeignKey(Exemplar, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=300)
    name = models.CharField(_("file name"), max_length=150)
    content_type = models.CharField(_("file type"), max_length=100)
    sha256 = models.CharField(_("file fingerprint"), max_length=64)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("evidence of a model")

    def __str__(self):
        return self.name


class Score(models.Model):
    """The points the reviewer gave the model on one criterion (`criteria.CRITERIA`)."""

    exemplar = models.ForeignKey(Exemplar, on_delete=models.CASCADE, related_name="scores")
    criterion = models.CharField(_("criterion"), max_length=20)
    points = models.PositiveSmallIntegerField(_("points"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("score of a model")
        constraints = [
            models.UniqueConstraint(fields=["exemplar", "criterion"], name="exemplars_score_once_a_criterion")
        ]

    def __str__(self):
        return f"{self.criterion}: {self.points}"


class Transition(WrittenOnce):
    """One change of a model's stage: from, to, who, when, the note (reasons, decision …)."""

    exemplar = models.ForeignKey(Exemplar, on_delete=models.CASCADE, related_name="transitions")
    from_stage = models.CharField(_("from"), max_length=12, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=12, choices=Stage.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("change of stage of a model")

    def __str__(self):
        return f"{self.from_stage} → {self.to_stage}"


class Replication(models.Model):
    """Another unit that adopted a recognised model (nhân rộng mô hình)."""

    exemplar = models.ForeignKey(Exemplar, on_delete=models.CASCADE, related_name="replications")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    adopted_on = models.DateField(_("adopted on"))
    note = models.TextField(_("note"), blank=True)
    results = models.TextField(_("results"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["adopted_on", "id"]
        verbose_name = _("replication of a model")
        constraints = [
            models.UniqueConstraint(fields=["exemplar", "unit"], name="exemplars_replicated_once_by_a_unit")
        ]

    def __str__(self):
        return f"{self.exemplar} – {self.unit}"
