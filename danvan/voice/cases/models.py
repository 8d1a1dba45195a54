"""Models of the cases: one submission and everything its handling records.

A `Case` is one submission (complaint, denunciation, petition, feedback, suggestion) handled by
one responsible unit. Its history is `CaseEvent`, written once and never changed. Its statutory
clocks are `Clock` rows, computed by `deadlines.counting.deadline()` from the deadline rules. The
submitter's identity lives apart from the case file, encrypted with its own key (`identity.models`).
Patterns found among cases are `CaseFlag` rows (patterns.py) with the indexed shape of each content
(`CaseSignature`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from danvan.core.models import WrittenOnce
from danvan.voice.deadlines.models import DeadlineRule

MASS_COMPLAINT_PEOPLE = 5  # khiếu kiện đông người: five people or more


class Kind(models.TextChoices):
    """What a submission is; the values are the deadline rules' procedures."""

    COMPLAINT_FIRST = "complaint_first", _("First complaint")
    COMPLAINT_SECOND = "complaint_second", _("Second complaint")
    DENUNCIATION = "denunciation", _("Denunciation")
    PETITION = "petition", _("Petition")
    FEEDBACK = "feedback", _("Feedback")
    SUGGESTION = "suggestion", _("Suggestion")


ANONYMOUS_KINDS = frozenset({Kind.FEEDBACK, Kind.SUGGESTION})


class Channel(models.TextChoices):
    DESK = "desk", _("Reception desk")
    POST = "post", _("Post")
    PORTAL = "portal", _("Public portal")
    BOX = "box", _("Suggestion box")
    ONLINE_BOX = "online_box", _("Online suggestion box")
    HOTLINE = "hotline", _("Hotline")


class State(models.TextChoices):
    RECEIVED = "received", _("Received")
    CLASSIFIED = "classified", _("Classified")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    VERIFYING = "verifying", _("Verifying")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    PAUSED = "paused", _("Paused, waiting for the submitter")


OPEN_STATES = frozenset({State.RECEIVED, State.CLASSIFIED, State.ACCEPTED, State.VERIFYING, State.PAUSED})
FINISHED_STATES = frozenset({State.REJECTED, State.RESOLVED, State.CLOSED, State.WITHDRAWN})


