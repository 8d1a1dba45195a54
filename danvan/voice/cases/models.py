"""Models of the voice module: deadline rules and the working-day calendar, and the cases.

A `Case` is one submission (complaint, denunciation, petition, feedback, suggestion) handled by
one responsible unit. Its history is `CaseEvent`, written once and never changed. Its statutory
clocks are `Clock` rows, computed by `deadlines.deadline()` from the rules below. The submitter's
identity lives apart from the case file in `Identity`, encrypted with its own key (identity.py).
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from danvan.core.dates import day_text
from danvan.core.models import WrittenOnce

MAX_DAYS = 3650  # no statutory period is anywhere near ten years; a typo is
MIN_YEAR, MAX_YEAR = 1995, 2100  # the years the calendar pages and entries cover
CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9_.-]*$")


class CalendarDay(models.Model):
    """An administrator's entry for one date; it wins over the holiday library and the weekend.

    Each year the government announces its own changes (a bridge day off next to a holiday, a
    Saturday worked in exchange); they are entered here.
    """

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Day off")
        WORKING_DAY = "working_day", _("Working day")

    date = models.DateField(
        _("date"),
        unique=True,
        error_messages={"unique": _("There is already an entry for this date: remove it first.")},
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    reason = models.CharField(_("reason"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.kind}"


class DeadlineRule(models.Model):
    """How long one step of one procedure may take, counted from one event, in force over a range of dates.

    `effective_to` is the last day the rule is in force (inclusive); empty means still in force.
    The rule that governs a clock is the one in force on the day the clock starts. Two rules for
    the same procedure and step never overlap, so a new law is a new rule and a closed old one.
    """

    class Procedure(models.TextChoices):
        COMPLAINT_FIRST = "complaint_first", _("First complaint")
        COMPLAINT_SECOND = "complaint_second", _("Second complaint")
        DENUNCIATION = "denunciation", _("Denunciation")
        PETITION = "petition", _("Petition")
        FEEDBACK = "feedback", _("Feedback")
        SUGGESTION = "suggestion", _("Suggestion")

    class Step(models.TextChoices):
        ACCEPT = "accept", _("Accept for handling")
        NOTIFY = "notify", _("Notify acceptance")
        TRANSFER = "transfer", _("Transfer")
        RESOLVE = "resolve", _("Resolve")
        EXTENSION = "extension", _("Extension")

    class Event(models.TextChoices):
        RECEIVED = "received", _("Received")
        ACCEPTED = "accepted", _("Accepted")
        EXTENSION_DECIDED = "extension_decided", _("Extension decided")

    class DayUnit(models.TextChoices):
        CALENDAR = "calendar", _("Calendar days")
        WORKING = "working", _("Working days")

    code = models.CharField(
        _("code"),
        max_length=40,
        unique=True,
        error_messages={"unique": _("A rule with this code already exists.")},
    )
    procedure = models.CharField(_("procedure"), max_length=20, choices=Procedure.choices)
    step = models.CharField(_("step"), max_length=20, choices=Step.choices)
    counted_from = models.CharField(_("counted from"), max_length=20, choices=Event.choices)
    days = models.SmallIntegerField(_("days"))
    day_unit = models.CharField(_("day unit"), max_length=10, choices=DayUnit.choices)
    days_complex = models.SmallIntegerField(_("days when complex"), null=True, blank=True)
    days_remote = models.SmallIntegerField(_("days in remote areas"), null=True, blank=True)
    days_complex_remote = models.SmallIntegerField(
        _("days when complex, in remote areas"), null=True, blank=True
    )
    extensions_allowed = models.SmallIntegerField(_("extensions allowed"), default=0)
    extension_days = models.SmallIntegerField(_("days per extension"), null=True, blank=True)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    citation = models.CharField(_("legal citation"), max_length=300)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["procedure", "step", "effective_from"]
        verbose_name = _("deadline rule")
        indexes = [models.Index(fields=["procedure", "step", "effective_from"], name="voice_rule_in_force")]
        constraints = [
            models.CheckConstraint(condition=Q(days__gte=1), name="voice_rule_days_positive"),
            models.CheckConstraint(
                condition=Q(extensions_allowed__gte=0), name="voice_rule_extensions_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
                name="voice_rule_effective_range",
            ),
        ]

    def __str__(self):
        return f"{self.code} ({self.citation})"

    def days_for(self, *, complex: bool = False, remote: bool = False) -> int:
        """The period for a case: a variant left empty falls back to the longest variant it combines, then to `days`."""
        if complex and remote:
            combined = self.days_complex_remote or max(self.days_complex or 0, self.days_remote or 0)
            return combined or self.days
        if complex:
            return self.days_complex or self.days
        if remote:
            return self.days_remote or self.days
        return self.days

    def overlapping(self) -> models.QuerySet:
        """Other rules for the same procedure and step whose effective range meets this one."""
        others = DeadlineRule.objects.filter(procedure=self.procedure, step=self.step).exclude(pk=self.pk)
        if self.effective_to is not None:
            others = others.filter(effective_from__lte=self.effective_to)
        return others.filter(Q(effective_to__isnull=True) | Q(effective_to__gte=self.effective_from))

    def clean(self):
        errors: dict[str, list[str]] = {}

        def add(field: str, message: str) -> None:
            errors.setdefault(field, []).append(message)

        self.code = (self.code or "").strip().upper()
        self.citation = (self.citation or "").strip()
        if self.code and not CODE_PATTERN.match(self.code):
            add(
                "code",
                gettext("Use capital letters, digits, dots, hyphens and underscores only, e.g. KN1-RESOLVE."),
            )
        if not self.citation:
            add("citation", gettext("Give the legal citation, e.g. “Luật Khiếu nại 2011, Điều 28”."))
        if self.days is not None and not 1 <= self.days <= MAX_DAYS:
            add("days", gettext("The number of days must be between 1 and %(max)s.") % {"max": MAX_DAYS})
        for field in ("days_complex", "days_remote", "days_complex_remote"):
            value = getattr(self, field)
            if value is None:
                continue
            if not 1 <= value <= MAX_DAYS:
                add(field, gettext("The number of days must be between 1 and %(max)s.") % {"max": MAX_DAYS})
            elif self.days is not None and value < self.days:
                add(
                    field, gettext("A complex or remote case cannot get fewer days than the ordinary period.")
                )
        if self.days_complex_remote is not None and self.days_complex_remote < max(
            self.days_complex or 0, self.days_remote or 0
        ):
            add(
                "days_complex_remote",
                gettext(
                    "A complex case in a remote area cannot get fewer days than a complex or a remote one."
                ),
            )
        if self.extensions_allowed is not None and not 0 <= self.extensions_allowed <= 10:
            add("extensions_allowed", gettext("The number of extensions must be between 0 and 10."))
        elif self.extensions_allowed and self.extension_days is None:
            add("extension_days", gettext("Give the days of each extension."))
        if self.extension_days is not None:
            if not self.extensions_allowed:
                add(
                    "extension_days",
                    gettext("The rule allows no extension: leave the days per extension empty."),
                )
            elif not 1 <= self.extension_days <= MAX_DAYS:
                add(
                    "extension_days",
                    gettext("The number of days must be between 1 and %(max)s.") % {"max": MAX_DAYS},
                )
        if self.effective_from and self.effective_to and self.effective_to < self.effective_from:
            add("effective_to", gettext("The rule cannot end before it takes effect."))
        if not errors and self.procedure and self.step and self.effective_from:
            clash = self.overlapping().order_by("effective_from").first()
            if clash is not None:
                add("effective_from", overlap_message(clash))
        if errors:
            raise ValidationError(errors)


def overlap_message(clash: DeadlineRule) -> str:
    end = day_text(clash.effective_to) if clash.effective_to else gettext("no end date")
    return gettext(
        "Rule %(code)s already governs this procedure and step from %(start)s to %(end)s: the periods "
        "overlap. Close that rule first (effective to) or change the dates."
    ) % {"code": clash.code, "start": day_text(clash.effective_from), "end": end}


# ---------------------------------------------------------------- cases

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


class Identity(models.Model):
    """Who sent a case: name, address, contacts, identity document — encrypted, apart from the case file.

    `ciphertext` is a Fernet token (identity.py) under a key that is not SECRET_KEY; `fingerprints`
    are keyed hashes of normalised contacts, so repeats from one person can be found without
    decrypting anything.
    """

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="identity")
    ciphertext = models.BinaryField()
    fingerprints = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"identity of case {self.case_id}"


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


class IdentityAccess(WrittenOnce):
    """Every time someone saw a protected identity: who, when, which case. Written once."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    what = models.CharField(max_length=40)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.user_id} saw identity of {self.case_id} at {self.at}"


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


# ---------------------------------------------------------------- patterns (patterns.py)


class CaseFlag(models.Model):
    """A pattern found in a case: a possible duplicate or repeat of another case, a mass or an over-level case.

    Duplicates and repeats are suggestions: a handler links the two cases (`cases.case_link`) or
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


class CaseFingerprint(models.Model):
    """One identity fingerprint of a case, indexed: the same submitter is found by lookup, never by decrypting.

    A copy of `Identity.fingerprints` (keyed hashes), kept in step when an identity is saved.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    value = models.CharField(max_length=64, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "value"], name="voice_fingerprint_once")]

    def __str__(self):
        return f"{self.case_id} {self.value[:8]}"


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
