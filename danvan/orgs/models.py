"""The organisation registry: units, their effective-dated versions and restructuring history.

A `Unit` is an identity with a stable code. What it is called, what type it is, which groups
it belongs to and where it sits in the tree are held by `UnitVersion` rows, each valid over
[valid_from, valid_to) — valid_to is the first day it no longer holds; empty means still in force.

Every version carries a materialised `path`: the ids of its ancestors and itself as fixed-width
digit segments, as they stood during that version. The subtree of a unit on a date is therefore
one range scan on an index (path between P and P's successor, validity covering the date),
whatever the depth. A move or merge that changes a unit's ancestors closes the versions of its
whole subtree and opens new ones with the new path (see services.py).
"""

from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from danvan.core.text import search_key, search_suffixes


class UnitType(models.Model):
    """What kind of organisation a unit is: bloc, committee, grassroots, cell, agency, mass_org …"""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["order", "code"]

    def __str__(self):
        return self.name


class UnitGroup(models.Model):
    """A group that drives targets: admin_agency, public_service_unit, vocational_school, enterprise …"""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Unit(models.Model):
    """A unit's identity. `path`, `name`, `valid_from`, `valid_to` mirror its latest version.

    The mirror exists for permissions (a role covers the unit's current subtree) and for
    cheap lookups by code; the versions are the record of truth.
    """

    code = models.CharField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=255)
    path = models.CharField(max_length=400, db_index=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # Coordination regulation (quy chế phối hợp): the current one; history is in the audit log.
    regulation_number = models.CharField(_("regulation number"), max_length=60, blank=True)
    regulation_signed_on = models.DateField(_("regulation signed on"), null=True, blank=True)
    regulation_file = models.FileField(_("regulation document"), upload_to="regulations/%Y/", blank=True)

    class Meta:
        ordering = ["path"]
        indexes = [models.Index(Upper("code"), name="orgs_unit_code_upper")]

    def __str__(self):
        return f"{self.name} ({self.code})"

    @property
    def is_active(self) -> bool:
        """Not ended today (a unit whose end is recorded for a later date is still active)."""
        return self.valid_to is None or self.valid_to > timezone.localdate()

    @property
    def has_regulation(self) -> bool:
        return self.regulation_signed_on is not None


class UnitVersion(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="versions")
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=120, blank=True)
    unit_type = models.ForeignKey(
        UnitType, on_delete=models.PROTECT, related_name="+", verbose_name=_("type")
    )
    groups = models.ManyToManyField(
        UnitGroup, blank=True, related_name="unit_versions", verbose_name=_("groups")
    )
    parent = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="child_versions"
    )
    path = models.CharField(max_length=400)
    depth = models.PositiveSmallIntegerField()
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    search_name = models.CharField(max_length=400, db_index=False)
    sort_name = models.CharField(max_length=255)

    class Meta:
        ordering = ["unit_id", "valid_from"]
        indexes = [
            models.Index(fields=["path", "valid_from"], name="orgs_version_path"),
            models.Index(fields=["parent", "valid_from"], name="orgs_version_parent"),
            models.Index(fields=["unit", "valid_from"], name="orgs_version_unit"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gt=models.F("valid_from")),
                name="orgs_version_interval",
            ),
            models.UniqueConstraint(fields=["unit", "valid_from"], name="orgs_version_unique_start"),
        ]

    def __str__(self):
        return f"{self.name} [{self.valid_from}–{self.valid_to or '…'})"

    def covers(self, day) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)


class UnitPickKey(models.Model):
    """The unit picker's index: for each unit in force, its name and short name without diacritics
    from each of their words on ("dang bo so tu phap", "so tu phap", "tu phap", "phap") and its code,
    beside the unit's path. Typing "tu phap" is then one range scan on `key` whatever the size of the
    tree, narrowed to the user's subtrees on `path`. Rewritten with the Unit mirror (services)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=120)
    path = models.CharField(max_length=400)

    class Meta:
        indexes = [
            models.Index(fields=["key", "path"], name="orgs_pickkey_key"),
            models.Index(fields=["unit"], name="orgs_pickkey_unit"),
        ]

    def __str__(self):
        return self.key

    @classmethod
    def rows(cls, *, unit_id: int, code: str, path: str, names: Iterable[str]) -> list["UnitPickKey"]:
        """The index rows of one unit: each word-suffix of its names, and its code."""
        return [cls(unit_id=unit_id, key=key, path=path) for key in cls.keys(code=code, names=names)]

    @staticmethod
    def keys(*, code: str, names: Iterable[str]) -> list[str]:
        """The keys of `rows`, in order."""
        keys = {key for name in names for key in search_suffixes(name or "")}
        keys.add(search_key(code)[:120])
        return [key for key in sorted(keys) if key]


class RestructuringEvent(models.Model):
    """One restructuring act, effective on a date, with the decision that ordered it."""

    class Kind(models.TextChoices):
        CREATE = "create", _("Created")
        RENAME = "rename", _("Renamed")
        MOVE = "move", _("Moved")
        REGROUP = "regroup", _("Groups or type changed")
        MERGE = "merge", _("Merged")
        SPLIT = "split", _("Split")
        DISSOLVE = "dissolve", _("Dissolved")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    effective_on = models.DateField(_("effective on"), db_index=True)
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="events")
    summary = models.CharField(max_length=500)
    details = models.JSONField(default=dict, blank=True)
    decision = models.CharField(_("decision"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["effective_on", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.effective_on}: {self.summary}"


class UnitLink(models.Model):
    """Succession: `successor` stands for `predecessor` from `effective_on` (merge, split, absorption)."""

    class Kind(models.TextChoices):
        MERGE = "merge", _("Merge")
        SPLIT = "split", _("Split")
        SUCCESSION = "succession", _("Succession")

    predecessor = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="successor_links")
    successor = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="predecessor_links")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    effective_on = models.DateField()
    event = models.ForeignKey(RestructuringEvent, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["predecessor", "successor"], name="orgs_link_unique")]

    def __str__(self):
        return f"{self.predecessor.code} → {self.successor.code} ({self.effective_on})"


class MobilisationLead(models.Model):
    """The committee member in charge of mobilisation work at a unit, over a period."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="leads")
    full_name = models.CharField(_("full name"), max_length=150)
    position = models.CharField(_("position"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    assigned_on = models.DateField(_("assigned on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        ordering = ["unit_id", "-assigned_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gt=models.F("assigned_on")),
                name="orgs_lead_interval",
            ),
        ]

    def __str__(self):
        return self.full_name


class UnitImport(models.Model):
    """An uploaded unit file and what became of it (the import runs as a background task).

    The file is stored under a random name (core.uploads.store), read back against its SHA-256.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        DONE = "done", _("Import completed")
        FAILED = "failed", _("Rejected")

    file = models.FileField(upload_to="imports/units/%Y/%m/")
    original_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, blank=True, editable=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    errors = models.JSONField(default=list, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.original_name} ({self.get_status_display()})"