class Case(models.Model):
    """One submission and its handling at its responsible unit.

    The case file (subject, content, attachments that are not identity scans) is what handlers and
    verifiers see; who sent it is in `Identity`. A transfer moves the case to the new unit, keeps
    its history and starts the new unit's clocks. `tracking_hash` is the SHA-256 of the code the
    submitter was given: the code itself is never stored.
    """

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="cases", verbose_name=_("responsible unit")
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="handled_cases",
        verbose_name=_("handler"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.RECEIVED)
    paused_from = models.CharField(max_length=12, choices=State.choices, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    content = models.TextField(_("content"))
    received_on = models.DateField(_("received on"))
    received_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    people_count = models.PositiveIntegerField(_("number of people"), default=1)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    is_complex = models.BooleanField(_("complex case"), default=False)
    # Luật Tố cáo 2018, Điều 30: a second extension only for an especially complex denunciation.
    is_especially_complex = models.BooleanField(_("especially complex case"), default=False)
    is_remote = models.BooleanField(_("remote area"), default=False)
    is_over_level = models.BooleanField(_("over-level"), default=False)
    # Set once the case is (or was ever) a denunciation: the identity stays protected for good.
    identity_protected = models.BooleanField(default=False)
    tracking_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    public_note = models.TextField(_("answer shown to the submitter"), blank=True)
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    decision_summary = models.TextField(_("decision summary"), blank=True)
    finished_on = models.DateField(_("finished on"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("case")
        indexes = [
            models.Index(fields=["unit", "state"], name="voice_case_unit_state"),
            models.Index(fields=["kind", "received_on"], name="voice_case_kind_day"),
            models.Index(fields=["unit", "received_on"], name="voice_case_unit_day"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(people_count__gte=1), name="voice_case_people_positive"),
        ]

    def __str__(self):
        return f"{self.reference} {self.subject}"

    @property
    def is_mass(self) -> bool:
        return self.people_count >= MASS_COMPLAINT_PEOPLE

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class CaseEvent(WrittenOnce):
    """One step in a case's life: who, when, what, why. Written once (a trigger on PostgreSQL).

    `details` never holds the submitter's identity. `public` events are shown on the tracking page.
    """

    class Action(models.TextChoices):
        RECEIVE = "receive", _("Received")
        CLASSIFY = "classify", _("Classified")
        RECLASSIFY = "reclassify", _("Reclassified")
        ASSIGN = "assign", _("Handler assigned")
        ACCEPT = "accept", _("Accepted for handling")
        REJECT = "reject", _("Rejected")
        TRANSFER = "transfer", _("Transferred")
        NOTIFY = "notify", _("Acceptance notified")
        VERIFY = "verify", _("Verification started")
        EXTEND = "extend", _("Extended")
        PAUSE = "pause", _("Paused")
        RESUME = "resume", _("Resumed")
        RESOLVE = "resolve", _("Resolved")
        CLOSE = "close", _("Closed")
        WITHDRAW = "withdraw", _("Withdrawn")
        LINK = "link", _("Linked")
        NOTE = "note", _("Note")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    from_state = models.CharField(max_length=12, choices=State.choices, blank=True)
    to_state = models.CharField(max_length=12, choices=State.choices, blank=True)
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"), blank=True)
    details = models.JSONField(default=dict, blank=True)
    public = models.BooleanField(default=False)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.case_id} {self.action} {self.at:%Y-%m-%d %H:%M}"


class Clock(models.Model):
    """A statutory period running for one step of a case at one unit.

    `due_on` is recomputed from the rule, the case's complexity, remoteness, extensions and pauses
    whenever one of them changes. `stopped_on` is the day the step was done (or the clock was
    cancelled, e.g. by a transfer or a withdrawal: then `cancelled` is set).
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="clocks")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    step = models.CharField(max_length=20, choices=DeadlineRule.Step.choices)
    rule = models.ForeignKey(DeadlineRule, on_delete=models.PROTECT, related_name="clocks")
    started_on = models.DateField()
    days = models.SmallIntegerField()
    due_on = models.DateField(db_index=True)
    extensions = models.SmallIntegerField(default=0)
    stopped_on = models.DateField(null=True, blank=True)
    cancelled = models.BooleanField(default=False)

    class Meta:
        ordering = ["started_on", "id"]
        indexes = [
            models.Index(fields=["stopped_on", "due_on"], name="voice_clock_running"),
            models.Index(fields=["unit", "step", "stopped_on"], name="voice_clock_unit_stopped"),
        ]

    def __str__(self):
        return f"{self.case_id} {self.step} due {self.due_on}"

    @property
    def running(self) -> bool:
        return self.stopped_on is None

    @property
    def on_time(self) -> bool | None:
        if self.stopped_on is None or self.cancelled:
            return None
        return self.stopped_on <= self.due_on


class CasePause(models.Model):
    """The case waited for the submitter from `started_on`; the clocks ran again on `ended_on`."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="pauses")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    reason = models.TextField()

    class Meta:
        ordering = ["started_on", "id"]

    def __str__(self):
        return f"{self.case_id} paused {self.started_on}"


class Extension(models.Model):
    """A written decision extending a case's resolution period."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="extensions")
    decision_number = models.CharField(_("decision number"), max_length=60)
    decision_date = models.DateField(_("decision date"))
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["decision_date", "id"]

    def __str__(self):
        return f"{self.case_id} extension {self.decision_number}"


class CaseLink(models.Model):
    """Two cases found to be the same matter (a duplicate, or a repeat after a decision)."""

    class Kind(models.TextChoices):
        DUPLICATE = "duplicate", _("Duplicate")
        REPEAT = "repeat", _("Repeat after a decision")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links")
    other = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "other"], name="voice_caselink_once")]

    def __str__(self):
        return f"{self.case_id} {self.kind} {self.other_id}"


def _attachment_path(instance, filename):
    return f"voice/{instance.case_id}/{instance.token}"


class Attachment(models.Model):
    """A file sent with a case. `protected` files (handwriting, identity papers) are encrypted like the identity."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    token = models.CharField(max_length=40, unique=True)
    file = models.FileField(upload_to=_attachment_path, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    protected = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.name


class BoxOpening(models.Model):
    """A physical suggestion box opened: when, by whom, in whose presence, how many letters."""

    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="box_openings")
    opened_on = models.DateField(_("opened on"))
    opened_by = models.CharField(_("opened by"), max_length=200)
    witnesses = models.CharField(_("witnesses"), max_length=300, blank=True)
    letters = models.PositiveIntegerField(_("letters found"))
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opened_on", "-id"]

    def __str__(self):
        return f"{self.unit_id} box opened {self.opened_on}"


class CaseFlag(models.Model):
    """A pattern found in a case: a possible duplicate or repeat of another case, a mass or an over-level case.

    Duplicates and repeats are suggestions: a handler links the two cases (`services.case_link`) or
    dismisses the flag. They are found without decrypting anything (identity fingerprints, the
    normalised text). `score` is the similarity of the contents (1 when the submitter is the same).
    """

    class Kind(models.TextChoices):
        DUPLICATE = "duplicate", _("Possible duplicate")
        REPEAT = "repeat", _("Repeat after a decision")
        MASS = "mass", _("Mass complaint")
        OVER_LEVEL = "over_level", _("Sent above the competent level")

    class Basis(models.TextChoices):
        SUBMITTER = "submitter", _("Same submitter")
        CONTENT = "content", _("Near-identical content")
        BOTH = "both", _("Same submitter and near-identical content")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="flags")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    other_case = models.ForeignKey(Case, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    basis = models.CharField(max_length=10, choices=Basis.choices, blank=True)
    score = models.DecimalField(max_digits=4, decimal_places=3, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    dismissed_at = models.DateTimeField(null=True, blank=True)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["kind", "created_at"], name="voice_flag_kind")]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind", "other_case"],
                condition=Q(other_case__isnull=False),
                name="voice_flag_pair_once",
            ),
            models.UniqueConstraint(
                fields=["case", "kind"], condition=Q(other_case__isnull=True), name="voice_flag_mark_once"
            ),
        ]

    def __str__(self):
        return f"{self.case_id} {self.kind} {self.other_case_id or ''}".strip()


class CaseSignature(models.Model):
    """The shape of a case's normalised content: its number of words and a digest of the words.

    Near-identical contents have about as many words, so candidates are found with the index on
    (received_on, words) before any text is compared; equal digests are exact copies.
    """

    case = models.OneToOneField(Case, on_delete=models.CASCADE, primary_key=True, related_name="+")
    received_on = models.DateField()
    words = models.PositiveIntegerField()
    digest = models.CharField(max_length=64, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["received_on", "words"], name="voice_signature_day_words")]

    def __str__(self):
        return f"{self.case_id} {self.words} words"
